"""The lead's side of a sync: admit new members, merge their new packages, publish the team codebook.

Everything goes through the exchange folder (see :mod:`jswcoder.team.exchange` for its layout). A join
request is trusted on first sight and its key fingerprint reported, so the lead can check it with the
fieldworker; a later request under the same member id with another key is refused. A request signed with
the member's known key may bring their encryption key (a member who joined before double coding sends it
on their next sync): assignments for them wait until it is known. Packages numbered
at or below a member's last merged one are passed over by their file names alone, so a repeated sync
with nothing new reads no package. Each package is merged in its own transaction: a bad one is
reported and leaves the team project as it was, and the others still go in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jswcoder.atomic_file import write_atomically
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.store import team as team_rows
from jswcoder.team import double_coding, teamfile
from jswcoder.team.envelope import DEFAULT_MAX_PAYLOAD
from jswcoder.team.exchange import (
    MAX_REQUEST_BYTES,
    MEMBERS,
    PACKAGE_SUFFIX,
    PACKAGES,
    SHARED_MODE,
    TEAM_FILE,
    exchange_folder,
    read_join_request,
    read_limited,
)
from jswcoder.team.merge import MergeReport, merge_package


@dataclass
class LeadSyncReport:
    folder: Path
    admitted: list[tuple[str, str]] = field(default_factory=list)  # (name, key fingerprint)
    merged: list[MergeReport] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, plain reason)
    team_file_written: bool = False
    keys_learned: list[str] = field(default_factory=list)  # members whose encryption key arrived


def sync_lead(project: Project, folder: Path | str) -> LeadSyncReport:
    exchange = exchange_folder(folder)
    row = project.team.membership()
    if row.role != "lead" or row.encryption_private is None:
        raise JswError("this is a fieldworker's project: it sends packages with jswcoder sync")
    report = LeadSyncReport(exchange)
    _admit(project, row.team_uuid, exchange / MEMBERS, report)
    members = {m.member_id: m for m in team_rows.members(project.db)}
    senders = {member_id: m.signing_public for member_id, m in members.items()}
    for member_id, member in sorted(members.items()):
        folder_of_member = exchange / PACKAGES / member_id
        if not folder_of_member.is_dir():
            continue
        for path in sorted(folder_of_member.glob(f"*{PACKAGE_SUFFIX}")):
            number = path.name.removesuffix(PACKAGE_SUFFIX)
            if not number.isdigit():
                report.refused.append((path.name, "not a package name"))
                continue
            if int(number) <= member.last_sequence:
                continue
            try:
                merged = merge_file(project, path, senders)
            except JswError as error:
                report.refused.append((f"{member.name}/{path.name}", str(error)))
                continue
            report.merged.append(merged)
    published = project.team.team_file()
    team_path = exchange / TEAM_FILE
    if not team_path.is_file() or read_limited(team_path, teamfile.MAX_BYTES) != published:
        write_atomically(team_path, published, mode=SHARED_MODE)
        report.team_file_written = True
    return report


def merge_file(project: Project, path: Path, senders: dict[str, bytes] | None = None) -> MergeReport:
    """Merge one package file into the lead's project (all or nothing), from the known senders."""
    row = project.team.membership()
    if row.role != "lead" or row.encryption_private is None:
        raise JswError("only the team lead's project takes packages in")
    if senders is None:
        senders = {m.member_id: m.signing_public for m in team_rows.members(project.db)}
    data = read_limited(path, DEFAULT_MAX_PAYLOAD + 1024 * 1024)
    return merge_package(
        project, data, recipient_id=row.member_id, recipient_key=row.encryption_private, senders=senders
    )


def _admit(project: Project, team_uuid: str, requests: Path, report: LeadSyncReport) -> None:
    if not requests.is_dir():
        return
    for path in sorted(requests.glob("*.json")):
        try:
            request = read_join_request(read_limited(path, MAX_REQUEST_BYTES))
        except JswError as error:
            report.refused.append((path.name, str(error)))
            continue
        if request.team_uuid != team_uuid:
            report.refused.append((path.name, "a join request for another team"))
            continue
        known = team_rows.member(project.db, request.member_id)
        if known is None:
            with project.db.atomic():
                team_rows.add_member(
                    project.db,
                    request.member_id,
                    request.name,
                    request.signing_public,
                    request.encryption_public,
                )
            report.admitted.append((request.name, request.fingerprint))
        elif known.signing_public != request.signing_public:
            report.refused.append(
                (path.name, f"{request.name} asked to join with a different key than the one registered")
            )
        elif request.encryption_public is not None and double_coding.learn_key(
            project.db, known, request.encryption_public
        ):
            report.keys_learned.append(known.name)
