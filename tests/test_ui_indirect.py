"""The indirect-identification review on a real encrypted project, driven by clicks and keys: ticking
a released detail shows its rare combination, a value typed over the suggestion is kept as an edit,
dismissing decides the next, k is kept, and Edit › Indirect identification… opens the review."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMenu, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.services.indirect import IndirectCheck
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.ui.indirect_window import FindingsModel, IndirectWindow
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.conftest import write_txt

if TYPE_CHECKING:
    from pytestqt.modeltest import ModelTester


def _study(project: Project, tmp_path: Path) -> None:
    for number, (area, mode) in enumerate(
        [
            ("Fife", "telephone"),
            ("Fife", "telephone"),
            ("Fife", "telephone"),
            ("Oban", "telephone"),
            ("Fife", "video"),
        ],
        start=1,
    ):
        path = write_txt(tmp_path / "in", f"int_{number}.txt", f"P1: Case {number}.\n")
        project.transcripts.import_file(
            path, ParticipantFields("Client", number, council_area=area, mode=mode)
        )


def test_review_ticks_edits_accepts_and_dismisses(
    project: Project, tmp_path: Path, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    _study(project, tmp_path)
    window = drive.shown(qtbot, IndirectWindow(project))
    qtmodeltester.check(window.model)
    assert window.model.rowCount() == 0  # the attribution alone
    qtbot.mouseClick(window.released["council_area"], Qt.MouseButton.LeftButton)
    assert [window.model.data(window.model.index(r, 0)) for r in range(window.model.rowCount())] == [
        "council_area: Oban"
    ]
    qtbot.mouseClick(window.released["mode"], Qt.MouseButton.LeftButton)
    details = [window.model.data(window.model.index(r, 0)) for r in range(window.model.rowCount())]
    assert details == ["council_area: Oban", "mode: video"]
    qtmodeltester.check(window.model)

    table = window.table
    table.setCurrentIndex(window.model.index(0, FindingsModel.SUGGESTION))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = table.findChild(QLineEdit)
    assert isinstance(editor, QLineEdit) and editor.text() == "[a council area]"
    editor.selectAll()
    qtbot.keyClicks(editor, "[Scotland]")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert window.model.value(0) == "[Scotland]"
    qtbot.mouseClick(window.accept_button, Qt.MouseButton.LeftButton)
    assert table.currentIndex().row() == 0  # the list keeps its place
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.mouseClick(window.dismiss_button, Qt.MouseButton.LeftButton)

    check = IndirectCheck(project.db, project.coder.uuid)
    decided = sorted((d.decision, d.value) for d in check.decisions().values())
    assert decided == [("dismissed", None), ("edited", "[Scotland]")]
    assert window.model.data(window.model.index(0, 3)) == "edited"
    # "[Scotland]" typed over the suggestion is still one participant's: counted again, one more.
    assert window.model.data(window.model.index(2, 0)) == "council_area: [Scotland]"
    assert "1 to decide" in window.summary.text()

    window.k.setValue(4)
    assert IndirectCheck(project.db, project.coder.uuid).k == 4
    assert window.model.rowCount() > 2  # Fife's three by telephone are now too few
    window.reject()
    assert window.model.rowCount() == 0  # a closed (or locked) review keeps no details


def test_edit_menu_opens_the_review(project: Project, tmp_path: Path, qtbot: QtBot) -> None:
    _study(project, tmp_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(project, settings))
    seen: list[int] = []

    def look_and_close(shown: QWidget) -> None:
        assert isinstance(shown, IndirectWindow)
        seen.append(shown.k.value())
        shown.reject()

    drive.when_shown(IndirectWindow, look_and_close)
    [action] = [a for a in window.menuBar().actions() if a.text() == "&Edit"]
    menu = action.menu()
    assert isinstance(menu, QMenu)
    [indirect] = [a for a in menu.actions() if a.text() == "&Indirect identification…"]
    indirect.trigger()
    qtbot.waitUntil(lambda: bool(seen) and QApplication.activeModalWidget() is None)
    assert seen == [3]
    window.close_project()
