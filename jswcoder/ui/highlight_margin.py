"""How codings are drawn on the transcript: light highlights, and stripes in a margin beside the text.

Highlights alone blend into one another where codings overlap, and colour must never be the only cue,
so every coding also gets a thin vertical bar over the lines it spans, named where there is room. Bars
that share a line go into separate lanes. The names get as much room as the longest theme name needs,
up to a share of the view; a longer name wraps onto the bar's next lines, and is shortened with an
ellipsis only where the bar is too short for it (its tooltip always names the theme in full, and who
coded it). Lanes are assigned by *block* (paragraph) spans, which do not depend on the window's
width, so resizing never reshuffles them; the bars' heights follow the real wrapped lines.

Theme *suggestions* (:mod:`jswcoder.ui.suggestions_panel`) share the margin but are plainly not codings:
a hollow, dashed bar in the theme's colour and the name in grey italics, in lanes the codings leave
free; the text itself is not tinted. The suggestion being looked at is filled faintly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from jswcoder.offsets import Convention, OffsetMap

LANE_STEP = 8  # pixels per lane: a 5-pixel bar and a 3-pixel gap
BAR_WIDTH = 5
MIN_LANES = 4  # reserve room for a few lanes so the text does not re-wrap at the first overlap
MAX_LANES = 16  # beyond this, further lanes share the last one (their names still show in tooltips)
MIN_LABEL_CHARS = 10  # the names' column: never narrower than this many average characters,
MAX_LABEL_CHARS = 22  # never wider than this many,
MAX_LABEL_SHARE = 0.22  # nor than this share of the view (longer names wrap, then shorten)
MAX_LABEL_LINES = 3
HIGHLIGHT_ALPHA = 90  # about 35 %: black text stays readable, two overlaps still differ
# The passage playing: a pale blue-grey wash with a dotted underline. Drawn beneath the codings, which
# set only a background, so coded words keep their colour and still show the underline.
PLAYING_BACKGROUND = QColor("#e3ebf3")
PLAYING_UNDERLINE = QColor("#4a6f96")
SUGGESTED_NAME = QColor("#77736b")  # a suggestion's name: grey, in italics
WEAK_NAME = QColor("#aca89f")  # and where the assistant seldom agrees with the coder: paler, bar and name
WEAK_ALPHA = 110
U16 = Convention.UTF16


@dataclass(frozen=True, slots=True)
class Highlight:
    coding_uuid: str
    start: int  # code points into the canonical text, end exclusive
    end: int
    code_uuid: str
    code_name: str  # shown in the margin and tooltips
    colour: str  # "#RRGGBB"
    coder: str = ""  # who coded it, named in tooltips
    path: str = ""  # the theme's full path, named in tooltips ("" means its name)


def coding_line(highlight: Highlight) -> str:
    """One coding as a tooltip names it: the theme in full, and who coded it."""
    theme = (highlight.path or highlight.code_name).replace("/", " › ")
    return f"{theme} · coded by {highlight.coder}" if highlight.coder else theme


@dataclass(slots=True)
class Bar:
    """One coding as the margin sees it: Qt positions (UTF-16 units), block span and lane."""

    coding_uuid: str
    code_name: str
    colour: QColor
    start: int  # Qt position of the first character
    end: int  # Qt position just past the last character
    first_block: int
    last_block: int
    lane: int = 0
    line: str = ""  # the coding as its tooltip names it (coding_line)
    suggested: bool = False  # a theme suggestion, not a coding (its key is the suggestion's)
    weak: bool = False  # a suggestion on a theme where the assistant seldom agrees with the coder


@dataclass(frozen=True, slots=True)
class SuggestedSpan:
    """A theme suggestion as the margin draws it (code points, like :class:`Highlight`)."""

    key: str  # the suggestion's own key, never a coding's UUID
    start: int
    end: int
    code_name: str
    colour: str
    line: str  # its tooltip line
    weak: bool = False  # the assistant seldom agrees with the coder on its theme: drawn paler


def free_lane(bar: Bar, placed: Iterable[Bar]) -> int:
    """The lowest lane not used by a placed bar whose block span meets ``bar``'s."""
    taken = {p.lane for p in placed if p.first_block <= bar.last_block and bar.first_block <= p.last_block}
    lane = 0
    while lane in taken:
        lane += 1
    return lane


def assign_lanes(bars: list[Bar]) -> None:
    """Greedy interval colouring by block span: optimal lane count, O(n · lanes)."""
    lane_ends: list[int] = []  # last block used in each lane
    for bar in sorted(bars, key=lambda b: (b.first_block, -b.last_block, b.start)):
        for lane, last in enumerate(lane_ends):
            if last < bar.first_block:
                lane_ends[lane] = bar.last_block
                bar.lane = lane
                break
        else:
            bar.lane = len(lane_ends)
            lane_ends.append(bar.last_block)


class HighlightMargin(QWidget):
    """Paints the bars for the visible part of ``edit``; tooltips and double-click name/activate them."""

    barActivated = Signal(str)  # coding uuid
    suggestionActivated = Signal(str)  # a suggestion's key (a double-click on its hollow bar)

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        self._bars: dict[str, Bar] = {}
        self._suggested: dict[str, Bar] = {}  # theme suggestions, in the lanes the codings leave free
        self._current: str | None = None  # the suggestion being looked at
        self._names: set[str] = set()  # every theme name a label may show, to size the names' column
        self._widest: tuple[float, int] = (0.0, 0)  # (label font size, widest name) once measured
        self.setAccessibleName("Coding stripes")
        self.setAccessibleDescription("One bar per coding beside the lines it covers, with the theme's name")
        self.setMouseTracking(True)
        edit.updateRequest.connect(self._update_request)

    # -- state -------------------------------------------------------------------------------------

    def set_bars(self, bars: Iterable[Bar]) -> None:
        self._bars = {b.coding_uuid: b for b in bars}
        assign_lanes(list(self._bars.values()))
        self._learn_names(b.code_name for b in self._bars.values())
        self._place_suggested()
        self.update()

    def set_suggested(self, bars: Iterable[Bar], current: str | None = None) -> None:
        """The theme suggestions to show (none: an empty list), and the one being looked at."""
        self._suggested = {b.coding_uuid: b for b in bars}
        self._current = current
        self._place_suggested()
        self.update()

    def set_current_suggestion(self, key: str | None) -> None:
        if key != self._current:
            self._current = key
            self.update()

    def _place_suggested(self) -> None:
        placed = list(self._bars.values())
        for bar in sorted(self._suggested.values(), key=lambda b: (b.first_block, b.start)):
            bar.lane = free_lane(bar, placed)
            placed.append(bar)

    def add_bar(self, bar: Bar) -> None:
        bar.lane = free_lane(bar, [*self._bars.values(), *self._suggested.values()])
        self._bars[bar.coding_uuid] = bar
        self._learn_names([bar.code_name])
        self.update()

    def set_label_names(self, names: Iterable[str]) -> None:
        """The theme names labels may show (the codebook's): the names' column is sized for them once,
        so that coding with a longer name does not re-wrap the text."""
        self._names = set(names)
        self._widest = (0.0, 0)
        self._learn_names(b.code_name for b in self._bars.values())

    def _learn_names(self, names: Iterable[str]) -> None:
        new = set(names) - self._names
        if new:
            self._names |= new
            self._widest = (0.0, 0)

    def remove_bar(self, coding_uuid: str) -> None:
        if self._bars.pop(coding_uuid, None) is not None:
            self.update()

    def suggested(self) -> dict[str, tuple[int, int]]:
        """Each suggestion shown, by key: its Qt positions (start, end)."""
        return {key: (bar.start, bar.end) for key, bar in self._suggested.items()}

    def lanes(self) -> dict[str, int]:
        return {uuid: bar.lane for uuid, bar in self._bars.items()}

    def spans(self) -> dict[str, tuple[int, int]]:
        """The first and last block of each coding."""
        return {uuid: (bar.first_block, bar.last_block) for uuid, bar in self._bars.items()}

    def lane_count(self) -> int:
        every = [*self._bars.values(), *self._suggested.values()]
        return 1 + max((b.lane for b in every), default=-1)

    def label_room(self) -> int:
        """The width of the names' column: the widest name, within MIN/MAX_LABEL_CHARS and the share."""
        font = self._label_font()
        metrics = QFontMetrics(font)
        if self._widest[0] != font.pointSizeF():
            widest = max((metrics.horizontalAdvance(name) for name in self._names), default=0)
            self._widest = (font.pointSizeF(), widest)
        low = metrics.averageCharWidth() * MIN_LABEL_CHARS
        high = min(metrics.averageCharWidth() * MAX_LABEL_CHARS, int(self._edit.width() * MAX_LABEL_SHARE))
        return min(max(self._widest[1] + 2, low), max(high, low))

    def preferred_width(self) -> int:
        lanes = min(max(self.lane_count(), MIN_LANES), MAX_LANES)
        return 6 + lanes * LANE_STEP + 6 + self.label_room()

    def sizeHint(self) -> QSize:
        return QSize(self.preferred_width(), 0)

    # -- geometry ----------------------------------------------------------------------------------

    def _label_font(self) -> QFont:
        font = QFont(self._edit.font())
        font.setPointSizeF(max(8.0, font.pointSizeF() * 0.8))
        return font

    def _lanes_width(self) -> int:
        return 6 + min(max(self.lane_count(), MIN_LANES), MAX_LANES) * LANE_STEP

    def placed(self) -> list[tuple[Bar, QRectF, QRectF | None]]:
        """Each visible bar with its rectangle and its name's rectangle (None where there is no room)."""
        edit = self._edit
        height = edit.viewport().height()
        offset = edit.contentOffset()
        block = edit.firstVisibleBlock()
        tops: dict[int, float] = {}
        while block.isValid():
            geometry = edit.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            tops[block.blockNumber()] = geometry.top()
            block = block.next()
        if not tops:
            return []
        first, last = min(tops), max(tops)
        document = edit.document()

        def y_of(position: int, bottom: bool) -> float:
            block = document.findBlock(position)
            number = block.blockNumber()
            if number < first:
                return -2.0
            if number > last:
                return height + 2.0
            line = block.layout().lineForTextPosition(position - block.position())
            if not line.isValid():
                return tops[number]
            return tops[number] + line.y() + (line.height() if bottom else 0.0)

        metrics = QFontMetrics(self._label_font())
        label_x = self._lanes_width()
        label_w = self.width() - label_x - 4
        result: list[tuple[Bar, QRectF, QRectF | None]] = []
        visible = [
            b
            for b in [*self._bars.values(), *self._suggested.values()]
            if b.last_block >= first and b.first_block <= last
        ]
        for bar in visible:
            top = y_of(bar.start, bottom=False)
            bottom = y_of(max(bar.start, bar.end - 1), bottom=True)
            x = 6 + min(bar.lane, MAX_LANES - 1) * LANE_STEP
            result.append((bar, QRectF(x, top, BAR_WIDTH, max(bottom - top, 4.0)), None))
        result.sort(key=lambda item: (item[1].top(), item[0].lane))
        next_free = 0.0
        line_height = metrics.height()
        for index, (bar, rect, _) in enumerate(result):
            y = max(rect.top(), next_free, 0.0)
            if y < rect.bottom() and label_w > metrics.averageCharWidth() * 3:
                # A name may run down its bar, and on below it until the next bar begins.
                next_top = result[index + 1][1].top() if index + 1 < len(result) else float(height)
                bottom = max(rect.bottom(), next_top)
                room = max(1, min(MAX_LABEL_LINES, int((bottom - y) // line_height)))
                lines = len(wrap_label(bar.code_name, metrics, int(label_w), room))
                result[index] = (bar, rect, QRectF(label_x, y, label_w, line_height * lines))
                next_free = y + line_height * lines
        return result

    def labels(self) -> dict[str, list[str]]:
        """The name each visible bar shows, line by line, as painted (no entry: no room for one)."""
        metrics = QFontMetrics(self._label_font())
        return {
            bar.coding_uuid: self._label_lines(bar, label, metrics)
            for bar, _rect, label in self.placed()
            if label is not None
        }

    def _label_lines(self, bar: Bar, label: QRectF, metrics: QFontMetrics) -> list[str]:
        lines = max(1, round(label.height() / metrics.height()))
        return wrap_label(bar.code_name, metrics, int(label.width()), lines)

    def bars_at(self, point: QPoint) -> list[Bar]:
        """Bars (or names) under ``point``, innermost (shortest) first."""
        found = [
            bar
            for bar, rect, label in self.placed()
            if rect.adjusted(-2, 0, 2, 0).contains(point) or (label is not None and label.contains(point))
        ]
        return sorted(found, key=lambda b: b.end - b.start)

    # -- painting and events -----------------------------------------------------------------------

    def _update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.scroll(0, dy)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#f6f5f2"))
        painter.setPen(QColor("#dcd9d2"))
        painter.drawLine(0, 0, 0, self.height())
        painter.setFont(self._label_font())
        metrics = painter.fontMetrics()
        plain, italic = painter.font(), QFont(painter.font())
        italic.setItalic(True)
        for bar, rect, label in self.placed():
            if bar.suggested:
                self._paint_suggested(painter, bar, rect)
            else:
                painter.fillRect(rect, bar.colour)
            if label is None:
                continue
            mid = label.top() + metrics.height() / 2  # the connector meets the name's first line
            connector = QPen(bar.colour)
            if bar.suggested:
                connector.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(connector)
            painter.drawLine(int(rect.right()) + 1, int(mid), int(label.left()) - 2, int(mid))
            painter.setPen(
                (WEAK_NAME if bar.weak else SUGGESTED_NAME) if bar.suggested else QColor("#2b2b2b")
            )
            painter.setFont(italic if bar.suggested else plain)
            for number, text in enumerate(self._label_lines(bar, label, metrics)):
                line = QRectF(
                    label.left(), label.top() + number * metrics.height(), label.width(), metrics.height()
                )
                painter.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.end()

    def _paint_suggested(self, painter: QPainter, bar: Bar, rect: QRectF) -> None:
        """A hollow bar with a dashed outline: a suggestion, not a coding (filled faintly when current)."""
        if bar.coding_uuid == self._current:
            faint = QColor(bar.colour)
            faint.setAlpha(HIGHLIGHT_ALPHA)
            painter.fillRect(rect, faint)
        pen = QPen(bar.colour, 1.0)
        pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bars = self.bars_at(event.pos())
            if bars:
                coded = [b.line for b in bars if not b.suggested]
                lines = [tooltip_for(coded)] if coded else []
                lines += dict.fromkeys(b.line for b in bars if b.suggested)  # each says "Suggested"
                QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        bars = self.bars_at(event.position().toPoint())
        if bars:
            if bars[0].suggested:
                self.suggestionActivated.emit(bars[0].coding_uuid)
            else:
                self.barActivated.emit(bars[0].coding_uuid)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)


def tooltip_for(lines: Iterable[str]) -> str:
    """The tooltip for a place with codings: each coding (:func:`coding_line`) once, in order."""
    unique = list(dict.fromkeys(lines))
    return ("Coded as: " if len(unique) == 1 else "Coded as:\n") + "\n".join(unique)


def wrap_label(name: str, metrics: QFontMetrics, width: int, max_lines: int) -> list[str]:
    """A theme name in at most *max_lines* lines of *width*, broken between words; whatever still does
    not fit ends in an ellipsis."""
    words = name.split()
    lines: list[str] = []
    current = ""
    for position, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if not current or metrics.horizontalAdvance(trial) <= width:
            current = trial
            continue
        if len(lines) == max_lines - 1:  # the last line takes the rest, shortened
            current = " ".join([current, *words[position:]])
            break
        lines.append(current)
        current = word
    lines.append(current)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


def _suggested_colour(suggested: SuggestedSpan) -> QColor:
    colour = QColor(suggested.colour) if QColor.isValidColorName(suggested.colour) else QColor("#9e9e9e")
    if suggested.weak:
        colour.setAlpha(WEAK_ALPHA)
    return colour


_BACKGROUNDS: dict[str, QTextCharFormat] = {}


def _background(colour: str) -> QTextCharFormat:
    """The highlight format for a colour, made once per colour (codes share a small palette)."""
    made = _BACKGROUNDS.get(colour)
    if made is None:
        opaque = QColor(colour) if QColor.isValidColorName(colour) else QColor("#9e9e9e")
        made = QTextCharFormat()
        made.setBackground(QColor(opaque.red(), opaque.green(), opaque.blue(), HIGHLIGHT_ALPHA))
        _BACKGROUNDS[colour] = made
    return made


def _playing_format() -> QTextCharFormat:
    made = QTextCharFormat()
    made.setBackground(PLAYING_BACKGROUND)
    made.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    made.setUnderlineColor(PLAYING_UNDERLINE)
    return made


class HighlightLayer:
    """The codings of one document: their extra selections in ``edit`` and their bars in ``margin``.

    Qt lays out the paragraph of every extra selection it is given (75 ms for 1,000 codings over a
    long transcript), so the editor only ever holds the selections of the paragraphs on screen;
    scrolling swaps them (:meth:`show_visible`). Every selection is made up front, cheaply.
    """

    def __init__(self, edit: QPlainTextEdit, margin: HighlightMargin) -> None:
        self._edit = edit
        self._margin = margin
        self._map = OffsetMap("")
        self._block_starts = [0]
        self._highlights: dict[str, Highlight] = {}
        self._selections: dict[str, QTextEdit.ExtraSelection] = {}
        self._shown: list[str] | None = []  # None: give the editor its selections again
        self._playing: QTextEdit.ExtraSelection | None = None
        edit.updateRequest.connect(self.show_visible)

    def reset(self, text_map: OffsetMap, block_starts: list[int]) -> None:
        """Forget every coding; a new document (``block_starts``: code point offset of each block)."""
        self._map, self._block_starts = text_map, block_starts
        self._highlights.clear()
        self._selections.clear()
        self._playing = None
        self._margin.set_suggested([])
        self._margin.set_bars([])
        self.show_visible()
        self.place_margin()

    def set_all(self, highlights: Sequence[Highlight]) -> None:
        self._highlights.clear()
        self._selections.clear()
        bars = []
        # Inside an edit block a cursor skips working out its x position, which would lay out the
        # paragraph of every highlight: 5 ms instead of 150 ms for 1,000 highlights.
        batch = QTextCursor(self._edit.document())
        batch.beginEditBlock()
        for highlight in highlights:
            if self._valid(highlight):
                self._highlights[highlight.coding_uuid] = highlight
                self._selections[highlight.coding_uuid] = self._selection(highlight)
                bars.append(self._bar(highlight))
        batch.endEditBlock()
        self._margin.set_bars(bars)
        self.show_visible()
        self.place_margin()

    def add(self, highlight: Highlight) -> None:
        if not self._valid(highlight):
            return
        self._margin.remove_bar(highlight.coding_uuid)
        self._highlights[highlight.coding_uuid] = highlight
        self._selections[highlight.coding_uuid] = self._selection(highlight)
        self._margin.add_bar(self._bar(highlight))
        self.show_visible()
        self.place_margin()

    def remove(self, coding_uuid: str) -> None:
        if self._highlights.pop(coding_uuid, None) is None:
            return
        del self._selections[coding_uuid]
        self._margin.remove_bar(coding_uuid)
        self.show_visible()
        self.place_margin()

    def set_suggestions(self, suggestions: Sequence[SuggestedSpan], current: str | None = None) -> None:
        """The theme suggestions to draw in the margin (hollow bars); the text is left as it is."""
        length = self._map.length(Convention.CODEPOINTS)
        bars = [
            Bar(
                s.key,
                s.code_name,
                _suggested_colour(s),
                self._map.to_units(s.start, U16),
                self._map.to_units(s.end, U16),
                self._block_of(s.start),
                self._block_of(s.end - 1),
                line=s.line,
                suggested=True,
                weak=s.weak,
            )
            for s in suggestions
            if 0 <= s.start < s.end <= length
        ]
        self._margin.set_suggested(bars, current)
        self.place_margin()

    def at(self, offset: int) -> list[Highlight]:
        """Highlights covering the character at ``offset``, innermost (shortest) first."""
        found = [h for h in self._highlights.values() if h.start <= offset < h.end]
        return sorted(found, key=lambda h: h.end - h.start)

    def set_playing(self, span: tuple[int, int] | None) -> None:
        """Mark the passage being heard (code points), or none."""
        if span is None or not 0 <= span[0] < span[1] <= self._map.length(Convention.CODEPOINTS):
            self._playing = None
        else:
            self._playing = QTextEdit.ExtraSelection()
            self._playing.cursor = self.cursor(*span)
            self._playing.format = _playing_format()
        self._shown = None
        self.show_visible()

    def cursor(self, anchor: int, position: int) -> QTextCursor:
        """A cursor from ``anchor`` to ``position``, both in code points."""
        cursor = QTextCursor(self._edit.document())
        cursor.setPosition(self._map.to_units(anchor, U16))
        cursor.setPosition(self._map.to_units(position, U16), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def show_visible(self) -> None:
        """Give the editor the selections of the paragraphs on screen (and one either side)."""
        edit = self._edit
        block = edit.firstVisibleBlock()
        first = last = block.blockNumber()
        bottom = edit.viewport().height()
        top = edit.blockBoundingGeometry(block).translated(edit.contentOffset()).top()
        while block.isValid() and top <= bottom:
            last = block.blockNumber()
            top += edit.blockBoundingRect(block).height()
            block = block.next()
        spans = self._margin.spans()
        shown = [
            uuid
            for uuid in self._selections
            if (span := spans.get(uuid)) is not None and span[0] <= last + 1 and span[1] >= first - 1
        ]
        if shown != self._shown:
            self._shown = shown
            playing = [] if self._playing is None else [self._playing]
            edit.setExtraSelections(playing + [self._selections[uuid] for uuid in shown])

    def place_margin(self) -> None:
        """Keep the margin as wide as its lanes need, just right of the text."""
        width = self._margin.preferred_width()
        if self._edit.viewportMargins().right() != width:
            self._edit.setViewportMargins(0, 0, width, 0)
        viewport = self._edit.viewport().geometry()
        self._margin.setGeometry(viewport.right() + 1, viewport.top(), width, viewport.height())

    def _valid(self, highlight: Highlight) -> bool:
        return 0 <= highlight.start < highlight.end <= self._map.length(Convention.CODEPOINTS)

    def _block_of(self, offset: int) -> int:
        return bisect_right(self._block_starts, offset) - 1

    def _selection(self, highlight: Highlight) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.cursor = self.cursor(highlight.start, highlight.end)
        selection.format = _background(highlight.colour)
        return selection

    def _bar(self, highlight: Highlight) -> Bar:
        colour = QColor(highlight.colour)
        return Bar(
            highlight.coding_uuid,
            highlight.code_name,
            colour if colour.isValid() else QColor("#9e9e9e"),
            self._map.to_units(highlight.start, U16),
            self._map.to_units(highlight.end, U16),
            self._block_of(highlight.start),
            self._block_of(highlight.end - 1),
            line=coding_line(highlight),
        )
