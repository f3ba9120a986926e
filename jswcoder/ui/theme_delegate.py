"""How a theme's row is drawn: its name, its pinned key's key-cap, and a "Code" button while a passage
is selected.

Clicking a theme only browses it (its coded passages show below). Coding is an explicit act, and the
button makes the mouse's way to it visible: it sits on the row under the mouse, or on the chosen
row when the mouse is elsewhere, only while the transcript has a selection to code.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QTreeView,
)

from jswcoder.ui.pin_keys import keycap_width, paint_keycap
from jswcoder.ui.theme_model import PIN_ROLE, UUID_ROLE

Index = QModelIndex | QPersistentModelIndex
BUTTON_TEXT = "Code"
BUTTON_FILL = QColor("#e4edf7")
BUTTON_FILL_HOVER = QColor("#cddcee")
BUTTON_EDGE = QColor("#7f9cc0")
BUTTON_TEXT_COLOUR = QColor("#1f3a5f")
_PAD = 4


class ThemeDelegate(QStyledItemDelegate):
    """Paints column 0 of the theme tree; emits :attr:`codeRequested` when its button is clicked."""

    codeRequested = Signal(str)  # code uuid

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self._view = view
        self.can_code = False  # the transcript has a selection
        self.hover = QPersistentModelIndex()  # the row under the mouse (column 0), if any
        self.mouse = QPoint(-1, -1)  # where the mouse is over the viewport

    # -- where things go ---------------------------------------------------------------------------

    def button_row(self) -> QModelIndex:
        """The row that shows the button now: under the mouse, or else the chosen one."""
        if not self.can_code:
            return QModelIndex()
        if self.hover.isValid():
            return _name_cell(self.hover)
        return self._view.currentIndex().siblingAtColumn(0)

    def button_rect(self, cell: QRect, index: Index) -> QRect:
        """The button's place in a row's name cell: at its right end, left of a key-cap (which stays put)."""
        metrics = QFontMetrics(self._view.font())
        width = metrics.horizontalAdvance(BUTTON_TEXT) + 2 * (_PAD + 4)
        height = min(cell.height() - 2, metrics.height() + 4)
        keycap = self._keycap_rect(cell, index)
        right = (keycap.left() if keycap is not None else cell.right()) - _PAD
        return QRect(right - width, cell.center().y() - height // 2 + 1, width, height)

    def _shows_button(self, index: Index) -> bool:
        row = self.button_row()
        return row.isValid() and _name_cell(index) == row

    def _keycap_rect(self, cell: QRect, index: Index) -> QRect | None:
        if index.data(PIN_ROLE) is None:
            return None
        side = keycap_width(QFontMetrics(self._view.font()))
        return QRect(cell.right() - 2 * _PAD - side, cell.top(), side, cell.height())  # apart from the count

    # -- painting ----------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        cell = QRect(option.rect)
        keycap = self._keycap_rect(cell, index)
        button = self.button_rect(cell, index) if self._shows_button(index) else None
        reserve = cell.right() - min(
            r.left() for r in (keycap, button, QRect(cell.right(), 0, 1, 1)) if r is not None
        )
        styled = QStyleOptionViewItem(option)
        self.initStyleOption(styled, index)
        if reserve > 0:  # the name gives way to the key-cap and button, with an ellipsis if it must
            style = self._view.style()
            text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, styled, self._view)
            room = max(text.width() - reserve - _PAD, 0)
            styled.text = styled.fontMetrics.elidedText(styled.text, Qt.TextElideMode.ElideRight, room)
        self._view.style().drawControl(QStyle.ControlElement.CE_ItemViewItem, styled, painter, self._view)
        digit = index.data(PIN_ROLE)
        if keycap is not None and isinstance(digit, int):
            paint_keycap(painter, QRectF(keycap), digit)
        if button is not None:
            self._paint_button(painter, button)

    def _paint_button(self, painter: QPainter, rect: QRect) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(BUTTON_EDGE)
        painter.setBrush(BUTTON_FILL_HOVER if rect.contains(self.mouse) else BUTTON_FILL)
        painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.setPen(BUTTON_TEXT_COLOUR)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), BUTTON_TEXT)
        painter.restore()

    # -- the button's clicks and tooltip -----------------------------------------------------------

    def editorEvent(
        self, event: QEvent, model: QAbstractItemModel, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        kinds = (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseButtonDblClick,
        )
        if event.type() not in kinds or not isinstance(event, QMouseEvent):
            return super().editorEvent(event, model, option, index)
        cell = option.rect
        on_button = self._shows_button(index) and self.button_rect(cell, index).contains(
            event.position().toPoint()
        )
        if not on_button or event.button() != Qt.MouseButton.LeftButton:
            return super().editorEvent(event, model, option, index)
        if event.type() == QEvent.Type.MouseButtonRelease:
            self.codeRequested.emit(str(_name_cell(index).data(UUID_ROLE)))
        return True  # the button's clicks neither choose the row nor open it

    def helpEvent(
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        cell = option.rect
        if self._shows_button(index) and self.button_rect(cell, index).contains(event.pos()):
            name = _name_cell(index).data(Qt.ItemDataRole.EditRole)
            QToolTip.showText(
                event.globalPos(), f"Code the selected passage as “{name}” (Enter)", view.viewport()
            )
            return True
        return super().helpEvent(event, view, option, index)


def _name_cell(index: Index) -> QModelIndex:
    """The row's first cell, where the name, key-cap and button are."""
    return index.model().index(index.row(), 0, index.parent())
