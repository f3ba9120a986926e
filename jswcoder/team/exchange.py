"""Packages out of a fieldworker's project, and the fieldworker's half of sync through an exchange folder.

An exchange folder is any folder both sides can reach (a USB stick, a network share, a folder kept by a
sync client)::

    EXCHANGE/
        team.jswteam                         the team file, written by the lead
        members/<member_id>.json             a fieldworker's join request: name and keys, signed
        packages/<member_id>/000001.jswpkg   that fieldworker's packages, by sequence number

A package is the anonymised document of :mod:`jswcoder.team.package_writer`, JSON in UTF-8, sealed
with :func:`jswcoder.team.envelope.seal` for every lead and signed by the member. Only ciphertext ever
reaches the disk: it is written to a temporary file beside the target and renamed over it, so a reader
of the folder never sees half a package. A sequence number is used up only when its package is written.

Anyone who can write to the exchange folder can plant things in it, so every read and write goes through
:mod:`jswcoder.team.exchange_files`: only regular files are read, never through a symlink, never waiting
on a FIFO, never past a size limit, and ``members/`` and ``packages/<member_id>/`` are written into only
when they are real folders. A team file that cannot be used is reported in :attr:`SyncReport.skipped`
and the package is still sent (it is sealed for the leads this project already knows, not the file's).
A file in the place of the next package that is not this project's own package of that number (checked
by its signature, which the fieldworker can check without opening it) was planted: it is reported and
replaced. This project's own package there means it was restored from an older copy: the sync stops.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid as uuidlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jswcoder import __version__
from jswcoder.atomic_file import write_atomically
from jswcoder.errors import JswError
from jswcoder.plain_text import without_controls
from jswcoder.project import Project
from jswcoder.services.egress import LeaksFound
from jswcoder.store import meta
from jswcoder.store.team import TeamRow
from jswcoder.team import envelope, exchange_files, keys, sealed_assignments, teamfile, withdrawal_sync
from jswcoder.team.membership import CodebookUpdate
from jswcoder.team.package_writer import (
    build_package,
    checked_package,
    package_attributes,
    remaining_identifiers,
)
from jswcoder.team.sealed_assignments import Received

TEAM_FILE = "team" + teamfile.SUFFIX
MEMBERS = "members"
PACKAGES = "packages"
PACKAGE_SUFFIX = ".jswpkg"
REQUEST_FORMAT = "jswcoder-join-request"
REQUEST_VERSION = 1
MAX_REQUEST_BYTES = 64 * 1024
MAX_PACKAGE_BYTES = envelope.DEFAULT_MAX_PAYLOAD + 1024 * 1024  # the payload, its header and signature
_REQUEST_PREFIX = f"{REQUEST_FORMAT}/{REQUEST_VERSION}\x00".encode("ascii")
# project_meta key: hash of the last package sync wrote, without its sequence number and time.
_LAST_SYNCED = "team_last_synced_sha256"


class ExchangeFolderMissing(JswError):
    """The exchange folder is not there (an unplugged stick, an unmounted share)."""


@dataclass(frozen=True)
class SyncReport:
    folder: Path
    codebook: CodebookUpdate | None  # a newer team codebook that was applied
    request_written: Path | None  # the join request, when it was written this time
    package: Path | None  # the package written, None when there was nothing new
    sequence: int | None
    note: str = ""
    received: Received = field(default_factory=Received)  # transcripts assigned for double coding
    # Files in the exchange folder passed over or replaced: one plain line each, "path in the folder: why".
    skipped: tuple[str, ...] = ()
    withdrawn: int = 0  # transcripts purged by the lead's withdrawal orders at this sync
    receipt: Path | None = None  # the withdrawal receipt, when it was written this time
    destroyed: bool = False  # the lead ended the retention period: the project is gone
    # The lead ended the retention period and the receipt is sent, but this was a worker's connection:
    # the project's own connection must destroy it now (the app does, once the sync has ended).
    to_destroy: bool = False


@dataclass(frozen=True)
class JoinRequest:
    team_uuid: str
    member_id: str
    name: str
    signing_public: bytes
    encryption_public: bytes | None = None  # to seal assignments for; absent in older requests

    @property
    def fingerprint(self) -> str:
        return keys.fingerprint(self.signing_public)


# -- export ------------------------------------------------------------------------------------------


def _member(project: Project) -> TeamRow:
    row = project.team.membership()
    if not project.team.leads():
        raise JswError("the team has no lead to send packages to")
    return row


def _sealed(project: Project, row: TeamRow, document: dict[str, Any]) -> bytes:
    payload = json.dumps(document, ensure_ascii=False, allow_nan=False).encode("utf-8")
    return envelope.seal(
        payload,
        header={
            "team_uuid": row.team_uuid,
            "sequence": document["sequence"],
            "app_version": __version__,
            "created_at": document["created_at"],
        },
        recipients={lead.member_id: lead.encryption_public for lead in project.team.leads()},
        sender_id=row.member_id,
        signing_key=row.signing_private,
    )


# Ciphertext on a shared folder: the lead, another user there, must be able to read it.
SHARED_MODE = 0o644


def export_package(
    project: Project,
    out_path: Path | str,
    transcripts: Sequence[str] | None = None,
    attributes: Sequence[str] = (),
) -> Path:
    """Write an anonymised, sealed, signed package for the team's leads; returns where it went.

    :class:`~jswcoder.services.egress.LeaksFound` propagates with nothing written and the
    sequence number not used.
    """
    row = _member(project)
    out = Path(out_path).expanduser()
    if out.is_dir():
        raise JswError(f"{out} is a folder; give the package's file name")
    with project.db.atomic():  # a failure below gives the sequence number back
        sequence = project.team.next_sequence()
        document = checked_package(project, transcripts=transcripts, attributes=attributes, sequence=sequence)
        _write_package(project, row, document, out)
    return out


def _write_package(project: Project, row: TeamRow, document: dict[str, Any], out: Path) -> None:
    """Seal and write a package, and note it in the audit trail (inside the caller's transaction)."""
    write_atomically(out, _sealed(project, row, document), mode=SHARED_MODE)
    project.audit.record(
        "export",
        what="team package",
        file=out.name,
        transcripts=len(document.get("transcripts", [])),
        sequence=int(document.get("sequence", 0)),
    )


def content_digest(document: dict[str, Any]) -> str:
    """A hash of a package document that ignores when it was made and its sequence number."""
    lasting = {k: v for k, v in document.items() if k not in ("created_at", "sequence")}
    return hashlib.sha256(json.dumps(lasting, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()


# -- join requests -----------------------------------------------------------------------------------


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def join_request(project: Project) -> bytes:
    """This member's join request: who they are, the key their packages are signed with, and the key
    the lead seals assignments for them with; signed with the first."""
    row = project.team.membership()
    encryption = project.team.encryption_keys().public
    body = {
        "format": REQUEST_FORMAT,
        "version": REQUEST_VERSION,
        "team_uuid": row.team_uuid,
        "member_id": row.member_id,
        "name": project.coder.name,
        "signing_public": base64.b64encode(row.signing_public).decode("ascii"),
        "signing_fingerprint": keys.fingerprint(row.signing_public),
        "encryption_public": base64.b64encode(encryption).decode("ascii"),
        "encryption_fingerprint": keys.fingerprint(encryption),
    }
    signature = Ed25519PrivateKey.from_private_bytes(row.signing_private).sign(
        _REQUEST_PREFIX + _canonical(body)
    )
    document = {
        "format": REQUEST_FORMAT,
        "version": REQUEST_VERSION,
        "request": body,
        "signature": base64.b64encode(signature).decode("ascii"),
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def read_join_request(data: bytes) -> JoinRequest:
    """Check a join request from the exchange folder (self-signed: the lead trusts it on first sight)."""
    damaged = JswError("this is not a usable join request")
    if len(data) > MAX_REQUEST_BYTES:
        raise damaged
    try:
        document = json.loads(data.decode("utf-8"))
        body = document["request"]
        if document["format"] != REQUEST_FORMAT or document["version"] != REQUEST_VERSION:
            raise ValueError("format")
        if body["format"] != REQUEST_FORMAT or body["version"] != REQUEST_VERSION:
            raise ValueError("format")
        request = JoinRequest(
            team_uuid=str(uuidlib.UUID(body["team_uuid"])),
            member_id=str(uuidlib.UUID(body["member_id"])),
            name=without_controls(body["name"]) if isinstance(body["name"], str) else body["name"],
            signing_public=base64.b64decode(body["signing_public"], validate=True),
            encryption_public=(
                base64.b64decode(body["encryption_public"], validate=True)
                if "encryption_public" in body
                else None
            ),
        )
        if not isinstance(request.name, str) or not request.name.strip() or len(request.name) > 200:
            raise ValueError("name")
        request.name.encode("utf-8")  # a lone surrogate (a JSON escape) is no name: UnicodeEncodeError
        if request.encryption_public is not None and (
            len(request.encryption_public) != keys.KEY_BYTES
            or body.get("encryption_fingerprint") != keys.fingerprint(request.encryption_public)
        ):
            raise ValueError("encryption_public")
        signature = base64.b64decode(document["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(request.signing_public).verify(
            signature, _REQUEST_PREFIX + _canonical(body)
        )
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, binascii.Error):
        raise damaged from None
    except InvalidSignature:
        raise JswError("this join request has been changed since it was signed") from None
    return request


# -- sync --------------------------------------------------------------------------------------------


def read_limited(path: Path, limit: int) -> bytes:
    """The regular file at *path*, at most *limit* bytes; see :func:`exchange_files.read_file`."""
    return exchange_files.read_file(path, limit)


def exchange_folder(folder: Path | str) -> Path:
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise ExchangeFolderMissing(
            f"the exchange folder {path} is not there: is the USB stick plugged in, or the share connected?"
        )
    return path


def sync_fieldworker(
    project: Project, folder: Path | str, attributes: Sequence[str] | None = None
) -> SyncReport:
    """Pick up a newer team codebook, register this member, and send a package if anything changed.

    ``attributes``: what the package carries beyond the attribution, as for :func:`export_package`;
    by default the project's choice (:func:`~jswcoder.team.package_writer.package_attributes`)."""
    exchange = exchange_folder(folder)
    row = project.team.membership()
    if row.role != "fieldworker":
        raise JswError("this is the lead's project: the lead takes packages in with jswcoder merge")
    codebook, received = None, Received()
    skipped: list[str] = []
    try:
        team_data = exchange_files.read_if_present(exchange / TEAM_FILE, teamfile.MAX_BYTES)
        incoming = None if team_data is None else project.team.check(team_data)
    except JswError as error:  # the package below is sealed for the leads already known: it still goes
        skipped.append(f"{TEAM_FILE}: not used, so the codebook was not updated ({error})")
        incoming = None
    if incoming is not None and incoming.retention_ended:
        if withdrawal_sync.destroy_for_retention(project, exchange, PACKAGES, PACKAGE_SUFFIX):
            note = "the study's retention period has ended: this project was destroyed"
            return SyncReport(exchange, None, None, None, None, note, destroyed=True)
        note = "the study's retention period has ended: this project is to be destroyed now"
        return SyncReport(exchange, None, None, None, None, note, to_destroy=True)
    withdrawn = 0
    if incoming is not None:
        # Withdrawals first: nothing of a withdrawn participant is kept, received or sent from here on.
        withdrawn = withdrawal_sync.apply_orders(project, incoming.withdrawals)
        codebook = project.team.apply(incoming)
        received = sealed_assignments.receive(project.db, project.coder, incoming)

    request_path = exchange_files.writable_folder(exchange, MEMBERS) / f"{row.member_id}.json"
    request = join_request(project)
    written_request = None
    try:
        current = exchange_files.read_if_present(request_path, MAX_REQUEST_BYTES)
    except exchange_files.FileRefused:
        current = None  # a pipe, a link or an outsize file in its place: the request replaces it
    if current != request:
        write_atomically(request_path, request, mode=SHARED_MODE)
        written_request = request_path
    receipt = withdrawal_sync.write_receipt(project, exchange)

    if not project.transcripts.all():
        withdrawal_sync.remove_earlier_packages(project, exchange, PACKAGES, PACKAGE_SUFFIX, None)
        return SyncReport(
            exchange,
            codebook,
            written_request,
            None,
            None,
            "no transcripts to send yet",
            received,
            tuple(skipped),
            withdrawn,
            receipt,
        )
    sequence = row.next_sequence
    if attributes is None:
        attributes = package_attributes(project)
    document = build_package(project, sequence=sequence, attributes=attributes)
    digest = content_digest(document)
    if meta.get(project.db, _LAST_SYNCED) == digest:
        # The same contents already left, after passing the leak check: nothing to send or check.
        return SyncReport(
            exchange,
            codebook,
            written_request,
            None,
            None,
            "nothing new to send",
            received,
            tuple(skipped),
            withdrawn,
            receipt,
        )
    remaining = remaining_identifiers(project, document)
    if remaining:
        raise LeaksFound(remaining)
    out = (
        exchange_files.writable_folder(exchange, PACKAGES, row.member_id) / f"{sequence:06d}{PACKAGE_SUFFIX}"
    )
    planted = _in_the_way(out, row, sequence)
    if planted is not None:
        skipped.append(f"{PACKAGES}/{row.member_id}/{out.name}: {planted}")
    with project.db.atomic():
        if project.team.next_sequence() != sequence:
            raise RuntimeError("the sequence number changed during sync")
        _write_package(project, row, document, out)
        meta.put(project.db, _LAST_SYNCED, digest)
    # After a withdrawal the earlier packages may carry the participant; this one carries all the rest.
    withdrawal_sync.remove_earlier_packages(project, exchange, PACKAGES, PACKAGE_SUFFIX, out)
    return SyncReport(
        exchange,
        codebook,
        written_request,
        out,
        sequence,
        received=received,
        skipped=tuple(skipped),
        withdrawn=withdrawn,
        receipt=receipt,
    )


def _in_the_way(out: Path, row: TeamRow, sequence: int) -> str | None:
    """Why a file at *out*, where package *sequence* goes, may be replaced; None if nothing is there.

    Raises if it is this project's own package of that number: the project was restored from an older
    copy, and a second, different package under the same number must not follow the first. Anything else
    is someone else's (a package is signed, and the fieldworker checks the signature, which needs no key
    of the lead's), so it must not stop this member's syncs.
    """
    try:
        data = exchange_files.read_if_present(out, MAX_PACKAGE_BYTES)
    except exchange_files.FileRefused as error:
        return f"something that is not a package was in the place of package {sequence} ({error}); replaced"
    if data is None:
        return None
    try:
        header = envelope.verify(data, senders={row.member_id: row.signing_public})
    except envelope.EnvelopeError:
        return f"a file not sent from this project was in the place of package {sequence}; replaced"
    if header.get("sequence") == sequence and header.get("team_uuid") == row.team_uuid:
        raise JswError(
            f"the exchange folder already holds package {sequence} from this project; "
            "was the project restored from an older copy? Ask the lead before going on"
        )
    return f"a copy of another package from this project was in the place of package {sequence}; replaced"
