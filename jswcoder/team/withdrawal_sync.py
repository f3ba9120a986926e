"""Withdrawals at sync: a fieldworker applies the lead's orders and answers with a signed receipt; the
lead takes the receipts in (see :mod:`jswcoder.team.withdrawal_orders` for the formats).

A fieldworker applies each order in the team file it has not applied yet, whether or not it holds the
participant (the receipt says which), before anything else of the sync, so the package it sends next
no longer carries them. Where a withdrawal purged something, its earlier packages in the exchange folder
(ciphertext the lead could still open) are removed once the new package is written: each package carries
the member's whole contribution, so the new one stands for them.

At the lead, a receipt confirms the orders it lists. It may also list a withdrawal the member made of
their own accord: when the participant came to the lead in that member's packages, the lead withdraws
them too (and the next team file orders the rest of the team to); a member's word about someone else's
participant is not taken.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from jswcoder.atomic_file import write_atomically
from jswcoder.errors import JswError
from jswcoder.ids import now
from jswcoder.project import Project
from jswcoder.store import merge as merge_rows
from jswcoder.store import withdrawals as withdrawal_rows
from jswcoder.store.team import MemberRow
from jswcoder.store.withdrawals import ReceiptRow
from jswcoder.team import exchange_files
from jswcoder.team.withdrawal_orders import (
    MAX_RECEIPT_BYTES,
    RECEIPTS,
    Applied,
    encode_receipt,
    read_receipt,
)

ORDER_REASON = "the team lead's withdrawal order"
_SHARED_MODE = 0o644  # ciphertext or signed UUIDs on a shared folder, for the lead to read


# -- a fieldworker -----------------------------------------------------------------------------------


def apply_orders(project: Project, orders: tuple[str, ...]) -> int:
    """Apply each order not applied yet; returns how many transcripts went."""
    done = project.withdrawals.withdrawn()
    purged = 0
    for participant_uuid in orders:
        if participant_uuid not in done:
            purged += project.withdrawals.withdraw(
                participant_uuid, ORDER_REASON, ordered=True
            ).transcripts_purged
    return purged


def write_receipt(project: Project, exchange: Path, *, destroyed_at: str | None = None) -> Path | None:
    """This member's receipt for every withdrawal applied here (and, with *destroyed_at*, for the
    project's destruction), written when it changed; None when there is nothing to say or it is
    unchanged."""
    records = project.withdrawals.all()
    if not records and destroyed_at is None:
        return None
    row = project.team.membership()
    data = encode_receipt(
        team_uuid=row.team_uuid,
        member_id=row.member_id,
        signing_private=row.signing_private,
        applied=[Applied(r.participant_uuid, r.purged > 0, r.recorded_at) for r in records],
        destroyed_at=destroyed_at,
    )
    path = exchange_files.writable_folder(exchange, RECEIPTS) / f"{row.member_id}.json"
    try:
        current = exchange_files.read_if_present(path, MAX_RECEIPT_BYTES)
    except exchange_files.FileRefused:
        current = None  # a pipe, a link or an outsize file in its place: the receipt replaces it
    if current == data:
        return None
    write_atomically(path, data, mode=_SHARED_MODE)
    return path


def remove_earlier_packages(
    project: Project, exchange: Path, packages: str, suffix: str, sent: Path | None
) -> int:
    """Once a withdrawal here purged anything, remove this member's packages before *sent* (all of
    them when *sent* is None: nothing was sent, or the project is being destroyed) from
    ``packages/<member_id>``;
    links and anything not a regular file are left alone. Returns how many went."""
    if sent is not None and not any(r.purged for r in project.withdrawals.all()):
        return 0
    member_id = project.team.membership().member_id
    try:
        folder = exchange_files.readable_folder(exchange, packages, member_id)
    except exchange_files.FolderRefused:
        return 0  # a link in its place: nothing of ours is read or removed through it
    gone = 0
    for path in [] if folder is None else exchange_files.entries(folder, suffix):
        number = path.name.removesuffix(suffix)
        if not number.isdigit() or path.is_symlink() or not path.is_file():
            continue
        if sent is None or path.name < sent.name:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                gone += 1
    return gone


def destroy_for_retention(project: Project, exchange: Path, packages: str, suffix: str) -> bool:
    """The lead has ended the study's retention period: say so in a signed receipt (the last thing
    this project's key signs), take this member's packages off the exchange folder, then destroy the
    project (keychain entry, key files, database and log). The receipt goes first: afterwards there is
    no key to sign with; if the destruction then fails, the error says so and the user is told to
    delete the folder.

    On a worker's connection (the app syncs in the background) the project cannot be destroyed from
    here: the receipt and the packages are dealt with, and False says that the project's own
    connection must destroy it now (:meth:`Project.destroy`); the app does so once the sync has ended.
    True: destroyed here."""
    write_receipt(project, exchange, destroyed_at=now())
    remove_earlier_packages(project, exchange, packages, suffix, None)
    if not project.destroyable:
        return False
    folder = project.paths.folder
    try:
        project.destroy()
    except OSError as error:
        raise JswError(
            f"the project could not be destroyed completely ({error.strerror}); delete the folder {folder}"
        ) from None
    return True


# -- the lead ----------------------------------------------------------------------------------------


@dataclass
class ReceiptsTaken:
    confirmed: list[str] = field(default_factory=list)  # members whose new confirmations arrived
    withdrawn: int = 0  # participants withdrawn here because their own member withdrew them
    destroyed: list[str] = field(default_factory=list)  # members whose projects were destroyed (retention)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, plain reason)


def take_receipts(project: Project, exchange: Path, members: dict[str, MemberRow]) -> ReceiptsTaken:
    """Read each admitted member's receipt (through :mod:`exchange_files`) and record what it confirms."""
    taken = ReceiptsTaken()
    try:
        folder = exchange_files.readable_folder(exchange, RECEIPTS)
    except exchange_files.FolderRefused as error:
        taken.refused.append((error.where, str(error)))
        return taken
    if folder is None:
        return taken
    team_uuid = project.team.membership().team_uuid
    for member_id, member in sorted(members.items()):
        path = folder / f"{member_id}.json"
        try:
            data = exchange_files.read_if_present(path, MAX_RECEIPT_BYTES)
            if data is None:
                continue
            receipt = read_receipt(
                data, team_uuid=team_uuid, member_id=member_id, signing_public=member.signing_public
            )
        except JswError as error:
            taken.refused.append((f"{RECEIPTS}/{path.name}", str(error)))
            continue
        if _record(project, member, receipt.applied, taken):
            taken.confirmed.append(member.name)
        if receipt.destroyed_at is not None and withdrawal_rows.retention_ended_at(project.db) is not None:
            with project.db.atomic():
                if withdrawal_rows.record_retention_receipt(
                    project.db, member_id, receipt.destroyed_at, now()
                ):
                    taken.destroyed.append(member.name)
                    project.audit.record("retention.receipt", member=member.name)
    return taken


def _record(project: Project, member: MemberRow, applied: list[Applied], taken: ReceiptsTaken) -> bool:
    withdrawn = project.withdrawals.withdrawn()
    new = False
    for item in applied:
        if item.participant_uuid not in withdrawn:
            if merge_rows.contributor(project.db, "participant", item.participant_uuid) != member.member_id:
                continue  # not theirs to withdraw, or never sent: nothing to confirm
            project.withdrawals.withdraw(
                item.participant_uuid,
                f"withdrawn by {member.name} in their own project",
                item.applied_at[:10],
            )
            withdrawn.add(item.participant_uuid)
            taken.withdrawn += 1
        receipt = ReceiptRow(item.participant_uuid, member.member_id, item.held, item.applied_at, now())
        with project.db.atomic():
            if withdrawal_rows.record_receipt(project.db, receipt):
                new = True
                record = withdrawal_rows.by_participant(project.db, item.participant_uuid)
                project.audit.record(
                    "withdrawal.receipt",
                    member=member.name,
                    participant=(record.attribution if record else None) or "a participant",
                    held=item.held,
                )
    return new
