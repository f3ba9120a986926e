"""The Analysis menu's exports and the matrix window's Export…: real files from a real encrypted project."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from docx import Document
from PySide6.QtCore import QCoreApplication, Qt, QUrl
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.qdpx_export_dialog import QdpxExportDialog
from jswcoder.ui.report_actions import ReportActions
from jswcoder.ui.report_options_dialog import ReportChoices, ReportOptionsDialog
from jswcoder.ui.saved_message import SavedMessage
from tests.indirect_decided import decide_all
from tests.test_ui_matrix import CANARY, open_matrix, study, window

__all__ = ["study", "window"]  # fixtures, used by name


def answers(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    told: list[str] = []
    monkeypatch.setattr(ReportActions, "ask_target", classmethod(lambda cls, *args: target))
    # How the report is made: the defaults (the dialog itself is driven in its own test).
    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(lambda cls, parent: ReportChoices()))
    # Which program a .qdpx is for: the one preselected (tests/test_ui_qdpx_export.py drives the dialog).
    monkeypatch.setattr(QdpxExportDialog, "ask", classmethod(lambda cls, parent, chosen: chosen))
    monkeypatch.setattr(
        ReportActions, "tell", classmethod(lambda cls, parent, title, text: told.append(text))
    )
    return told


def trigger(window: MainWindow, text: str, menu: str = "Analysis") -> None:
    """Choose the menu entry, and let the export it starts in the background finish."""
    next(a for a in window._menus[menu].actions() if a.text() == text).trigger()
    finish(window)


def finish(window: MainWindow) -> None:
    """Wait for the export's worker, then deliver its outcome (queued for the UI thread) here."""
    assert window.jobs.running is not None  # it runs in the background
    window.jobs.running.task.wait()
    QCoreApplication.sendPostedEvents()
    assert window.jobs.running is None


def saved(window: MainWindow) -> str:
    """The text of the message shown after the file was written."""
    box = window.reports.saved_message
    assert box is not None
    return box.text()


def _reviewed(project: Project) -> None:
    project.register.add(CANARY, "[NAME OF PERSON]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    decide_all(project)  # three participants: a quote with the canary's descriptor narrows to one


def _cells(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)


def test_an_unreviewed_name_stops_the_export_and_points_to_the_register(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    told = answers(monkeypatch, tmp_path / "report.docx")
    trigger(window, "Export the theme &report…")
    assert not (tmp_path / "report.docx").exists()
    assert "Anonymisation register" in told[0] and CANARY not in told[0]


def test_the_theme_report_and_the_summary_from_the_menu(
    window: MainWindow, project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)
    told = answers(monkeypatch, tmp_path / "report.docx")
    trigger(window, "Export the theme &report…")
    assert saved(window).startswith("Saved report.docx") and "register was applied" in saved(window)
    paragraphs = [p.text for p in Document(str(tmp_path / "report.docx")).paragraphs]
    assert "(Client interview 3)" in paragraphs and "(Justice social workers interview 2)" in paragraphs
    assert not any(CANARY in p for p in paragraphs) and any("[NAME OF PERSON]" in p for p in paragraphs)
    told = answers(monkeypatch, tmp_path / "summary.csv")
    trigger(window, "Export the coding &summary…")
    assert (tmp_path / "summary.csv").read_text(encoding="utf-8-sig").count("\n") >= 4
    assert saved(window).startswith("Saved summary.csv") and not told


def test_the_matrix_window_exports_what_it_shows(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)
    matrix = open_matrix(window, qtbot)
    matrix.model.matrix.save_summary(1, 1, "Kind staff, long wait.")
    matrix.refresh()
    matrix.group_combo.setCurrentIndex(matrix.group_combo.findData("mode"))
    matrix.group_combo.activated.emit(matrix.group_combo.currentIndex())
    told = answers(monkeypatch, tmp_path / "matrix.xlsx")
    matrix.export_action.trigger()
    finish(window)
    assert saved(window).startswith("Saved matrix.xlsx") and not told
    cells = _cells(tmp_path / "matrix.xlsx")
    assert "Kind staff, long wait." in cells and "telephone" in cells
    assert CANARY not in cells


def test_after_an_export_the_message_offers_open_file_and_open_folder(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)
    opened: list[QUrl] = []
    monkeypatch.setattr(SavedMessage, "open_url", classmethod(lambda cls, url: opened.append(url)))
    answers(monkeypatch, tmp_path / "out" / "summary.xlsx")
    (tmp_path / "out").mkdir()
    trigger(window, "Export the coding &summary…")
    box = window.reports.saved_message
    assert box is not None and box.parent() is window
    qtbot.waitUntil(box.isVisible)
    box.grab().save(str(tmp_path / "saved.png"))
    assert box.open_file_button is not None
    qtbot.mouseClick(box.open_file_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path / "out" / "summary.xlsx"))]
    assert not box.isVisible()


def test_an_export_from_the_matrix_says_so_over_the_matrix(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _reviewed(project)
    opened: list[QUrl] = []
    monkeypatch.setattr(SavedMessage, "open_url", classmethod(lambda cls, url: opened.append(url)))
    matrix = open_matrix(window, qtbot)
    told = answers(monkeypatch, tmp_path / "matrix.xlsx")
    matrix.export_action.trigger()
    finish(window)
    box = window.reports.saved_message
    assert box is not None and not told
    assert box.parent() is matrix  # over the matrix window, not behind it under the main window
    qtbot.waitUntil(box.isVisible)
    qtbot.mouseClick(box.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(tmp_path))]


def test_the_report_options_are_asked_first_and_kept_for_the_session(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The options dialog, driven by keys: a title typed, the empty themes asked for; the report follows."""
    _reviewed(project)
    project.codebook.add("A theme nobody used")
    # The file dialog answers; the options dialog is the real one this time.
    monkeypatch.setattr(ReportActions, "ask_target", classmethod(lambda cls, *args: tmp_path / "report.docx"))
    monkeypatch.setattr(ReportOptionsDialog, "last", ReportChoices())

    def choose(dialog: ReportOptionsDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        assert (
            dialog.title_page.isChecked() and not dialog.all_themes.isChecked() and dialog.trimmed.isChecked()
        )
        qtbot.keyClicks(dialog.title, "Night shift study: themes")
        dialog.all_themes.setFocus()
        qtbot.keyClick(dialog.all_themes, Qt.Key.Key_Space)
        dialog.grab().save(str(tmp_path / "report_options.png"))
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
        return dialog.result()

    monkeypatch.setattr(ReportOptionsDialog, "exec", choose)
    trigger(window, "Export the theme &report…")
    paragraphs = [p.text for p in Document(str(tmp_path / "report.docx")).paragraphs]
    assert "Night shift study: themes" in paragraphs and "A theme nobody used" in paragraphs
    assert (
        ReportOptionsDialog.last.all_themes and ReportOptionsDialog.last.title == "Night shift study: themes"
    )
