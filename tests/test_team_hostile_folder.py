"""The exchange folder is hostile (issue 14, part 6): an outsider who can write to it plants FIFOs,
symlinks to /dev/zero or to folders outside it, oversized sparse files and future packages.

A lead and two fieldworkers share one exchange folder. Whatever the outsider plants, no sync waits on a
file (a hang guard turns a wait into a failure, never a test that runs for ever), nothing is read past
its limit, a fieldworker writes nothing outside the exchange folder, a file the sync cannot use is
reported in one plain line and passed over, and the honest fieldworker's package still merges.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team import keys, teamfile
from jswcoder.team.envelope import DEFAULT_MAX_PAYLOAD
from jswcoder.team.exchange import (
    MAX_REQUEST_BYTES,
    MEMBERS,
    PACKAGE_SUFFIX,
    PACKAGES,
    TEAM_FILE,
    sync_fieldworker,
)
from jswcoder.team.lead_sync import LeadSyncReport, sync_lead
from tests.conftest import PASSPHRASE, make_project, write_txt

pytestmark = pytest.mark.skipif(
    os.name != "posix" or not hasattr(os, "mkfifo"), reason="FIFOs, /dev/zero and SIGALRM are POSIX"
)

THEME = "Partnership working/Co-location"
MIB = 1024 * 1024


class Hung(Exception):
    """A sync still waiting after the guard's time: not an OSError, so no reader can swallow it."""


@contextlib.contextmanager
def hang_guard(seconds: int = 60) -> Iterator[None]:
    """Fail, rather than wait for ever, if the work inside blocks (on opening a FIFO, say). The alarm
    interrupts the blocked system call and the exception ends the sync, which closes its project."""

    def hung(_signal: int, _frame: FrameType | None) -> None:
        raise Hung(
            f"the sync was still waiting after {seconds} s: it blocked on a file in the exchange folder"
        )

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def sparse(path: Path, size: int) -> Path:
    """A file that says it is *size* bytes long and takes no room on the disk."""
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


def symlink(path: Path, target: Path | str) -> Path:
    path.unlink(missing_ok=True)
    path.symlink_to(target)
    return path


def plain_line(reason: str) -> bool:
    return bool(reason.strip()) and "\n" not in reason and "\x00" not in reason


@dataclass
class Team:
    lead: Project
    ailsa: Project
    hamish: Project
    stick: Path  # the exchange folder, writable by the outsider too
    outside: Path  # a folder outside it that only its owner writes to
    folders: dict[str, Path]  # project folders, to reopen one

    def packages_of(self, project: Project) -> Path:
        return self.stick / PACKAGES / project.team.membership().member_id

    def lead_sync(self) -> LeadSyncReport:
        with hang_guard():
            return sync_lead(self.lead, self.stick)

    def admit(self, *fieldworkers: Project) -> None:
        """The lead takes in their join requests and admits them with the fingerprints they read out."""
        self.lead_sync()
        for fieldworker in fieldworkers:
            self.lead.team.admit(fieldworker.coder.name, fieldworker.team.fingerprint())


def _fieldworker(tmp_path: Path, name: str, lead: Project, interview: int, text: str) -> Project:
    project, _ = make_project(tmp_path / name, coder=name)
    project.team.join(
        lead.team.team_file(), fingerprint=keys.fingerprint(lead.team.membership().signing_public)
    )
    source = write_txt(tmp_path / f"in_{name}", f"int_{interview}.txt", text)
    project.transcripts.import_file(source, ParticipantFields("Justice social workers", interview))
    project.register.dismiss([c.text for c in project.register.suggestions()])
    project.codings.add(f"int_{interview}", 4, 20, THEME)
    return project


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Team]:
    lead, _ = make_project(tmp_path / "Lead", coder="Lead")
    lead.codebook.add(THEME)
    lead.team.create("JSW team")
    ailsa = _fieldworker(tmp_path, "Ailsa", lead, 1, "P1: We share the office now.\n")
    hamish = _fieldworker(tmp_path, "Hamish", lead, 2, "P1: The waiting list is long.\n")
    stick, outside = tmp_path / "stick", tmp_path / "outside"
    stick.mkdir()
    outside.mkdir()
    folders = {"Lead": tmp_path / "Lead", "Ailsa": tmp_path / "Ailsa", "Hamish": tmp_path / "Hamish"}
    try:
        yield Team(lead, ailsa, hamish, stick, outside, folders)
    finally:
        for project in (lead, ailsa, hamish):
            project.close()


def _send(team: Team, project: Project) -> Path:
    with hang_guard():
        sent = sync_fieldworker(project, team.stick)
    assert sent.package is not None
    return sent.package


def _new_work(project: Project) -> None:
    """Something new for the next package."""
    project.memos.save("project", None, f"Memo {uuid.uuid4()}")


# -- the lead ------------------------------------------------------------------------------------------


def test_fifos_as_a_package_and_a_join_request_hang_no_sync(team: Team) -> None:
    """Opening a FIFO for reading waits for a writer: the lead's sync used to hang there, holding the
    project open. Now each is refused unopened, and Ailsa's package still merges."""
    _send(team, team.ailsa)
    hamish_package = _send(team, team.hamish)
    team.admit(team.ailsa, team.hamish)
    fifo(hamish_package)
    stranger = fifo(team.stick / MEMBERS / f"{uuid.uuid4()}.json")
    fifo(team.stick / TEAM_FILE)

    report = team.lead_sync()

    assert [m.member_name for m in report.merged] == ["Ailsa"]
    refused = dict(report.refused)
    assert set(refused) == {stranger.name, f"Hamish/{hamish_package.name}"}
    assert all("not a regular file" in reason and plain_line(reason) for reason in refused.values())
    assert report.team_file_written and (team.stick / TEAM_FILE).is_file()  # the FIFO replaced
    assert [t.name for t in team.lead.transcripts.all()] == ["Justice social workers interview 1"]


def test_a_symlink_to_dev_zero_and_oversized_files_are_refused_unread(team: Team) -> None:
    """A symlink to /dev/zero, or a sparse file larger than the limit, used to be read up to the limit
    (513 MiB for a package) before anything was checked. Now neither is read at all."""
    _send(team, team.ailsa)
    hamish_package = _send(team, team.hamish)
    team.admit(team.ailsa, team.hamish)
    linked = symlink(hamish_package, "/dev/zero")
    oversized = sparse(
        team.packages_of(team.hamish) / f"000002{PACKAGE_SUFFIX}", DEFAULT_MAX_PAYLOAD + 2 * MIB
    )
    big_request = sparse(team.stick / MEMBERS / f"{uuid.uuid4()}.json", MAX_REQUEST_BYTES + 1)
    zero_request = symlink(team.stick / MEMBERS / f"{uuid.uuid4()}.json", "/dev/zero")
    (team.stick / MEMBERS / "\x1b]0;pwned\x07\u202e.json").write_bytes(b"{}")  # retitles a terminal

    report = team.lead_sync()

    assert [m.member_name for m in report.merged] == ["Ailsa"]
    refused = dict(report.refused)
    assert "control characters" in refused.pop("]0;pwned.json")
    assert set(refused) == {
        big_request.name,
        zero_request.name,
        f"Hamish/{linked.name}",
        f"Hamish/{oversized.name}",
    }
    assert "symbolic link" in refused[zero_request.name]
    assert "symbolic link" in refused[f"Hamish/{linked.name}"]
    assert "too large" in refused[big_request.name]
    assert "too large" in refused[f"Hamish/{oversized.name}"]
    assert all(plain_line(reason) for reason in refused.values())


def test_the_lead_reads_no_folder_through_a_symlink(team: Team) -> None:
    """packages/<member> made a symlink to a folder elsewhere (here holding Hamish's real package): the
    lead does not follow it, says so, and merges the others."""
    _send(team, team.ailsa)
    hamish_folder = team.packages_of(team.hamish)
    _send(team, team.hamish)
    team.admit(team.ailsa, team.hamish)
    shutil.move(hamish_folder, team.outside / "hamish")
    symlink(hamish_folder, team.outside / "hamish")

    report = team.lead_sync()

    assert [m.member_name for m in report.merged] == ["Ailsa"]
    ((where, reason),) = report.refused
    assert where == f"{PACKAGES}/{hamish_folder.name}"
    assert "symbolic link" in reason and plain_line(reason)


# -- a fieldworker -------------------------------------------------------------------------------------


BAD_TEAM_FILES: dict[str, Callable[[Team, Path], object]] = {
    "fifo": lambda team, path: fifo(path),
    "symlink to a real team file outside": lambda team, path: symlink(
        path, write_txt(team.outside, "team.jswteam", team.lead.team.team_file().decode())
    ),
    "symlink to /dev/zero": lambda team, path: symlink(path, "/dev/zero"),
    "oversized": lambda team, path: sparse(path, teamfile.MAX_BYTES + 1),
    "damaged": lambda team, path: path.write_bytes(b"not a team file\n"),
    "a folder": lambda team, path: path.mkdir(),
}


@pytest.mark.parametrize("kind", BAD_TEAM_FILES)
def test_a_bad_team_file_is_reported_and_the_package_still_goes(team: Team, kind: str) -> None:
    """The team file only brings a newer codebook; the package is sealed for the leads this project
    already knows. So a team file that cannot be used is reported, and the work is still sent."""
    team.lead.codebook.add("Emergent themes/Waiting lists")  # a newer codebook the fieldworker misses
    team_path = team.stick / TEAM_FILE
    BAD_TEAM_FILES[kind](team, team_path)

    with hang_guard():
        sent = sync_fieldworker(team.ailsa, team.stick)

    assert sent.package is not None and sent.package.is_file() and sent.sequence == 1
    assert sent.codebook is None
    (skipped,) = sent.skipped
    assert skipped.startswith(f"{TEAM_FILE}: not used") and plain_line(skipped)
    if team_path.is_dir() and not team_path.is_symlink():
        team_path.rmdir()  # the lead cannot publish over a folder: it says so, in one line
    team.admit(team.ailsa)
    assert [m.member_name for m in team.lead_sync().merged] == ["Ailsa"]


FOLDERS = {
    "members": lambda team: team.stick / MEMBERS,
    "packages": lambda team: team.stick / PACKAGES,
    "packages/<member>": lambda team: team.packages_of(team.ailsa),
}


@pytest.mark.parametrize("where", FOLDERS)
def test_a_symlinked_folder_makes_the_fieldworker_write_nothing_outside(team: Team, where: str) -> None:
    """members/ or packages/<member> made a symlink to a folder of the victim's: the fieldworker used to
    write her join request or package into it. Now she writes nothing there and is told in one line."""
    folder = FOLDERS[where](team)
    folder.parent.mkdir(parents=True, exist_ok=True)
    symlink(folder, team.outside)

    with hang_guard(), pytest.raises(JswError) as refused:
        sync_fieldworker(team.ailsa, team.stick)

    assert list(team.outside.iterdir()) == []
    assert "symbolic link" in str(refused.value) and plain_line(str(refused.value))
    assert team.ailsa.team.membership().next_sequence == 1  # no sequence number used up


@pytest.mark.parametrize("where", ["members", "packages/<member>"])
def test_a_file_where_a_folder_should_be_is_refused_plainly(team: Team, where: str) -> None:
    folder = FOLDERS[where](team)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_bytes(b"planted")

    with hang_guard(), pytest.raises(JswError) as refused:
        sync_fieldworker(team.ailsa, team.stick)

    assert "not a folder" in str(refused.value) and plain_line(str(refused.value))
    assert folder.read_bytes() == b"planted"
    assert team.ailsa.team.membership().next_sequence == 1


PLANTED: dict[str, Callable[[Team, Path], object]] = {
    "garbage": lambda team, path: path.write_bytes(b"JSWCODER-PACKAGE\n" + os.urandom(400)),
    "fifo": lambda team, path: fifo(path),
    "symlink to /dev/zero": lambda team, path: symlink(path, "/dev/zero"),
    "oversized": lambda team, path: sparse(path, DEFAULT_MAX_PAYLOAD + 2 * MIB),
    "another member's real package": lambda team, path: shutil.copy(
        next(team.packages_of(team.hamish).iterdir()), path
    ),
    "her own first package, renumbered": lambda team, path: shutil.copy(
        path.with_name("000001.jswpkg"), path
    ),
}


@pytest.mark.parametrize("kind", PLANTED)
def test_a_planted_future_package_does_not_block_the_fieldworker(team: Team, kind: str) -> None:
    """An outsider writes packages/<Ailsa>/000002.jswpkg before Ailsa's second sync. It used to stop
    her sync for good ("the exchange folder already holds package 2"). It is not a package of hers
    numbered 2, so it is reported and her real package replaces it."""
    _send(team, team.ailsa)
    _send(team, team.hamish)
    planted = team.packages_of(team.ailsa) / f"000002{PACKAGE_SUFFIX}"
    PLANTED[kind](team, planted)
    _new_work(team.ailsa)

    with hang_guard():
        sent = sync_fieldworker(team.ailsa, team.stick)

    assert (sent.package, sent.sequence) == (planted, 2)
    (skipped,) = sent.skipped
    assert skipped.startswith(f"{PACKAGES}/{planted.parent.name}/{planted.name}: ") and plain_line(skipped)
    assert "replaced" in skipped
    assert not planted.is_symlink() and planted.is_file()
    team.admit(team.ailsa, team.hamish)
    merged = {(m.member_name, m.sequence) for m in team.lead_sync().merged}
    assert merged == {("Ailsa", 1), ("Ailsa", 2), ("Hamish", 1)}


def test_a_restored_older_copy_still_stops_at_its_own_package(team: Team) -> None:
    """The real conflict stays one: package 2 signed by this member, then a copy of the project from
    before it was sent tries to send its own package 2."""
    _send(team, team.ailsa)
    team.ailsa.close()
    restored_folder = team.folders["Ailsa"].with_name("Ailsa restored")
    shutil.copytree(team.folders["Ailsa"], restored_folder)
    with Project.open(team.folders["Ailsa"], passphrase=PASSPHRASE) as ailsa:
        _new_work(ailsa)
        second = _send(team, ailsa)
    sent_bytes = second.read_bytes()
    with Project.open(restored_folder, passphrase=PASSPHRASE) as restored:
        _new_work(restored)
        with hang_guard(), pytest.raises(JswError, match="already holds package 2"):
            sync_fieldworker(restored, team.stick)
        assert restored.team.membership().next_sequence == 2
    assert second.read_bytes() == sent_bytes
