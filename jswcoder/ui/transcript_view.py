"""The transcript reader: read-only text with speaker turns in bold and codings as highlights.

Codings are drawn by :mod:`jswcoder.ui.highlight_margin`: light ``ExtraSelection``s for the
paragraphs on screen, and a bar per coding in a margin, so overlaps stay legible without relying on
colour. Offsets in the API are code points; one :class:`OffsetMap` per document
converts them to Qt's UTF-16 positions.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import Final

from PySide6.QtCore import QEvent, QMetaMethod, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QResizeEvent,
    QShortcut,
    QSyntaxHighlighter,
    QTextCharFormat,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QPlainTextEdit, QToolTip, QWidget

from jswcoder.model import Turn
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.ui.highlight_margin import (
    Highlight,
    HighlightLayer,
    HighlightMargin,
    SuggestedSpan,
    coding_line,
    tooltip_for,
)

__all__ = ["SELECTION_MIME", "Highlight", "SuggestedSpan", "TranscriptView"]

SELECTION_MIME: Final = "application/x-jswcoder-selection"
U16: Final = Convention.UTF16
BASE_POINT_SIZE: Final = 12.0
MIN_POINT_SIZE, MAX_POINT_SIZE = 7.0, 40.0
TURN_GAP: Final = 1.7  # the space after a turn's label is set this much larger: room above the turn
LABEL_COLOUR: Final = QColor("#1f3a5f")
# Characters QTextDocument would treat as block or frame breaks, swapped for same-length stand-ins
# so that positions still match the canonical text (which the importers keep free of them anyway).
_QT_BREAKS: Final = str.maketrans({"\r": "\n", "\ufdd0": "\ufffd", "\ufdd1": "\ufffd"})
_BLOCK_BREAK: Final = re.compile("[\n\u2029]")
_WORD: Final = re.compile(r"[\w'’-]")
_NOT_SPACE: Final = re.compile(r"\S")
FOLLOW_PAUSE_S: Final = 4.0  # after the reader scrolls, the view stops following the audio this long


class _TurnFormatter(QSyntaxHighlighter):
    """Bold speaker labels, and a taller space after each label to open a gap above the turn.

    QPlainTextEdit ignores block margins and line heights, but a line is as tall as its largest
    character; enlarging the one space after a label is the only way to part turns without changing
    the text (and so every offset).
    """

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit.document())
        self._edit = edit
        self.labels: dict[int, tuple[int, int, bool]] = {}  # block -> (start, length, gap), UTF-16

    def highlightBlock(self, text: str) -> None:
        label = self.labels.get(self.currentBlock().blockNumber())
        if label is None:
            return
        start, length, gap = label
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        bold.setForeground(LABEL_COLOUR)
        self.setFormat(start, length, bold)
        if gap:
            spacer = QTextCharFormat()
            spacer.setFontPointSize(self._edit.font().pointSizeF() * TURN_GAP)
            self.setFormat(start + length, 1, spacer)


class _TranscriptEdit(QPlainTextEdit):
    """The inner editor: adds the drag format, tooltips, activation and zoom through its owner."""

    def __init__(self, owner: TranscriptView) -> None:
        super().__init__(owner)
        self._owner = owner

    def createMimeDataFromSelection(self) -> QMimeData:
        # Qt's own mime data has a fixed list of formats and would hide ours, so build a plain one.
        mime = QMimeData()
        mime.setText(self.textCursor().selection().toPlainText())
        selected = self._owner.selected_range()
        if selected is not None and self._owner.offers_selection:
            mime.setData(SELECTION_MIME, f"{selected[0]},{selected[1]}".encode("ascii"))
        return mime

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._owner.tooltip_at(self._owner.offset_at(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # Ctrl+click: hear the recording from here (in a view that plays; the survey grid's does not).
        owner = self._owner
        if (
            event.button() == Qt.MouseButton.LeftButton
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            and owner.isSignalConnected(QMetaMethod.fromSignal(owner.playRequested))
        ):
            offset = self._owner.offset_at(event.position().toPoint())
            if offset is not None:
                self._owner.playRequested.emit(offset)
                event.accept()
                return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._owner.activate_at(self._owner.offset_at(event.position().toPoint())):
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        # A drag ends on whole words, which is what gets coded; Alt-drag keeps every character.
        by_characters = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if self._owner.snap_to_words and not by_characters and self.textCursor().hasSelection():
            self._owner.show_snapped_selection()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._owner.activate_at(
            self._owner.cursor_offset()
        ):
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The margin's width follows the view's (its names' share), so it is set before the text is
        # laid out again for the new width: set after, the text would stay wrapped for the old one.
        self._owner._layer.place_margin()
        super().resizeEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # keep zoom in one place
            (self._owner.zoom_in if event.angleDelta().y() > 0 else self._owner.zoom_out)()
            event.accept()
            return
        super().wheelEvent(event)


class TranscriptView(QWidget):
    """Shows one transcript; the main window feeds it text, turns and highlights."""

    selectionChanged = Signal()
    highlightActivated = Signal(str)  # coding uuid
    playRequested = Signal(int)  # Ctrl+click: hear the recording from this code point
    suggestionActivated = Signal(str)  # a double-click on a theme suggestion's hollow bar: its key

    def __init__(self, parent: QWidget | None = None, *, speaker_labels: bool = True) -> None:
        super().__init__(parent)
        self.setAccessibleName("Transcript")
        self._text = ""
        self._map = OffsetMap("")
        self._block_starts: list[int] = [0]  # code point offset of each Qt block
        self._snap = True
        self._point_size = BASE_POINT_SIZE
        self._scrolled_at = -FOLLOW_PAUSE_S  # when the reader last scrolled (time.monotonic)

        self.text_edit = _TranscriptEdit(self)
        edit = self.text_edit
        edit.setAccessibleName("Transcript text")
        edit.setReadOnly(True)
        edit.setUndoRedoEnabled(False)  # no copy of the text lingers in an undo stack
        edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        edit.setFrameShape(QFrame.Shape.NoFrame)
        edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        edit.document().setDocumentMargin(18)
        edit.setStyleSheet("QPlainTextEdit { background: #fffefb; color: #1b1b1b; }")
        self._formatter = _TurnFormatter(edit)
        if not speaker_labels:  # a text without turns (the survey grid): no Python call per paragraph
            self._formatter.setDocument(None)
        # A drag carries the selection's place for the theme tree to code; a view whose places are not
        # a transcript's (the survey grid) leaves it out, so a drop there cannot code the wrong text.
        self.offers_selection = True
        self.margin = HighlightMargin(edit)
        self.margin.barActivated.connect(self.highlightActivated)
        self.margin.suggestionActivated.connect(self.suggestionActivated)
        self._layer = HighlightLayer(edit, self.margin)
        edit.selectionChanged.connect(self.selectionChanged)
        # Actions are the reader's own (wheel, drag, arrows); follow() scrolls with setValue.
        edit.verticalScrollBar().actionTriggered.connect(lambda _action: self._reader_scrolled())
        self._apply_font()

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit)
        zooms: list[tuple[QKeySequence, Callable[[], None]]] = [
            (QKeySequence(QKeySequence.StandardKey.ZoomIn), self.zoom_in),
            (QKeySequence("Ctrl+="), self.zoom_in),
            (QKeySequence(QKeySequence.StandardKey.ZoomOut), self.zoom_out),
            (QKeySequence("Ctrl+0"), self.reset_zoom),
        ]
        for keys, action in zooms:
            shortcut = QShortcut(keys, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

    # -- document ----------------------------------------------------------------------------------

    def set_document(self, text: str, turns: Sequence[Turn], highlights: Sequence[Highlight]) -> None:
        """Show a transcript; labels are worked out before the text goes in, so it is formatted once."""
        self._text = text
        self._map = OffsetMap(text)
        self._block_starts = [0, *(m.end() for m in _BLOCK_BREAK.finditer(text.translate(_QT_BREAKS)))]
        self._formatter.labels = self._turn_labels(turns)
        self._layer.reset(self._map, self._block_starts)
        self.text_edit.setPlainText(text.translate(_QT_BREAKS))
        self._layer.set_all(highlights)

    def clear(self) -> None:
        """Drop the text, highlights, labels and any tooltip (the idle lock relies on this)."""
        QToolTip.hideText()
        self._text = ""
        self._map = OffsetMap("")
        self._block_starts = [0]
        self._formatter.labels = {}
        self._layer.reset(self._map, self._block_starts)
        self.text_edit.clear()

    def _turn_labels(self, turns: Sequence[Turn]) -> dict[int, tuple[int, int, bool]]:
        labels: dict[int, tuple[int, int, bool]] = {}
        text = self._text
        for turn in turns:
            if not 0 <= turn.start < turn.end <= len(text):
                continue
            block = self._block_of(turn.start)
            block_end = (
                self._block_starts[block + 1] - 1 if block + 1 < len(self._block_starts) else len(text)
            )
            label_from = turn.start
            if turn.timestamp and text.startswith("[", turn.start):  # "[00:12:31] Name:" — past the stamp
                label_from = max(turn.start, text.find("]", turn.start, min(turn.end, block_end)))
            colon = text.find(":", label_from, min(turn.end, block_end))
            if colon < 0:
                continue
            start = self._map.to_units(turn.start, U16) - self._map.to_units(self._block_starts[block], U16)
            length = self._map.to_units(colon + 1, U16) - self._map.to_units(turn.start, U16)
            gap = block > 0 and turn.start == self._block_starts[block] and text[colon + 1 : colon + 2] == " "
            labels[block] = (start, length, gap)
        return labels

    def _block_of(self, offset: int) -> int:
        return bisect_right(self._block_starts, offset) - 1

    # -- highlights --------------------------------------------------------------------------------

    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        self._layer.set_all(highlights)

    def add_highlight(self, highlight: Highlight) -> None:
        """Add one coding: only its own selection and bar are new, nothing else is rebuilt."""
        self._layer.add(highlight)

    def remove_highlight(self, coding_uuid: str) -> None:
        self._layer.remove(coding_uuid)

    def set_suggestions(self, suggestions: Sequence[SuggestedSpan], current: str | None = None) -> None:
        """Theme suggestions as hollow bars in the margin (:mod:`jswcoder.ui.suggestions_panel`)."""
        self._layer.set_suggestions(suggestions, current)

    def set_current_suggestion(self, key: str | None) -> None:
        self.margin.set_current_suggestion(key)

    def coding_at_cursor(self) -> Highlight | None:
        """The innermost coding at the cursor (or at the start of the selection): what Delete removes
        and a memo is written about."""
        selected = self.selected_range()
        found = self.highlights_at(selected[0] if selected else self.cursor_offset())
        return min(found, key=lambda h: h.end - h.start) if found else None

    def highlights_at(self, offset: int) -> list[Highlight]:
        """Highlights covering the character at ``offset``, innermost (shortest) first."""
        return self._layer.at(offset)

    def set_label_names(self, names: Iterable[str]) -> None:
        """The theme names the margin may show: it is made wide enough for them (within limits)."""
        self.margin.set_label_names(names)
        self._layer.place_margin()

    def margin_lanes(self) -> dict[str, int]:
        """The margin lane of each coding (overlapping codings never share one)."""
        return self.margin.lanes()

    def tooltip_at(self, offset: int | None) -> str:
        return "" if offset is None else tooltip_for(coding_line(h) for h in self.highlights_at(offset))

    def activate_at(self, offset: int | None) -> bool:
        found = [] if offset is None else self.highlights_at(offset)
        if found:
            self.highlightActivated.emit(found[0].coding_uuid)
        return bool(found)

    # -- playback ----------------------------------------------------------------------------------

    def set_playing(self, span: tuple[int, int] | None) -> None:
        """Mark the passage being heard (code points), or none: a pale wash with a dotted underline,
        beneath any coding's colour."""
        self._layer.set_playing(span)

    def follow(self, start: int, end: int) -> None:
        """Bring the passage ``start..end`` into sight as the recording plays on (its start a quarter of
        the way down), without moving the caret or the selection; not while the reader is busy (text
        selected, the mouse held, or a scroll of their own in the last few seconds)."""
        if (
            self.text_edit.textCursor().hasSelection()
            or QApplication.mouseButtons() != Qt.MouseButton.NoButton
            or time.monotonic() - self._scrolled_at < FOLLOW_PAUSE_S
        ):
            return
        edit = self.text_edit
        cursor = self._layer.cursor(start, start)
        last = self._layer.cursor(end, end)
        # The scroll bar counts wrapped lines: put the line a quarter of the way down the view. Lines
        # further on may not be laid out yet (counted as one each), so look again once scrolled there.
        for _attempt in range(3):
            rect = edit.cursorRect(cursor)
            height = edit.viewport().height()
            if rect.top() >= 0 and (edit.cursorRect(last).bottom() < height or rect.top() < height // 4):
                return
            block = cursor.block()
            line = block.layout().lineForTextPosition(cursor.positionInBlock())
            target = block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0)
            edit.verticalScrollBar().setValue(max(0, target - height // max(rect.height(), 1) // 4))

    def _reader_scrolled(self) -> None:
        self._scrolled_at = time.monotonic()

    # -- selection ---------------------------------------------------------------------------------

    @property
    def snap_to_words(self) -> bool:
        """When on (as it starts), a selection dragged with the mouse widens to whole words as the
        button is released, unless Alt is held. The selection shown is always what gets coded."""
        return self._snap

    @snap_to_words.setter
    def snap_to_words(self, on: bool) -> None:
        self._snap = on

    def selected_range(self) -> tuple[int, int] | None:
        cursor = self.text_edit.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._map.from_units(cursor.selectionStart(), U16, snap="before")
        end = self._map.from_units(cursor.selectionEnd(), U16, snap="after")
        if _NOT_SPACE.search(self._text, start, end) is None:
            return None  # only spaces or line breaks: nothing to code
        return (start, end)

    def _snapped(self, start: int, end: int) -> tuple[int, int] | None:
        """Trim surrounding spaces, then widen both ends to word boundaries."""
        text = self._text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            return None
        while start > 0 and _WORD.match(text[start - 1]) and _WORD.match(text[start]):
            start -= 1
        while end < len(text) and _WORD.match(text[end]) and _WORD.match(text[end - 1]):
            end += 1
        return (start, end)

    def select_range(self, start: int, end: int) -> None:
        """Select ``start..end`` (code points), caret at the start, and centre it in the view."""
        cursor = self._layer.cursor(end, start)
        self.text_edit.setTextCursor(cursor)
        self.text_edit.centerCursor()

    def show_snapped_selection(self) -> None:
        """Widen the selection shown to whole words (without the spaces around them)."""
        selected = self.selected_range()
        snapped = None if selected is None else self._snapped(*selected)
        if snapped is not None:
            cursor = self.text_edit.textCursor()
            forward = cursor.position() >= cursor.anchor()
            start, end = snapped
            self.text_edit.setTextCursor(
                self._layer.cursor(start, end) if forward else self._layer.cursor(end, start)
            )

    def cursor_offset(self) -> int:
        """The caret's position in code points."""
        return self._map.from_units(self.text_edit.textCursor().position(), U16)

    def offset_at(self, point: QPoint) -> int | None:
        """The code point under a viewport point, or None past the end of a line or the text."""
        edit = self.text_edit
        cursor = edit.cursorForPosition(point)
        rect = edit.cursorRect(cursor)
        if not (rect.top() <= point.y() <= rect.bottom()) or point.x() < rect.left() - 1:
            return None
        position = cursor.position()
        right = edit.cursorRect(cursor).left()
        if point.x() < right and position > 0:  # the click fell on the character before the caret
            position -= 1
        if position >= self._map.length(U16):
            return None
        return self._map.from_units(position, U16)

    # -- zoom --------------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self._set_point_size(self._point_size + 1)

    def zoom_out(self) -> None:
        self._set_point_size(self._point_size - 1)

    def reset_zoom(self) -> None:
        self._set_point_size(BASE_POINT_SIZE)

    def _set_point_size(self, size: float) -> None:
        size = min(max(size, MIN_POINT_SIZE), MAX_POINT_SIZE)
        if size != self._point_size:
            self._point_size = size
            self._apply_font()

    def _apply_font(self) -> None:
        font = QFont()
        font.setFamilies(["Source Sans 3", "Noto Sans", "Segoe UI", "Helvetica Neue", "DejaVu Sans"])
        font.setStyleHint(QFont.StyleHint.SansSerif)
        font.setPointSizeF(self._point_size)
        self.text_edit.setFont(font)
        self._formatter.rehighlight()  # the turn gap scales with the font
        self._layer.place_margin()
