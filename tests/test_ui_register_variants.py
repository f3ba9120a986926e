"""A register entry's other forms in the register window, typed as a tired fieldworker would: the entry
clicked, "Shiv, Mrs K" typed into Other forms, Enter; the list shows them and the project keeps them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.services.egress import Egress
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.register_dialog import AddToRegisterDialog
from jswcoder.ui.register_window import RegisterWindow
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.conftest import write_txt

TEXT = "Interviewer: Who leads?\nP1: Siobhan Kerr does; we call her Shiv. Mrs K to the clients.\n"


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[RegisterWindow]:
    project.transcripts.import_file(write_txt(tmp_path / "in", "jsw_3.txt", TEXT))
    project.register.add("Siobhan Kerr", "[TEAM LEADER]", "PERSON")
    project.register.add("Kilbrannan", "[NAME OF TOWN]", "PLACE")
    shown = RegisterWindow(project)
    shown.resize(1000, 600)
    yield drive.shown(qtbot, shown)
    shown.close()


def _entries(window: RegisterWindow) -> QAbstractItemView:
    (found,) = [v for v in window.findChildren(QAbstractItemView) if v.accessibleName() == "Register entries"]
    return found


def _forms(window: QWidget) -> QLineEdit:
    (found,) = [e for e in window.findChildren(QLineEdit) if e.accessibleName() == "Other forms"]
    return found


def _click_entry(qtbot: QtBot, view: QAbstractItemView, text: str) -> None:
    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == text)
    index = model.index(row, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def _cell(view: QAbstractItemView, text: str, heading: str) -> str:
    model = view.model()
    column = next(
        c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == heading
    )
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == text)
    return str(model.index(row, column).data())


def test_other_forms_typed_for_an_entry_are_kept_shown_and_replaced(
    window: RegisterWindow, project: Project, qtbot: QtBot
) -> None:
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    entries, forms = _entries(window), _forms(window)
    assert not forms.isEnabled()  # nothing to edit before an entry is chosen
    _click_entry(qtbot, entries, "Siobhan Kerr")
    assert forms.isEnabled() and forms.text() == ""
    qtbot.mouseClick(forms, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(forms, "Shiv, Mrs K")
    qtbot.keyClick(forms, Qt.Key.Key_Return)

    [kerr] = [e for e in project.register.entries() if e.text == "Siobhan Kerr"]
    assert kerr.variants == ("Shiv", "Mrs K")
    assert _cell(entries, "Siobhan Kerr", "Other forms") == "Shiv, Mrs K"
    assert _cell(entries, "Kilbrannan", "Other forms") == ""
    assert forms.text() == "Shiv, Mrs K"  # the entry stays current, its forms shown
    out = Egress(project.register).apply(TEXT).text
    assert out.count("[TEAM LEADER]") == 3 and "Shiv" not in out and "Mrs K" not in out

    _click_entry(qtbot, entries, "Kilbrannan")
    assert forms.text() == ""
    _click_entry(qtbot, entries, "Siobhan Kerr")
    qtbot.mouseClick(forms, Qt.MouseButton.LeftButton)
    qtbot.keyClick(forms, Qt.Key.Key_End)
    for _ in range(len(", Mrs K")):
        qtbot.keyClick(forms, Qt.Key.Key_Backspace)
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # Save other forms (a button's
    # mnemonic clicks it a moment later, as it shows the press)

    def saved() -> bool:
        return [e.variants for e in project.register.entries() if e.text == "Siobhan Kerr"] == [("Shiv",)]

    qtbot.waitUntil(saved)
    assert _cell(entries, "Siobhan Kerr", "Other forms") == "Shiv"
    window.grab().save("/tmp/register_variants.png")


def test_other_forms_given_as_the_selected_words_are_added(
    project: Project, tmp_path: Path, qtbot: QtBot
) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "in", "jsw_3.txt", TEXT))
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = drive.shown(qtbot, MainWindow(project, settings))
    assert window.workbench is not None
    filled: list[str] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog)
        try:
            qtbot.waitUntil(dialog.isActiveWindow)
            qtbot.keyClick(dialog, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # "Other forms:"
            forms = _forms(dialog)
            assert forms.hasFocus() and forms.text() == "", (forms.hasFocus(), forms.text())
            qtbot.keyClicks(forms, "Shiv, Mrs K")
            dialog.grab().save("/tmp/add_to_register_forms.png")
            filled.append(forms.text())
        except BaseException:
            dialog.reject()  # the test fails instead of waiting on the dialog
            raise
        qtbot.keyClick(forms, Qt.Key.Key_Return)  # OK

    drive.when_shown(AddToRegisterDialog, fill)
    drive.select(window, project.transcripts.text("jsw_3"), "Siobhan Kerr")
    qtbot.keyClick(window.workbench.view.text_edit, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert filled == ["Shiv, Mrs K"]
    assert [(e.text, e.variants, e.replacement) for e in project.register.entries()] == [
        ("Siobhan Kerr", ("Shiv", "Mrs K"), "[PERSON]")
    ]
    window.close_project()
