"""File › Import survey… in the app (issue 18): a Microsoft Forms workbook read in the background, its
columns confirmed in the mapping dialog with the keyboard, imported into the real encrypted project,
the respondents shown as cases and their documents under one entry in the transcripts list; a hostile
file refused in one line with nothing imported; the respondents' attribution changed from the entry.

The file dialog is replaced (its ``ask_file``); every other dialog is the real one, driven by keys."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.cases_view import CasesDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.survey_import import SurveyImportAction
from jswcoder.ui.survey_mapping_dialog import SurveyMappingDialog
from jswcoder.ui.transcripts_panel import SURVEY_ROLE, UUID_ROLE, TranscriptsPanel
from tests import ui_drive as drive
from tests.survey_fixtures import SurveyFixture, forms_xlsx
from tests.test_ui_matrix import study, window

__all__ = ["study", "window"]  # fixtures, used by name

MENUS = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # offscreen menus
NAME = "Joint working survey"
SATISFIED = "How satisfied are you with joint working in your area?"
SHOTS = os.environ.get("JSWCODER_SCREENSHOTS")  # a folder to save the dialog, the list and the cases in


@pytest.fixture
def export(tmp_path: Path) -> SurveyFixture:
    return forms_xlsx(tmp_path / f"{NAME}.xlsx")


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / name))


def _from_the_menu(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Alt+F, then S (Import &survey…), with the file dialog answering *path*."""
    monkeypatch.setattr(SurveyImportAction, "ask_file", classmethod(lambda cls, parent: path))
    drive.when_popup(lambda file_menu: qtbot.keyClick(file_menu, Qt.Key.Key_S))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)


def _message(qtbot: QtBot, seen: list[str]) -> None:
    """The next message box's text into *seen*, then Enter closes it."""

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)

    drive.when_shown(QMessageBox, read)


def _confirm(qtbot: QtBot, drive_dialog: Callable[[SurveyMappingDialog], None]) -> list[str]:
    """Hand the mapping dialog to *drive_dialog* when it is up; the report that follows goes in the list."""
    report: list[str] = []

    def mapping(dialog: QWidget) -> None:
        assert isinstance(dialog, SurveyMappingDialog)
        dialog.activateWindow()  # as the window manager does for a new dialog (offscreen does not)
        qtbot.waitUntil(dialog.isActiveWindow)
        drive_dialog(dialog)
        if dialog.isVisible():
            _message(qtbot, report)
            qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return)  # Enter imports

    drive.when_shown(SurveyMappingDialog, mapping)
    return report


def _survey_entry(panel: TranscriptsPanel, name: str = "") -> QModelIndex:
    for row in range(panel.proxy.rowCount()):
        index = panel.proxy.index(row, 0)
        if index.data(SURVEY_ROLE) and index.data().startswith(name):
            return index
    raise AssertionError("the transcripts list has no survey entry")


@MENUS
def test_a_forms_workbook_imported_from_the_file_menu(
    window: MainWindow,
    project: Project,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    export: SurveyFixture,
) -> None:
    looked: dict[str, object] = {}

    def choose(dialog: SurveyMappingDialog) -> None:
        email = dialog.row("Email")
        looked["email"] = (email.kind.currentText(), email.warning.text() if email.warning else "")
        looked["name"] = dialog.name_edit.text()
        looked["focus"] = QApplication.focusWidget() is dialog.rows[0].kind
        # Tab to the satisfaction question's chooser, then the arrow keys make it Leave out.
        target = dialog.row(SATISFIED).kind
        for _ in range(len(dialog.rows)):
            if QApplication.focusWidget() is target:
                break
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        looked["before"] = target.currentText()
        qtbot.keyClick(target, Qt.Key.Key_Down)
        qtbot.keyClick(target, Qt.Key.Key_Down)
        looked["after"] = target.currentText()
        _shot(dialog, "survey_mapping_dialog.png")

    report = _confirm(qtbot, choose)
    _from_the_menu(qtbot, window, monkeypatch, export.path)
    qtbot.waitUntil(lambda: bool(report), timeout=20_000)

    assert looked["focus"] is True  # the first chooser has the keys from the start
    assert looked["email"] == (
        "Leave out",
        "⚠  Email identifies people: left out unless you choose otherwise",
    )
    assert looked["name"] == NAME  # the file's name
    assert (looked["before"], looked["after"]) == ("Attribute", "Leave out")
    assert report[0].startswith(f"8 respondents imported as the survey '{NAME}': 8 new")

    survey = project.surveys.find(NAME)
    assert [q.key for q in survey.open_questions] == list(export.open_keys)
    cases = {c.participant.attribution: c.participant for c in project.cases.all()}
    first = cases["Survey respondent 1"]
    assert set(first.attributes) == {
        "What is your role?",
        "Which local authority area do you mainly work in?",
    }
    assert all(len(p.attributes) == 2 for k, p in cases.items() if k and k.startswith("Survey respondent"))

    # One entry for the survey beside the interviews; → lists its respondents' documents in number order.
    assert window.workbench is not None
    panel = window.workbench.transcripts
    entry = _survey_entry(panel)
    assert panel.proxy.rowCount() == 4  # three interviews and the survey
    assert entry.data() == f"{NAME} — 8 respondents"
    assert panel.view.isFirstColumnSpanned(entry.row(), QModelIndex())  # one line, never cut short
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(entry).center()
    )
    assert panel.view.isExpanded(entry)  # a click unfolds it, as a folder
    qtbot.keyClick(panel.view, Qt.Key.Key_Left)
    assert not panel.view.isExpanded(entry)
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)
    assert panel.view.isExpanded(entry)
    names = [panel.proxy.index(r, 0, entry).data() for r in range(panel.proxy.rowCount(entry))]
    assert names == [f"Respondent {n}" for n in range(1, 9)]  # in number order, under their survey
    roles = [panel.proxy.index(r, 1, entry).data() for r in range(panel.proxy.rowCount(entry))]
    assert roles[:3] == ["Justice social worker", "Team leader", "Third sector partner"]
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.view, Qt.Key.Key_Down)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    second = panel.proxy.index(1, 0, entry).data(UUID_ROLE)
    assert window.workbench.current is not None and window.workbench.current.uuid == second
    assert (
        export.answers[export.open_keys[0]][1].split("\n")[0] in window.workbench.view.text_edit.toPlainText()
    )
    _shot(window.workbench, "survey_transcripts_panel.png")

    # Typing in the filter finds respondents by their closed answers, shown under their survey.
    qtbot.keyClick(panel.view, Qt.Key.Key_Left)  # back to the survey's entry
    qtbot.keyClick(panel.view, Qt.Key.Key_Left)  # folded
    qtbot.keyClicks(panel.filter_edit, "Team leader")
    entry = _survey_entry(panel)
    assert panel.view.isExpanded(entry)
    found = [panel.proxy.index(r, 0, entry).data() for r in range(panel.proxy.rowCount(entry))]
    assert found == ["Respondent 2", "Respondent 5", "Respondent 8"]

    # View › Cases… lists the respondents with their closed answers; what was left out is not there.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    cases = QApplication.activeModalWidget()
    assert isinstance(cases, CasesDialog)
    headings = [c.title for c in cases.model.columns]
    assert "What is your role?" in headings
    assert not {"Email", "Name", SATISFIED} & set(headings)
    role = headings.index("What is your role?")
    rows = {
        cases.proxy.index(r, 0).data(): cases.proxy.index(r, role).data()
        for r in range(cases.proxy.rowCount())
    }
    assert rows["Survey respondent 2"] == "Team leader"
    assert sum(1 for label in rows if str(label).startswith("Survey respondent")) == 8
    _shot(cases, "survey_cases.png")
    qtbot.keyClick(cases, Qt.Key.Key_Escape)


@MENUS
def test_the_same_export_again_updates_the_survey(
    window: MainWindow,
    project: Project,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    export: SurveyFixture,
) -> None:
    report = _confirm(qtbot, lambda dialog: None)
    _from_the_menu(qtbot, window, monkeypatch, export.path)
    qtbot.waitUntil(lambda: bool(report), timeout=20_000)
    notes: list[tuple[bool, str, bool]] = []
    again = _confirm(
        qtbot,
        lambda d: notes.append((d.update_note.isVisible(), d.update_note.text(), d.name_edit.isEnabled())),
    )
    _from_the_menu(qtbot, window, monkeypatch, export.path)
    qtbot.waitUntil(lambda: bool(again), timeout=20_000)
    assert notes == [
        (True, f"This updates the survey “{NAME}”: new responses are added, coded answers are kept.", False)
    ]
    assert again[0].startswith(f"8 respondents updated in the survey '{NAME}': 0 new, 8 already here")
    assert len(project.surveys.all()) == 1
    assert window.workbench is not None and window.workbench.transcripts.proxy.rowCount() == 4


@MENUS
def test_escape_imports_nothing(
    window: MainWindow,
    project: Project,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    export: SurveyFixture,
) -> None:
    closed: list[bool] = []

    def escape(dialog: QWidget) -> None:
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
        closed.append(not dialog.isVisible())

    drive.when_shown(SurveyMappingDialog, escape)
    _from_the_menu(qtbot, window, monkeypatch, export.path)
    qtbot.waitUntil(lambda: bool(closed) and window.at_rest(), timeout=20_000)
    assert closed == [True]
    assert project.surveys.all() == [] and len(project.cases.all()) == 3


@MENUS
@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bomb.xlsx", b"PK\x03\x04" + b"\x00" * 200, "is not an Excel workbook"),
        ("wide.csv", b",".join([b"a"] * 1_000_000) + b"\r\n", "columns"),
        ("broken.csv", b"\xff\xfeA\x00,\x00B", "UTF-16"),
    ],
    ids=["fake workbook", "a million columns", "broken UTF-16"],
)
def test_a_hostile_file_is_refused_in_one_line(
    window: MainWindow,
    project: Project,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    data: bytes,
    reason: str,
) -> None:
    hostile = tmp_path / name
    hostile.write_bytes(data)
    before = (len(project.transcripts.all()), len(project.cases.all()))
    shown: list[str] = []
    _message(qtbot, shown)
    opened: list[QWidget] = []
    drive.when_shown(SurveyMappingDialog, opened.append)
    _from_the_menu(qtbot, window, monkeypatch, hostile)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    (line,) = shown
    assert line.startswith(f"The survey was not imported: {name}: ") and reason in line
    assert "\n" not in line
    assert opened == []  # no mapping was asked for
    assert project.surveys.all() == []
    assert (len(project.transcripts.all()), len(project.cases.all())) == before


@MENUS
def test_the_respondents_attribution_from_the_survey_entry(
    window: MainWindow,
    project: Project,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    export: SurveyFixture,
) -> None:
    report = _confirm(qtbot, lambda dialog: None)
    _from_the_menu(qtbot, window, monkeypatch, export.path)
    qtbot.waitUntil(lambda: bool(report), timeout=20_000)
    assert window.workbench is not None
    panel = window.workbench.transcripts

    def attribution(typed: str) -> list[str]:
        told: list[str] = []

        def type_it(box: QWidget) -> None:
            assert isinstance(box, QInputDialog)
            assert box.textValue() == project.surveys.find(NAME).attribution  # the current one, to edit
            typing = box.findChild(QLineEdit)
            assert typing is not None
            qtbot.keyClick(typing, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # over the old one
            qtbot.keyClicks(typing, typed)
            _message(qtbot, told)
            qtbot.keyClick(typing, Qt.Key.Key_Return)

        def menu(popup: QMenu) -> None:
            drive.when_shown(QInputDialog, type_it)
            qtbot.keyClick(popup, Qt.Key.Key_A)  # Respondent &attribution…

        drive.when_popup(menu)
        viewport = panel.view.viewport()
        point = panel.view.visualRect(_survey_entry(panel)).center()
        QApplication.sendEvent(  # what a right click sends
            viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
        )
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
        return told

    refused = attribution("Respondent")
    assert refused == [
        "The attribution was not changed: the attribution must contain {number}, so that respondents "
        "are told apart."
    ]
    assert project.surveys.find(NAME).attribution == "Survey respondent {number}"
    done = attribution("Staff respondent {number}")
    assert done == [f"The respondents of “{NAME}” are attributed like “Staff respondent 17”."]
    names = {c.participant.attribution for c in project.cases.all()}
    assert "Staff respondent 3" in names and "Survey respondent 3" not in names


def _csv(path: Path, rows: list[list[str]]) -> Path:
    lines = ["ID,Role,What helps you most in your work?"] + [",".join(f'"{c}"' for c in row) for row in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    return path


HELPS = [
    ["101", "Social worker", "Weekly supervision keeps me going through the hardest weeks."],
    ["102", "Team leader", "Shared training with the police, so we all use the same words for risk."],
    ["103", "Social worker", "A manager who listens and gives us time to build relationships."],
]


@MENUS
def test_an_updated_export_reports_what_was_added_and_what_was_kept(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    export = _csv(tmp_path / "Staff survey.csv", HELPS)
    first = _confirm(qtbot, lambda dialog: None)
    _from_the_menu(qtbot, window, monkeypatch, export)
    qtbot.waitUntil(lambda: bool(first), timeout=20_000)
    survey = project.surveys.find("Staff survey")
    (answer,) = [
        a for a in project.surveys.answers(survey, "What helps you most in your work?") if a.number == 2
    ]
    project.codebook.add("Training")
    project.codings.add(answer.transcript_uuid, answer.start, answer.end, "Training")

    changed = [row[:] for row in HELPS]
    changed[1][2] = "Shared training with the police and the third sector, twice a year at least."
    _csv(export, [*changed, ["104", "Team leader", "Fewer handovers, and case notes we can all read."]])
    again = _confirm(qtbot, lambda dialog: None)
    _from_the_menu(qtbot, window, monkeypatch, export)
    qtbot.waitUntil(lambda: bool(again), timeout=20_000)

    lines = again[0].split("\n")
    assert (
        lines[0] == "4 respondents updated in the survey 'Staff survey': 1 new, 3 already here (0 updated)."
    )
    assert lines[1].startswith("• respondent 2: What helps you most in your work? changed in the export")
    assert "kept" in lines[1] and "police" not in again[0]  # the question named, never the words
    kept = project.transcripts.text_of(answer.transcript_uuid)[answer.start : answer.end]
    assert kept == HELPS[1][2]
    assert window.workbench is not None
    assert _survey_entry(window.workbench.transcripts).data() == "Staff survey — 4 respondents"


@MENUS
def test_enter_on_the_survey_entry_opens_its_grid(
    window: MainWindow,
    project: Project,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    export: SurveyFixture,
    tmp_path: Path,
) -> None:
    report = _confirm(qtbot, lambda dialog: None)
    _from_the_menu(qtbot, window, monkeypatch, export.path)
    qtbot.waitUntil(lambda: bool(report), timeout=20_000)
    other = _csv(tmp_path / "Staff survey.csv", HELPS)  # a second survey
    report = _confirm(qtbot, lambda dialog: None)
    _from_the_menu(qtbot, window, monkeypatch, other)
    qtbot.waitUntil(lambda: bool(report), timeout=20_000)
    assert window.workbench is not None and window.survey_grid is None
    panel = window.workbench.transcripts
    entry = _survey_entry(panel, "Staff survey")
    assert entry.data() == "Staff survey — 3 respondents"
    panel.view.setFocus()
    qtbot.mouseClick(
        panel.view.viewport(), Qt.MouseButton.LeftButton, pos=panel.view.visualRect(entry).center()
    )
    assert window.survey_grid is None  # a click unfolds it; it opens nothing
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    grid = window.survey_grid
    assert grid is not None and grid.isVisible()
    survey = grid.survey()
    assert survey is not None and survey.name == "Staff survey"  # not the grid's first survey


@MENUS
def test_an_export_the_import_refuses_is_said_in_one_line_and_nothing_is_kept(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    twice = [*HELPS, ["102", "Team leader", "The same ID again, typed twice by the survey's owner."]]
    export = _csv(tmp_path / "Staff survey.csv", twice)
    before = (len(project.transcripts.all()), len(project.cases.all()))
    told = _confirm(qtbot, lambda dialog: None)  # the guess: ID is the ID column
    _from_the_menu(qtbot, window, monkeypatch, export)
    qtbot.waitUntil(lambda: bool(told) and window.at_rest(), timeout=20_000)
    assert told == ["The survey was not imported: responses 2 and 4 have the same ID: the ID must be unique"]
    assert project.surveys.all() == []
    assert (len(project.transcripts.all()), len(project.cases.all())) == before
    assert window.workbench is not None and window.workbench.transcripts.proxy.rowCount() == 3
    assert not window.workbench.refuses_changes()  # the window is writable again
