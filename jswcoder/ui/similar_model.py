"""Passages like this as a list: each with a tick box, its attribution, its score and its words.

A thin adapter over a plain list of :class:`~jswcoder.services.assistance.SimilarPassage`, drawn by
:class:`PassageDelegate` in three lines (score and attribution, then two lines of the passage), so that a
narrow pane still shows who said it, how close it is, and enough of it to judge. Also the filters'
choices: which transcripts each participant detail or attribute value stands for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from jswcoder.project import Project
from jswcoder.services.assistance import SimilarPassage
from jswcoder.services.cases import DETAILS
from jswcoder.ui.item_rows import draw_row_frame

PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
BAR = QColor("#6f8fb0")
BAR_TRACK = QColor("#dde5ee")


def score_text(score: float) -> str:
    return f"{max(score, 0.0):.2f}"


class SimilarModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._passages: list[SimilarPassage] = []
        self._checked: list[bool] = []

    def set_passages(self, passages: Sequence[SimilarPassage]) -> None:
        self.beginResetModel()
        self._passages, self._checked = list(passages), [False] * len(passages)
        self.endResetModel()

    def passages(self) -> list[SimilarPassage]:
        return list(self._passages)

    def checked(self) -> list[SimilarPassage]:
        return [p for p, ticked in zip(self._passages, self._checked, strict=True) if ticked]

    def set_all_checked(self, checked: bool) -> None:
        if self._passages:
            self._checked = [checked] * len(self._passages)
            self.dataChanged.emit(self.index(0), self.index(len(self._passages) - 1))

    def toggle(self, row: int) -> None:
        state = Qt.CheckState.Unchecked if self._checked[row] else Qt.CheckState.Checked
        self.setData(self.index(row), state, Qt.ItemDataRole.CheckStateRole)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._passages)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._passages):
            return None
        passage = self._passages[index.row()]
        if role == PASSAGE_ROLE:
            return passage
        if role == Qt.ItemDataRole.DisplayRole:
            return passage.text
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self._checked[index.row()] else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{passage.attribution} · {passage.transcript} · {score_text(passage.score)}\n\n{passage.text}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return f"{passage.attribution}, closeness {score_text(passage.score)}"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        self._checked[index.row()] = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True


def _two_lines(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """The passage's words wrapped into at most two lines of *width*, the second cut with an ellipsis."""
    words = " ".join(text.split()).split(" ")
    first: list[str] = []
    for n, word in enumerate(words):
        if first and metrics.horizontalAdvance(" ".join([*first, word])) > width:
            rest = " ".join(words[n:])
            return [" ".join(first), metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
        first.append(word)
    return [metrics.elidedText(" ".join(first), Qt.TextElideMode.ElideRight, width)]


class PassageDelegate(QStyledItemDelegate):
    """A passage in three lines: the tick box, a small bar and the score, who said it; then its words."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        # As wide as the list makes it (the words wrap and are cut to fit), three lines high.
        return QSize(0, QFontMetrics(option.font).lineSpacing() * 3 + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        passage = index.data(PASSAGE_ROLE)
        if not isinstance(passage, SimilarPassage):
            super().paint(painter, option, index)
            return
        opt, rect = draw_row_frame(self, painter, option, index)
        rect = rect.adjusted(2, 5, -4, -5)
        metrics = QFontMetrics(opt.font)
        line = metrics.lineSpacing()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.save()
        # First line: a bar as long as the score (0 to 1), the score, and who said it.
        bar = QRect(rect.left(), rect.top() + (line - 6) // 2, 36, 6)
        painter.fillRect(bar, BAR_TRACK)
        painter.fillRect(QRect(bar.left(), bar.top(), round(36 * max(0.0, min(passage.score, 1.0))), 6), BAR)
        painter.setPen(text_colour)
        score = score_text(passage.score)
        x = bar.right() + 6
        painter.drawText(QRect(x, rect.top(), rect.right() - x, line), Qt.AlignmentFlag.AlignVCenter, score)
        x += metrics.horizontalAdvance(score) + 10
        small = QFont(opt.font)
        small.setBold(True)
        painter.setFont(small)
        who = QFontMetrics(small).elidedText(
            passage.attribution, Qt.TextElideMode.ElideRight, rect.right() - x
        )
        painter.drawText(QRect(x, rect.top(), rect.right() - x, line), Qt.AlignmentFlag.AlignVCenter, who)
        painter.setFont(opt.font)
        for n, words in enumerate(_two_lines(passage.text, metrics, rect.width())):
            top = rect.top() + line * (n + 1)
            painter.drawText(
                QRect(rect.left(), top, rect.width(), line), Qt.AlignmentFlag.AlignVCenter, words
            )
        painter.restore()


def attribute_choices(project: Project) -> list[tuple[str, frozenset[str]]]:
    """("Group: Justice social workers", its transcripts' UUIDs), for each detail and attribute value the
    transcripts' participants have, by detail then value."""
    found: dict[tuple[int, str, str], set[str]] = {}
    labels = list(DETAILS.values())
    for transcript in project.transcripts.all():
        participant = project.transcripts.participant(transcript)
        if participant is None:
            continue
        values = [(n, label, getattr(participant, key)) for n, (key, label) in enumerate(DETAILS.items())]
        values += [(len(labels), name, value) for name, value in participant.attributes.items()]
        for order, label, value in values:
            if value not in (None, ""):
                found.setdefault((order, label, str(value)), set()).add(transcript.uuid)
    return [
        (f"{label}: {value}", frozenset(uuids))
        for (_order, label, value), uuids in sorted(found.items(), key=lambda item: item[0])
    ]
