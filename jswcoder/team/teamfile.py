"""The team file: the team's identity, its leads' public keys and the team codebook, signed by a lead.

A lead writes it; fieldworkers open it to join and, later, to pick up a newer codebook. It is JSON::

    {"format": "jswcoder-team", "version": 1, "team": {...}, "signature": "<base64>"}

``team`` holds ``format``, ``version``, ``team_uuid``, ``name``, ``codebook_version``, ``created_at``,
``signer_id``, ``leads`` (``member_id``, ``name``, ``encryption_public``, ``signing_public`` in base64,
and both keys' fingerprints) and ``codebook`` (``uuid``, ``parent_uuid``, ``name``, ``description``,
``colour``, ``position``, ``origin``, and ``aliases`` when the lead has folded other themes into it:
the UUIDs that now mean it; parents before their children), and, when the lead has assigned
transcripts for double coding, ``assignments``: a list of ``{"member_id", "sealed"}``, each ``sealed`` a
package of :mod:`jswcoder.team.envelope` (base64) signed by the lead and readable only by that member,
so the readable file holds no transcript text. Files without ``assignments`` are read as having none.
``withdrawals``, when a participant has withdrawn consent: their UUIDs alone, each an order every
member applies at their next sync (see :mod:`jswcoder.team.withdrawal_orders`). ``retention_ended``
(``true``, when present): the study's retention period has ended, and each member's project destroys itself.
The signature is Ed25519, by the
lead ``signer_id``, over a fixed prefix and the canonical JSON of ``team`` (sorted keys, no spaces,
ASCII), so the file can be pretty-printed or re-encoded without breaking it.

On joining there is nothing to check the signer against yet: the key inside the file is trusted on first
use, and its fingerprint is shown so the fieldworker can compare it with the one the lead reads out. A
later team file must be signed by a lead the project already trusts.

The file comes from a shared folder, so everything in it is checked before any of it is used.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid as uuidlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jswcoder.errors import JswError
from jswcoder.ids import now
from jswcoder.model import MAX_THEME_DEPTH, CodeOrigin
from jswcoder.plain_text import without_controls
from jswcoder.team import envelope, exchange_files, keys, withdrawal_orders

FORMAT = "jswcoder-team"
FORMAT_VERSION = 1
SUFFIX = ".jswteam"
MAX_BYTES = 8 * 1024 * 1024
_SIGNED_PREFIX = f"{FORMAT}/{FORMAT_VERSION}/team\x00".encode("ascii")
_COLOUR = re.compile(r"#[0-9A-F]{6}")
_MAX_NAME = 1000
_MAX_TEXT = 20_000
_MAX_ASSIGNMENTS = 10_000
_MAX_ALIASES = 10_000
# The envelope header field that says what a sealed assignment is, so no other package passes for one.
ASSIGNMENT_PURPOSE = "double-coding"


class TeamFileError(JswError):
    """A team file cannot be used: damaged, forged, of another format, or from another team."""


@dataclass(frozen=True)
class TeamLead:
    member_id: str
    name: str
    encryption_public: bytes
    signing_public: bytes

    @property
    def signing_fingerprint(self) -> str:
        return keys.fingerprint(self.signing_public)

    @property
    def encryption_fingerprint(self) -> str:
        return keys.fingerprint(self.encryption_public)


@dataclass(frozen=True)
class TeamCode:
    uuid: str
    parent_uuid: str | None
    name: str
    description: str
    colour: str | None
    position: int
    origin: CodeOrigin
    aliases: tuple[str, ...] = ()  # UUIDs that now mean this theme (members' themes the lead folded in)


@dataclass(frozen=True)
class TeamAssignment:
    """A transcript sealed for one member to double-code: only that member can open ``sealed``."""

    member_id: str
    sealed: bytes = field(repr=False)


@dataclass(frozen=True)
class TeamFile:
    team_uuid: str
    name: str
    codebook_version: int
    signer_id: str
    leads: tuple[TeamLead, ...]
    codebook: tuple[TeamCode, ...]
    created_at: str = ""
    assignments: tuple[TeamAssignment, ...] = ()
    withdrawals: tuple[str, ...] = ()  # participants' UUIDs: orders to purge them
    retention_ended: bool = False  # the order to destroy every project of the study

    @property
    def signer(self) -> TeamLead:
        return next(lead for lead in self.leads if lead.member_id == self.signer_id)

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the signing lead's key: what a fieldworker checks with the lead."""
        return self.signer.signing_fingerprint


# -- writing -----------------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(team: Mapping[str, Any]) -> bytes:
    return json.dumps(team, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode(
        "ascii"
    )


def encode(team_file: TeamFile, signing_key: bytes) -> bytes:
    """The signed team file; *signing_key* is the Ed25519 private key of ``team_file.signer_id``."""
    signer = Ed25519PrivateKey.from_private_bytes(signing_key)
    if signer.public_key().public_bytes_raw() != team_file.signer.signing_public:
        raise JswError("the team file would be signed with a key that is not its signer's")
    team = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "team_uuid": team_file.team_uuid,
        "name": team_file.name,
        "codebook_version": team_file.codebook_version,
        "created_at": team_file.created_at or now(),
        "signer_id": team_file.signer_id,
        "leads": [
            {
                "member_id": lead.member_id,
                "name": lead.name,
                "encryption_public": _b64(lead.encryption_public),
                "signing_public": _b64(lead.signing_public),
                "encryption_fingerprint": lead.encryption_fingerprint,
                "signing_fingerprint": lead.signing_fingerprint,
            }
            for lead in team_file.leads
        ],
        "codebook": [
            {
                "uuid": code.uuid,
                "parent_uuid": code.parent_uuid,
                "name": code.name,
                "description": code.description,
                "colour": code.colour,
                "position": code.position,
                "origin": code.origin,
                # Absent when there are none: a codebook without folded themes keeps its bytes.
                **({"aliases": list(code.aliases)} if code.aliases else {}),
            }
            for code in team_file.codebook
        ],
    }
    if team_file.assignments:  # absent when there are none: a team without double coding keeps its bytes
        team["assignments"] = [
            {"member_id": a.member_id, "sealed": _b64(a.sealed)} for a in team_file.assignments
        ]
    if team_file.withdrawals:  # absent when there are none, likewise
        team["withdrawals"] = list(team_file.withdrawals)
    if team_file.retention_ended:
        team["retention_ended"] = True
    signature = signer.sign(_SIGNED_PREFIX + _canonical(team))
    document = {"format": FORMAT, "version": FORMAT_VERSION, "team": team, "signature": _b64(signature)}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# -- reading -----------------------------------------------------------------------------------------


def _damaged(detail: str) -> TeamFileError:
    return TeamFileError(f"this is not a usable team file: {detail}")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a field appears twice")
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _text(raw: Mapping[str, Any], key: str, *, limit: int = _MAX_NAME, empty: bool = False) -> str:
    value = raw[key]
    if not isinstance(value, str) or (not empty and not value.strip()) or len(value) > limit:
        raise ValueError(key)
    value.encode("utf-8")  # a lone surrogate, spelled as a JSON escape, is no text: UnicodeEncodeError
    return value


def _name(raw: Mapping[str, Any]) -> str:
    """A person's or the team's name, as it may be shown: without control characters."""
    name = without_controls(_text(raw, "name"))
    if not name.strip():
        raise ValueError("name")
    return name


def _integer(raw: Mapping[str, Any], key: str) -> int:
    value = raw[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 2**62:
        raise ValueError(key)
    return value


def _key(raw: Mapping[str, Any], key: str) -> bytes:
    value = raw[key]
    if not isinstance(value, str):
        raise ValueError(key)
    decoded = base64.b64decode(value, validate=True)
    if len(decoded) != keys.KEY_BYTES:
        raise ValueError(key)
    return decoded


def _uuid(value: Any) -> str:
    if not isinstance(value, str) or str(uuidlib.UUID(value)) != value.lower():
        raise ValueError("uuid")
    return value


def _lead(raw: Any) -> TeamLead:
    if not isinstance(raw, dict):
        raise ValueError("lead")
    lead = TeamLead(
        member_id=_text(raw, "member_id"),
        name=_name(raw),
        encryption_public=_key(raw, "encryption_public"),
        signing_public=_key(raw, "signing_public"),
    )
    if (
        raw.get("signing_fingerprint") != lead.signing_fingerprint
        or raw.get("encryption_fingerprint") != lead.encryption_fingerprint
    ):
        raise ValueError("a lead's fingerprint does not match the lead's key")
    return lead


def _code(raw: Any) -> TeamCode:
    if not isinstance(raw, dict):
        raise ValueError("code")
    parent = raw["parent_uuid"]
    colour = raw["colour"]
    if colour is not None and (not isinstance(colour, str) or not _COLOUR.fullmatch(colour)):
        raise ValueError("colour")
    origin = raw["origin"]
    if origin not in ("preset", "emergent"):
        raise ValueError("origin")
    name = _text(raw, "name")
    if "/" in name or name != name.strip():
        raise ValueError("name")
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or len(aliases) > _MAX_ALIASES:
        raise ValueError("aliases")
    return TeamCode(
        uuid=_uuid(raw["uuid"]),
        parent_uuid=None if parent is None else _uuid(parent),
        name=name,
        description=_text(raw, "description", limit=_MAX_TEXT, empty=True),
        colour=colour,
        position=_integer(raw, "position"),
        origin=cast(CodeOrigin, origin),
        aliases=tuple(_uuid(alias) for alias in aliases),
    )


def _codebook(raw: Any) -> tuple[TeamCode, ...]:
    if not isinstance(raw, list):
        raise ValueError("codebook")
    codebook = tuple(_code(item) for item in raw)
    depth: dict[str, int] = {}  # theme UUID -> its level, 1 at the top
    siblings: set[tuple[str | None, str]] = set()
    for code in codebook:
        if code.uuid in depth:
            raise ValueError("a theme is listed twice")
        if code.parent_uuid is not None and code.parent_uuid not in depth:
            raise ValueError("a theme comes before its parent, or its parent is missing")
        if (code.parent_uuid, code.name) in siblings:
            raise ValueError("two themes with the same name under the same parent")
        depth[code.uuid] = 1 if code.parent_uuid is None else depth[code.parent_uuid] + 1
        if depth[code.uuid] > MAX_THEME_DEPTH:
            raise ValueError("themes nested too deep")
        siblings.add((code.parent_uuid, code.name))
    aliases = [alias for code in codebook for alias in code.aliases]
    if len(set(aliases)) != len(aliases) or set(aliases) & set(depth):
        raise ValueError("an alias is listed twice, or is a theme of its own")
    return codebook


def _assignments(raw: Any, *, team_uuid: str, signer_id: str) -> tuple[TeamAssignment, ...]:
    """Check each sealed assignment's shape and public header (nothing is decrypted here)."""
    if not isinstance(raw, list) or len(raw) > _MAX_ASSIGNMENTS:
        raise ValueError("assignments")
    result = []
    for item in raw:
        if not isinstance(item, dict) or set(item) != {"member_id", "sealed"}:
            raise ValueError("assignment")
        member_id = _text(item, "member_id")
        sealed_text = item["sealed"]
        if not isinstance(sealed_text, str):
            raise ValueError("sealed")
        sealed = base64.b64decode(sealed_text, validate=True)
        try:
            header = envelope.peek(sealed)
        except envelope.EnvelopeError:
            raise ValueError("an assignment is not a sealed package") from None
        if (
            header.get("purpose") != ASSIGNMENT_PURPOSE
            or header.get("team_uuid") != team_uuid
            or header.get("sender_id") != signer_id
            or header.get("recipients") != [member_id]
        ):
            raise ValueError("an assignment is not sealed by the signer for its member")
        result.append(TeamAssignment(member_id, sealed))
    if len({a.sealed for a in result}) != len(result):
        raise ValueError("an assignment is listed twice")
    return tuple(result)


def decode(data: bytes, *, trusted: Mapping[str, bytes] | None = None) -> TeamFile:
    """Check and read a team file.

    Without *trusted* (joining) the signer's key inside the file is used: trust on first use. With it
    (member id → Ed25519 public key of the leads this project already knows), the signer must be one of
    them, with the same key.
    """
    if len(data) > MAX_BYTES:
        raise _damaged(f"it is too large ({len(data):,} bytes; the limit is {MAX_BYTES:,})")
    try:
        document = json.loads(
            data.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constants
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged("it is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _damaged("it is not a jswcoder team file")
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise TeamFileError(
            f"this team file was made by a newer version of jswcoder (format {version}); update jswcoder"
        )
    if version != FORMAT_VERSION:
        raise _damaged("it has an unknown format version")
    team = document.get("team")
    signature_text = document.get("signature")
    try:
        if not isinstance(team, dict) or not isinstance(signature_text, str):
            raise ValueError("team")
        if team.get("format") != FORMAT or team.get("version") != FORMAT_VERSION:
            raise ValueError("format")
        signature = base64.b64decode(signature_text, validate=True)
        leads_raw = team["leads"]
        if not isinstance(leads_raw, list) or not leads_raw:
            raise ValueError("leads")
        leads = tuple(_lead(item) for item in leads_raw)
        if len({lead.member_id for lead in leads}) != len(leads):
            raise ValueError("a lead is listed twice")
        result = TeamFile(
            team_uuid=_uuid(team["team_uuid"]),
            name=_name(team),
            codebook_version=_integer(team, "codebook_version"),
            signer_id=_text(team, "signer_id"),
            leads=leads,
            codebook=_codebook(team["codebook"]),
            created_at=_text(team, "created_at"),
        )
        if "assignments" in team:
            result = replace(
                result,
                assignments=_assignments(
                    team["assignments"], team_uuid=result.team_uuid, signer_id=result.signer_id
                ),
            )
        if "withdrawals" in team:
            result = replace(result, withdrawals=withdrawal_orders.decode_orders(team["withdrawals"]))
        if "retention_ended" in team:
            if team["retention_ended"] is not True:
                raise ValueError("retention_ended")
            result = replace(result, retention_ended=True)
        signed = _SIGNED_PREFIX + _canonical(team)
    except (ValueError, KeyError, TypeError, RecursionError, binascii.Error) as error:
        raise _damaged("its contents cannot be read") from error
    signer = next((lead for lead in leads if lead.member_id == result.signer_id), None)
    if signer is None:
        raise _damaged("it is not signed by one of its leads")
    if trusted is not None:
        known = trusted.get(signer.member_id)
        if known is None or known != signer.signing_public:
            raise TeamFileError(
                "this team file is not signed by a lead this project knows; "
                "ask the lead to send the team file again"
            )
    try:
        Ed25519PublicKey.from_public_bytes(signer.signing_public).verify(signature, signed)
    except InvalidSignature:
        raise TeamFileError("this team file has been changed since the lead signed it") from None
    return result


def read_bytes(path: Path) -> bytes:
    """The bytes of the team file at *path*, which may be in a shared folder: a regular file only, not
    through a symlink, never waiting on a FIFO, refused unread when over :data:`MAX_BYTES`."""
    try:
        return exchange_files.read_file(path, MAX_BYTES)
    except exchange_files.NoSuchFile:
        raise JswError(f"there is no team file at {path}") from None


def read(path: Path, *, trusted: Mapping[str, bytes] | None = None) -> TeamFile:
    """Read and check the team file at *path*."""
    return decode(read_bytes(path), trusted=trusted)
