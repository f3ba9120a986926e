"""Speaker-turn detection over plain text.

Turns are stored as structure over the canonical text (offsets, never copies), so reports can say who
said what without the text ever being rewritten. Detection is deliberately conservative: a wrong turn
only mislabels a passage, but a metadata line such as ``Date: Tuesday`` taken for a speaker would
show up in every report, so name labels must recur before they count.

The docx reader adds what it knows from document structure (bold labels, speaker tables) as
:class:`TurnStart` and :class:`Region` values; :func:`build_turns` merges both sources.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jswcoder.model import Turn

_TIME = r"\d{1,2}:\d{2}(?::\d{2})?"
_STAMP = rf"(?:\[(?P<ts1>{_TIME})\]|\((?P<ts2>{_TIME})\)|(?P<ts3>{_TIME}))"
_WORD = r"[\w'’.\-]+"
# A label: up to four words, the first starting with a letter, directly followed by a colon.
_LABEL = rf"(?P<label>[^\W\d_][\w'’.\-]*(?:[ \u00a0]{_WORD}){{0,3}})"
_LINE_LABEL = re.compile(
    rf"^[ \t]*(?P<turn>(?:{_STAMP}[ \t]+)?{_LABEL}[ \t]*:)(?=\s|$)",
    re.MULTILINE,
)
_CELL_LABEL = re.compile(rf"(?:{_STAMP}[ \t]+)?{_LABEL}[ \t]*:?")

_ROLE = re.compile(
    r"(?i:interviewer|interviewee|respondent|participant|facilitator|moderator|speaker)"
    r"(?:[ \u00a0]?\d{1,2})?"
    r"|INT|RESP|IV|IE|[QAIR]|[PR]\d{1,2}"
)
# Words that start metadata lines ("Date: ...", "Note: ...") and never name a speaker.
_NOT_NAMES = frozenset(  # a word list reads best as prose
    "note notes date time location venue place present participants attendees duration mode "
    "transcriber transcript interview project study title subject page ref reference tel phone "
    "email e-mail file source re to from cc summary keywords background context comment comments "
    "action actions nb ps recording length format council area group code".split()
)
_MAX_LABEL_CHARS = 40


@dataclass(frozen=True, slots=True)
class TurnStart:
    """Where a labelled turn begins (at its time stamp or label) and whose it is."""

    offset: int
    speaker: str
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class Region:
    """A stretch fixed by document structure (a table row): no other turn starts in it or runs into
    it; if ``speaker`` is set, the whole region is that speaker's turn."""

    start: int
    end: int
    speaker: str | None = None
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A label at the start of a line: ``start`` is where the turn begins (time stamp or label),
    ``label_start``/``label_end`` delimit the speaker's name, colon excluded."""

    start: int
    label_start: int
    label_end: int
    speaker: str
    timestamp: str | None


def _stamp(m: re.Match[str]) -> str | None:
    return m.group("ts1") or m.group("ts2") or m.group("ts3")


def _match(m: re.Match[str]) -> LabelMatch | None:
    speaker = m.group("label")
    if len(speaker) > _MAX_LABEL_CHARS:
        return None
    return LabelMatch(m.start("turn"), m.start("label"), m.end("label"), speaker, _stamp(m))


def match_label(line: str) -> LabelMatch | None:
    """The label at the very start of ``line`` (after optional blanks), if it has one."""
    m = _LINE_LABEL.match(line)
    return _match(m) if m else None


def parse_cell_label(cell: str) -> tuple[str, str | None] | None:
    """Speaker and time stamp if a table cell reads like a speaker label (``Jamie``, ``P2:``)."""
    m = _CELL_LABEL.fullmatch(cell.strip())
    if m is None or len(m.group("label")) > _MAX_LABEL_CHARS:
        return None
    return m.group("label"), _stamp(m)


def is_role_label(speaker: str) -> bool:
    """Interviewer/respondent style labels, trusted even when they occur only once."""
    return _ROLE.fullmatch(speaker) is not None


def _could_be_name(speaker: str) -> bool:
    return speaker[0].isupper() and speaker.casefold() not in _NOT_NAMES


def find_turn_starts(text: str, anchors: Sequence[int] = ()) -> list[TurnStart]:
    """Labels at line starts that look like speakers.

    Role labels always count; other (name) labels only if the same label starts a line at least
    twice. A label used only once that comes before the first recurring label (or before the first
    of ``anchors``, turns already known from document structure) is a preamble line such as
    ``Participant: Grant Maxwell, service manager`` and is skipped.
    """
    found = [lm for m in _LINE_LABEL.finditer(text) if (lm := _match(m)) is not None]
    counts = Counter(lm.speaker for lm in found)
    kept = [
        lm
        for lm in found
        if is_role_label(lm.speaker) or (counts[lm.speaker] >= 2 and _could_be_name(lm.speaker))
    ]
    recurring = [lm.start for lm in kept if counts[lm.speaker] >= 2] + list(anchors)
    if recurring:
        first = min(recurring)
        kept = [lm for lm in kept if counts[lm.speaker] >= 2 or lm.start >= first]
    return [TurnStart(lm.start, lm.speaker, lm.timestamp) for lm in kept]


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def build_turns(text: str, starts: Iterable[TurnStart], regions: Sequence[Region] = ()) -> tuple[Turn, ...]:
    """Turns from their starts: each runs to just before the next start or region, without the
    trailing whitespace. Earlier entries in ``starts`` win when two begin at the same offset, so
    callers pass structural starts first. The result is sorted and non-overlapping."""
    ordered = sorted(regions, key=lambda r: r.start)
    region_starts = [r.start for r in ordered]

    def in_region(offset: int) -> bool:
        i = bisect.bisect_right(region_starts, offset) - 1
        return i >= 0 and ordered[i].start <= offset < ordered[i].end

    events: list[tuple[int, int, TurnStart | Region]] = [(r.start, 0, r) for r in ordered]
    seen: set[int] = set()
    for s in starts:
        if 0 <= s.offset < len(text) and s.offset not in seen and not in_region(s.offset):
            seen.add(s.offset)
            events.append((s.offset, 1, s))
    events.sort(key=lambda e: (e[0], e[1]))

    turns: list[Turn] = []
    for i, (offset, _, event) in enumerate(events):
        if isinstance(event, Region):
            if event.speaker is None:
                continue
            end = event.end
        else:
            end = events[i + 1][0] if i + 1 < len(events) else len(text)
        end = _trim_end(text, offset, end)
        if end > offset and event.speaker is not None:
            turns.append(Turn(offset, end, event.speaker, event.timestamp))
    return tuple(turns)


def detect_turns(text: str) -> tuple[Turn, ...]:
    """Speaker turns of a plain-text transcript."""
    return build_turns(text, find_turn_starts(text))
