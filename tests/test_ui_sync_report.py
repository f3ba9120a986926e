"""The sync report in the app: a dialog that fits the screen however long the report, in the app's words.

The lead's report is built through a real exchange folder (four fieldworkers, five packages each, and
forty files that are not packages), sync is started with its shortcut in a shown window, and the dialog
is read and closed with the mouse. A fieldworker whose transcript still names someone is refused in the
app's words, and the button on the refusal opens the register's review.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.team.exchange import MEMBERS, PACKAGES, SyncReport, sync_fieldworker
from jswcoder.team.lead_sync import LeadSyncReport, sync_lead
from jswcoder.team.merge import MergeReport
from jswcoder.team.sealed_assignments import Received
from jswcoder.ui import sync_report
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.members_dialog import MembersDialog
from jswcoder.ui.register_window import RegisterWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.sync_report import (
    MEMBERS as MEMBERS_ACTION,
)
from jswcoder.ui.sync_report import (
    fieldworker_summary,
    fieldworker_view,
    in_app_words,
    lead_view,
    tally,
)
from jswcoder.ui.sync_report_dialog import SyncReportDialog
from jswcoder.ui.team_actions import TeamActions
from tests import ui_drive as drive
from tests.conftest import admit, join_team, make_project, write_txt

# A command line in a message: "jswcoder sync", "jswcoder team join PROJECT TEAMFILE", "'register suggest'".
COMMAND_LINE = re.compile(r"jswcoder (sync|merge|team|register|export|info|codes)\b|register suggest")
SYNC_KEYS = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


# -- setting a team up through the core (what is tested is the window) --------------------------------


def _settings(tmp_path: Path) -> Settings:
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def _admit(lead: Project, stick: Path, fieldworkers: list[Project]) -> None:
    """The lead sees their join requests and admits each with the fingerprint they read out."""
    admit(lead, stick, *fieldworkers)


def _fieldworker(tmp_path: Path, name: str, lead: Project) -> Project:
    project, _ = make_project(tmp_path / name.lower(), coder=name)
    join_team(project, lead.team.team_file())
    return project


def _send(project: Project, stick: Path, number: int) -> None:
    """A new interview, coded, and one sync: one more package in the exchange folder."""
    week = sum(map(ord, project.coder.name))  # each fieldworker's interviews are their own
    text = f"P1: the groupwork on day {number} of week {week} helped more than the reports did.\n"
    transcript, _ = project.transcripts.import_file(
        write_txt(project.paths.folder.parent / "in", f"{project.coder.name}_{number}.txt", text),
        ParticipantFields("Client", number),
    )
    if "Groupwork" not in {code.path for code in project.codebook.all()}:
        project.codebook.add("Groupwork")
    start = text.index("groupwork")
    project.codings.add(transcript.uuid, start, start + len("groupwork"), "Groupwork")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    report = sync_fieldworker(project, stick)
    assert report.package is not None


def _shown(qtbot: QtBot, project: Project, settings: Settings) -> MainWindow:
    return drive.shown(qtbot, MainWindow(project, settings))


def _when_modal(kind: type[QWidget], handle: Callable[[QWidget], None]) -> list[QWidget]:
    """Hand the next modal window of *kind* to *handle* as soon as it is up (it may block its opener)."""
    seen: list[QWidget] = []

    def look(tries: int = 0) -> None:
        shown = QApplication.activeModalWidget()
        if isinstance(shown, kind):
            seen.append(shown)
            handle(shown)
        elif tries < 500:
            QTimer.singleShot(10, lambda: look(tries + 1))

    QTimer.singleShot(0, look)
    return seen


def _after(qtbot: QtBot, act: Callable[[], None]) -> QWidget:
    """Do *act*, and give back the modal window it opened.

    A window that blocks (a message box) is closed once seen, so that code which still shows a report in
    one ends the test with a failure, not a hang.
    """
    seen = _when_modal(QWidget, lambda shown: shown.done(0) if isinstance(shown, QMessageBox) else None)
    act()
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


def _press_sync(qtbot: QtBot, window: MainWindow) -> QWidget:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return _after(qtbot, lambda: qtbot.keyClick(window, *SYNC_KEYS))


def _cells(dialog: SyncReportDialog) -> list[list[str]]:
    model = dialog.model
    return [
        [str(model.data(model.index(r, c))).replace("\u00a0", " ") for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _save_screenshot(widget: QWidget, tmp_path: Path, name: str) -> None:
    """Saved for a person to look at: beside the test, and in $JSWCODER_SCREENSHOTS when it is set."""
    image = widget.grab()
    assert not image.isNull()
    assert image.save(str(tmp_path / name))
    if folder := os.environ.get("JSWCODER_SCREENSHOTS"):
        assert image.save(str(Path(folder) / name))


@pytest.fixture
def choose_stick(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    stick = tmp_path / "stick"
    stick.mkdir()
    monkeypatch.setattr(TeamActions, "choose_folder", classmethod(lambda cls, parent, title, start: stick))
    return stick


@pytest.fixture
def lead_project(tmp_path: Path) -> Iterator[Project]:
    project, _ = make_project(tmp_path / "lead", coder="Lead")
    project.team.create("JSW team")
    yield project
    project.close()


# -- the lead ------------------------------------------------------------------------------------------


def test_a_lead_syncing_sixty_rows_gets_a_dialog_that_fits_the_screen(
    qtbot: QtBot, qtmodeltester: ModelTester, tmp_path: Path, choose_stick: Path, lead_project: Project
) -> None:
    stick = choose_stick
    fieldworkers = [
        _fieldworker(tmp_path, name, lead_project) for name in ("Ailsa", "Hamish", "Morven", "Eilidh")
    ]
    try:
        for fieldworker in fieldworkers:
            _send(fieldworker, stick, 1)
        _admit(lead_project, stick, fieldworkers)
        for fieldworker in fieldworkers:
            for number in range(2, 6):
                _send(fieldworker, stick, number)
        # Forty files that are not packages: damaged ones, misnamed ones, and join requests that are junk.
        ailsa = stick / PACKAGES / fieldworkers[0].coder.uuid
        junk = [ailsa / f"{50 + n:06d}.jswpkg" for n in range(20)]
        junk += [ailsa / f"copy of {n}.jswpkg" for n in range(10)]
        junk += [stick / MEMBERS / f"junk-{n}.json" for n in range(10)]
        for path in junk:
            path.write_bytes(os.urandom(200))

        window = _shown(qtbot, lead_project, _settings(tmp_path))
        dialog = _press_sync(qtbot, window)

        assert isinstance(dialog, SyncReportDialog)
        qtbot.waitExposed(dialog)
        qtmodeltester.check(dialog.model)
        rows = _cells(dialog)
        assert len(rows) >= 60
        assert dialog.headline.text().startswith("Merged 20 packages from 4 members.")
        assert "40 files not taken in" in dialog.detail.text()
        header = [str(dialog.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(len(rows[0]))]
        assert header == ["Member", "Package", "Added", "Replaced", "Removed", "Refused", "Why"]
        (hamish_5,) = [r for r in rows if r[:2] == ["Hamish", "Package 5"]]
        assert hamish_5[2].startswith("1 coding, 1 transcript") and hamish_5[6] == "Merged."
        refused = [r for r in rows if r[5] in {"Whole package", "Not merged", "Not admitted"}]
        assert len(refused) == 40 and all(r[6] for r in refused)
        assert not [r for r in rows if COMMAND_LINE.search(" ".join(r))]

        # It fits the screen, the table scrolls, and Close is on the screen and closes it.
        screen = dialog.screen().availableGeometry()
        assert dialog.frameGeometry().height() <= min(768, screen.height())
        assert dialog.frameGeometry().width() <= screen.width()
        assert dialog.table.verticalScrollBar().maximum() > 0
        close = dialog.close_button
        assert close.isVisible() and close.text() == "Close"
        on_screen = close.rect().translated(close.mapToGlobal(close.rect().topLeft()))
        assert screen.contains(on_screen)
        _save_screenshot(dialog, tmp_path, "sync_report.png")
        with qtbot.waitSignal(dialog.finished):
            qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        assert window.team.report_dialog is None

        # The lead clears the junk out; the next sync finds nothing new, and says so a sentence high.
        for path in junk:
            path.unlink()
        again = _press_sync(qtbot, window)
        assert isinstance(again, SyncReportDialog)
        assert again.headline.text() in {"Nothing new in the exchange folder.", "No new packages to merge."}
        assert again.frameGeometry().height() < 400
        with qtbot.waitSignal(again.finished):
            qtbot.keyClick(again, Qt.Key.Key_Escape)
        window.close_project()
    finally:
        for fieldworker in fieldworkers:
            fieldworker.close()


def test_a_same_name_theme_is_shown_in_the_theme_tree_from_the_report(
    qtbot: QtBot, tmp_path: Path, choose_stick: Path, lead_project: Project
) -> None:
    stick = choose_stick
    ailsa = _fieldworker(tmp_path, "Ailsa", lead_project)
    try:
        ailsa.codebook.add("Risk")  # hers: merged, it stands among her emergent themes
        _send(ailsa, stick, 1)
        _admit(lead_project, stick, [ailsa])
        sync_lead(lead_project, stick)
        lead_project.codebook.add("Risk")  # the lead's own, by the same name, before the team hears of it
        _send(ailsa, stick, 2)
        theirs = ailsa.codebook.find("Risk").uuid

        window = _shown(qtbot, lead_project, _settings(tmp_path))
        dialog = _press_sync(qtbot, window)
        assert isinstance(dialog, SyncReportDialog)
        (same_name,) = [r for r in _cells(dialog) if "same name as a team theme" in r[6]]
        assert same_name[:2] == ["Ailsa", "Package 2"] and "“Risk”" in same_name[6]
        button = dialog.action_buttons["themes"]
        assert button.text() == "Show in the theme tree" and button.isVisible()
        with qtbot.waitSignal(dialog.finished):
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

        assert window.workbench is not None
        themes = window.workbench.themes
        qtbot.waitUntil(themes.view.hasFocus)
        assert themes.current_code_uuid() == theirs
        window.close_project()
    finally:
        ailsa.close()


def test_join_requests_wait_in_the_report_and_are_admitted_from_the_members_list(
    qtbot: QtBot,
    tmp_path: Path,
    choose_stick: Path,
    lead_project: Project,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fieldworkers = [_fieldworker(tmp_path, name, lead_project) for name in ("Ailsa", "Hamish")]
    try:
        for fieldworker in fieldworkers:
            _send(fieldworker, choose_stick, 1)
        window = _shown(qtbot, lead_project, _settings(tmp_path))
        dialog = _press_sync(qtbot, window)

        assert isinstance(dialog, SyncReportDialog)
        assert dialog.headline.text() == "No new packages to merge."
        assert "2 people asked to join: check each key fingerprint" in dialog.detail.text()
        rows = _cells(dialog)
        for fieldworker in fieldworkers:
            name = fieldworker.coder.name
            (asks,) = [r for r in rows if r[0] == name and r[6].startswith("Asks to join")]
            assert fieldworker.team.fingerprint() in asks[6]
            (waits,) = [r for r in rows if r[0] == name and r[5] == "Packages wait"]
            assert waits[6] == "Their packages wait until you admit them."
        assert dialog.close_button.isDefault()
        _save_screenshot(dialog, tmp_path, "sync_join_requests.png")

        # The report's button opens the members list; Ailsa is admitted there once her fingerprint,
        # read out to the lead, is typed (a wrong one first: nothing changes).
        ailsa = fieldworkers[0]
        typed = iter(["1111-2222-3333-4444", ailsa.team.fingerprint().lower()])
        monkeypatch.setattr(
            MembersDialog, "ask_fingerprint", classmethod(lambda cls, parent, name: next(typed))
        )
        seen: list[str] = []

        def admit_ailsa(members: MembersDialog) -> int:
            members.show()
            qtbot.waitExposed(members)
            row = next(
                r for r in range(members.table.rowCount()) if members.table.item(r, 0).text() == "Ailsa"
            )
            members.table.selectRow(row)
            assert members.fingerprint.text() == ailsa.team.fingerprint()
            qtbot.mouseClick(members.admit_button, Qt.MouseButton.LeftButton)
            seen.append(members.message.text())
            qtbot.mouseClick(members.admit_button, Qt.MouseButton.LeftButton)
            seen.append(members.message.text())
            members.grab().save(str(tmp_path / "members.png"))
            return 0

        monkeypatch.setattr(MembersDialog, "exec", admit_ailsa)
        qtbot.mouseClick(dialog.action_buttons["members"], Qt.MouseButton.LeftButton)
        assert "does not match the key in Ailsa's join request" in seen[0]
        assert seen[1].startswith("Ailsa is a member now")
        assert {m.name: m.state for m in lead_project.team.members()} == {
            "Ailsa": "admitted",
            "Hamish": "pending",
        }
        if dialog.isVisible():
            with qtbot.waitSignal(dialog.finished):
                qtbot.keyClick(dialog, Qt.Key.Key_Return)
        again = _press_sync(qtbot, window)
        assert isinstance(again, SyncReportDialog)
        assert any(r[0] == "Ailsa" and r[1] == "Package 1" for r in _cells(again))
        with qtbot.waitSignal(again.finished):
            qtbot.keyClick(again, Qt.Key.Key_Return)
        window.close_project()
    finally:
        for fieldworker in fieldworkers:
            fieldworker.close()


# -- a fieldworker ---------------------------------------------------------------------------------------


def test_a_refused_sync_speaks_plainly_and_opens_the_register_review(
    qtbot: QtBot, tmp_path: Path, choose_stick: Path, lead_project: Project
) -> None:
    ailsa = _fieldworker(tmp_path, "Ailsa", lead_project)
    ailsa.transcripts.import_file(write_txt(tmp_path / "in", "int_3.txt", "P1: Morag phoned the office.\n"))
    window = _shown(qtbot, ailsa, _settings(tmp_path))

    dialog = _press_sync(qtbot, window)

    assert isinstance(dialog, SyncReportDialog)
    said = f"{dialog.windowTitle()} {dialog.headline.text()} {dialog.detail.text()}"
    assert dialog.headline.text() == "Nothing was sent: identifying details are still in the transcripts."
    assert "1 identifying detail would still be in what leaves this computer" in said
    assert "Morag" not in said and not COMMAND_LINE.search(said)
    assert not list(choose_stick.glob(f"{PACKAGES}/*/*.jswpkg"))  # nothing left this computer
    review = dialog.action_buttons["register"]
    assert review.text() == "Review identifying details…" and review.isVisible() and review.isDefault()
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height()
    _save_screenshot(dialog, tmp_path, "sync_refused.png")

    reviewed: list[str] = []

    def review_then_close(register: QWidget) -> None:
        assert isinstance(register, RegisterWindow)
        table = register.candidates
        reviewed.extend(str(table.model().index(r, 0).data()) for r in range(table.model().rowCount()))
        register.reject()

    seen = _when_modal(RegisterWindow, review_then_close)
    qtbot.mouseClick(review, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen))
    assert reviewed == ["Morag"]  # the review shows what the refusal would not
    assert window.team.report_dialog is None  # the report closed before the review opened
    window.close_project()


def test_a_team_file_that_cannot_be_used_is_a_row_beside_the_package_sent(
    qtbot: QtBot, tmp_path: Path, choose_stick: Path, lead_project: Project
) -> None:
    ailsa = _fieldworker(tmp_path, "Ailsa", lead_project)
    (choose_stick / "team.jswteam").write_bytes(b"not a team file")
    ailsa.transcripts.import_file(
        write_txt(tmp_path / "in", "int_4.txt", "P1: the groupwork helped.\n"), ParticipantFields("Client", 4)
    )
    ailsa.register.dismiss([c.text for c in ailsa.register.suggestions()])
    window = _shown(qtbot, ailsa, _settings(tmp_path))

    dialog = _press_sync(qtbot, window)

    assert isinstance(dialog, SyncReportDialog)  # something to look at: not folded into a message box
    assert dialog.headline.text() == "Sent package 1."
    assert dialog.detail.text() == "1 thing to look at: the reason is beside it."
    rows = _cells(dialog)
    skipped, registered = rows  # what to look at comes first
    assert skipped[5] == "Passed over" and registered[6] == "Registered with the team."
    assert skipped[1] == "team.jswteam" and skipped[6].startswith("Not used, so the codebook was not updated")
    assert [r[6] for r in rows if r[6].startswith("Registered")] == ["Registered with the team."]
    assert not [r for r in rows if COMMAND_LINE.search(" ".join(r))]
    _save_screenshot(dialog, tmp_path, "sync_fieldworker.png")
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    window.close_project()


def test_a_project_outside_a_team_is_told_where_to_join_in_the_app(
    qtbot: QtBot, tmp_path: Path, choose_stick: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(
        TeamActions, "tell", classmethod(lambda cls, parent, title, text: told.append((title, text)))
    )
    project, _ = make_project(tmp_path / "solo", coder="Ailsa")
    window = _shown(qtbot, project, _settings(tmp_path))
    window.activateWindow()
    qtbot.keyClick(window, *SYNC_KEYS)
    qtbot.waitUntil(lambda: bool(told))
    title, text = told[-1]
    assert title == "Sync"
    assert "Team › Join a team…" in text and not COMMAND_LINE.search(text)
    window.close_project()


# -- the rows, without Qt --------------------------------------------------------------------------------


def test_the_rows_are_built_without_qt() -> None:
    tree = ast.parse(Path(sync_report.__file__).read_text(encoding="utf-8"))
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    assert imported and not [name for name in imported if name.startswith(("PySide6", "shiboken6"))]


def test_tallies_are_short_and_in_the_apps_words() -> None:
    said = tally({"transcripts": 1, "codings": 12, "codes": 2, "memos": 0, "participants": 1})
    assert said.replace("\u00a0", " ") == "12 codings, 1 transcript, 2 themes, 1 participant"
    assert tally({"codings": 0}) == "" and tally({}) == ""


@dataclass
class _LaterLeadReport(LeadSyncReport):
    """The lead's report as it may grow: rows for what the dialog knows, nothing for what it does not."""

    pending: list[tuple[str, str]] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    something_new: list[str] = field(default_factory=list)


def test_rows_tolerate_what_the_reports_grow() -> None:
    report = _LaterLeadReport(
        Path("stick"),
        merged=[
            MergeReport(
                "m1",
                "Ailsa",
                3,
                added={"codings": 12, "transcripts": 1},
                refused=["the package's coder has already coded it here; update jswcoder to merge it"],
                name_collisions=[{"path": "Risk", "team_uuid": "t", "incoming_uuid": "i"}],
            )
        ],
        refused=[("Hamish/000002.jswpkg", "it is not a jswcoder package"), ("x.json", "damaged")],
        pending=[("Morven", "3F2A 91BC")],
        waiting=["Morven"],
        skipped=["team.jswteam: not used, so the codebook was not updated (it is damaged)"],
        something_new=["not shown"],
        team_file_written=True,
    )
    view = lead_view(report)
    kinds = [row.kind for row in view.rows]
    assert kinds == [
        "asks to join",
        "waiting",
        "package",
        "not taken",
        "same name",
        "refused",
        "refused",
        "refused",
        "notice",
    ]
    assert view.actions == ("members", "themes")
    assert MEMBERS_ACTION in view.actions
    package = view.rows[2]
    assert (package.member, package.package, package.refused) == ("Ailsa", "Package 3", "1 item")
    assert view.rows[5].package == "Package 2" and view.rows[6].package == "Join request"
    skipped = view.rows[7]
    assert (skipped.package, skipped.refused) == ("team.jswteam", "Passed over")
    assert skipped.why == "Not used, so the codebook was not updated (it is damaged)."
    assert "update jswcoder to merge it" in view.rows[3].why  # words, not a command line, stay
    assert "not shown" not in " ".join(row.why for row in view.rows)


def test_a_fieldworkers_usual_sync_is_a_line_and_a_long_one_a_table() -> None:
    usual = SyncReport(Path("stick"), None, Path("request"), Path("000001.jswpkg"), 1)
    assert fieldworker_summary(usual) == "Registered with the team.\nSent package 1."
    many = SyncReport(
        Path("stick"),
        None,
        None,
        None,
        None,
        "nothing new to send",
        Received(
            [f"Double coding: Client interview {n}" for n in range(12)], ["an assignment could not be used"]
        ),
    )
    assert fieldworker_summary(many) is None
    view = fieldworker_view(many)
    assert view.headline == "Nothing new to send."
    assert len(view.rows) == 13 and view.rows[0].refused == "Assignment"  # what to look at first


def test_core_messages_with_command_lines_are_said_in_the_apps_words(tmp_path: Path) -> None:
    lead, _ = make_project(tmp_path / "lead", coder="Lead")
    lead.team.create("JSW team")
    solo, _ = make_project(tmp_path / "solo", coder="Ailsa")
    fieldworker = _fieldworker(tmp_path, "Hamish", lead)
    stick = tmp_path / "stick"
    stick.mkdir()
    said: list[str] = []
    try:
        for attempt in (
            solo.team.membership,
            lambda: sync_fieldworker(lead, stick),
            lambda: sync_lead(fieldworker, stick),
        ):
            with pytest.raises(JswError) as raised:
                attempt()
            assert COMMAND_LINE.search(str(raised.value))  # the core's message is for the command line too
            said.append(in_app_words(raised.value))
    finally:
        for project in (lead, solo, fieldworker):
            project.close()
    assert not [s for s in said if COMMAND_LINE.search(s)]
    assert "Team › Join a team…" in said[0]
    assert (
        "Team › Sync with the exchange folder" in said[1]
        and "Team › Sync with the exchange folder" in said[2]
    )
