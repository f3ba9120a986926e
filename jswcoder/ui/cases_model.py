"""The cases as a table: a thin Qt adapter over the core's plain :class:`~jswcoder.services.cases.Case` list.

Rows are cases, columns the case's label, its transcripts, the five details and one column per
attribute. A value typed into a cell is not written here: :attr:`CasesModel.edit_requested` asks the
dialog to make the change (an undoable command, checked by the core), and the row is updated from the
core's answer, so the table only ever shows what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from jswcoder.model import INTERVIEW_FORMATS, INTERVIEW_MODES, PARTICIPANT_GROUPS
from jswcoder.services.cases import DETAILS, Case

_Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # the column's detail or attribute key


@dataclass(frozen=True)
class Column:
    key: str  # "label", "transcripts", a detail's key, or an attribute's name
    title: str
    width: int
    editable: bool = True


FIXED = (
    Column("label", "Case", 240, editable=False),
    Column("transcripts", "Transcripts", 200, editable=False),
    Column("participant_group", DETAILS["participant_group"], 200),
    Column("interview_number", DETAILS["interview_number"], 78),
    Column("format", DETAILS["format"], 72),
    Column("mode", DETAILS["mode"], 84),
    Column("council_area", DETAILS["council_area"], 150),
)
FIRST_EDITABLE = [c.editable for c in FIXED].index(True)
ATTRIBUTE_WIDTH = 150
# What a detail's editor suggests as you type (the study's own words; any group may be typed).
SUGGESTIONS: dict[str, Sequence[str]] = {
    "participant_group": PARTICIPANT_GROUPS,
    "format": INTERVIEW_FORMATS,
    "mode": INTERVIEW_MODES,
}


def _attribute(name: str) -> Column:
    """An attribute's column, its heading capitalised like the others ("role" shows as "Role")."""
    return Column(name, name[:1].upper() + name[1:], ATTRIBUTE_WIDTH)


class CasesModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cases: list[Case] = []
        self.columns: list[Column] = list(FIXED)
        self.edit_requested: Callable[[Case, str, str], bool] | None = None

    # -- filling -------------------------------------------------------------------------------------

    def set_cases(self, cases: list[Case], attributes: Sequence[str]) -> None:
        self.beginResetModel()
        self.cases = list(cases)
        self.columns = [*FIXED, *(_attribute(name) for name in attributes)]
        self.endResetModel()

    def case_changed(self, case: Case) -> None:
        """One case as the core has it now (after an edit, an undo or a redo)."""
        for row, known in enumerate(self.cases):
            if known.uuid == case.uuid:
                self.cases[row] = case
                for name in case.participant.attributes:
                    self.add_attribute(name)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
                return

    def add_attribute(self, name: str) -> int:
        """The column of an attribute, added at the end if it is not there yet."""
        for number, column in enumerate(self.columns):
            if column.key.casefold() == name.casefold() and number >= len(FIXED):
                return number
        at = len(self.columns)
        self.beginInsertColumns(QModelIndex(), at, at)
        self.columns.append(_attribute(name))
        self.endInsertColumns()
        return at

    # -- the model -----------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cases)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.ToolTipRole and section >= len(FIXED):
            return "An attribute of your own"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable(index):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _editable(self, index: _Index) -> bool:
        column = self.columns[index.column()]
        case = self.cases[index.row()]
        merged = case.merged_from is not None
        number = column.key == "interview_number" and case.speaker is not None  # the group's number is its
        return column.editable and not (merged and column.key in DETAILS) and not number

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        case, column = self.cases[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(case, column.key)
        if role == SORT_ROLE:
            if column.key == "interview_number":
                return case.participant.interview_number or 10**9
            return self._text(case, column.key).casefold()
        if role == KEY_ROLE:
            return column.key
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.key == "transcripts":
                return "\n".join(case.transcripts) or None
            if case.merged_from is not None and column.key in DETAILS:
                return (
                    f"From {case.merged_from}'s packages: {case.merged_from} changes this in their project."
                )
            return None
        if role == Qt.ItemDataRole.BackgroundRole and not column.editable:
            return QApplication.palette().color(QPalette.ColorRole.Window)  # like a row header: not typed in
        if role == Qt.ItemDataRole.ForegroundRole and column.editable and not self._editable(index):
            return QApplication.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key == "interview_number":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    @staticmethod
    def _text(case: Case, key: str) -> str:
        if key == "label":
            return case.label
        if key == "transcripts":
            if case.speaker is not None:  # a focus group's speaker: the group's transcript, and who
                return f"{case.transcripts[0]}, speaker {case.speaker.speaker}"
            return "; ".join(case.transcripts)
        return case.value(key)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self._editable(index):
            return False
        case, column = self.cases[index.row()], self.columns[index.column()]
        text = "" if value is None else str(value)
        if text.strip() == self._text(case, column.key) or self.edit_requested is None:
            return False
        return self.edit_requested(case, column.key, text)


class CellEditor(QStyledItemDelegate):
    """A line editor per cell; for group, format and mode it completes the study's own words inline."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        choices = SUGGESTIONS.get(str(index.data(KEY_ROLE)))
        if choices:
            completer = QCompleter(list(choices), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
            editor.setCompleter(completer)
        return editor
