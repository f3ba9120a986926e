"""Transcripts and cases managed in the app: renamed in place, deleted (and brought back with Ctrl+Z) from
the transcripts list, and each participant's details edited in the cases view by typing, exported to a
CSV sheet and read back. Real key presses and clicks on the real window, over the encrypted project."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QTableView, QTreeView, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from jswcoder import templates
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui.cases_model import CasesModel
from jswcoder.ui.cases_view import CasesDialog
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.transcripts_panel import TranscriptsPanel
from jswcoder.ui.workbench import NO_TRANSCRIPTS
from tests import ui_drive as drive
from tests.conftest import PASSPHRASE, write_txt
from tests.indirect_decided import decide_all

TEXT = (
    "Interviewer: What helps most?\n"
    "P1: Keeping the same worker. Quistclose was there every week, rain or shine.\n"
    "Interviewer: And the office?\n"
    "P1: The office is shared with the police now.\n"
)
BARE = "Interviewer: How did the order go?\nP2: The unpaid work was in a charity shop.\n"


def _settings(folder: Path) -> Settings:
    return Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    """Two transcripts: 'interview_7' with its details, two codings and a memo; 'bare_upload' without."""
    templates.apply(templates.by_key("jsw-study"), project.codebook)
    inbox = tmp_path / "inbox"
    project.transcripts.import_file(
        write_txt(inbox, "interview_7.txt", TEXT),
        ParticipantFields("Justice social workers", 7, format="depth"),
    )
    project.transcripts.import_file(write_txt(inbox, "bare_upload.txt", BARE))
    theme = project.codebook.all()[1].path
    for phrase in ("Keeping the same worker", "shared with the police"):
        at = TEXT.index(phrase)
        project.codings.add("interview_7", at, at + len(phrase), theme)
    project.memos.save("transcript", project.transcripts.find("interview_7").uuid, "Talked about Quistclose.")
    shown = drive.shown(qtbot, MainWindow(project, _settings(tmp_path)))
    yield shown
    shown.close_project()


def _row_of(view: QTreeView, name: str) -> QModelIndex:
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == name:
            return model.index(row, 0)
    raise AssertionError(f"{name} is not listed")


def _click_transcript(qtbot: QtBot, window: MainWindow, name: str) -> QTreeView:
    assert window.workbench is not None
    view = window.workbench.transcripts.view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(_row_of(view, name)).center()
    )
    view.setFocus()
    return view


def _enter(qtbot: QtBot, editor: QWidget, view: QAbstractItemView) -> None:
    """Press Enter in a cell's editor; the view commits what was typed once the event loop runs."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def _names(window: MainWindow) -> list[str]:
    assert window.workbench is not None
    model = window.workbench.transcripts.model
    return sorted(model.item(row, 0).text() for row in range(model.rowCount()))


def test_the_coded_column_is_in_view_at_the_default_width(window: MainWindow) -> None:
    assert window.workbench is not None
    view = window.workbench.transcripts.view
    header = view.header()
    assert header.sectionViewportPosition(2) + header.sectionSize(2) <= view.viewport().width()
    assert not view.horizontalScrollBar().isVisible()
    index = _row_of(view, "interview_7").siblingAtColumn(2)
    assert index.data() != "—" and view.visualRect(index).right() <= view.viewport().width()


def test_rename_in_place_with_f2_and_undo(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = _click_transcript(qtbot, window, "bare_upload")
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "Client, charity shop")
    _enter(qtbot, editor, view)
    assert project.transcripts.find("Client, charity shop").source_name == "bare_upload.txt"
    assert _names(window) == ["Client, charity shop", "interview_7"]
    assert window.workbench is not None and window.workbench.current is not None
    assert "Client, charity shop" in window.workbench.heading.text()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _names(window) == ["bare_upload", "interview_7"]
    assert project.transcripts.find("bare_upload").name == "bare_upload"

    # A name already taken is refused, in one line, and nothing changes.
    told: list[str] = []
    monkeypatch.setattr(TranscriptsPanel, "tell", classmethod(lambda cls, parent, text: told.append(text)))
    view = _click_transcript(qtbot, window, "bare_upload")
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not None
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "interview_7")
    _enter(qtbot, editor, view)
    assert told == ["there is already a transcript named 'interview_7'; choose another name"]
    assert _names(window) == ["bare_upload", "interview_7"]


def test_delete_says_what_goes_and_ctrl_z_brings_it_all_back(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    uuid = project.transcripts.find("interview_7").uuid
    codings = project.codings.of_transcript(uuid)
    asked: list[str] = []

    def confirm(cls: type, parent: object, title: str, text: str) -> bool:
        asked.append(text)
        return len(asked) > 1  # the first time the user says no

    monkeypatch.setattr(TranscriptsPanel, "confirm", classmethod(confirm))
    view = _click_transcript(qtbot, window, "interview_7")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "2 codings and 1 memo go with it" in asked[0] and "Ctrl+Z" in asked[0]
    assert _names(window) == ["bare_upload", "interview_7"]  # "No": nothing went

    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert _names(window) == ["bare_upload"]
    assert [t.name for t in project.transcripts.all()] == ["bare_upload"]
    assert project.counts()["codings"] == 0 and project.counts()["memos"] == 0
    assert window.workbench is not None
    assert "interview_7" not in window.workbench.heading.text()
    assert "Keeping the same worker" not in window.workbench.view.text_edit.toPlainText()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _names(window) == ["bare_upload", "interview_7"]
    assert project.codings.of_transcript(uuid) == codings
    memo = project.memos.for_target("transcript", uuid)
    assert memo is not None and memo.text == "Talked about Quistclose."

    qtbot.keyClick(
        window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert _names(window) == ["bare_upload"]
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.codings.of_transcript(uuid) == codings


def test_a_delete_is_final_once_the_project_is_closed(
    window: MainWindow, qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(TranscriptsPanel, "confirm", classmethod(lambda cls, parent, title, text: True))
    uuid = project.transcripts.find("interview_7").uuid
    view = _click_transcript(qtbot, window, "interview_7")
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert window.undo_stack.canUndo()
    folder = project.paths.folder
    window.close_project()
    assert not window.undo_stack.canUndo()  # the snapshot went with the history
    with Project.open(folder, passphrase=PASSPHRASE) as reopened:
        assert [t.name for t in reopened.transcripts.all()] == ["bare_upload"]
        for (table,) in reopened.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            rows = repr(reopened.db.execute(f"SELECT * FROM {table}").fetchall())
            assert uuid not in rows and "Quistclose" not in rows, table


def test_a_transcript_named_by_its_case_says_it_once(project: Project, tmp_path: Path, qtbot: QtBot) -> None:
    """At a lead, merged transcripts are named by their attribution: the heading and list say it once."""
    project.transcripts.import_file(
        write_txt(tmp_path, "Client interview 3.txt", BARE), ParticipantFields("Client", 3, mode="telephone")
    )
    window = drive.shown(qtbot, MainWindow(project, _settings(tmp_path)))
    try:
        assert window.workbench is not None
        heading = window.workbench.heading.text()
        assert heading.count("Client interview 3") == 1, heading
        row = _row_of(window.workbench.transcripts.view, "Client interview 3")
        assert row.siblingAtColumn(1).data() == "telephone"
    finally:
        window.close_project()


def test_an_empty_project_says_how_to_import(project: Project, tmp_path: Path, qtbot: QtBot) -> None:
    window = drive.shown(qtbot, MainWindow(project, _settings(tmp_path)))
    try:
        assert window.workbench is not None
        assert window.workbench.heading.text() == ""
        assert window.workbench.view.text_edit.placeholderText() == NO_TRANSCRIPTS
        # The hint names the menu entry as it is.
        entries = {
            (action.text(), action.shortcut().toString())
            for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
            for action in menu.actions()
        }
        assert ("&Import transcripts…", QKeySequence("Ctrl+Shift+I").toString()) in entries
        assert "File › Import transcripts… (Ctrl+Shift+I)" in NO_TRANSCRIPTS
    finally:
        window.close_project()


# -- the cases view ------------------------------------------------------------------------------------


def _open_cases(qtbot: QtBot, window: MainWindow) -> CasesDialog:
    qtbot.keyClick(
        window, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, CasesDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # as the window manager does (the offscreen platform has none)
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _cell(dialog: CasesDialog, transcript: str, key: str) -> QModelIndex:
    model = dialog.proxy
    column = [c.key for c in dialog.model.columns].index(key)
    for row in range(model.rowCount()):
        if transcript in str(model.index(row, 1).data()):
            return model.index(row, column)
    raise AssertionError(f"no case with {transcript}")


def _type_in(qtbot: QtBot, table: QTableView, index: QModelIndex, text: str) -> None:
    """Click a cell and type into it, as a person does: the first key opens the editor."""
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(index).center())
    qtbot.keyClicks(table, text[0])
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not table
    qtbot.keyClicks(editor, text[1:])
    _enter(qtbot, editor, table)


def test_cases_edited_in_place_exported_and_read_back(
    window: MainWindow, qtbot: QtBot, project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _open_cases(qtbot, window)
    table = dialog.table
    assert dialog.model.rowCount() == 2
    _type_in(qtbot, table, _cell(dialog, "bare_upload", "council_area"), "Highland")
    _type_in(qtbot, table, _cell(dialog, "bare_upload", "participant_group"), "Wider")  # completes inline
    _type_in(qtbot, table, _cell(dialog, "bare_upload", "interview_number"), "12")
    bare = project.cases.find("bare_upload").participant
    assert (bare.council_area, bare.participant_group, bare.interview_number) == (
        "Highland",
        "Wider professional partner",
        12,
    )
    assert _cell(dialog, "bare_upload", "label").data() == "Wider professional partner interview 12"

    # A number another case has: refused in one line under the table; the cell stays as it was.
    _type_in(qtbot, table, _cell(dialog, "bare_upload", "interview_number"), "7")
    assert dialog.message.text() == "Not changed: interview 7 is already interview_7's."
    assert project.cases.find("bare_upload").participant.interview_number == 12
    assert _cell(dialog, "bare_upload", "interview_number").data() == "12"

    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert project.cases.find("bare_upload").participant.interview_number is None
    qtbot.keyClick(
        table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert project.cases.find("bare_upload").participant.interview_number == 12

    # The sheet goes out, is edited in a spreadsheet, and comes back. It passes the indirect check:
    # two cases, so every detail fits fewer than k; refused in one line until they are decided.
    sheet = tmp_path / "cases.csv"
    monkeypatch.setattr(CasesDialog, "ask_save_file", classmethod(lambda cls, parent, suggested: sheet))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert (
        dialog.message.text().startswith("Not exported: ")
        and "Indirect identification" in dialog.message.text()
    )
    assert "Highland" not in dialog.message.text() and not sheet.exists()
    decide_all(project)  # left as they are: the sheet is the team's working file
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Wrote 2 cases to cases.csv (readable by you only)."
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    row = next(r for r in rows if "bare_upload" in r[1])
    row[header.index("mode")] = "Telephone"
    header.append("role")
    for r in rows[1:]:
        r.append("Police sergeant" if r is row else "")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    monkeypatch.setattr(CasesDialog, "ask_open_file", classmethod(lambda cls, parent: sheet))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Imported cases.csv: 1 cases changed, 1 unchanged. Ctrl+Z undoes it."
    assert _cell(dialog, "bare_upload", "role").data() == "Police sergeant"
    assert _cell(dialog, "bare_upload", "mode").data() == "telephone"
    assert project.cases.find("12").participant.attributes == {"role": "Police sergeant"}

    # A hostile sheet: one plain line, nothing stored.
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(f"case_id,interview_number\n{bare.uuid},7\n", encoding="utf-8")
    monkeypatch.setattr(CasesDialog, "ask_open_file", classmethod(lambda cls, parent: hostile))
    before = project.cases.all()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert (
        dialog.message.text()
        == "hostile.csv, line 2: interview 7 is already interview_7's; nothing was imported."
    )
    assert project.cases.all() == before

    qtbot.keyClick(table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.model.rowCount() == 0  # no details left in the closed dialog
    assert window.workbench is not None
    listed = _row_of(window.workbench.transcripts.view, "bare_upload").siblingAtColumn(1)
    assert listed.data() == "Wider professional partner interview 12"


def test_a_lock_closes_the_cases_view_first(window: MainWindow, qtbot: QtBot) -> None:
    dialog = _open_cases(qtbot, window)
    window.lock()
    assert not dialog.isVisible() and dialog.model.rowCount() == 0


def test_the_cases_model(qtmodeltester: ModelTester, project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(
        write_txt(tmp_path, "a.txt", TEXT), ParticipantFields("Client", 1, attributes={"role": "x"})
    )
    project.transcripts.import_file(write_txt(tmp_path, "b.txt", BARE))
    model = CasesModel()
    cases = project.cases.all()
    model.set_cases(cases, project.cases.attribute_names(cases))
    qtmodeltester.check(model)
    assert model.columnCount() == 8 and model.headerData(7, Qt.Orientation.Horizontal) == "Role"
