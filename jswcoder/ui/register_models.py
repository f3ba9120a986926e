"""Thin Qt models over the register review's plain data: candidates, where one occurs, and the entries.

Lists change in place: after an action only the rows that went are removed and the rows that came are
inserted (:meth:`KeyedRows.replace`), so a view keeps its current row and scroll position, and a
descriptor typed for a candidate (kept by candidate, outside the rows) outlives any refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from jswcoder.anonymise.candidate_context import EMPTY, CandidateContext, Occurrence
from jswcoder.anonymise.detect import Candidate
from jswcoder.model import RegisterEntry, category_name

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
DISPLAY = Qt.ItemDataRole.DisplayRole
SHOWN_TRANSCRIPTS = 3  # named in the list; the rest are counted


def _one_line(text: str) -> str:
    return " ".join(text.split())


class KeyedRows(QAbstractTableModel, Generic[Row]):
    """Rows of plain data with a key each, updated by removing and inserting only what changed."""

    headers: tuple[str, ...] = ()

    def __init__(self, key: Callable[[Row], str]) -> None:
        super().__init__()
        self._key = key
        self.rows: list[Row] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> object:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and 0 <= section < len(self.headers):
            return self.headers[section]
        return None

    def key_of(self, row: int) -> str:
        return self._key(self.rows[row])

    def row_of(self, key: str) -> int | None:
        return next((i for i, r in enumerate(self.rows) if self._key(r) == key), None)

    def replace(self, rows: Sequence[Row]) -> None:
        """Become ``rows``: remove the rows not among them, insert the new ones, refresh the changed."""
        new = {self._key(r): r for r in rows}
        new_keys = list(new)
        for i in range(len(self.rows) - 1, -1, -1):  # from the bottom: indices above stay valid
            if self._key(self.rows[i]) not in new:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self.endRemoveRows()
        kept = [self._key(r) for r in self.rows]
        still = set(kept)
        if kept != [k for k in new_keys if k in still]:  # reordered: no place to keep
            self.beginResetModel()
            self.rows = list(new.values())
            self.endResetModel()
            return
        for i, key in enumerate(new_keys):
            if i < len(self.rows) and self._key(self.rows[i]) == key:
                if self.rows[i] != new[key]:
                    self.rows[i] = new[key]
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.headers) - 1))
                continue
            self.beginInsertRows(QModelIndex(), i, i)
            self.rows.insert(i, new[key])
            self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.rows = []
        self.endResetModel()


class CandidatesModel(KeyedRows[Candidate]):
    """Candidates to review. The descriptor column is editable; what is typed is kept by candidate."""

    headers = ("Candidate", "Category", "Occurrences", "Transcripts", "Replace with (editable)")
    TEXT, CATEGORY, COUNT, TRANSCRIPTS, DESCRIPTOR = range(5)

    def __init__(self) -> None:
        super().__init__(lambda c: c.text)
        self.contexts: dict[str, CandidateContext] = {}
        self.typed: dict[str, str] = {}  # candidate text -> the descriptor typed for it

    def set_review(self, candidates: Sequence[Candidate], contexts: dict[str, CandidateContext]) -> None:
        self.contexts = contexts
        self.replace(candidates)
        texts = {c.text for c in candidates}
        self.typed = {text: typed for text, typed in self.typed.items() if text in texts}

    def context(self, row: int) -> CandidateContext:
        return self.contexts.get(self.key_of(row), EMPTY)

    def descriptor(self, row: int) -> str:
        candidate = self.rows[row]
        return self.typed.get(candidate.text, candidate.replacement)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == self.DESCRIPTOR else flags

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        candidate, column = self.rows[index.row()], index.column()
        if role in (DISPLAY, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            context = self.contexts.get(candidate.text, EMPTY)
            if column == self.TEXT:
                return _one_line(candidate.text)
            if column == self.CATEGORY:
                return category_name(candidate.category)
            if column == self.COUNT:
                return context.count or candidate.occurrences
            if column == self.TRANSCRIPTS:
                return self._transcripts(context, every=role == Qt.ItemDataRole.ToolTipRole)
            if column == self.DESCRIPTOR:
                return self.descriptor(index.row())
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.COUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _transcripts(context: CandidateContext, *, every: bool) -> str:
        names = context.transcripts
        if every or len(names) <= SHOWN_TRANSCRIPTS:
            return ", ".join(names)
        return f"{', '.join(names[:SHOWN_TRANSCRIPTS])} and {len(names) - SHOWN_TRANSCRIPTS} more"

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.DESCRIPTOR or role != Qt.ItemDataRole.EditRole:
            return False
        candidate = self.rows[index.row()]
        typed = str(value).strip()
        if typed and typed != candidate.replacement:
            self.typed[candidate.text] = typed
        else:
            self.typed.pop(candidate.text, None)  # emptied: back to the suggestion
        self.dataChanged.emit(index, index)
        return True


class OccurrencesModel(KeyedRows[Occurrence]):
    """Where one candidate occurs: the words before it, the candidate, the words after it."""

    headers = ("Where", "Before", "Candidate", "After")
    WHERE, BEFORE, MATCH, AFTER = range(4)

    def __init__(self) -> None:
        super().__init__(lambda o: f"{o.source}\0{o.start}")

    def show(self, occurrences: Sequence[Occurrence]) -> None:
        self.beginResetModel()  # another candidate's occurrences: a different list altogether
        self.rows = list(occurrences)
        self.endResetModel()

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        occurrence, column = self.rows[index.row()], index.column()
        if role in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return (occurrence.source, occurrence.before, occurrence.match, occurrence.after)[column]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column == self.BEFORE else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == self.MATCH:
            font = QFont()
            font.setBold(True)
            return font
        return None


class EntriesModel(KeyedRows[RegisterEntry]):
    """The register: each identifying text, its category, what replaces it, and where it applies."""

    headers = ("Text", "Other forms", "Category", "Replaced by", "Applies to")

    def __init__(self) -> None:
        super().__init__(lambda e: e.uuid)
        self.names: dict[str, str] = {}  # transcript uuid -> name

    def data(self, index: Index, role: int = DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role not in (DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return None
        entry = self.rows[index.row()]
        scope = (
            "all transcripts" if entry.transcript_uuid is None else self.names.get(entry.transcript_uuid, "")
        )
        forms = ", ".join(entry.variants)
        return (_one_line(entry.text), forms, category_name(entry.category), entry.replacement, scope)[
            index.column()
        ]
