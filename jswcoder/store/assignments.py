"""Double coding: the lead's assignments (``coding_assignments``) and a fieldworker's ``assignments_received``.

All SQL for both tables lives here. At the lead, an assignment names a transcript and the member who
codes it a second time; ``sealed`` is its payload as it goes out in the team file (kept, so the file is
the same bytes until something changes) and ``content_sha256`` the text it was sealed with. At a
fieldworker, ``content_sha256`` is the hash of the text as it arrived: the transcript goes back untouched
only while its text still has that hash (:func:`jswcoder.services.egress.came_unchanged`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from jswcoder.ids import now

_COLUMNS = "transcript_uuid, member_id, status, assigned_at, content_sha256, sealed, delivered_at"


@dataclass(frozen=True)
class AssignmentRow:
    transcript_uuid: str
    member_id: str
    status: str  # "open" or "withdrawn"
    assigned_at: str
    content_sha256: str | None
    sealed: bytes | None = field(repr=False)
    delivered_at: str | None  # when the member's package first carried the transcript back


# -- at the lead -------------------------------------------------------------------------------------


def get(db: Database, transcript_uuid: str, member_id: str) -> AssignmentRow | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM coding_assignments WHERE transcript_uuid = ? AND member_id = ?",
        [transcript_uuid, member_id],
    ).fetchone()
    return None if row is None else AssignmentRow(*row)


def open_for(db: Database, transcript_uuid: str) -> AssignmentRow | None:
    """The transcript's open assignment (there is at most one)."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM coding_assignments WHERE transcript_uuid = ? AND status = 'open'",
        [transcript_uuid],
    ).fetchone()
    return None if row is None else AssignmentRow(*row)


def all_assignments(db: Database) -> list[AssignmentRow]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM coding_assignments ORDER BY assigned_at, rowid").fetchall()
    return [AssignmentRow(*row) for row in rows]


def undelivered(db: Database) -> list[AssignmentRow]:
    """Open assignments whose transcript has not yet come back from its member, oldest first."""
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM coding_assignments WHERE status = 'open' AND delivered_at IS NULL "
        "ORDER BY assigned_at, rowid"
    ).fetchall()
    return [AssignmentRow(*row) for row in rows]


def assign(db: Database, transcript_uuid: str, member_id: str) -> None:
    """Open an assignment (again, if it was withdrawn)."""
    db.execute(
        "INSERT INTO coding_assignments (transcript_uuid, member_id, status, assigned_at) "
        "VALUES (?, ?, 'open', ?) ON CONFLICT (transcript_uuid, member_id) DO UPDATE SET status = 'open'",
        [transcript_uuid, member_id, now()],
    )


def withdraw(db: Database, transcript_uuid: str, member_id: str) -> None:
    db.execute(
        "UPDATE coding_assignments SET status = 'withdrawn' WHERE transcript_uuid = ? AND member_id = ?",
        [transcript_uuid, member_id],
    )


def set_sealed(
    db: Database, transcript_uuid: str, member_id: str, content_sha256: str, sealed: bytes
) -> None:
    db.execute(
        "UPDATE coding_assignments SET content_sha256 = ?, sealed = ? WHERE transcript_uuid = ? AND member_id = ?",
        [content_sha256, sealed, transcript_uuid, member_id],
    )


def forget_sealed(db: Database, member_id: str) -> None:
    """Drop the member's sealed payloads (their key changed): they are sealed again for the new key."""
    db.execute(
        "UPDATE coding_assignments SET content_sha256 = NULL, sealed = NULL WHERE member_id = ?", [member_id]
    )


def mark_delivered(db: Database, transcript_uuid: str, member_id: str) -> None:
    db.execute(
        "UPDATE coding_assignments SET delivered_at = ? WHERE transcript_uuid = ? AND member_id = ? "
        "AND delivered_at IS NULL",
        [now(), transcript_uuid, member_id],
    )


# -- at a fieldworker --------------------------------------------------------------------------------


def received_uuids(db: Database) -> set[str]:
    """Transcripts this project received to double-code (whether or not it still holds them)."""
    return {str(row[0]) for row in db.execute("SELECT transcript_uuid FROM assignments_received").fetchall()}


def received_hashes(db: Database) -> dict[str, str]:
    """Transcript UUID -> the SHA-256 of its text as it arrived, for each transcript received to double-code."""
    rows = db.execute("SELECT transcript_uuid, content_sha256 FROM assignments_received").fetchall()
    return {str(row[0]): str(row[1]) for row in rows}


def record_received(db: Database, transcript_uuid: str, lead_id: str, content_sha256: str) -> None:
    db.execute(
        "INSERT INTO assignments_received (transcript_uuid, lead_id, content_sha256, received_at) "
        "VALUES (?, ?, ?, ?)",
        [transcript_uuid, lead_id, content_sha256, now()],
    )


def coders_of_others(db: Database, transcript_uuid: str, member_id: str) -> set[str]:
    """The coder UUIDs of the codings on a transcript that are not this member's contribution."""
    rows = db.execute(
        "SELECT DISTINCT c.coder_uuid FROM codings c LEFT JOIN contributions k ON k.record_kind = 'coding' "
        "AND k.record_uuid = c.uuid WHERE c.transcript_uuid = ? AND k.member_id IS NOT ?",
        [transcript_uuid, member_id],
    ).fetchall()
    return {str(row[0]) for row in rows}
