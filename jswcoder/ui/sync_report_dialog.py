"""The report of a sync or merge: a headline, a table that scrolls, and a Close button always in view.

A team's sync can bring hundreds of lines (one team's message box grew to 2,900 pixels, its OK button
off the screen). This dialog has a size of its own, fitted to the screen (a 1366×768 laptop included),
whatever the report holds; the table scrolls inside it. The rows are plain data built without Qt
(:mod:`jswcoder.ui.sync_report`); :class:`ReportModel` only shows them. Where a row says what fixes
it, a button opens that (the register's review, the theme tree) and the report closes first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.ui.sync_report import COLUMNS, MEMBERS, REGISTER, THEMES, ReportRow, ReportView

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()

BUTTON_TEXT = {
    REGISTER: "Review identifying details…",
    THEMES: "Show in the theme tree",
    MEMBERS: "Show members waiting…",
}
# The size it opens at, when the screen has room: wide enough for the reasons, short enough for a laptop.
PREFERRED = QSize(1040, 560)
_MARGIN = QSize(48, 96)  # room for the window frame, a task bar and a menu bar
# The columns before "Why" (which takes the rest) are as wide as what they hold, up to these widths;
# on a small screen they give way, down to the narrowest, so that "Why" keeps room to be read.
WIDEST = (150, 100, 230, 170, 150, 120)
NARROWEST = (70, 80, 100, 70, 70, 80)  # "Package 12" still whole
_WHY_AT_LEAST = 260
_COMPACT_WIDTH = 560  # a refusal or a short report: a sentence or two, not an empty table
_SHORTEST = 260  # a report of a row or two still opens as a window, not a strip
_SCROLL_BAR = 20


class ReportModel(QAbstractTableModel):
    """The rows, read only; a refused file's name is in its Package cell's tooltip."""

    def __init__(self, rows: Sequence[ReportRow], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = list(rows)

    def row(self, index: Index) -> ReportRow | None:
        return self._rows[index.row()] if index.isValid() and index.row() < len(self._rows) else None

    def rows(self) -> list[ReportRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index)
        if row is None or not 0 <= index.column() < len(COLUMNS):
            return None
        text = row.cells()[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.file and COLUMNS[index.column()] == "Package":
                return f"{text}: the file {row.file} in the exchange folder"
            return text or None
        return None


def fitted_size(available: QSize) -> QSize:
    """The preferred size, made smaller where the screen is: the Close button is never off it."""
    return QSize(
        min(PREFERRED.width(), available.width() - _MARGIN.width()),
        min(PREFERRED.height(), available.height() - _MARGIN.height()),
    )


class SyncReportDialog(QDialog):
    def __init__(
        self,
        title: str,
        view: ReportView,
        opens: Mapping[str, Callable[[str], None]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setSizeGripEnabled(True)
        self._opens = opens
        self.model = ReportModel(view.rows, self)

        self.headline = QLabel(view.headline, self)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.headline.setFont(font)
        self.detail = QLabel(view.detail, self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setVisible(bool(view.detail))

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sync report")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        self.table.setVisible(bool(view.rows))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        assert close is not None
        self.close_button: QPushButton = close
        self.action_buttons: dict[str, QPushButton] = {}
        for action in view.actions:
            if action not in opens:
                continue  # nothing in the window opens it yet (a members list, say)
            button = self.buttons.addButton(BUTTON_TEXT[action], QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _checked=False, chosen=action: self._open(chosen))
            self.action_buttons[action] = button
        # Enter opens what fixes a refused sync; a report with rows closes on Enter.
        fixes = [self.action_buttons[a] for a in view.extra_actions if a in self.action_buttons]
        default = fixes[0] if fixes else self.close_button
        default.setDefault(True)
        default.setAutoDefault(True)

        layout = self._layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.headline)
        layout.addWidget(self.detail)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)

        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size()
        self.setMaximumSize(available - QSize(_MARGIN.width() // 2, _MARGIN.height() // 2))
        size = fitted_size(available)
        if view.rows:
            self.resize(size.width(), self._height_for(size, self._fit_columns(size.width())))
        else:
            width = min(_COMPACT_WIDTH, size.width())
            self.resize(width, min(layout.totalHeightForWidth(width), size.height()))
        default.setFocus()

    def _fit_columns(self, width: int) -> int:
        """Columns as wide as what they hold (an empty one hidden); returns the rows' height at that."""
        table, header = self.table, self.table.horizontalHeader()
        rows = self.model.rows()
        last = len(COLUMNS) - 1
        for column in range(last):
            table.setColumnHidden(column, not any(row.cells()[column] for row in rows))
        table.resizeColumnsToContents()
        wanted = [
            0 if table.isColumnHidden(c) else min(table.columnWidth(c), widest)
            for c, widest in enumerate(WIDEST)
        ]
        inside = width - 2 * self._layout.contentsMargins().left() - 2 * table.frameWidth() - _SCROLL_BAR
        scale = min(1.0, (inside - _WHY_AT_LEAST) / max(1, sum(wanted)))
        for column, (fit, least) in enumerate(zip(wanted, NARROWEST, strict=True)):
            if fit:
                table.setColumnWidth(column, max(min(least, fit), int(fit * scale)))
        # "Why" takes the rest; set it now so that wrapped reasons are measured at the width they get.
        header.setStretchLastSection(False)
        used = sum(table.columnWidth(c) for c in range(last) if not table.isColumnHidden(c))
        table.setColumnWidth(last, max(_WHY_AT_LEAST, inside - used))
        table.resizeRowsToContents()
        header.setStretchLastSection(True)
        return sum(table.rowHeight(r) for r in range(len(rows))) + header.sizeHint().height()

    def _height_for(self, size: QSize, rows_height: int) -> int:
        """The fitted height, or less when a short table would leave it half empty."""
        margins = self._layout.contentsMargins()
        width = size.width() - margins.left() - margins.right()
        shown = [self.headline, *([self.detail] if self.detail.text() else []), self.buttons]
        around = sum(
            w.heightForWidth(width) if w.hasHeightForWidth() else w.sizeHint().height() for w in shown
        )
        around += margins.top() + margins.bottom() + self._layout.spacing() * len(shown)
        table = rows_height + 2 * self.table.frameWidth() + _SCROLL_BAR  # room for a horizontal one, too
        return max(_SHORTEST, min(size.height(), around + table))

    def _open(self, action: str) -> None:
        current = self.model.row(self.table.currentIndex())
        if current is None or current.action != action:
            current = next((row for row in self.model.rows() if row.action == action), None)
        self.accept()
        self._opens[action]("" if current is None else current.target)
