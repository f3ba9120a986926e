"""The survey grid's left column: who gave each answer, and the attributes chosen to show beside it.

It is painted, not made of widgets: it reads where the grid's text view has laid out each answer (the
blocks on screen only) and names the respondent at the top of each answer, or at the top of the view
while a long answer is scrolled through, as a spreadsheet keeps its row heading in sight. A thin rule
parts the answers; the answer holding the caret is tinted. A click puts the caret at that answer's
start; a double-click selects the whole answer, to code it at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from jswcoder.ui.highlight_margin import wrap_label
from jswcoder.ui.survey_grid_layout import GridLayout

BACKGROUND = QColor("#f6f5f2")  # the highlight margin's, so the text sits between two calm columns
CURRENT = QColor("#e8eef5")
RULE = QColor("#dcd9d2")
NAME = QColor("#1f3a5f")  # the transcript view's speaker labels
DETAIL = QColor("#5b5f66")
WIDTH_CHARS = 30
PAD = 10

Describe = Callable[[int], tuple[str, str, str]]  # row -> (respondent, attributes shown, tooltip)


@dataclass(frozen=True)
class Placed:
    """An answer on screen: its row, the top of its first line (or of the view) and its bottom."""

    row: int
    top: float  # gutter coordinates
    bottom: float
    starts_here: bool  # its first line is on screen (not scrolled past)


class AnswerGutter(QWidget):
    rowClicked = Signal(int)
    rowDoubleClicked = Signal(int)

    def __init__(self, edit: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._edit = edit
        self._layout = GridLayout.of([])
        self._describe: Describe = lambda _row: ("", "", "")
        self.setAccessibleName("Respondents")
        self.setAccessibleDescription("Who gave each answer, and the attributes chosen to show")
        self.setMouseTracking(True)
        edit.updateRequest.connect(lambda *_args: self.update())
        edit.cursorPositionChanged.connect(self.update)

    def set_rows(self, layout: GridLayout, describe: Describe) -> None:
        self._layout, self._describe = layout, describe
        self.update()

    def _font(self) -> QFont:
        font = QFont(self._edit.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.9))
        return font

    def sizeHint(self) -> QSize:
        return QSize(QFontMetrics(self._font()).averageCharWidth() * WIDTH_CHARS + 2 * PAD, 0)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def current_row(self) -> int:
        """The answer holding the caret (-1 when the grid is empty)."""
        return self._layout.row_at_u16(self._edit.textCursor().position())

    def placed(self) -> list[Placed]:
        """The answers on screen, top to bottom, each with its blank line below it."""
        edit, layout = self._edit, self._layout
        if not len(layout):
            return []
        offset = edit.contentOffset()
        shift = edit.viewport().mapTo(self.window(), QPoint()).y() - self.mapTo(self.window(), QPoint()).y()
        height = self.height()
        found: dict[int, Placed] = {}
        block = edit.firstVisibleBlock()
        while block.isValid():
            geometry = edit.blockBoundingGeometry(block).translated(offset)
            top, bottom = geometry.top() + shift, geometry.bottom() + shift
            if top > height:
                break
            row = layout.row_at_u16(block.position())
            if row >= 0:
                before = found.get(row)
                if before is None:
                    starts = block.position() == layout.starts_u16[row]
                    found[row] = Placed(row, top if starts else min(0.0, top), bottom, starts)
                else:
                    found[row] = Placed(row, before.top, bottom, before.starts_here)
            block = block.next()
        return list(found.values())

    def shown(self) -> list[tuple[Placed, float, str, list[str]]]:
        """Each answer on screen as painted: where its name goes, the name, and the attributes' lines."""
        metrics = QFontMetrics(self._font())
        line = metrics.height()
        width = self.width() - 2 * PAD
        out = []
        for placed in self.placed():
            name, details, _tip = self._describe(placed.row)
            # The name stays in sight while its answer does; it rides up with the answer's last line.
            y = max(min(max(placed.top, 0.0) + 2, placed.bottom - 2 * line), placed.top + 2)
            room = int((placed.bottom - y - line) // line)
            lines = wrap_label(details, metrics, width, room) if details and room > 0 else []
            out.append((placed, y, name, lines))
        return out

    def row_at(self, point: QPoint) -> int | None:
        return next((p.row for p in self.placed() if p.top <= point.y() < p.bottom), None)

    # -- painting and events -----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), BACKGROUND)
        painter.setPen(RULE)
        painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        font = self._font()
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        line = QFontMetrics(font).height()
        width = self.width() - 2 * PAD
        current = self.current_row()
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for placed, y, name, lines in self.shown():
            if placed.row == current:
                painter.fillRect(QRectF(0, placed.top, self.width() - 1, placed.bottom - placed.top), CURRENT)
            if placed.starts_here and placed.row > 0:
                painter.setPen(RULE)
                painter.drawLine(0, int(placed.top) - 1, self.width() - 1, int(placed.top) - 1)
            painter.setFont(bold)
            painter.setPen(NAME)
            painter.drawText(QRectF(PAD, y, width, line), flags, name)
            painter.setFont(font)
            painter.setPen(DETAIL)
            for number, text in enumerate(lines):
                painter.drawText(QRectF(PAD, y + line * (number + 1), width, line), flags, text)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(event.pos())
            if row is not None:
                QToolTip.showText(event.globalPos(), self._describe(row)[2], self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position().toPoint())
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            self.rowClicked.emit(row)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        row = self.row_at(event.position().toPoint())
        if row is not None and event.button() == Qt.MouseButton.LeftButton:
            self.rowDoubleClicked.emit(row)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)
