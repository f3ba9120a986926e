"""The digit keys made visible: a key-cap badge, the status bar's strip of pinned themes, the F1 table.

Keys 1-9 code the selection with a pinned theme (:mod:`jswcoder.services.pins`). A key that cannot be
seen is a key nobody trusts, so the same key-cap is drawn beside the theme in the tree, in the status
bar, and listed under F1.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

KEY_FILL = QColor("#f4f3ef")
KEY_EDGE = QColor("#8d9097")
KEY_TEXT = QColor("#2b2b2b")
NAME_TEXT = QColor("#3a3a3a")
_GAP = 4  # between a key-cap and its name
_SPACING = 14  # between one pinned theme and the next
_PREFERRED_WIDTH = 760  # the strip shares the status bar with its messages
HOW_TO_PIN = "Right-click a theme › Pin to key to change one."


def keycap_width(metrics: QFontMetrics) -> int:
    return metrics.height() + 2


def paint_keycap(painter: QPainter, rect: QRectF, digit: int) -> None:
    """A small key-cap with *digit* on it, centred in *rect*, as keyboards and menus show keys."""
    side = min(rect.height(), float(painter.fontMetrics().height() + 2))
    cap = QRectF(rect.left(), rect.center().y() - side / 2, side, side).adjusted(0.5, 0.5, -0.5, -0.5)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(KEY_EDGE)
    painter.setBrush(KEY_FILL)
    painter.drawRoundedRect(cap, 3, 3)
    painter.setPen(KEY_TEXT)
    painter.drawText(cap, int(Qt.AlignmentFlag.AlignCenter), str(digit))
    painter.restore()


def pins_table(pinned: Sequence[tuple[int, str]]) -> str:
    """The pinned keys for the F1 help: a row per key with its theme."""
    if not pinned:
        return f"<p><b>Keys 1–9</b>: no theme is pinned. {HOW_TO_PIN}</p>"
    rows = "".join(
        f"<tr><td><b>{digit}</b></td><td>{html.escape(name, quote=False)}</td></tr>" for digit, name in pinned
    )
    return (
        f"<p><b>Keys 1–9</b> code the selection with these themes. {HOW_TO_PIN}</p>"
        f"<table cellpadding=2>{rows}</table>"
    )


class PinStrip(QWidget):
    """The pinned themes in the status bar: a key-cap and the theme's name for each digit.

    Names are never cut: where the bar is too narrow for them all, the last keys show their key-cap
    alone, and the tooltip (and F1) list every one.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pinned: list[tuple[int, str]] = []
        self.setAccessibleName("Pinned keys")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.set_pins([])

    def set_pins(self, pinned: Sequence[tuple[int, str]]) -> None:
        """Digit and theme name of each pinned key, in digit order."""
        self._pinned = sorted(pinned)
        listing = "; ".join(f"{digit} {name}" for digit, name in self._pinned)
        self.setAccessibleDescription(listing)
        lines = [f"{digit}   {name}" for digit, name in self._pinned] or ["No theme is pinned."]
        self.setToolTip("Keys 1–9 code the selection with:\n" + "\n".join(lines) + "\n\n" + HOW_TO_PIN)
        self.updateGeometry()
        self.update()

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.92))
        return font

    def _full_width(self) -> int:
        metrics = QFontMetrics(self._font())
        return sum(
            keycap_width(metrics) + _GAP + metrics.horizontalAdvance(name) + _SPACING
            for _digit, name in self._pinned
        )

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font())
        return QSize(min(self._full_width(), _PREFERRED_WIDTH), metrics.height() + 6)

    def minimumSizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font())
        return QSize(min(self._full_width(), 8 * metrics.averageCharWidth()), metrics.height() + 6)

    def shown(self) -> list[tuple[int, str]]:
        """Each key as the strip shows it now: the theme's name whole, from the left while there is
        room (leaving room for the other keys), and "" (the key-cap alone) for the rest."""
        metrics = QFontMetrics(self._font())
        cap = keycap_width(metrics) + _SPACING
        room = self.width() - cap * len(self._pinned)
        shown: list[tuple[int, str]] = []
        for digit, name in self._pinned:
            need = _GAP + metrics.horizontalAdvance(name)
            fits = len(shown) == sum(1 for _d, text in shown if text) and need <= room
            shown.append((digit, name if fits else ""))
            room -= need if fits else 0
        return shown

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self._font())
        metrics = painter.fontMetrics()
        x = 0.0
        height = float(self.height())
        for digit, name in self.shown():
            paint_keycap(painter, QRectF(x, 0, keycap_width(metrics), height), digit)
            x += keycap_width(metrics)
            if name:
                painter.setPen(NAME_TEXT)
                width = metrics.horizontalAdvance(name)
                flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                painter.drawText(QRectF(x + _GAP, 0, width + 1, height), flags, name)
                x += _GAP + width
            x += _SPACING
        painter.end()
