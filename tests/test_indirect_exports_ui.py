"""In the app, with real clicks: a theme report refused for a quote that narrows to one participant says
so in one line and offers the Indirect identification review; deciding there lets the export go."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.services.indirect import IndirectCheck
from jswcoder.ui.indirect_window import IndirectWindow
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.qdpx_export_dialog import QdpxExportDialog
from jswcoder.ui.report_actions import ReportActions
from jswcoder.ui.report_options_dialog import ReportChoices, ReportOptionsDialog
from jswcoder.ui.settings import Settings
from tests import ui_drive as drive
from tests.test_indirect_exports import SECRETS, plant
from tests.test_ui_reports import finish, saved

SHOTS = os.environ.get("JSWCODER_SCREENSHOTS")  # a folder to save the refusal and the review in


@pytest.fixture
def window(project: Project, tmp_path: Path, qtbot: QtBot) -> Iterator[MainWindow]:
    plant(project, tmp_path)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = drive.shown(qtbot, MainWindow(project, settings))
    yield shown
    shown.close_project()


def _button(widget: QWidget, text: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text().replace("&", "") == text)


def test_a_refused_report_opens_the_review_and_goes_once_decided(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "report.docx"
    monkeypatch.setattr(ReportActions, "ask_target", classmethod(lambda cls, *args: target))
    monkeypatch.setattr(ReportOptionsDialog, "ask", classmethod(lambda cls, parent: ReportChoices()))
    seen: dict[str, object] = {}

    def in_review(review: QWidget) -> None:
        assert isinstance(review, IndirectWindow)
        seen["findings"] = review.model.rowCount()
        if SHOTS:
            review.grab().save(str(Path(SHOTS) / "indirect_review.png"))
        review.table.setFocus()
        qtbot.mouseClick(review.accept_button, Qt.MouseButton.LeftButton)  # the first row is current
        seen["decided"] = review.model.data(review.model.index(0, 3))
        qtbot.keyClick(review, Qt.Key.Key_Escape)

    def refused(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen["text"] = box.text()
        if SHOTS:
            box.grab().save(str(Path(SHOTS) / "indirect_refusal.png"))
        drive.when_shown(IndirectWindow, in_review)
        qtbot.mouseClick(_button(box, "Review now…"), Qt.MouseButton.LeftButton)

    drive.when_shown(QMessageBox, refused)
    export = next(a for a in window._menus["Analysis"].actions() if a.text() == "Export the theme &report…")
    export.trigger()
    finish(window)
    qtbot.waitUntil(lambda: "decided" in seen)
    text = str(seen["text"])
    assert text == (
        "Not exported: 1 quote fits fewer than 3 participants. Review them in Edit › Indirect identification…"
    )
    assert not any(secret in text for secret in SECRETS)
    assert seen["findings"] == 1 and seen["decided"] == "accepted"
    assert not target.exists()
    assert [d.decision for d in IndirectCheck(project.db).decisions().values()] == ["accepted"]

    export.trigger()
    finish(window)
    assert saved(window).startswith("Saved report.docx")
    texts = [p.text for p in docx.Document(str(target)).paragraphs]
    assert texts[texts.index("I am the only team leader in [NAME OF AREA].") + 1] == "(Participant)"


def test_closing_the_offer_decides_nothing(
    window: MainWindow, project: Project, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "study.qdpx"
    monkeypatch.setattr(ReportActions, "ask_target", classmethod(lambda cls, *args: target))
    monkeypatch.setattr(QdpxExportDialog, "ask", classmethod(lambda cls, parent, chosen: chosen))
    closed: list[str] = []

    def close(box: QWidget) -> None:
        closed.append(box.windowTitle())
        qtbot.mouseClick(_button(box, "Close"), Qt.MouseButton.LeftButton)

    drive.when_shown(QMessageBox, close)
    export = next(
        a for a in window._menus["File"].actions() if "REFI-QDA" in a.text() and ".qdpx" in a.text()
    )
    export.trigger()
    finish(window)
    qtbot.waitUntil(lambda: bool(closed))
    assert closed == ["Export to REFI-QDA"] and not target.exists()
    assert IndirectCheck(project.db).decisions() == {}
