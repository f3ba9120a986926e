"""The table of the crosstab window: a thin Qt adapter over a crosstab or a co-occurrence table.

Rows are themes. For a crosstab the columns are the attribute's values and a total, and each cell shows
the measure chosen (passages, cases, or a share); for a co-occurrence the columns are the themes again,
numbered as the rows (names are long), and each cell its count or Jaccard's index. The model holds
plain data and is reset as a whole when the table is built again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from jswcoder.analysis.cooccurrence import Cooccurrence
from jswcoder.analysis.crosstab import Crosstab

Index = QModelIndex | QPersistentModelIndex
CROSSTAB_MEASURES: dict[str, str] = {
    "passages": "Passages",
    "cases": "Cases",
    "row": "Row %",
    "column": "Column %",
    "cases_percent": "Cases %",
}
COOCCURRENCE_MEASURES: dict[str, str] = {"counts": "Counts", "jaccard": "Jaccard"}
TOTAL = "Total"


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}%"


class CrosstabModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.crosstab: Crosstab | None = None
        self.cooccurrence: Cooccurrence | None = None
        self.measure = "passages"
        self._rows: list[str] = []
        self._columns: list[str] = []
        self._cell: Callable[[int, int], str] = lambda _row, _column: ""

    def show_crosstab(self, table: Crosstab, measure: str) -> None:
        self.beginResetModel()
        self.crosstab, self.cooccurrence, self.measure = table, None, measure
        self._rows = [t.code.path for t in table.themes]
        with_n = measure in ("cases", "cases_percent")
        self._columns = [
            f"{value} (n = {table.cases_with(v)})" if with_n else value
            for v, value in enumerate(table.values)
        ]
        if measure == "passages":
            self._columns.append(TOTAL)
        self._cell = self._crosstab_cell
        self.endResetModel()

    def show_cooccurrence(self, table: Cooccurrence, measure: str) -> None:
        self.beginResetModel()
        self.crosstab, self.cooccurrence, self.measure = None, table, measure
        self._rows = [f"{n}. {t.path}" for n, t in enumerate(table.themes, start=1)]
        self._columns = [str(n) for n in range(1, len(table.themes) + 1)]
        self._cell = self._cooccurrence_cell
        self.endResetModel()

    def _crosstab_cell(self, row: int, column: int) -> str:
        table = self.crosstab
        assert table is not None
        if column == len(table.values):  # the total column
            return str(table.theme_total(row))
        match self.measure:
            case "passages":
                return str(table.passages[row][column])
            case "cases":
                return str(table.cases[row][column])
            case "row":
                return _share(table.row_percent(row, column))
            case "column":
                return _share(table.column_percent(row, column))
        return _share(table.cases_percent(row, column))

    def _cooccurrence_cell(self, row: int, column: int) -> str:
        table = self.cooccurrence
        assert table is not None
        if self.measure == "jaccard":
            value = table.jaccard[row][column]
            return "" if value is None else f"{value:.2f}"
        return str(table.counts[row][column])

    def is_value_cell(self, index: Index) -> bool:
        """Whether a cell stands for passages that can be listed (not a crosstab's total)."""
        return index.isValid() and not (
            self.crosstab is not None and index.column() >= len(self.crosstab.values)
        )

    # -- the model ---------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._rows[index.row()]} · {self._columns[index.column()]}"
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        names = self._columns if orientation == Qt.Orientation.Horizontal else self._rows
        return names[section] if 0 <= section < len(names) else None
