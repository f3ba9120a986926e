"""Drawing the report charts (:mod:`jswcoder.reports.charts`) with Qt's own painter, as PNG or SVG.

Charts are laid out in points at print size, 16 cm wide (a Word page's text width), and written as a
300 dpi PNG (Word places it at that size) or an SVG whose units are points. Colours come from the
Okabe-Ito palette (:mod:`jswcoder.palette`), and colour is never the only cue: each bar and stripe also
has a hatching of its own and a label beside it, and each heat-map cell its number. Hatching is drawn as
lines clipped by hand, so the SVG holds it too. Importing this module registers the ``.png`` and
``.svg`` renderers of :data:`jswcoder.reports.charts.CHART`; a command-line caller gets an offscreen
Qt application if it has none (:func:`ensure_application`).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter, QPen
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication

from jswcoder.palette import OKABE_ITO
from jswcoder.reports.base import Rendered
from jswcoder.reports.charts import CHART, Bars, Chart, HeatMap, Stripes

WIDTH = 453.5  # points: 16 cm
MARGIN = 12.0
LABEL_WIDTH = 150.0
DPI = 300
BAR = 8.0
BAR_GAP = 1.5
GROUP_GAP = 7.0
LANE = 9.0
LANE_GAP = 3.0
INK = QColor("#222222")
FAINT = QColor("#F2F2F2")
RULE = QColor("#888888")
# Hatchings (angle in degrees, or None for none, "dots", "cross"), one per series or theme after colour.
HATCHES: tuple[float | str | None, ...] = (None, 45.0, -45.0, 0.0, 90.0, "cross", "dots")

_made: list[QApplication] = []  # the application made here, kept alive


def ensure_application() -> None:
    """Qt needs an application object to lay out text; the command line has none. Without a display
    (a server, a terminal over SSH) it draws offscreen."""
    if QGuiApplication.instance() is not None:
        return
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _made.append(QApplication(["jswcoder"]))  # not a bare QGuiApplication: the app's own may follow


def _font(size: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(size)))  # pixels are points here: the painter is scaled to the page
    font.setBold(bold)
    return font


def _colour(index: int) -> QColor:
    return QColor(OKABE_ITO[index % len(OKABE_ITO)])


def _clipped(line: QLineF, rect: QRectF) -> QLineF | None:
    """The part of a line inside a rectangle (Liang–Barsky), or None."""
    x0, y0, dx, dy = line.x1(), line.y1(), line.dx(), line.dy()
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x0 - rect.left()),
        (dx, rect.right() - x0),
        (-dy, y0 - rect.top()),
        (dy, rect.bottom() - y0),
    ):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
    if low >= high:
        return None
    return QLineF(x0 + low * dx, y0 + low * dy, x0 + high * dx, y0 + high * dy)


def _hatched(painter: QPainter, rect: QRectF, index: int) -> None:
    """Fill a rectangle with a colour and, by *index*, a hatching drawn inside it."""
    painter.fillRect(rect, _colour(index))
    hatch = HATCHES[(index // len(OKABE_ITO) + index) % len(HATCHES)]
    if hatch is not None and rect.width() >= 1 and rect.height() >= 1:
        _hatch(painter, rect, hatch)
    painter.setPen(QPen(INK, 0.5))
    painter.drawRect(rect)


def _hatch(painter: QPainter, rect: QRectF, hatch: float | str) -> None:
    painter.save()
    painter.setPen(QPen(INK, 0.4))
    step = 3.0
    if hatch == "dots":
        y = rect.top() + step / 2
        while y < rect.bottom():
            x = rect.left() + step / 2
            while x < rect.right():
                painter.drawPoint(QPointF(x, y))
                x += step
            y += step
    else:
        angles = (45.0, -45.0) if hatch == "cross" else (float(hatch),)
        reach = rect.width() + rect.height()
        for angle in angles:
            dx, dy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            normal = (-dy, dx)
            offset = -reach
            while offset <= reach:
                centre = QPointF(
                    rect.center().x() + normal[0] * offset, rect.center().y() + normal[1] * offset
                )
                line = QLineF(
                    centre.x() - dx * reach,
                    centre.y() - dy * reach,
                    centre.x() + dx * reach,
                    centre.y() + dy * reach,
                )
                inside = _clipped(line, rect)
                if inside is not None:
                    painter.drawLine(inside)
                offset += step
    painter.restore()


def _text(
    painter: QPainter, rect: QRectF, text: str, font: QFont, flags: Qt.AlignmentFlag, colour: QColor = INK
) -> None:
    painter.setFont(font)
    painter.setPen(colour)
    shown = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideMiddle, rect.width())
    painter.drawText(rect, int(flags), shown)


LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter


def _title(painter: QPainter, title: str, width: float) -> float:
    _text(painter, QRectF(MARGIN, MARGIN, width - 2 * MARGIN, 16), title, _font(11, bold=True), LEFT)
    return MARGIN + 22


def _axis(largest: float, *, whole: bool) -> tuple[float, float]:
    """A round maximum for an axis, at least *largest*, and the step between its ticks (at most five
    steps; whole numbers for counts)."""
    if largest <= 0:
        return 1.0, 1.0 if whole else 0.25
    magnitude = 10 ** math.floor(math.log10(largest / 5)) if largest >= 5 else (1.0 if whole else 0.1)
    for factor in (1, 2, 2.5, 5, 10, 20, 25, 50):
        step = factor * magnitude
        if whole and step != int(step):
            continue
        if largest <= 5 * step:
            return step * math.ceil(largest / step), step
    return largest, largest / 5


# -- bars --------------------------------------------------------------------------------------------


def _legend(painter: QPainter | None, labels: tuple[str, ...], top: float, width: float) -> float:
    """Swatches with their labels, wrapped over lines; returns the height used."""
    font = _font(8)
    metrics = QFontMetricsF(font)
    x, y = MARGIN, top
    for index, label in enumerate(labels):
        room = min(metrics.horizontalAdvance(label), width / 2)
        needed = 12 + room + 10
        if x + needed > width - MARGIN and x > MARGIN:
            x, y = MARGIN, y + 12
        if painter is not None:
            _hatched(painter, QRectF(x, y + 1, 9, 8), index)
            _text(painter, QRectF(x + 12, y, room + 2, 10), label, font, LEFT)
        x += needed
    return y + 12 - top


def _bars_height(chart: Bars) -> float:
    group = max(len(chart.series), 1) * (BAR + BAR_GAP) + GROUP_GAP
    return (
        MARGIN + 22 + _legend(None, chart.series, 0, WIDTH) + 6 + len(chart.categories) * group + 24 + MARGIN
    )


def _draw_bars(painter: QPainter, chart: Bars, width: float) -> None:
    top = _title(painter, chart.title, width)
    top += _legend(painter, chart.series, top, width) + 6
    left = MARGIN + LABEL_WIDTH + 6
    right = width - MARGIN - 34
    percent = chart.unit.startswith("%")
    largest, step_size = (
        (100.0, 25.0)
        if percent
        else _axis(max((v for row in chart.values for v in row), default=0.0), whole=True)
    )
    label_font, value_font = _font(8), _font(7)
    y = top
    for category, row in zip(chart.categories, chart.values, strict=True):
        group = len(row) * (BAR + BAR_GAP)
        _text(painter, QRectF(MARGIN, y, LABEL_WIDTH, max(group, 10)), category, label_font, RIGHT)
        for index, value in enumerate(row):
            length = (right - left) * value / largest
            bar = QRectF(left, y + index * (BAR + BAR_GAP), max(length, 0.0), BAR)
            if length > 0:
                _hatched(painter, bar, index)
            shown = f"{value:.0f}%" if percent else f"{value:g}"
            _text(painter, QRectF(left + length + 2, bar.top() - 1, 32, BAR + 2), shown, value_font, LEFT)
        y += group + GROUP_GAP
    painter.setPen(QPen(RULE, 0.6))
    painter.drawLine(QLineF(left, top - 2, left, y - GROUP_GAP + 2))
    axis = y - GROUP_GAP + 4
    painter.drawLine(QLineF(left, axis, right, axis))
    tick_font = _font(7)
    for step in range(round(largest / step_size) + 1):
        value = step * step_size
        x = left + (right - left) * value / largest
        painter.setPen(QPen(RULE, 0.6))
        painter.drawLine(QLineF(x, axis, x, axis + 3))
        _text(
            painter, QRectF(x - 20, axis + 3, 40, 9), f"{value:g}{'%' if percent else ''}", tick_font, CENTRE
        )
    _text(painter, QRectF(left, axis + 12, right - left, 10), chart.unit, _font(8), CENTRE)


# -- heat map -----------------------------------------------------------------------------------------


def _cell_size(chart: HeatMap) -> float:
    room = (WIDTH - 2 * MARGIN - LABEL_WIDTH - 6) / max(len(chart.rows), 1)
    return min(28.0, max(14.0, room))


def _heat_size(chart: HeatMap) -> tuple[float, float]:
    cell = _cell_size(chart)
    width = max(WIDTH, 2 * MARGIN + LABEL_WIDTH + 6 + cell * len(chart.rows))
    return width, MARGIN + 22 + 12 + cell * len(chart.rows) + 22 + MARGIN


def _draw_heat(painter: QPainter, chart: HeatMap, width: float) -> None:
    top = _title(painter, chart.title, width) + 12
    cell = _cell_size(chart)
    left = MARGIN + LABEL_WIDTH + 6
    size = len(chart.rows)
    off_diagonal = [
        v for a, row in enumerate(chart.values) for b, v in enumerate(row) if a != b and v is not None
    ]
    largest = max(off_diagonal, default=0.0) or 1.0
    dark, number_font = QColor(OKABE_ITO[4]), _font(min(8.0, cell * 0.42))
    for b in range(size):
        _text(painter, QRectF(left + b * cell, top - 11, cell, 10), str(b + 1), _font(7), CENTRE)
    for a, (label, row, labels) in enumerate(zip(chart.rows, chart.values, chart.labels, strict=True)):
        y = top + a * cell
        _text(painter, QRectF(MARGIN, y, LABEL_WIDTH, cell), f"{a + 1}. {label}", _font(8), RIGHT)
        for b, value in enumerate(row):
            rect = QRectF(left + b * cell, y, cell, cell)
            if a == b:
                fill, strength = QColor("#DDDDDD"), 0.0  # a theme with itself: shown, not shaded
            else:
                strength = 0.0 if value is None else min(1.0, value / largest)
                fill = QColor(
                    round(255 + (dark.red() - 255) * strength),
                    round(255 + (dark.green() - 255) * strength),
                    round(255 + (dark.blue() - 255) * strength),
                )
            painter.fillRect(rect, fill)
            painter.setPen(QPen(QColor("#BBBBBB"), 0.4))
            painter.drawRect(rect)
            ink = QColor("white") if strength > 0.55 else (INK if value else QColor("#AAAAAA"))
            _text(painter, rect, labels[b], number_font, CENTRE, ink)
    _text(painter, QRectF(MARGIN, top + size * cell + 6, width - 2 * MARGIN, 10), chart.note, _font(7), LEFT)


# -- stripes ------------------------------------------------------------------------------------------


def _stripes_height(chart: Stripes) -> float:
    coders = len({lane.coder for lane in chart.lanes})
    return MARGIN + 22 + coders * 14 + len(chart.lanes) * (LANE + LANE_GAP) + 26 + MARGIN


def _draw_stripes(painter: QPainter, chart: Stripes, width: float) -> None:
    y = _title(painter, chart.title, width)
    left, right = MARGIN + LABEL_WIDTH + 6, width - MARGIN
    span = max(chart.length, 1)
    current = None
    for lane in chart.lanes:
        if lane.coder != current:
            current = lane.coder
            _text(painter, QRectF(MARGIN, y, width - 2 * MARGIN, 12), lane.coder, _font(9, bold=True), LEFT)
            y += 14
        _text(painter, QRectF(MARGIN, y - 1, LABEL_WIDTH, LANE + 2), lane.theme, _font(8), RIGHT)
        painter.fillRect(QRectF(left, y, right - left, LANE), FAINT)
        for start, end in lane.spans:
            x0 = left + (right - left) * start / span
            x1 = left + (right - left) * end / span
            _hatched(painter, QRectF(x0, y, max(x1 - x0, 0.8), LANE), lane.theme_index)
        y += LANE + LANE_GAP
    painter.setPen(QPen(RULE, 0.6))
    painter.drawLine(QLineF(left, y + 2, right, y + 2))
    for step in range(5):
        x = left + (right - left) * step / 4
        painter.drawLine(QLineF(x, y + 2, x, y + 5))
        _text(painter, QRectF(x - 20, y + 5, 40, 9), f"{25 * step}%", _font(7), CENTRE)
    _text(painter, QRectF(left, y + 14, right - left, 10), "position in the transcript", _font(8), CENTRE)


# -- to a file ----------------------------------------------------------------------------------------


def _layout(chart: Chart) -> tuple[float, float, Callable[[QPainter, Any, float], None]]:
    if isinstance(chart, Bars):
        return WIDTH, _bars_height(chart), _draw_bars
    if isinstance(chart, HeatMap):
        width, height = _heat_size(chart)
        return width, height, _draw_heat
    return WIDTH, _stripes_height(chart), _draw_stripes


def size_of(chart: Chart) -> tuple[float, float]:
    """The chart's width and height in points."""
    width, height, _draw = _layout(chart)
    return width, height


def draw(painter: QPainter, chart: Chart) -> None:
    """Draw the chart in points from (0, 0) with *painter* (scaled by the caller to its device)."""
    width, _height, drawn = _layout(chart)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    drawn(painter, chart, width)


def render_png(chart: Chart) -> bytes:
    ensure_application()
    width, height = size_of(chart)
    scale = DPI / 72
    image = QImage(math.ceil(width * scale), math.ceil(height * scale), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    dots_per_metre = round(DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    painter.scale(scale, scale)
    draw(painter, chart)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 takes str
    buffer.close()
    return bytes(data.data())


def render_svg(chart: Chart) -> bytes:
    ensure_application()
    width, height = size_of(chart)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(math.ceil(width), math.ceil(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setResolution(72)  # a unit is a point
    generator.setTitle(chart.title)
    painter = QPainter(generator)
    painter.fillRect(QRectF(0, 0, width, height), QColor("white"))
    draw(painter, chart)
    painter.end()
    buffer.close()
    return bytes(data.data())


CHART.register(".png", lambda chart: Rendered(render_png(chart), chart.texts()))
CHART.register(".svg", lambda chart: Rendered(render_svg(chart), chart.texts()))
