"""Driving shown windows as a person would: shared by the UI tests."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from jswcoder.offsets import Convention, OffsetMap
from jswcoder.ui.main_window import MainWindow

W = TypeVar("W", bound=QWidget)


def shown(qtbot: QtBot, window: W) -> W:
    """*window* on screen and active, so that its shortcuts take key presses."""
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def select(window: MainWindow, text: str, phrase: str) -> tuple[int, int]:
    """Select *phrase* of the open transcript *text* with a real QTextCursor (UTF-16 positions)."""
    assert window.workbench is not None
    edit = window.workbench.view.text_edit
    start = text.index(phrase)
    offsets = OffsetMap(text)
    cursor = edit.textCursor()
    cursor.setPosition(offsets.to_units(start, Convention.UTF16))
    cursor.setPosition(
        offsets.to_units(start + len(phrase), Convention.UTF16), QTextCursor.MoveMode.KeepAnchor
    )
    edit.setTextCursor(cursor)
    edit.setFocus()
    return start, start + len(phrase)
