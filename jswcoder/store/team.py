"""This project's team membership: the ``team`` row, the team's leads and (at a lead) its members.

All SQL for the ``team``, ``team_leads``, ``team_members`` and ``team_own_keys`` tables lives here. Keys are raw 32-byte
strings; the private halves never leave the encrypted database except to sign or open a package.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.model import CodeOrigin

MemberState = Literal["pending", "admitted", "refused"]

_TEAM = (
    "team_uuid, name, role, member_id, signing_private, signing_public, encryption_private, "
    "encryption_public, next_sequence, codebook_version, joined_at"
)


@dataclass(frozen=True)
class TeamRow:
    team_uuid: str
    name: str
    role: str  # "lead" or "fieldworker"
    member_id: str
    signing_private: bytes = field(repr=False)
    signing_public: bytes
    encryption_private: bytes | None = field(repr=False)
    encryption_public: bytes | None
    next_sequence: int
    codebook_version: int
    joined_at: str


@dataclass(frozen=True)
class LeadRow:
    member_id: str
    name: str
    encryption_public: bytes
    signing_public: bytes


@dataclass(frozen=True)
class MemberRow:
    member_id: str
    name: str
    signing_public: bytes
    last_sequence: int
    first_seen: str
    encryption_public: bytes | None = None  # learned from the member's signed join request
    state: MemberState = "admitted"


_MEMBER = "member_id, name, signing_public, last_sequence, first_seen, encryption_public, state"


# -- the team row ------------------------------------------------------------------------------------


def get(db: Database) -> TeamRow | None:
    row = db.execute(f"SELECT {_TEAM} FROM team WHERE id = 1").fetchone()
    return None if row is None else TeamRow(*row)


def insert(db: Database, row: TeamRow) -> None:
    db.execute(
        f"INSERT INTO team (id, {_TEAM}) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.team_uuid,
            row.name,
            row.role,
            row.member_id,
            row.signing_private,
            row.signing_public,
            row.encryption_private,
            row.encryption_public,
            row.next_sequence,
            row.codebook_version,
            row.joined_at,
        ],
    )


def set_name(db: Database, name: str) -> None:
    db.execute("UPDATE team SET name = ? WHERE id = 1", [name])


def set_codebook_version(db: Database, version: int) -> None:
    db.execute("UPDATE team SET codebook_version = ? WHERE id = 1", [version])


def take_sequence(db: Database) -> int:
    """The next sequence number, and count it as used (the caller's transaction decides if it sticks)."""
    with db.atomic():
        row = db.execute("SELECT next_sequence FROM team WHERE id = 1").fetchone()
        if row is None:
            raise LookupError("this project is not in a team")
        db.execute("UPDATE team SET next_sequence = next_sequence + 1 WHERE id = 1")
    return int(row[0])


# -- leads -------------------------------------------------------------------------------------------


def leads(db: Database) -> list[LeadRow]:
    rows = db.execute(
        "SELECT member_id, name, encryption_public, signing_public FROM team_leads ORDER BY member_id"
    ).fetchall()
    return [LeadRow(*row) for row in rows]


def replace_leads(db: Database, new_leads: Iterable[LeadRow]) -> None:
    db.execute("DELETE FROM team_leads")
    for lead in new_leads:
        db.execute(
            "INSERT INTO team_leads (member_id, name, encryption_public, signing_public) VALUES (?, ?, ?, ?)",
            [lead.member_id, lead.name, lead.encryption_public, lead.signing_public],
        )


# -- members (kept by a lead) ------------------------------------------------------------------------


def members(db: Database) -> list[MemberRow]:
    rows = db.execute(f"SELECT {_MEMBER} FROM team_members ORDER BY name").fetchall()
    return [MemberRow(*row) for row in rows]


def member(db: Database, member_id: str) -> MemberRow | None:
    row = db.execute(f"SELECT {_MEMBER} FROM team_members WHERE member_id = ?", [member_id]).fetchone()
    return None if row is None else MemberRow(*row)


def add_member(
    db: Database,
    member_id: str,
    name: str,
    signing_public: bytes,
    encryption_public: bytes | None = None,
    state: MemberState = "pending",
) -> None:
    db.execute(
        "INSERT INTO team_members (member_id, name, signing_public, first_seen, encryption_public, state) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [member_id, name, signing_public, now(), encryption_public, state],
    )


def set_member_state(db: Database, member_id: str, state: MemberState) -> None:
    db.execute("UPDATE team_members SET state = ? WHERE member_id = ?", [state, member_id])


def set_pending_request(
    db: Database, member_id: str, name: str, signing_public: bytes, encryption_public: bytes | None
) -> None:
    """A pending member's latest join request: its name and keys replace the earlier one's."""
    db.execute(
        "UPDATE team_members SET name = ?, signing_public = ?, encryption_public = ? "
        "WHERE member_id = ? AND state = 'pending'",
        [name, signing_public, encryption_public, member_id],
    )


def set_member_encryption_key(db: Database, member_id: str, encryption_public: bytes) -> None:
    db.execute(
        "UPDATE team_members SET encryption_public = ? WHERE member_id = ?", [encryption_public, member_id]
    )


def set_last_sequence(db: Database, member_id: str, sequence: int) -> None:
    db.execute("UPDATE team_members SET last_sequence = ? WHERE member_id = ?", [sequence, member_id])


# -- a fieldworker's own encryption key pair (a lead's is in the team row) --------------------------


def own_keys(db: Database) -> tuple[bytes, bytes] | None:
    """The fieldworker's X25519 (private, public) key pair, if it has one yet."""
    row = db.execute(
        "SELECT encryption_private, encryption_public FROM team_own_keys WHERE id = 1"
    ).fetchone()
    return None if row is None else (bytes(row[0]), bytes(row[1]))


def put_own_keys(db: Database, private: bytes, public: bytes) -> None:
    db.execute(
        "INSERT INTO team_own_keys (id, encryption_private, encryption_public, created_at) VALUES (1, ?, ?, ?)",
        [private, public, now()],
    )


# -- the team codebook, keeping the team's UUIDs -----------------------------------------------------


def code_exists(db: Database, uuid: str) -> bool:
    return db.execute("SELECT 1 FROM codes WHERE uuid = ?", [uuid]).fetchone() is not None


def insert_team_code(
    db: Database,
    *,
    uuid: str,
    parent_uuid: str | None,
    name: str,
    description: str,
    colour: str | None,
    position: int,
    origin: CodeOrigin,
) -> None:
    """Add a theme from the team codebook under the team's UUID (created by no local coder)."""
    db.execute(
        "INSERT INTO codes (uuid, parent_uuid, name, description, colour, position, origin, created_by, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)",
        [uuid, parent_uuid, name, description, colour, position, origin, now()],
    )
