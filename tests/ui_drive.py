"""Driving shown windows as a person would: shared by the UI tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QMenu, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from jswcoder.offsets import Convention, OffsetMap
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.quick_code import QuickCodePalette

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


def point_of(edit: QPlainTextEdit, text: str, offset: int) -> QPoint:
    """The viewport point just right of the caret position *offset* (code points) of *text*: inside
    the character that starts there."""
    cursor = QTextCursor(edit.document())
    cursor.setPosition(OffsetMap(text).to_units(offset, Convention.UTF16))
    rect = edit.cursorRect(cursor)
    return QPoint(rect.left() + 2, rect.center().y())


def drag_over(
    qtbot: QtBot,
    edit: QPlainTextEdit,
    text: str,
    start: int,
    end: int,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """Select from *start* to *end* (code points) with the mouse: press, move there, release. (A press
    on selected text would start dragging it instead, as it does for a person.)"""
    viewport = edit.viewport()
    begin, finish = point_of(edit, text, start), point_of(edit, text, end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, modifiers, begin)
    qtbot.mouseMove(viewport, begin + QPoint(12, 0))
    qtbot.mouseMove(viewport, finish)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, modifiers, finish)


def when_shown(kind: type[QWidget], handle: Callable[[QWidget], None]) -> None:
    """Hand the next modal window of *kind* to *handle* once it is up (it may block its opener)."""

    def look(tries: int = 0) -> None:
        shown = QApplication.activeModalWidget()
        if isinstance(shown, kind):
            handle(shown)
        elif tries < 500:
            QTimer.singleShot(10, lambda: look(tries + 1))

    QTimer.singleShot(0, look)


def when_popup(handle: Callable[[QMenu], None]) -> None:
    """Hand the next popup menu to *handle* once it is up (a context menu blocks its opener)."""

    def look(tries: int = 0) -> None:
        popup = QApplication.activePopupWidget()
        if isinstance(popup, QMenu) and popup.isVisible():
            handle(popup)
        elif tries < 500:
            QTimer.singleShot(10, lambda: look(tries + 1))

    QTimer.singleShot(0, look)


def quick_code(
    qtbot: QtBot, window: MainWindow, typed: str, modifiers: Qt.KeyboardModifier
) -> tuple[str, bool]:
    """Ctrl+K (or Ctrl+Shift+K) in the text, type into the quick-code box that opens, press Enter: the
    box's title, and whether it was still open after Enter."""
    assert window.workbench is not None
    seen: list[tuple[str, bool]] = []

    def answer(box: QWidget) -> None:
        assert isinstance(box, QuickCodePalette)
        qtbot.keyClicks(box.query, typed)
        qtbot.keyClick(box.query, Qt.Key.Key_Return)
        seen.append((box.windowTitle(), box.isVisible()))
        if box.isVisible():
            box.reject()  # Enter left it open; close it so that the test goes on to fail, not hang

    when_shown(QuickCodePalette, answer)
    edit = window.workbench.view.text_edit
    qtbot.keyClick(edit, Qt.Key.Key_K, modifiers)
    qtbot.waitUntil(lambda: bool(seen))
    qtbot.waitUntil(lambda: window.isActiveWindow() and edit.hasFocus())  # back in the text
    return seen[0]


def drop_selection_on(qtbot: QtBot, window: MainWindow, path: str) -> None:
    """Drag the transcript's selection onto the theme *path* in the tree: the events a drop delivers
    there (enter, move, drop), carrying what the text view puts in a drag."""
    assert window.workbench is not None
    themes = window.workbench.themes
    index = themes.proxy.mapFromSource(themes.model.index_of(themes.project.codebook.find(path).uuid))
    themes.view.scrollTo(index)
    viewport = themes.view.viewport()
    point = themes.view.visualRect(index).center()
    mime = window.workbench.view.text_edit.createMimeDataFromSelection()
    copy, left = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    none = Qt.KeyboardModifier.NoModifier
    for event in (
        QDragEnterEvent(point, copy, mime, left, none),
        QDragMoveEvent(point, copy, mime, left, none),
        QDropEvent(QPointF(point), copy, mime, left, none),
    ):
        QApplication.sendEvent(viewport, event)
        assert event.isAccepted(), f"the tree refused the {event.type().name}"
