"""Long work through the one helper (issue 15, item 7): a lead's sync merges several real packages from a
real exchange folder in the background, on its own connection, while the window keeps answering (a
timer keeps firing), shows each package, stops cleanly between packages on Cancel, and keeps coding
waiting until it ends. Real windows, real keys, real encrypted projects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QThreadPool, QTimer
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.project import Project
from jswcoder.team.exchange import sync_fieldworker
from jswcoder.team.lead_sync import sync_lead
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.sync_report_dialog import SyncReportDialog
from jswcoder.ui.workers import Job
from tests import ui_drive as drive
from tests.conftest import admit, join_team, make_project, write_txt

SYNC = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
MEMBERS = ("Ailsa", "Hamish", "Morag")
TRANSCRIPTS = 3  # per member, each in its package
LEAD_TEXT = "Interviewer: Anything else?\nP1: The lead's own interview, about the allotment group.\n"


def _interview(member: str, number: int) -> str:
    return "".join(
        f"Interviewer: {member}'s question {number}.{n}?\n"
        f"P1: Answer {number}.{n} for {member}: the group, the worker, the office and the bus.\n"
        for n in range(1, 80)
    )


@pytest.fixture(autouse=True)
def no_thread_left() -> Iterator[None]:
    yield
    # Every job has ended by the end of the test (closing the window waits for one): within moments.
    assert QThreadPool.globalInstance().waitForDone(2_000)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Project, Path]]:
    """A lead who has admitted three fieldworkers, each of whose first package waits in the folder."""
    stick = tmp_path / "stick"
    stick.mkdir()
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    templates.apply(templates.by_key("jsw-study"), lead.codebook)
    lead.team.create("JSW team")
    lead.transcripts.import_file(write_txt(tmp_path / "in", "lead_1.txt", LEAD_TEXT))
    fieldworkers = []
    for member in MEMBERS:
        project, _ = make_project(tmp_path / member, coder=member)
        join_team(project, lead.team.team_file())
        themes = [c.uuid for c in project.codebook.all()][:6]
        for number in range(1, TRANSCRIPTS + 1):
            text = _interview(member, number)
            transcript, _notes = project.transcripts.import_file(
                write_txt(tmp_path / "in" / member, f"{member}_{number}.txt", text)
            )
            for n, start in enumerate(range(0, len(text) - 60, 300)):
                project.codings.add(transcript.uuid, start, start + 50, themes[n % len(themes)])
        project.register.dismiss([c.text for c in project.register.suggestions()])
        sync_fieldworker(project, stick)
        fieldworkers.append(project)
    admit(lead, stick, *fieldworkers)
    for project in fieldworkers:
        project.close()
    yield lead, stick
    lead.close()


def _lead_window(qtbot: QtBot, lead: Project, stick: Path, tmp_path: Path) -> MainWindow:
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.set_exchange_folder(lead.uuid, stick)
    window = MainWindow(lead, settings)
    window.resize(1200, 800)
    return drive.shown(qtbot, window)


def _press(qtbot: QtBot, window: MainWindow, keys: tuple[Qt.Key, Qt.KeyboardModifier]) -> None:
    """The window's shortcut, once the window is active again (a report dialog closed)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, *keys)


def _own(lead: Project) -> list[str]:
    """The lead's own coded passages (the members' came with their packages)."""
    return [p.text for p in lead.codings.passages() if p.coder == "Lead"]


def test_a_merge_runs_while_the_window_keeps_answering(
    qtbot: QtBot, team: tuple[Project, Path], tmp_path: Path
) -> None:
    lead, stick = team
    window = _lead_window(qtbot, lead, stick, tmp_path)
    ticks = {"during": 0}

    def tick() -> None:  # counts only while the merge has not reported yet
        if window.team.report_dialog is None:
            ticks["during"] += 1

    timer = QTimer(window)
    timer.setInterval(2)
    timer.timeout.connect(tick)
    shown: list[str] = []
    try:
        if hasattr(window, "jobs"):  # what the busy bar says, package by package
            window.jobs.progressed.connect(lambda *_step: shown.append(window.busy_bar.label.text()))
        timer.start()
        _press(qtbot, window, SYNC)
        qtbot.waitUntil(lambda: window.team.report_dialog is not None, timeout=60_000)
        timer.stop()
        # The timer kept firing while the packages were merged: the UI thread was free.
        assert ticks["during"] >= 3
        report = window.team.report_dialog
        assert isinstance(report, SyncReportDialog)
        assert report.headline.text() == "Merged 3 packages from 3 members."
        assert len(lead.transcripts.all()) == 1 + len(MEMBERS) * TRANSCRIPTS  # the window's view of it
        assert window.workbench is not None and window.workbench.transcripts.model.rowCount() == 10
        # Each package named as it is merged, in the order of the members' ids.
        assert [text.rsplit(" (", 1)[1] for text in shown] == ["1 of 3)…", "2 of 3)…", "3 of 3)…"]
        assert sorted(text.split(": ")[1].split(" (")[0] for text in shown) == list(MEMBERS)
        window.grab().save(str(tmp_path / "merged.png"))
        report.reject()
    finally:
        timer.stop()
        window.close_project()


def test_cancel_stops_between_packages_and_the_next_sync_takes_the_rest(
    qtbot: QtBot, team: tuple[Project, Path], tmp_path: Path
) -> None:
    lead, stick = team
    window = _lead_window(qtbot, lead, stick, tmp_path)
    pictures: list[Path] = []

    def cancel_at_once(job: Job | None) -> None:
        if job is not None and job.title == "Sync" and not pictures:
            assert window.busy_bar.cancel_button.isVisible()
            qtbot.mouseClick(window.busy_bar.cancel_button, Qt.MouseButton.LeftButton)
            pictures.append(tmp_path / "busy.png")
            window.grab().save(str(pictures[-1]))  # the bar, saying it stops after this step

    window.jobs.changed.connect(cancel_at_once)
    try:
        _press(qtbot, window, SYNC)
        qtbot.waitUntil(lambda: window.team.report_dialog is not None, timeout=60_000)
        report = window.team.report_dialog
        assert report is not None
        merged = len(lead.transcripts.all()) - 1
        assert merged % TRANSCRIPTS == 0  # whole packages, never half of one
        left = len(MEMBERS) - merged // TRANSCRIPTS
        assert left >= 2  # it stopped before the second package at the latest
        assert f"Stopped: {left} packages left for the next sync." in report.detail.text()
        report.reject()
        window.jobs.changed.disconnect(cancel_at_once)

        _press(qtbot, window, SYNC)
        qtbot.waitUntil(lambda: window.team.report_dialog is not None, timeout=60_000)
        report = window.team.report_dialog
        assert report is not None and report.headline.text().startswith(f"Merged {left} packages")
        assert len(lead.transcripts.all()) == 1 + len(MEMBERS) * TRANSCRIPTS
        report.reject()
    finally:
        window.close_project()


def test_coding_waits_while_a_sync_writes(qtbot: QtBot, team: tuple[Project, Path], tmp_path: Path) -> None:
    lead, stick = team
    window = _lead_window(qtbot, lead, stick, tmp_path)
    tried: list[str] = []

    def code_now(job: Job | None) -> None:
        if job is not None and window.workbench is not None:
            drive.select(window, LEAD_TEXT, "the allotment group")
            qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_1)
            tried.append(window.statusBar().currentMessage())

    window.jobs.changed.connect(code_now)
    try:
        _press(qtbot, window, SYNC)
        qtbot.waitUntil(lambda: window.team.report_dialog is not None, timeout=60_000)
        assert tried == ["Sync is writing to the project: changes wait until it ends."]
        assert _own(lead) == []  # nothing was coded behind the sync's back
        assert window.workbench is not None and window.workbench.themes.isEnabled()  # back after it
        window.team.report_dialog.reject()
        window.jobs.changed.disconnect(code_now)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        drive.select(window, LEAD_TEXT, "the allotment group")
        qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_1)
        assert _own(lead) == ["the allotment group"]
    finally:
        window.close_project()


def test_the_lead_sync_reports_each_package_and_stops_between_them(team: tuple[Project, Path]) -> None:
    lead, stick = team
    seen: list[tuple[int, int, str]] = []
    report = sync_lead(
        lead, stick, progress=lambda *step: seen.append(step), cancelled=lambda: len(seen) >= 2
    )
    assert [(done, total) for done, total, _name in seen] == [(0, 3), (1, 3)]
    assert [m.member_name for m in report.merged] == [name for _done, _total, name in seen]
    assert report.left == 1 and len(lead.transcripts.all()) == 1 + 2 * TRANSCRIPTS
    again = sync_lead(lead, stick)
    assert {m.member_name for m in [*report.merged, *again.merged]} == set(MEMBERS) and again.left == 0
    assert len(lead.transcripts.all()) == 1 + 3 * TRANSCRIPTS
