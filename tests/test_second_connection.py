"""The core under the app's long work and its lock: a worker's second connection to an open project, a
lock kept by a locked window, and the place the window leaves in the project when it locks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from jswcoder.errors import JswError, ProjectLocked, WrongSecret
from jswcoder.project import Project
from tests.conftest import PASSPHRASE, write_txt


def test_a_worker_thread_reads_and_writes_on_its_own_connection(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", "P1: The bus was late.\n"))
    second = project.second_connection()
    seen: list[object] = []

    def work() -> None:
        try:
            with second.open() as own:
                seen.append([t.name for t in own.transcripts.all()])
                own.transcripts.import_file(
                    write_txt(tmp_path / "in", "int_2.txt", "P1: The office moved.\n")
                )
        except BaseException as error:  # reported to the test thread below
            seen.append(error)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [["int_1"]]
    # The window's connection sees the worker's commit, and the project is still open and locked.
    assert sorted(t.name for t in project.transcripts.all()) == ["int_1", "int_2"]
    with pytest.raises(ProjectLocked):
        Project.open(project.paths.folder, passphrase=PASSPHRASE)


def test_the_main_connection_stays_with_its_thread(project: Project) -> None:
    """Why the worker needs its own: SQLite's connection refuses a second thread."""
    failed: list[BaseException] = []
    thread = threading.Thread(target=lambda: _try(project.transcripts.all, failed))
    thread.start()
    thread.join()
    assert len(failed) == 1 and "thread" in str(failed[0])


def _try(call: Callable[[], object], failed: list[BaseException]) -> None:
    try:
        call()
    except BaseException as error:
        failed.append(error)


def test_a_closed_project_gives_no_second_connection(project: Project) -> None:
    project.close()
    with pytest.raises(JswError):
        project.second_connection()


def test_a_locked_window_keeps_the_project_and_opens_it_again_under_its_lock(project: Project) -> None:
    folder = project.paths.folder
    held = project.close(keep_lock=True)
    assert held is not None and held.held
    with pytest.raises(ProjectLocked):  # another window, or another process: told before any passphrase
        Project.open(folder)
    with pytest.raises(WrongSecret):
        Project.open(folder, passphrase="not the passphrase", held=held)
    assert held.held  # a wrong passphrase does not let go of it
    again = Project.open(folder, passphrase=PASSPHRASE, held=held)
    assert again.counts()["transcripts"] == 0
    again.close()
    assert not held.held
    Project.open(folder, passphrase=PASSPHRASE).close()  # now anyone may


def test_the_place_at_the_lock_is_kept_in_the_project_and_taken_once(project: Project) -> None:
    folder = project.paths.folder
    project.last_place.keep('{"query": "Morag"}')
    held = project.close(keep_lock=True)
    assert b"Morag" not in (folder / "project.jswc").read_bytes()  # encrypted like everything there
    again = Project.open(folder, passphrase=PASSPHRASE, held=held)
    try:
        assert again.last_place.take() == '{"query": "Morag"}'
        assert again.last_place.take() is None
    finally:
        again.close()
