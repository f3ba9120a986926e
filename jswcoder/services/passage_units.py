"""A hit's sentence, paragraph or speaker turn: how much of a transcript to code around the words found.

Coding only the words a search found ("risk") gives the theme report a one-word quote; a researcher
wants what the person said around them. :class:`TextUnits` cuts one transcript's canonical text into
three nested levels, each a list of non-overlapping spans in code points:

* **turn**: what a speaker said, from just after the speaker label (``P1:``, ``[00:01:19] Interviewer:``)
  to the end of the turn. Text outside every stored turn (a header, a transcript with no labels)
  has no turn, so each of its paragraphs stands in for one.
* **paragraph**: one line of that text, leading and trailing blanks left out; in a hard-wrapped text
  (a .txt whose lines break at a fixed width, see :func:`hard_wrapped`) a run of lines up to a blank
  line. It never crosses a turn.
* **sentence**: a paragraph cut after ``.``, ``?`` or ``!`` (and any closing quotes or brackets) when
  whitespace and then something other than a lower-case letter follows. Not a sentence end: a title
  or other common abbreviation (``Mr.``, ``Dr.``, ``St.``), a word with a full stop inside it
  (``e.g.``, ``i.e.``), a single letter (an initial), an ellipsis, which in a transcript is a pause,
  and a stop inside brackets (a transcriber's note); a sentence must hold a letter (``1.`` starts
  one). A sentence never crosses a paragraph.

A speaker label belongs to no unit, but a hit inside one (a search for "Interviewer") reaches the
first unit after it, so that the label and what follows are coded. :meth:`TextUnits.expand` takes a
hit's range to the smallest run of whole units of a level that covers it: the units it touches,
joined with the hit. So the result always contains the hit, and a hit's turn contains its paragraph,
which contains its sentence.

The same rule cuts a report's quotes (:mod:`jswcoder.reports.quotes`), in a text whose turns are not
stored (the anonymised text a quote leaves in): :func:`sentences_near` takes a label at a line's start
for a turn's, and reads each of the register's descriptors as one word.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from jswcoder.importing.turns import match_label
from jswcoder.model import Turn


class Unit(enum.Enum):
    """How much of the text around each hit is coded, smallest first."""

    HIT = "hit"  # the words found, nothing more
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    TURN = "turn"  # the speaker's whole turn, without the speaker label


@dataclass(frozen=True, slots=True)
class _Span:
    reach: int  # a hit touching [reach, end) takes this span: reach < start only for a turn's label
    start: int
    end: int


# Full stops after these words (compared in lower case) do not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof st sgt insp supt ch det pc dc cllr rev hon fr jr sr vs cf approx esp dept "
    "govt min max".split()
)
_TERMINATOR = re.compile(r"""[.!?…]+["'”’)\]]*(?=\s)""")
_NEXT = re.compile(r"\s+(\S)?")
_WORD_BEFORE = re.compile(r"[\w.'’]*$")
_WORD_LOOK_BACK = 20
_BRACKET = re.compile(r"[\[\]()]")
_RESUME_TRIES = 8  # stops looked at for one that surely ends a sentence (inside a long note, none does)
_LETTER = re.compile(r"[^\W\d_]")
_LINE = re.compile(r"[^\n]+")
_LINES = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")  # up to a blank line
_NOT_NEWLINE = re.compile(r"[^\n]")
WRAP_WIDTH_MAX = 120  # the widest line of a hard-wrapped text is at most this long
_WRAP_SLACK = 25  # and a line that runs on into the next is at most this much shorter
# hard_wrapped() of the texts sentences_near() was asked about lately, by length and hash: a report
# asks once per quote, theme by theme, so across all a study's transcripts; the texts are not kept.
_WRAPPED: dict[tuple[int, int], bool] = {}
_WRAPPED_KEPT = 10_000


def hard_wrapped(text: str) -> bool:
    """True if the text's line breaks are mostly a fixed width's and not the speaker's paragraphs: no
    line longer than 120 characters, and at least four in five lines that run on into another line
    within 25 characters of the widest (a .txt saved with its lines broken at 78, say)."""
    lines = [line.rstrip() for line in text.split("\n")]
    widest = max(map(len, lines), default=0)
    if not 0 < widest <= WRAP_WIDTH_MAX:
        return False
    running = [len(a) for a, b in pairwise(lines) if a.strip() and b.strip()]
    return len(running) >= 3 and sum(n >= widest - _WRAP_SLACK for n in running) * 5 >= len(running) * 4


def _hard_wrapped_remembered(text: str) -> bool:
    key = (len(text), hash(text))  # a str keeps its hash: only a text's first quote reads it whole
    found = _WRAPPED.get(key)
    if found is None:
        if len(_WRAPPED) >= _WRAPPED_KEPT:
            del _WRAPPED[next(iter(_WRAPPED))]  # the one asked about longest ago
        found = _WRAPPED[key] = hard_wrapped(text)
    return found


def _line_start(text: str, at: int) -> int:
    return text.rfind("\n", 0, at) + 1


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _labelled(line: str) -> int | None:
    """Where a line's words begin after its speaker label (time stamp, label, colon), if it has one."""
    label = match_label(line)
    return None if label is None else line.index(":", label.label_end) + 1


def _paragraph_bounds(text: str, start: int, end: int, wrapped: bool) -> tuple[int, int]:
    """From the start of the paragraph at *start* to the end of the one at *end* (whole lines)."""
    first, last = _line_start(text, start), _line_end(text, end)
    if wrapped:  # back to a blank line or to a label, which starts a paragraph; on to either
        while first > 0 and _labelled(text[first : _line_end(text, first)]) is None:
            above = _line_start(text, first - 1)
            if above == first - 1 or text[above : first - 1].isspace():
                break
            first = above
        while last < len(text):
            below = _line_end(text, last + 1)
            line = text[last + 1 : below]
            if not line or line.isspace() or _labelled(line) is not None:
                break
            last = below
    return first, last


def _paragraphs_in(lines: str, wrapped: bool) -> Iterator[tuple[int, int]]:
    """The paragraphs of whole *lines*, trimmed: each line, or in a hard-wrapped text each run of lines
    up to a blank one. A line with a speaker label starts a paragraph, after the label."""
    start: int | None = None
    end = offset = 0
    for line in lines.split("\n"):
        blank = not line or line.isspace()
        words = None if blank else _labelled(line)
        if blank or words is not None or not wrapped:
            if start is not None:
                yield _trimmed(lines, start, end)
            start = None if blank else offset + (words or 0)
        elif start is None:
            start = offset
        end = offset + len(line)
        offset = end + 1
    if start is not None:
        yield _trimmed(lines, start, end)


def sentences_near(
    text: str, start: int, end: int, protected: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """The sentences that share a character with ``text[start:end]``, in order, as spans of *text*,
    for a text whose turns are not stored (a report's quote is cut from the anonymised text).

    A speaker label (``P1:``, ``[00:01:19] Interviewer:``) at a line's start is taken for the start of a
    turn: it belongs to no sentence, and starts a paragraph. Each span in *protected* (a descriptor the
    register put in, "[WORKER. NHS]") is read as one word, so a stop inside it ends no sentence and
    "[NAME]:" at a line's start is a label. Otherwise the sentences are :class:`TextUnits`'."""
    wrapped = _hard_wrapped_remembered(text)
    first, last = _paragraph_bounds(text, start, end, wrapped)
    lines = text[first:last]
    for descriptor_start, descriptor_end in protected:
        a, b = max(descriptor_start - first, 0), min(descriptor_end - first, len(lines))
        if a < b:
            lines = lines[:a] + _NOT_NEWLINE.sub("X", lines[a:b]) + lines[b:]
    found: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs_in(lines, wrapped):
        if first + para_end <= start:
            continue
        paragraph = lines[para_start:para_end]
        at = start - first - para_start  # where the passage starts in it, if it does
        for sentence_start, sentence_end in _sentences_from(
            paragraph, _resume_at(paragraph, at) if at > 0 else 0
        ):
            a, b = first + para_start + sentence_start, first + para_start + sentence_end
            if a >= end:
                return found
            if b > start:
                found.append((a, b))
    return found


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _label_end(text: str, turn: Turn) -> int:
    """Where a turn's words begin: after its time stamp, speaker label, colon and blanks."""
    line_end = text.find("\n", turn.start, turn.end)
    label = match_label(text[turn.start : turn.end if line_end < 0 else line_end])
    if label is None or label.speaker != turn.speaker:
        return turn.start
    colon = text.find(":", turn.start + label.label_end, turn.end)
    return turn.start if colon < 0 else colon + 1


def _word_before(paragraph: str, sentence_start: int, stop: int) -> str:
    """The word just before *stop*, in the sentence (as ``_WORD_BEFORE`` finds it, looking back a few
    characters first: searched from the sentence's start, it tries every position of a long one)."""
    near = max(sentence_start, stop - _WORD_LOOK_BACK)
    word = _WORD_BEFORE.search(paragraph, near, stop)
    if word is not None and word.start() == near and near > sentence_start:  # perhaps longer
        word = _WORD_BEFORE.search(paragraph, sentence_start, stop)
    return word.group() if word else ""


def _ends_sentence(
    paragraph: str, terminator: re.Match[str], sentence_start: int, notes: bool = True
) -> bool:
    """Whether *terminator* ends the sentence begun at *sentence_start*; *notes* False says that the
    paragraph holds no bracket, so no note need be looked for."""
    marks = terminator.group().rstrip("\"'”’)]")
    end = terminator.end()
    # What follows the blanks after the terminator: mostly one blank, so mostly the next character.
    following: str | None = paragraph[end + 1 : end + 2]
    if not following or following.isspace():
        after = _NEXT.match(paragraph, end)
        following = after.group(1) if after else None
    if following is not None and following.islower():
        return False  # "e.g. the", "you know? and then"
    if ("…" in marks or ".." in marks) and "?" not in marks and "!" not in marks:
        return False  # an ellipsis is a pause in speech
    if not _LETTER.search(paragraph, sentence_start, terminator.start()):
        return False  # "1." or "[00:12]." on its own is no sentence
    if notes and (
        paragraph.count("[", sentence_start, end) > paragraph.count("]", sentence_start, end)
        or paragraph.count("(", sentence_start, end) > paragraph.count(")", sentence_start, end)
    ):
        return False  # inside a transcriber's note: "[Jo leaves the room. Recording stops.]"
    if marks == ".":
        before = _word_before(paragraph, sentence_start, terminator.start())
        if "." in before or (len(before) == 1 and before.isalpha()) or before.lower() in ABBREVIATIONS:
            return False
    return True


def sentences_in(paragraph: str) -> Iterator[tuple[int, int]]:
    """Spans of the sentences of one paragraph, trimmed of blanks; a line break inside it is a blank."""
    return _sentences_from(paragraph, 0)


def _notes_closed(paragraph: str, end: int) -> bool:
    """True if no "[" or "(" before *end* is open at *end*, counted from any point before it."""
    square = round_ = 0  # closing brackets not yet matched, reading back from end
    for bracket in reversed(_BRACKET.findall(paragraph, 0, end)):
        square += (bracket == "]") - (bracket == "[")
        round_ += (bracket == ")") - (bracket == "(")
        if square < 0 or round_ < 0:
            return False
    return True


def _resume_at(paragraph: str, at: int) -> int:
    """Where to start reading *paragraph* to find its sentences from *at* on: just after the last stop
    before *at* that ends a sentence wherever that sentence began (it has a letter since the stop
    before it, and no note is open), so that a long paragraph need not be read from its start."""
    stops = list(_TERMINATOR.finditer(paragraph, 0, at))
    for i in range(len(stops) - 1, max(len(stops) - _RESUME_TRIES, 0) - 1, -1):
        previous = stops[i - 1].end() if i else 0
        if _ends_sentence(paragraph, stops[i], previous) and _notes_closed(paragraph, stops[i].end()):
            return stops[i].end()
    return 0


def _sentences_from(paragraph: str, start: int) -> Iterator[tuple[int, int]]:
    """:func:`sentences_in`, from *start*, where a sentence begins."""
    notes = "[" in paragraph or "(" in paragraph
    for terminator in _TERMINATOR.finditer(paragraph, start):
        if _ends_sentence(paragraph, terminator, start, notes):
            span = _trimmed(paragraph, start, terminator.end())
            if span[0] < span[1]:
                yield span
            start = terminator.end()
    span = _trimmed(paragraph, start, len(paragraph))
    if span[0] < span[1]:
        yield span


def _expand(spans: Sequence[_Span], start: int, end: int) -> tuple[int, int]:
    """The hit joined with every span it touches (the spans sorted and apart)."""
    first = bisect_right([span.end for span in spans], start)  # the first span ending after start
    last = bisect_left([span.reach for span in spans], end)  # from here on, spans reach from end on
    if first >= last:
        return start, end
    return min(start, spans[first].start), max(end, spans[last - 1].end)


class TextUnits:
    """The turns, paragraphs and sentences of one transcript text, for expanding hits to them.

    The text is first parted into regions: each stored turn, and each stretch between turns. A unit
    never crosses a region, so a hit needs only the units of the regions it touches; those are made
    the first time a hit asks (a search's hits touch a few turns of a long transcript, not all).
    """

    def __init__(self, text: str, turns: Sequence[Turn] = ()) -> None:
        self.text = text
        self._paragraph = _LINES if hard_wrapped(text) else _LINE
        self._turns: list[Turn] = []
        self._regions: list[tuple[int, int, Turn | None]] = []  # (start, end, its turn), covering the text
        reach = 0
        for turn in sorted(turns, key=lambda t: (t.start, t.end)):
            start, end = max(turn.start, reach, 0), min(turn.end, len(text))
            if start >= end:
                continue  # overlapping or outside the text: stored turns are not trusted blindly
            if reach < start:
                self._regions.append((reach, start, None))
            clipped = Turn(start, end, turn.speaker, turn.timestamp)
            self._regions.append((start, end, clipped))
            self._turns.append(clipped)
            reach = end
        if reach < len(text):
            self._regions.append((reach, len(text), None))
        self._region_starts = [region[0] for region in self._regions]
        self._turn_starts = [turn.start for turn in self._turns]
        self._turn_units: dict[int, list[_Span]] = {}  # by region, made when first asked for
        self._paragraph_units: dict[int, list[_Span]] = {}
        self._sentence_units: dict[int, list[_Span]] = {}

    def _turns_of(self, index: int) -> list[_Span]:
        """The turns of one region (a stored turn's words, or each paragraph outside every turn)."""
        found = self._turn_units.get(index)
        if found is None:
            start, end, turn = self._regions[index]
            if turn is None:  # each paragraph between turns stands in for a turn of its own
                found = list(self._lines_outside(start, end))
            else:
                words = _trimmed(self.text, max(_label_end(self.text, turn), start), end)
                found = [_Span(start, *words)] if words[0] < words[1] else []
            self._turn_units[index] = found
        return found

    def _paragraphs_of(self, index: int) -> list[_Span]:
        found = self._paragraph_units.get(index)
        if found is None:
            found = [p for block in self._turns_of(index) for p in self._paragraphs(block)]
            self._paragraph_units[index] = found
        return found

    def _sentences_of(self, index: int) -> list[_Span]:
        found = self._sentence_units.get(index)
        if found is None:
            found = [s for p in self._paragraphs_of(index) for s in self._sentences(p)]
            self._sentence_units[index] = found
        return found

    def _level(self, unit: Unit) -> Callable[[int], list[_Span]]:
        """The units of one level in a region, each level made only when first asked for (cutting
        sentences costs most, and agreement by turn or paragraph needs none)."""
        if unit is Unit.TURN:
            return self._turns_of
        return self._paragraphs_of if unit is Unit.PARAGRAPH else self._sentences_of

    def _lines_outside(self, start: int, end: int) -> Iterator[_Span]:
        for line in self._paragraph.finditer(self.text, start, end):
            line_start, line_end = _trimmed(self.text, line.start(), line.end())
            if line_start < line_end:
                yield _Span(line_start, line_start, line_end)

    def _paragraphs(self, block: _Span) -> Iterator[_Span]:
        reach: int | None = block.reach  # only the first reaches back over the label
        for line in self._paragraph.finditer(self.text, block.start, block.end):
            start, end = _trimmed(self.text, line.start(), line.end())
            if start < end:
                yield _Span(start if reach is None else reach, start, end)
                reach = None

    def _sentences(self, paragraph: _Span) -> Iterator[_Span]:
        reach: int | None = paragraph.reach
        for start, end in sentences_in(self.text[paragraph.start : paragraph.end]):
            yield _Span(
                paragraph.start + start if reach is None else reach,
                paragraph.start + start,
                paragraph.start + end,
            )
            reach = None

    def spans(self, unit: Unit) -> list[tuple[int, int]]:
        """Every unit of a level, in order (not the hit level, which has none of its own)."""
        units_of = self._level(unit)
        return [(s.start, s.end) for i in range(len(self._regions)) for s in units_of(i)]

    def touched(self, start: int, end: int, unit: Unit) -> list[tuple[int, int]]:
        """The units of a level that ``text[start:end]`` overlaps, in order; only the regions it lies in
        are cut into units (co-occurrence by turn asks this of every coded passage)."""
        first = max(0, bisect_right(self._region_starts, start) - 1)
        last = bisect_left(self._region_starts, end)
        units_of = self._level(unit)
        return [
            (s.start, s.end)
            for i in range(first, last)
            for s in units_of(i)
            if s.start < end and s.end > start
        ]

    def expand(self, start: int, end: int, unit: Unit) -> tuple[int, int]:
        """The range to code for a hit at ``text[start:end]``: it, or the whole units it touches."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"a hit must lie inside the text (0 to {len(self.text)}); got {start}, {end}")
        if unit is Unit.HIT:
            return start, end
        first = bisect_right(self._region_starts, start) - 1
        last = bisect_left(self._region_starts, end)  # the regions first .. last - 1 hold the hit
        units_of = self._level(unit)
        grown = [_expand(units_of(i), start, end) for i in range(first, last)]
        return min(a for a, _ in grown), max(b for _, b in grown)

    def cover(
        self, hits: Iterable[tuple[int, int]], unit: Unit
    ) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
        """``(start, end, hits inside)`` to code for *hits* at *unit*, in text order. Ranges that overlap
        (two hits in one sentence, a hit found twice) are joined, so no text is coded twice."""
        grown = sorted((*self.expand(start, end, unit), start, end) for start, end in set(hits))
        joined: list[tuple[int, int, tuple[tuple[int, int], ...]]] = []
        for start, end, hit_start, hit_end in grown:
            if joined and start < joined[-1][1]:
                last_start, last_end, inside = joined[-1]
                joined[-1] = (last_start, max(end, last_end), (*inside, (hit_start, hit_end)))
            else:
                joined.append((start, end, ((hit_start, hit_end),)))
        return joined

    def speaker_at(self, offset: int) -> str | None:
        """Who speaks at *offset* (its stored turn's speaker), or None outside every turn."""
        i = bisect_right(self._turn_starts, offset) - 1
        if i >= 0 and offset < self._turns[i].end:
            return self._turns[i].speaker
        return None
