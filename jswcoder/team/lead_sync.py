"""The lead's side of a sync: note join requests, merge admitted members' new packages, publish the codebook.

Everything goes through the exchange folder (see :mod:`jswcoder.team.exchange` for its layout), which
anyone with the stick or the share can write to. A join request makes its sender a *pending* member, and
nothing of theirs is merged until the lead admits them with the fingerprint they read out
(:meth:`jswcoder.team.membership.Team.admit`). A pending request that changes (a swapped file, or the
member's own after a reinstall) replaces the earlier one and is shown again, so admission checks the key
actually on record. A name someone in the team already has is refused. Once a member is admitted, a
request under their member id with another key is refused; a refused member's requests are passed over.
A request signed with the member's known key may bring their encryption key (a member who joined before
double coding sends it on their next sync): assignments for them wait until it is known. Packages
numbered at or below a member's last merged one are passed over by their file names alone, so a repeated
sync with nothing new reads no package. Each package is merged in its own transaction: a bad one is
reported and leaves the team project as it was, and the others still go in. Files and folders are read
through :mod:`jswcoder.team.exchange_files`: a FIFO, a symlink, an outsize file or a symlinked folder
planted by anyone who can write to the exchange folder is reported in ``refused``, never read or waited on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jswcoder.atomic_file import write_atomically
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.store import team as team_rows
from jswcoder.store.team import MemberRow
from jswcoder.team import exchange_files, sealed_assignments, teamfile, withdrawal_sync
from jswcoder.team.exchange import (
    MAX_PACKAGE_BYTES,
    MAX_REQUEST_BYTES,
    MEMBERS,
    PACKAGE_SUFFIX,
    PACKAGES,
    SHARED_MODE,
    TEAM_FILE,
    JoinRequest,
    exchange_folder,
    read_join_request,
    read_limited,
)
from jswcoder.team.merge import merge_package
from jswcoder.team.merge_report import MergeReport


@dataclass
class LeadSyncReport:
    folder: Path
    pending: list[tuple[str, str]] = field(default_factory=list)  # new join requests: (name, fingerprint)
    waiting: list[str] = field(default_factory=list)  # pending members whose packages wait for admission
    merged: list[MergeReport] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, plain reason)
    team_file_written: bool = False
    keys_learned: list[str] = field(default_factory=list)  # members whose encryption key arrived
    left: int = 0  # packages not merged because the sync was stopped; the next sync takes them
    confirmed: list[str] = field(default_factory=list)  # members whose withdrawal receipts brought news
    destroyed: list[str] = field(default_factory=list)  # members whose projects were destroyed (retention)


def sync_lead(
    project: Project,
    folder: Path | str,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> LeadSyncReport:
    """Note join requests, merge the admitted members' new packages, publish the team file.

    *progress* hears ``(merged so far, packages to merge, member's name)`` before each package.
    *cancelled* is asked between packages: once it says yes, the packages left wait for the next sync
    (counted in :attr:`LeadSyncReport.left`); each package is whole or not merged, never half.
    """
    exchange = exchange_folder(folder)
    row = project.team.membership()
    if row.role != "lead" or row.encryption_private is None:
        raise JswError("this is a fieldworker's project: it sends packages with jswcoder sync")
    report = LeadSyncReport(exchange)
    _admit(project, row.team_uuid, exchange / MEMBERS, report)
    everyone = team_rows.members(project.db)
    members = {m.member_id: m for m in everyone if m.state == "admitted"}
    report.waiting = [
        m.name for m in everyone if m.state == "pending" and _has_packages(exchange, m.member_id)
    ]
    senders = {member_id: m.signing_public for member_id, m in members.items()}
    receipts = withdrawal_sync.take_receipts(project, exchange, members)
    report.confirmed, report.refused = receipts.confirmed, report.refused + receipts.refused
    report.destroyed = receipts.destroyed
    todo: list[tuple[MemberRow, Path]] = []
    for _member_id, member in sorted(members.items()):
        for path in _package_files(exchange, member.member_id, report):
            number = path.name.removesuffix(PACKAGE_SUFFIX)
            if not number.isdigit():
                report.refused.append((path.name, "not a package name"))
            elif int(number) > member.last_sequence:
                todo.append((member, path))
    for done, (member, path) in enumerate(todo):
        if cancelled is not None and cancelled():
            report.left = len(todo) - done
            break
        if progress is not None:
            progress(done, len(todo), member.name)
        try:
            merged = merge_file(project, path, senders)
        except JswError as error:
            report.refused.append((f"{member.name}/{path.name}", str(error)))
            continue
        report.merged.append(merged)
    published = project.team.team_file()
    team_path = exchange / TEAM_FILE
    try:
        current = exchange_files.read_if_present(team_path, teamfile.MAX_BYTES)
    except exchange_files.FileRefused:
        current = None  # a pipe, a link or an outsize file in its place: the team file replaces it
    if current != published:
        write_team_file(project, team_path, published)
        report.team_file_written = True
    return report


def write_team_file(project: Project, path: Path, data: bytes | None = None) -> None:
    """Write the lead's team file (``data``, or the current one) for the team to read, and note in the
    audit trail what it orders: how many withdrawals, and whether retention has ended."""
    data = project.team.team_file() if data is None else data
    write_atomically(path, data, mode=SHARED_MODE)
    project.audit.record(
        "export",
        what="team file",
        file=path.name,
        withdrawal_orders=len(project.withdrawals.withdrawn()),
        retention_ended=project.withdrawals.retention() is not None,
    )


def _package_files(exchange: Path, member_id: str, report: LeadSyncReport) -> list[Path]:
    """What is named as a package in packages/<member_id>/; a folder that is a symlink (or not a
    folder) is reported, once, and not read."""
    try:
        return _listed(exchange_files.readable_folder(exchange, PACKAGES, member_id), PACKAGE_SUFFIX, report)
    except exchange_files.FolderRefused as error:
        if (error.where, str(error)) not in report.refused:  # packages/ itself: said once, not per member
            report.refused.append((error.where, str(error)))
        return []


def _listed(folder: Path | None, suffix: str, report: LeadSyncReport) -> list[Path]:
    """The entries of *folder* named ``*suffix``; one whose name would not show as it is (control
    characters, say, to clear the lead's terminal) is reported under a cleaned name and not read."""
    paths = [] if folder is None else exchange_files.entries(folder, suffix)
    report.refused += [
        (exchange_files.shown(path.name), "its name holds control characters; it was not read")
        for path in paths
        if not exchange_files.plain_name(path.name)
    ]
    return [path for path in paths if exchange_files.plain_name(path.name)]


def merge_file(project: Project, path: Path, senders: dict[str, bytes] | None = None) -> MergeReport:
    """Merge one package file into the lead's project (all or nothing), from the known senders."""
    row = project.team.membership()
    if row.role != "lead" or row.encryption_private is None:
        raise JswError("only the team lead's project takes packages in")
    if senders is None:
        senders = {
            m.member_id: m.signing_public for m in team_rows.members(project.db) if m.state == "admitted"
        }
    data = read_limited(path, MAX_PACKAGE_BYTES)
    return merge_package(
        project, data, recipient_id=row.member_id, recipient_key=row.encryption_private, senders=senders
    )


def _admit(project: Project, team_uuid: str, requests: Path, report: LeadSyncReport) -> None:
    try:
        paths = _listed(exchange_files.readable_folder(requests.parent, requests.name), ".json", report)
    except exchange_files.FolderRefused as error:
        report.refused.append((error.where, str(error)))
        return
    for path in paths:
        try:
            request = read_join_request(read_limited(path, MAX_REQUEST_BYTES))
        except JswError as error:
            report.refused.append((path.name, str(error)))
            continue
        if request.team_uuid != team_uuid:
            report.refused.append((path.name, "a join request for another team"))
            continue
        known = team_rows.member(project.db, request.member_id)
        if known is not None and known.state == "refused":
            continue  # the lead said no: nothing more to say at every sync
        if known is None or known.state == "pending":
            _pending(project, path.name, request, known, report)
        elif known.signing_public != request.signing_public:
            report.refused.append(
                (path.name, f"{request.name} asked to join with a different key than the one registered")
            )
        elif request.encryption_public is not None and sealed_assignments.learn_key(
            project.db, known, request.encryption_public
        ):
            report.keys_learned.append(known.name)


def _pending(
    project: Project, file: str, request: JoinRequest, known: MemberRow | None, report: LeadSyncReport
) -> None:
    """A new join request waits for the lead; a pending one that changed takes the place of the old."""
    if any(lead.member_id == request.member_id for lead in project.team.leads()):
        report.refused.append((file, "a join request made out in a lead's name"))
        return
    if project.team.name_taken(request.name, request.member_id):
        report.refused.append((file, f"someone in the team is already called {request.name!r}"))
        return
    if known is None:
        with project.db.atomic():
            team_rows.add_member(
                project.db, request.member_id, request.name, request.signing_public, request.encryption_public
            )
        report.pending.append((request.name, request.fingerprint))
    elif (known.name, known.signing_public, known.encryption_public) != (
        request.name,
        request.signing_public,
        request.encryption_public,
    ):
        with project.db.atomic():
            team_rows.set_pending_request(
                project.db, request.member_id, request.name, request.signing_public, request.encryption_public
            )
        report.pending.append((request.name, request.fingerprint))


def _has_packages(exchange: Path, member_id: str) -> bool:
    try:
        folder = exchange_files.readable_folder(exchange, PACKAGES, member_id)
    except JswError:
        return False  # reported when the member is admitted and the folder is read
    return folder is not None and bool(exchange_files.entries(folder, PACKAGE_SUFFIX))
