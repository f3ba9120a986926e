"""The matrix's side pane: the current cell's summary, saved as you type, and the passages behind it.

The pane knows nothing of the project. Shortly after each pause in typing, when the editor loses
focus, and whenever :meth:`CellPane.flush` is called (a move to another cell, a lock, a close), it
emits :attr:`CellPane.typed` with the text; the window saves it as one undo step.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QPalette, QShortcut, QTextCursor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QVBoxLayout, QWidget

from jswcoder.analysis.matrix import Passage, shorten
from jswcoder.ui.matrix_model import EMERGENT_MARK

AUTOSAVE_MS = 800
SNIPPET_WORDS = 40
TARGET_ROLE = Qt.ItemDataRole.UserRole + 1


class CellPane(QWidget):
    typed = Signal(str)  # the summary as typed, after a pause: save it
    passageActivated = Signal(str, int, int)  # transcript uuid, start, end
    leaveRequested = Signal()  # Escape: back to the grid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dirty = False
        self._loading = False
        self.heading = QLabel(self)
        self.heading.setAccessibleName("Current cell")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Summary")
        self.editor.setPlaceholderText("What did this case say on this theme? Saved as you type.")
        self.editor.installEventFilter(self)
        self.editor.textChanged.connect(self._edited)
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Summary save status")
        self.status_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # quiet grey
        self.passages_label = QLabel(self)
        self.passages = QListWidget(self)
        self.passages.setAccessibleName("Passages behind the cell")
        self.passages.setWordWrap(True)
        self.passages.setAlternatingRowColors(True)
        self.passages.setSpacing(2)
        self.passages.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-wrap when the pane resizes
        self.passages.itemActivated.connect(self._activated)
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        summary_label = QLabel("&Summary", self)
        summary_label.setBuddy(self.editor)
        self.passages_label.setBuddy(self.passages)
        for widget in (self.editor, self.passages):
            back = QShortcut(
                QKeySequence(Qt.Key.Key_Escape), widget, context=Qt.ShortcutContext.WidgetShortcut
            )
            back.activated.connect(self.leaveRequested.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.heading)
        layout.addSpacing(6)
        layout.addWidget(summary_label)
        layout.addWidget(self.editor, 2)
        layout.addWidget(self.status_label)
        layout.addSpacing(6)
        layout.addWidget(self.passages_label)
        layout.addWidget(self.passages, 3)
        self.setTabOrder(self.editor, self.passages)

    def show_cell(
        self, case: str, theme_path: str, emergent: bool, summary: str, passages: Sequence[Passage]
    ) -> None:
        """Show a cell (the caller has flushed the previous one)."""
        mark = f" {EMERGENT_MARK}" if emergent else ""
        self.heading.setText(f"<b>{escape(case)}</b><br>{escape(theme_path)}{mark}")
        self.set_summary(summary)
        self.passages.clear()
        self.passages_label.setText(
            f"&Passages: {len(passages)}" if passages else "No passages behind this cell"
        )
        for passage in passages:
            below = passage.code_path.removeprefix(theme_path).lstrip("/")
            where = f"{passage.transcript} · {below.rsplit('/', 1)[-1]}" if below else passage.transcript
            item = QListWidgetItem(f"{shorten(passage.text, SNIPPET_WORDS)}\n— {where}", self.passages)
            coding = passage.coding
            item.setData(TARGET_ROLE, (coding.transcript_uuid, coding.start, coding.end))
            item.setToolTip(f"{passage.code_path}\nEnter or double-click opens it in the transcript")

    def show_nothing(self, message: str = "") -> None:
        self.heading.setText(escape(message))
        self.passages.clear()
        self.passages_label.clear()
        self._load("")
        self.editor.setEnabled(False)
        self.status_label.clear()

    def set_summary(self, text: str) -> None:
        """Show the stored summary (not an edit: nothing is saved)."""
        self._load(text)
        self.editor.setEnabled(True)
        self.status_label.setText("Saved" if text else "No summary yet")

    def set_status(self, text: str) -> None:
        self.status_label.setText(text)

    def edit(self) -> None:
        """Put the cursor at the end of the summary, ready to type."""
        if self.editor.isEnabled():
            self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.editor.moveCursor(QTextCursor.MoveOperation.End)

    def flush(self) -> None:
        """Hand over the typed text now, if there is any not yet handed over."""
        self._timer.stop()
        if self._dirty:
            self._dirty = False
            self.typed.emit(self.editor.toPlainText())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    def _load(self, text: str) -> None:
        self._timer.stop()
        self._loading = True
        try:
            self.editor.setPlainText(text)
        finally:
            self._loading = False
        self._dirty = False

    def _edited(self) -> None:
        if self._loading or not self.editor.isEnabled():
            return
        self._dirty = True
        self.status_label.setText("Saving…")
        self._timer.start()

    def _activated(self, item: QListWidgetItem) -> None:
        target = item.data(TARGET_ROLE)
        if target:
            self.flush()
            self.passageActivated.emit(*target)
