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
from jswcoder.services.codebook import Codebook
from jswcoder.store import codes, meta
from jswcoder.store import team as rows
from jswcoder.store.team import LeadRow, MemberRow, TeamRow
from jswcoder.team import double_coding, keys, teamfile
from jswcoder.team.teamfile import TeamCode, TeamFile, TeamLead

# project_meta key: the hash of the codebook in the lead's latest team file, to know when to bump it.
_PUBLISHED_CODEBOOK = "team_codebook_sha256"
_PUBLISHED_AT = "team_codebook_published_at"


class NotInTeam(JswError):
    """The project has not created or joined a team."""


@dataclass(frozen=True)
class CodebookUpdate:
    """What a team file changed in this project's codebook."""

    version: int
    added: list[str] = field(default_factory=list)  # names of themes added
    conflicts: list[str] = field(default_factory=list)  # team themes whose name a local theme has


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
        """Lead: the fieldworkers whose packages are accepted."""
        return rows.members(self._db)

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
        sealed, _waiting = double_coding.outgoing(
            self._db, self._coder, teamfile.MAX_BYTES - len(plain) - 65536
        )
        return teamfile.encode(replace(current, assignments=sealed), signing) if sealed else plain

    def _team_codebook(self) -> tuple[TeamCode, ...]:
        return tuple(
            TeamCode(c.uuid, c.parent_uuid, c.name, c.description, c.colour, c.position, c.origin)
            for c in self._codebook.all()
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
        )

    # -- a fieldworker ---------------------------------------------------------------------------------

    def join(self, data: bytes) -> Joined:
        """Join the team of a team file (its signer's key is trusted on first use: show the fingerprint)."""
        if rows.get(self._db) is not None:
            raise JswError("this project is already in a team; a new team file arrives with: jswcoder sync")
        incoming = teamfile.decode(data)
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
        """Store the file's leads and add the team themes this project lacks, keeping their UUIDs."""
        rows.replace_leads(
            self._db,
            [
                LeadRow(lead.member_id, lead.name, lead.encryption_public, lead.signing_public)
                for lead in incoming.leads
            ],
        )
        local: dict[str, str] = {}  # team UUID -> the local theme of the same name that stands for it
        added: list[str] = []
        conflicts: list[str] = []
        for code in incoming.codebook:  # parents come first: the team file checks that
            if rows.code_exists(self._db, code.uuid):
                continue
            parent = local.get(code.parent_uuid, code.parent_uuid) if code.parent_uuid else None
            same_name = codes.child_by_name(self._db, parent, code.name)
            if same_name is not None:
                local[code.uuid] = same_name
                conflicts.append(code.name)
                continue
            rows.insert_team_code(
                self._db,
                uuid=code.uuid,
                parent_uuid=parent,
                name=code.name,
                description=code.description,
                colour=code.colour,
                position=code.position,
                origin=code.origin,
            )
            added.append(code.name)
        return CodebookUpdate(version=incoming.codebook_version, added=added, conflicts=conflicts)


def _digest(codebook: tuple[TeamCode, ...]) -> str:
    plain = [[c.uuid, c.parent_uuid, c.name, c.description, c.colour, c.position, c.origin] for c in codebook]
    return hashlib.sha256(json.dumps(plain, ensure_ascii=True).encode("ascii")).hexdigest()
