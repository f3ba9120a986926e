"""A transcription draft's segments as a table for the recording window: time, speaker, text.

A thin adapter over :class:`~jswcoder.store.transcription.SegmentRow` tuples: the window hands it each
new draft the service returns, and rows whose speaker or text changed repaint (the number of segments
of a draft being corrected never changes, so the model is reset only when a draft is first shown).
The text column is edited in place; what is typed goes to ``correct`` (the service keeps the times),
and a refusal is said by the window.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from jswcoder.clock import clock
from jswcoder.store.transcription import SegmentRow

PLAY, TIME, SPEAKER, TEXT = range(4)
HEADERS = ("", "Time", "Speaker", "Text")
# Calm tints, one a speaker, told apart by more than hue alone (the name is always written too).
SPEAKER_COLOURS = (
    "#d6e6f5",  # blue
    "#f6dfc8",  # apricot
    "#d8eed8",  # green
    "#eadcf2",  # lilac
    "#f3e9b8",  # sand
    "#cfeeee",  # teal
    "#f2d4dc",  # rose
    "#e2e2d2",  # stone
    "#dfe3f7",  # periwinkle
)
_Index = QModelIndex | QPersistentModelIndex


def speaker_colour(number: int) -> QColor:
    return QColor(SPEAKER_COLOURS[(number - 1) % len(SPEAKER_COLOURS)])


class SegmentsModel(QAbstractTableModel):
    def __init__(self, correct: Callable[[int, str], bool], parent: Any = None) -> None:
        super().__init__(parent)
        self._correct = correct  # (ordinal, text) -> stored
        self.segments: tuple[SegmentRow, ...] = ()
        self.speakers: tuple[str, ...] = ()
        self.playing: int | None = None  # the row whose audio is playing

    def show(self, segments: Sequence[SegmentRow], speakers: Sequence[str]) -> None:
        """The draft's segments now: repaint what changed (a new list of another length resets)."""
        new, names = tuple(segments), tuple(speakers)
        if len(new) != len(self.segments):
            self.beginResetModel()
            self.segments, self.speakers = new, names
            self.endResetModel()
            return
        renamed = names != self.speakers
        old, self.segments, self.speakers = self.segments, new, names
        for row, (before, after) in enumerate(zip(old, new, strict=True)):
            if renamed or before != after:
                self.dataChanged.emit(self.index(row, TIME), self.index(row, TEXT))

    def set_playing(self, row: int | None) -> None:
        if row == self.playing:
            return
        before, self.playing = self.playing, row
        for changed in (before, row):
            if changed is not None and 0 <= changed < len(self.segments):
                self.dataChanged.emit(self.index(changed, PLAY), self.index(changed, PLAY))

    # -- the model -----------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.segments)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() == TEXT else flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.segments):
            return None
        segment = self.segments[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == PLAY:
                return "■" if self.playing == index.row() else "▶"
            if column == TIME:
                return clock(segment.start_ms)
            if column == SPEAKER:
                return self._name(segment.speaker)
            if column == TEXT:
                return segment.text
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == PLAY:
                return "Play this segment (Space)"
            if column == TIME:
                return f"{clock(segment.start_ms)} – {clock(segment.end_ms)}"
            if column == TEXT and segment.edited:
                return "Corrected"
        if role == Qt.ItemDataRole.BackgroundRole and column == SPEAKER and segment.speaker:
            return speaker_colour(segment.speaker)
        if role == Qt.ItemDataRole.FontRole and column == SPEAKER and not segment.speaker:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == SPEAKER and not segment.speaker:
            return QColor("#6b7580")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (PLAY, TIME):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != TEXT or not index.isValid():
            return False
        segment = self.segments[index.row()]
        text = str(value)
        if " ".join(text.split()) == segment.text:
            return False
        return self._correct(segment.ordinal, text)

    def _name(self, speaker: int | None) -> str:
        if speaker is None:
            return "no speaker"
        return self.speakers[speaker - 1] if speaker <= len(self.speakers) else f"Speaker {speaker}"
