"""The app's controller: start screen, opening a project into a window, closing back to the start."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.ui.app import Controller
from jswcoder.ui.settings import Settings
from tests.conftest import make_project, write_txt


def test_open_from_the_start_screen_and_close_back_to_it(qtbot: QtBot, tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "study")
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", "P1: Hello there.\n"))
    project.close()  # its key stays in the (in-memory) keychain, so opening asks for nothing
    controller = Controller(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    controller.show_start()
    assert controller.start_screen is not None
    qtbot.addWidget(controller.start_screen)
    controller.start_screen.openRequested.emit(str(tmp_path / "study"))
    window = controller.window
    assert window is not None and window.project is not None
    qtbot.addWidget(window)
    assert window.project.transcripts.find("int_1").name == "int_1"
    assert controller.settings.recent_projects() == [(tmp_path / "study").absolute()]
    assert not controller.start_screen.isVisible()
    window.closeProjectRequested.emit()
    assert controller.window is None and controller.start_screen.isVisible()
    Project.open(tmp_path / "study").close()  # the window closed the project: its lock is free again


def test_a_project_file_handed_over_by_the_macos_finder_opens_it(qtbot: QtBot, tmp_path: Path) -> None:
    """macOS gives a double-clicked project.jswc (the .app declares the type) to the app as a
    FileOpen event, not on the command line; a second one, while a project is open, brings the open
    project's window forward and says why the other did not open."""
    for name in ("study", "other"):
        made, _ = make_project(tmp_path / name)
        made.close()  # its key stays in the (in-memory) keychain, so opening asks for nothing
    controller = Controller(Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    controller.show_start()
    assert controller.start_screen is not None
    qtbot.addWidget(controller.start_screen)
    app = QApplication.instance()
    QApplication.sendEvent(app, QFileOpenEvent(str(tmp_path / "study" / "project.jswc")))
    qtbot.waitUntil(lambda: controller.window is not None)
    window = controller.window
    assert window is not None and window.project is not None
    qtbot.addWidget(window)
    assert window.project.paths.folder == (tmp_path / "study").absolute()
    QApplication.sendEvent(app, QFileOpenEvent(str(tmp_path / "other" / "project.jswc")))
    qtbot.waitUntil(lambda: "close this project first" in window.statusBar().currentMessage())
    assert controller.window is window and window.project.paths.folder == (tmp_path / "study").absolute()
    window.closeProjectRequested.emit()


@pytest.mark.qt_no_exception_capture
def test_a_bug_in_a_slot_writes_a_report_and_says_where_in_a_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QApplication, QMessageBox

    from jswcoder import crash
    from jswcoder.ui.app import tell_about_crash

    class Emitter(QObject):
        fired = Signal()

    def bug() -> None:
        raise KeyError("Zebedee Quistclose")

    shown: list[str] = []

    def close_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QMessageBox):
            shown.append(dialog.text())
            dialog.accept()
        else:
            QTimer.singleShot(20, close_the_dialog)

    before = set(crash.crash_dir().glob("crash-*.txt")) if crash.crash_dir().is_dir() else set()
    previous = sys.excepthook, threading.excepthook
    crash.install(tell_about_crash)
    try:
        emitter = Emitter()
        emitter.fired.connect(bug)
        QTimer.singleShot(20, close_the_dialog)
        emitter.fired.emit()
    finally:
        sys.excepthook, threading.excepthook = previous
    (report,) = set(crash.crash_dir().glob("crash-*.txt")) - before
    assert shown and str(report) in shown[0] and "KeyError" in shown[0]
    assert "Zebedee" not in shown[0] and "Zebedee" not in report.read_text(encoding="utf-8")
