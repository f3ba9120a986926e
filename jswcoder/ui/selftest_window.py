"""The self-test's Qt checks: a recording decodes in memory with Qt Multimedia, and the main window opens
on a project, paints, and closes cleanly."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QMessageLogContext, QSettings, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from jswcoder.display import display_available
from jswcoder.project import Project
from jswcoder.selftest import CheckFailed
from jswcoder.ui.app import application
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings


def use_offscreen_without_display() -> None:
    """On a Linux machine with no screen, draw offscreen rather than fail to start Qt."""
    if not display_available():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


EXPOSE_SECONDS = 5  # a window manager may take a moment to map the window

# Said by Qt offscreen (whenever a window is shown) and in a bare environment (env -i): nothing is wrong.
HARMLESS = (
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "Detected locale",
)


def _quiet_harmless(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if not message.startswith(HARMLESS):
        print(f"qt: {message}", file=sys.stderr)


def decode_recording(project: Project, ref: str) -> bytearray:
    """The recording as 16 kHz mono PCM, decoded from memory by Qt's FFmpeg (in the app's QApplication,
    which the window check then uses)."""
    # Qt Multimedia loads here only: under Wine this check is skipped, and the window check must not
    # load it either (tests/test_self_test.py).
    from jswcoder.ui.audio_source import DecodeFailed, decode_pcm, recording_buffer  # noqa: PLC0415

    use_offscreen_without_display()
    qInstallMessageHandler(_quiet_harmless)
    application()
    buffer = recording_buffer(project, ref)
    try:
        return decode_pcm(buffer)
    except DecodeFailed as failed:
        raise CheckFailed(str(failed)) from None
    finally:
        buffer.close()


def show_and_close(project: Project, folder: Path) -> None:
    """Open ``project`` in the main window (settings kept in ``folder``), let it paint, close it."""
    use_offscreen_without_display()
    qInstallMessageHandler(_quiet_harmless)
    app = application()
    settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    try:
        window.show()
        # Shown is not enough: the platform must have made a native window and exposed it (on
        # Windows, CreateWindowEx can fail while the widget still says it is visible).
        handle = window.windowHandle()
        deadline = time.monotonic() + EXPOSE_SECONDS
        while not (handle is not None and handle.isExposed()) and time.monotonic() < deadline:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if not window.isVisible() or handle is None or not handle.isExposed() or not window.winId():
            raise CheckFailed("the main window did not appear")
        if window.workbench is None or window.workbench.transcripts.model.rowCount() == 0:
            raise CheckFailed("the main window shows no transcripts")
        if window.grab().isNull():
            raise CheckFailed("the main window could not be drawn")
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
