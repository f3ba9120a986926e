"""The Framework matrix as a Qt table model: a thin adapter over :class:`FrameworkMatrix`.

Rows are cases, columns are themes. A cell shows the first line of the analyst's summary, or, while
there is none, a quiet "3 passages" so the empty cells worth writing stand out from those with
nothing behind them. The model never writes on its own: the undo command (:class:`SaveSummary`)
calls :meth:`MatrixModel.write_summary`, which saves through the matrix at once and repaints the cell.
Undo works by cell identity (case UUID, theme UUID), so it survives a rebuild at another level or
filter; a cell not shown any more is saved straight to ``project.summaries``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QUndoCommand

from jswcoder.analysis.matrix import ATTRIBUTES, FrameworkMatrix

COUNT_ROLE = Qt.ItemDataRole.UserRole + 1  # int: passages behind the cell
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2  # str: the full summary ("" if none)
CASE_ROLE = Qt.ItemDataRole.UserRole + 3  # str: the case UUID (cells and the vertical header)
THEME_ROLE = Qt.ItemDataRole.UserRole + 4  # str: the theme UUID (cells and the horizontal header)

EMERGENT_MARK = "✦"
MUTED = QColor("#6b6b6b")  # the grey of the theme tree's counts
EMERGENT_INK = QColor("#8a4b08")  # a warm brown: emergent columns read apart without shouting
GROUP_BAND = QColor(0, 0, 0, 10)  # every other group a shade darker, whatever the palette

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def passages_text(count: int) -> str:
    return f"{count} passage{'' if count == 1 else 's'}"


class MatrixModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.matrix: FrameworkMatrix | None = None
        self.group_by: str | None = None
        self._banded: list[bool] = []
        self._row_of: dict[str, int] = {}
        self._column_of: dict[str, int] = {}

    def set_matrix(self, matrix: FrameworkMatrix | None, group_by: str | None = None) -> None:
        """Show another matrix (a rebuild, a new level or filter; None empties the table)."""
        self.beginResetModel()
        self.matrix = matrix
        self.group_by = group_by
        self._banded, self._row_of, self._column_of = [], {}, {}
        if matrix is not None:
            self._row_of = {case.uuid: row for row, case in enumerate(matrix.cases)}
            self._column_of = {theme.code.uuid: col for col, theme in enumerate(matrix.themes)}
            self._banded = [False] * len(matrix.cases)
            if group_by is not None:
                for number, group in enumerate(matrix.groups(group_by)):
                    for row in group.rows:
                        self._banded[row] = number % 2 == 1
        self.endResetModel()

    def cell(self, case_uuid: str, theme_uuid: str) -> QModelIndex:
        """The index of a cell, or an invalid one when the cell is not shown."""
        row, column = self._row_of.get(case_uuid), self._column_of.get(theme_uuid)
        return QModelIndex() if row is None or column is None else self.index(row, column)

    def write_summary(self, case_uuid: str, theme_uuid: str, text: str) -> str:
        """Save a cell's summary at once; returns the previous one. Called by :class:`SaveSummary`."""
        assert self.matrix is not None
        index = self.cell(case_uuid, theme_uuid)
        if not index.isValid():
            return self.matrix.project.summaries.save(case_uuid, theme_uuid, text)
        before = self.matrix.save_summary(index.row(), index.column(), text)
        self.dataChanged.emit(index, index)
        return before

    # -- QAbstractTableModel -----------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.cases)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or self.matrix is None else len(self.matrix.themes)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # edited in the side pane

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        matrix = self.matrix
        if matrix is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            summary = matrix.summary(row, column)
            if summary.strip():
                return first_line(summary)
            count = matrix.count(row, column)
            return str(count) if count else ""  # a quiet count, as in MAXQDA's summary grid
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if matrix.summary(row, column).strip() else MUTED
        if role == Qt.ItemDataRole.ToolTipRole:
            summary = matrix.summary(row, column)
            count = matrix.count(row, column)
            if summary.strip():  # rich text, so Qt wraps a long summary
                return "<p>" + html.escape(summary).replace("\n", "<br>") + "</p>"
            return f"{passages_text(count)}. Press Enter to write a summary." if count else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            summary = matrix.summary(row, column).strip() or "no summary"
            return f"{matrix.cases[row].label}, {matrix.themes[column].code.name}: {summary}"
        if role == Qt.ItemDataRole.BackgroundRole:
            return GROUP_BAND if self._banded[row] else None
        if role == COUNT_ROLE:
            return matrix.count(row, column)
        if role == SUMMARY_ROLE:
            return matrix.summary(row, column)
        if role == CASE_ROLE:
            return matrix.cases[row].uuid
        if role == THEME_ROLE:
            return matrix.themes[column].code.uuid
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        matrix = self.matrix
        if matrix is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._theme_header(matrix, section, role) if 0 <= section < len(matrix.themes) else None
        return self._case_header(matrix, section, role) if 0 <= section < len(matrix.cases) else None

    def _theme_header(self, matrix: FrameworkMatrix, column: int, role: int) -> Any:
        theme = matrix.themes[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{theme.code.name} {EMERGENT_MARK}" if theme.emergent else theme.code.name
        if role == Qt.ItemDataRole.ToolTipRole:
            origin = "Emergent theme (found in the data)" if theme.emergent else "Pre-set theme"
            cases = matrix.participants(column)
            return f"{theme.code.path}\n{origin}\n{cases} of {len(matrix.cases)} cases have passages"
        if role == Qt.ItemDataRole.ForegroundRole and theme.emergent:
            return EMERGENT_INK
        if role == Qt.ItemDataRole.FontRole and theme.emergent:
            font = QFont()
            font.setItalic(True)  # as in the theme tree
            return font
        if role == THEME_ROLE:
            return theme.code.uuid
        return None

    def _case_header(self, matrix: FrameworkMatrix, row: int, role: int) -> Any:
        case = matrix.cases[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if self.group_by is None:
                return case.label
            value = case.value(self.group_by)
            return case.label if case.label.startswith(value) else f"{value} · {case.label}"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [case.label] + [f"{label}: {case.value(key)}" for key, label in ATTRIBUTES.items()]
            return "\n".join(lines)
        if role == Qt.ItemDataRole.BackgroundRole:
            return GROUP_BAND if self._banded[row] else None
        if role == CASE_ROLE:
            return case.uuid
        return None


class SaveSummary(QUndoCommand):
    """One pause in typing (or one seeding): a cell's summary from *before* to *after*.

    The first ``redo()`` comes from ``QUndoStack.push`` and does the saving; *shown* is told the cell
    after every step, so the side pane and the current cell follow an undo.
    """

    def __init__(
        self,
        model: MatrixModel,
        cell: tuple[str, str],
        before: str,
        after: str,
        shown: Callable[[str, str], None],
        text: str = "Edit summary",
    ) -> None:
        super().__init__(text)
        self._model = model
        self._cell = cell
        self._before = before
        self._after = after
        self._shown = shown

    def redo(self) -> None:
        self._model.write_summary(*self._cell, self._after)
        self._shown(*self._cell)

    def undo(self) -> None:
        self._model.write_summary(*self._cell, self._before)
        self._shown(*self._cell)
