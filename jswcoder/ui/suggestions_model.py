"""The list of theme suggestions beside the transcript: plain rows, and the thin Qt model over them.

Each row is one suggestion (:class:`jswcoder.services.assistance.Suggestion`) with its theme's name and
colour and the assistant's agreement with this coder on that theme
(:func:`jswcoder.analysis.assistant.theme_agreement`). Where that agreement is low the row is greyed and
goes to the end of the list: the assistant's word counts for little there. Otherwise rows follow the
text, so going down the list goes down the transcript. :func:`why_html` says what one row rests on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from jswcoder.analysis.assistant import ThemeAgreement, ThemeAgreements
from jswcoder.services.assistance import Suggestion

WEAK_KAPPA = 0.4  # below this (fair agreement or less), a theme's suggestions are marked weak
EXCERPT_CHARS = 90
WEAK_FOREGROUND = QColor("#8c8880")
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the suggestion's key (str)
WEAK_ROLE = Qt.ItemDataRole.UserRole + 2  # bool

Index = QModelIndex | QPersistentModelIndex


def suggestion_key(suggestion: Suggestion) -> str:
    """What names a suggestion in the list and the margin: its transcript, span and theme."""
    s = suggestion
    return f"{s.transcript_uuid}:{s.start}:{s.end}:{s.code_uuid}"


def agreement_line(agreement: ThemeAgreement | None) -> str:
    """The assistant's agreement with the coder on a theme, in a few words."""
    if agreement is None or agreement.transcripts == 0:
        return "not measured yet"
    transcripts = f"{agreement.transcripts} transcript{'s' if agreement.transcripts != 1 else ''}"
    if agreement.kappa is None:  # no variation to measure kappa on: say how often they agreed
        return f"agrees on {agreement.percent:.0f} % of {transcripts}"
    kappa = f"{agreement.kappa:.2f}".replace("-0.00", "0.00")  # a rounding's sign says nothing
    return f"κ {kappa} on {transcripts}"


def is_weak(agreement: ThemeAgreement | None) -> bool:
    return agreement is not None and agreement.kappa is not None and agreement.kappa < WEAK_KAPPA


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A passage on one line, shortened at a word."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


@dataclass(frozen=True, slots=True)
class Row:
    suggestion: Suggestion
    name: str  # the theme's name
    colour: str  # "#RRGGBB", inherited as the margin draws it
    agreement: ThemeAgreement | None
    measuring: bool = False  # no figure yet: the first measurement is running

    @property
    def key(self) -> str:
        return suggestion_key(self.suggestion)

    @property
    def weak(self) -> bool:
        return is_weak(self.agreement)

    def order(self) -> tuple[bool, int, int, str]:
        s = self.suggestion
        return (self.weak, s.start, s.end, s.path)

    def agreement_text(self) -> str:
        return "agreement being measured…" if self.measuring else agreement_line(self.agreement)


def hollow_swatch(colour: str, size: int = 14) -> QIcon:
    """A dashed, unfilled square in the theme's colour: the margin's mark for a suggestion."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    pen = QPen(QColor(colour) if QColor.isValidColorName(colour) else QColor("#9e9e9e"), 1.5)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawRect(QRectF(2.5, 2.5, size - 5, size - 5))
    painter.end()
    return QIcon(pixmap)


class SuggestionsModel(QAbstractListModel):
    """Rows in :meth:`Row.order`; a decided suggestion leaves and an undone decision brings it back,
    each as one row removed or inserted (the list is never reset under the person's feet)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self._icons: dict[str, QIcon] = {}

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = sorted(rows, key=Row.order)
        self.endResetModel()

    def set_agreement(self, agreement: ThemeAgreements | None) -> None:
        """New figures (or none) for the rows shown, in place: their order stays."""
        self.rows = [
            replace(
                r,
                agreement=None if agreement is None else agreement.get(r.suggestion.code_uuid),
                measuring=False,
            )
            for r in self.rows
        ]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def set_looks(self, look: Callable[[str], tuple[str, str]]) -> None:
        """Each row's theme name and colour as *look* gives them now (a theme renamed or recoloured)."""
        self.rows = [
            replace(r, name=look(r.suggestion.code_uuid)[0], colour=look(r.suggestion.code_uuid)[1])
            for r in self.rows
        ]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def row_of(self, key: str) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.key == key), None)

    def take(self, key: str) -> Row | None:
        at = self.row_of(key)
        if at is None:
            return None
        self.beginRemoveRows(QModelIndex(), at, at)
        row = self.rows.pop(at)
        self.endRemoveRows()
        return row

    def put(self, row: Row) -> int:
        """Insert *row* in its place (if not there already; before the first row that sorts after
        it, so in a list whose figures changed since it was ordered, near it); its row number."""
        found = self.row_of(row.key)
        if found is not None:
            return found
        at = next((i for i, r in enumerate(self.rows) if r.order() > row.order()), len(self.rows))
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, row)
        self.endInsertRows()
        return at

    # -- Qt ----------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        s = row.suggestion
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.name}  ·  {row.agreement_text()}  ·  score {s.score:.2f}\n“{excerpt(s.text)}”"
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._icons.get(row.colour)
            if icon is None:
                icon = self._icons[row.colour] = hollow_swatch(row.colour)
            return icon
        if role == Qt.ItemDataRole.ForegroundRole:
            return WEAK_FOREGROUND if row.weak else None
        if role == Qt.ItemDataRole.ToolTipRole:
            theme = s.path.replace("/", " › ")
            weak = " The assistant seldom agrees with you on this theme." if row.weak else ""
            return f"Suggested: {theme} (not coded). Its agreement with you: {row.agreement_text()}.{weak}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"Suggested {row.name}, {row.agreement_text()}: {excerpt(s.text)}"
        if role == KEY_ROLE:
            return row.key
        if role == WEAK_ROLE:
            return row.weak
        return None


def why_html(row: Row) -> str:
    """The suggestion, the coded passages that led there, and the assistant's agreement on its theme."""
    suggestion = row.suggestion
    theme = html.escape(suggestion.path.replace("/", " › "))
    parts = [f"<p><b>{theme}</b> <i>suggested, not coded</i> · score {suggestion.score:.2f}</p>"]
    if not suggestion.examples:
        parts.append(
            "<p>No passage elsewhere is coded with this theme yet: it is suggested from the theme's name "
            "and description.</p>"
        )
    else:
        parts.append("<p>It resembles these passages coded so in other transcripts:</p>")
        for example in suggestion.examples:
            parts.append(
                f"<p style='margin-left:8px'><b>{html.escape(example.attribution)}</b> · "
                f"{example.score:.2f}<br>“{html.escape(excerpt(example.text, 300))}”</p>"
            )
    agreement = html.escape(row.agreement_text())
    weak = " It seldom agrees with you here: weigh its suggestion lightly." if row.weak else ""
    parts.append(f"<p style='color:#6b675f'>The assistant and you on this theme: {agreement}.{weak}</p>")
    if row.agreement is not None and row.agreement.transcripts:
        parts.append(
            "<p style='color:#6b675f'>κ is Cohen's kappa between your coding and what the assistant "
            "would have suggested on the transcripts you coded, character by character (it never sees "
            f"a transcript's own coding): 1 is full agreement, 0 no better than chance; below "
            f"{WEAK_KAPPA:.1f} counts as seldom here.</p>"
        )
    return "".join(parts)
