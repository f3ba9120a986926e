"""This project's place in a team (``project.team``): create one as its lead, or join one.

A lead's project holds the team's keys: X25519 to open the fieldworkers' packages and Ed25519 to sign
the team file. A fieldworker's project holds its own Ed25519 key (to sign its packages), its own X25519
key (to open transcripts the lead assigns it for double coding; made on joining, or on first use in a
project that joined before there was double coding) and the leads' public keys (to seal packages for
them). The member id is the project's coder UUID, so the lead sees
the same coder in every package.

The team codebook arrives with the team's UUIDs, so a coding made on a laptop names the same theme at
the lead. Themes the fieldworker already has (same UUID) are left as they are; a team theme whose name
is already taken locally by a different theme is reported and not added (the lead's merge deals with
such pairs), and the team's sub-themes of it go under the local one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from jswcoder.errors import JswError
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder
from jswcoder.plain_text import without_controls
from jswcoder.services import audit
from jswcoder.services.codebook import Codebook
from jswcoder.store import merge as merge_rows
from jswcoder.store import meta
from jswcoder.store import team as rows
from jswcoder.store import withdrawals as withdrawal_rows
from jswcoder.store.team import LeadRow, MemberRow, TeamRow
from jswcoder.team import keys, sealed_assignments, teamfile
from jswcoder.team.adoption import take_codebook
from jswcoder.team.teamfile import TeamCode, TeamFile, TeamLead
from jswcoder.team.theme_paths import is_emergent

# project_meta key: the hash of the codebook in the lead's latest team file, to know when to bump it.
_PUBLISHED_CODEBOOK = "team_codebook_sha256"
_PUBLISHED_AT = "team_codebook_published_at"


class NotInTeam(JswError):
    """The project has not created or joined a team."""


class FingerprintMismatch(JswError):
    """The fingerprint typed is not the key's: the file or request may not be who it says."""


@dataclass(frozen=True)
class CodebookUpdate:
    """What a team file changed in this project's codebook (theme paths)."""

    version: int
    added: list[str] = field(default_factory=list)  # team themes added
    conflicts: list[str] = field(default_factory=list)  # team themes that could not be placed
    adopted: list[str] = field(default_factory=list)  # local themes that became the team's
    local: list[str] = field(default_factory=list)  # local themes that stay this project's own


@dataclass(frozen=True)
class Joined:
    team_name: str
    team_uuid: str
    fingerprint: str  # of the signing lead's key: compare it with the lead's
    lead_names: list[str]
    codebook: CodebookUpdate


class Team:
    def __init__(self, db: Database, coder: Coder, codebook: Codebook) -> None:
        self._db = db
        self._coder = coder
        self._codebook = codebook

    # -- what this project is --------------------------------------------------------------------------

    def role(self) -> str | None:
        """None (not in a team), "lead" or "fieldworker"."""
        row = rows.get(self._db)
        return None if row is None else row.role

    def membership(self) -> TeamRow:
        """This project's team row, keys included; :class:`NotInTeam` if there is none."""
        row = rows.get(self._db)
        if row is None:
            raise NotInTeam(
                "this project is not in a team; join one with: jswcoder team join PROJECT TEAMFILE"
            )
        return row

    def fingerprint(self) -> str:
        """This member's own signing-key fingerprint: what the lead sees beside their name at admission."""
        return keys.fingerprint(self.membership().signing_public)

    def members(self) -> list[MemberRow]:
        """Lead: everyone who asked to join, with their state (pending, admitted or refused)."""
        return rows.members(self._db)

    def member(self, who: str) -> MemberRow:
        """Lead: a member by name (as shown, any case) or member id; pending and admitted come first."""
        everyone = rows.members(self._db)
        by_id = [m for m in everyone if m.member_id == who.strip()]
        if by_id:
            return by_id[0]
        wanted = without_controls(who).strip().casefold()
        named = [m for m in everyone if m.name.strip().casefold() == wanted]
        current = [m for m in named if m.state != "refused"] or named
        if not current:
            raise JswError(f"no one called {without_controls(who)!r} has asked to join this team")
        if len(current) > 1:
            raise JswError(f"more than one member is called {current[0].name!r}; give the member id")
        return current[0]

    def admit(self, who: str, fingerprint: str) -> MemberRow:
        """Lead: let a member's packages in, once the fingerprint they read out matches their key."""
        self._lead_only()
        member = self.member(who)
        if member.state == "admitted":
            raise JswError(f"{member.name} is already a member of the team")
        if not keys.matches(fingerprint, member.signing_public):
            raise FingerprintMismatch(
                f"the fingerprint does not match the key in {member.name}'s join request "
                f"({keys.fingerprint(member.signing_public)}): do not admit them. If {member.name} "
                "reads out another one, their request may have been swapped: ask them to sync again"
            )
        self._check_name_free(member.name, member.member_id)
        with self._db.atomic():
            rows.set_member_state(self._db, member.member_id, "admitted")
            audit.record(self._db, self._coder, "member.admit", member=member.name)
        return replace(member, state="admitted")

    def refuse(self, who: str) -> MemberRow:
        """Lead: nothing from this member is merged (a stranger, or a request the member did not send)."""
        self._lead_only()
        member = self.member(who)
        with self._db.atomic():
            rows.set_member_state(self._db, member.member_id, "refused")
            audit.record(self._db, self._coder, "member.refuse", member=member.name)
        return replace(member, state="refused")

    def name_taken(self, name: str, member_id: str) -> bool:
        """Lead: whether someone else in the team (the lead, or a pending or admitted member) has *name*."""
        wanted = name.strip().casefold()
        people = [(lead.member_id, lead.name) for lead in rows.leads(self._db)] + [
            (m.member_id, m.name) for m in rows.members(self._db) if m.state != "refused"
        ]
        return any(other != member_id and n.strip().casefold() == wanted for other, n in people)

    def _check_name_free(self, name: str, member_id: str) -> None:
        if self.name_taken(name, member_id):
            raise JswError(f"someone in the team is already called {name!r}; two members cannot share a name")

    def _lead_only(self) -> None:
        if self.membership().role != "lead":
            raise JswError("only the team's lead admits and refuses members")

    def leads(self) -> list[LeadRow]:
        return rows.leads(self._db)

    def next_sequence(self) -> int:
        """Take the next package sequence number. Inside a caller's transaction, a rollback gives it back."""
        self.membership()
        with self._db.atomic():
            return rows.take_sequence(self._db)

    def encryption_keys(self) -> keys.KeyPair:
        """This member's X25519 pair: the lead's team key, or a fieldworker's own (made on first use)."""
        row = self.membership()
        if row.encryption_private is not None and row.encryption_public is not None:
            return keys.KeyPair(row.encryption_private, row.encryption_public)
        with self._db.atomic():
            own = rows.own_keys(self._db)
            if own is None:
                made = keys.new_encryption_keys()
                rows.put_own_keys(self._db, made.private, made.public)
                return made
        return keys.KeyPair(*own)

    # -- the lead --------------------------------------------------------------------------------------

    def create(self, name: str) -> TeamFile:
        """Make this project the lead of a new team; returns the first team file's contents."""
        name = name.strip()
        if not name:
            raise JswError("a team needs a name")
        if rows.get(self._db) is not None:
            raise JswError("this project is already in a team")
        signing, encryption = keys.new_signing_keys(), keys.new_encryption_keys()
        with self._db.atomic():
            rows.insert(
                self._db,
                TeamRow(
                    team_uuid=new_uuid(),
                    name=name,
                    role="lead",
                    member_id=self._coder.uuid,
                    signing_private=signing.private,
                    signing_public=signing.public,
                    encryption_private=encryption.private,
                    encryption_public=encryption.public,
                    next_sequence=1,
                    codebook_version=1,
                    joined_at=now(),
                ),
            )
            rows.replace_leads(
                self._db, [LeadRow(self._coder.uuid, self._coder.name, encryption.public, signing.public)]
            )
            meta.put(self._db, _PUBLISHED_CODEBOOK, _digest(self._team_codebook()))
            meta.put(self._db, _PUBLISHED_AT, now())
        return self._current_file()

    def team_file(self) -> bytes:
        """The lead's current team file, signed. A codebook changed since the last one gets a new version."""
        row = self.membership()
        if row.role != "lead":
            raise JswError("only the team's lead can write the team file")
        digest = _digest(self._team_codebook())
        if meta.get(self._db, _PUBLISHED_CODEBOOK) != digest:
            with self._db.atomic():
                rows.set_codebook_version(self._db, row.codebook_version + 1)
                meta.put(self._db, _PUBLISHED_CODEBOOK, digest)
                meta.put(self._db, _PUBLISHED_AT, now())
        current, signing = self._current_file(), self.membership().signing_private
        plain = teamfile.encode(current, signing)
        # Assignments for double coding fill what room the file has left; the rest wait for a later one.
        sealed, _waiting = sealed_assignments.outgoing(
            self._db, self._coder, teamfile.MAX_BYTES - len(plain) - 65536
        )
        return teamfile.encode(replace(current, assignments=sealed), signing) if sealed else plain

    def _team_codebook(self) -> tuple[TeamCode, ...]:
        """The lead's codebook as the team's: without the lead's folder of members' emergent themes
        (their names and descriptions are for the lead), each theme with the UUIDs folded into it."""
        return tuple(
            TeamCode(
                c.uuid,
                c.parent_uuid,
                c.name,
                c.description,
                c.colour,
                c.position,
                c.origin,
                tuple(merge_rows.aliases_of(self._db, c.uuid)),
            )
            for c in self._codebook.all()
            if not is_emergent(c.path)
        )

    def _current_file(self) -> TeamFile:
        row = self.membership()
        return TeamFile(
            team_uuid=row.team_uuid,
            name=row.name,
            codebook_version=row.codebook_version,
            signer_id=row.member_id,
            leads=tuple(
                TeamLead(lead.member_id, lead.name, lead.encryption_public, lead.signing_public)
                for lead in rows.leads(self._db)
            ),
            codebook=self._team_codebook(),
            # One version, one file: the same bytes every time it is written out.
            created_at=meta.get(self._db, _PUBLISHED_AT) or "",
            withdrawals=tuple(sorted(withdrawal_rows.withdrawn_uuids(self._db))),
            retention_ended=withdrawal_rows.retention_ended_at(self._db) is not None,
        )

    # -- a fieldworker ---------------------------------------------------------------------------------

    def join(self, data: bytes, *, fingerprint: str) -> Joined:
        """Join the team of a team file whose signing lead's key has *fingerprint*, as the lead read it out."""
        if rows.get(self._db) is not None:
            raise JswError("this project is already in a team; a new team file arrives with: jswcoder sync")
        incoming = checked_team_file(data, fingerprint)
        signing, encryption = keys.new_signing_keys(), keys.new_encryption_keys()
        with self._db.atomic():
            rows.insert(
                self._db,
                TeamRow(
                    team_uuid=incoming.team_uuid,
                    name=incoming.name,
                    role="fieldworker",
                    member_id=self._coder.uuid,
                    signing_private=signing.private,
                    signing_public=signing.public,
                    encryption_private=None,
                    encryption_public=None,
                    next_sequence=1,
                    codebook_version=incoming.codebook_version,
                    joined_at=now(),
                ),
            )
            rows.put_own_keys(self._db, encryption.private, encryption.public)
            update = self._take(incoming)
        return Joined(
            team_name=incoming.name,
            team_uuid=incoming.team_uuid,
            fingerprint=incoming.fingerprint,
            lead_names=[lead.name for lead in incoming.leads],
            codebook=update,
        )

    def update(self, data: bytes) -> CodebookUpdate | None:
        """Apply a newer team file (signed by a lead this project knows); None if it is not newer."""
        return self.apply(self.check(data))

    def check(self, data: bytes) -> TeamFile:
        """Read a later team file: signed by a lead this project knows, for this project's team."""
        row = self.membership()
        if row.role != "fieldworker":
            raise JswError("a lead's codebook is its own; team files are for fieldworkers")
        incoming = teamfile.decode(
            data, trusted={lead.member_id: lead.signing_public for lead in rows.leads(self._db)}
        )
        if incoming.team_uuid != row.team_uuid:
            raise teamfile.TeamFileError("this team file belongs to another team")
        return incoming

    def apply(self, incoming: TeamFile) -> CodebookUpdate | None:
        """Take the codebook of a team file from :meth:`check`; None if it is not newer than this one."""
        row = self.membership()
        if incoming.codebook_version <= row.codebook_version:
            return None
        with self._db.atomic():
            rows.set_name(self._db, incoming.name)
            rows.set_codebook_version(self._db, incoming.codebook_version)
            return self._take(incoming)

    def _take(self, incoming: TeamFile) -> CodebookUpdate:
        """Store the file's leads and adopt its codebook (:mod:`jswcoder.team.adoption`)."""
        rows.replace_leads(
            self._db,
            [
                LeadRow(lead.member_id, lead.name, lead.encryption_public, lead.signing_public)
                for lead in incoming.leads
            ],
        )
        taken = take_codebook(self._db, self._codebook, incoming.codebook)
        return CodebookUpdate(
            version=incoming.codebook_version,
            added=taken.added,
            conflicts=taken.conflicts,
            adopted=taken.adopted,
            local=taken.local,
        )


def checked_team_file(data: bytes, fingerprint: str) -> TeamFile:
    """A team file to join, checked, whose signing lead's key has *fingerprint* (as read out by the lead).

    A team file in a shared folder can be planted by anyone who can write there; the fingerprint, told
    by the lead in person or over the phone, is what ties it to the lead.
    """
    incoming = teamfile.decode(data)
    if not keys.matches(fingerprint, incoming.signer.signing_public):
        raise FingerprintMismatch(
            "the lead's fingerprint does not match this team file: it may not be from your lead. "
            "Check the fingerprint with them and get the team file again"
        )
    return incoming


def _digest(codebook: tuple[TeamCode, ...]) -> str:
    plain = [
        [c.uuid, c.parent_uuid, c.name, c.description, c.colour, c.position, c.origin, list(c.aliases)]
        for c in codebook
    ]
    return hashlib.sha256(json.dumps(plain, ensure_ascii=True).encode("ascii")).hexdigest()
