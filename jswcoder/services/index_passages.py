"""Where a transcript is cut into passages for the sentence index: sentences, joined while short.

A passage is a run of whole sentences inside one paragraph (so inside one speaker's turn, and never over
a speaker label): a sentence of fewer than :data:`MIN_WORDS` words ("Yes.", "Mm.") joins the one after
it, and a last short one the one before, so the model sees a thought rather than a murmur; a sentence
longer than :data:`MAX_WORDS` is cut at word boundaries, since the model reads no more than 256 tokens.
A survey respondent's document is cut in its open answers only; its question headings are no passage.

The same cutting serves the index, "passages like this" (a hit is a passage) and suggestions (a
suggestion codes a passage), so what the assistant offers is always a stretch a person could code.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from jswcoder.model import Turn
from jswcoder.services.passage_units import TextUnits, Unit

MIN_WORDS = 6
MAX_WORDS = 120
_WORD = re.compile(r"\S+")


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]
    if len(words) <= MAX_WORDS:
        return [(start, end)]
    pieces = len(words) // MAX_WORDS + (1 if len(words) % MAX_WORDS else 0)
    size = -(-len(words) // pieces)  # pieces of equal size, none tiny
    return [(words[i][0], words[min(i + size, len(words)) - 1][1]) for i in range(0, len(words), size)]


def _join_short(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One paragraph's sentences, each short one joined to the next (the last to the one before)."""
    joined: list[tuple[int, int]] = []
    pending: int | None = None  # where a run of short sentences started
    for start, end in sentences:
        begin = start if pending is None else pending
        if len(_WORD.findall(text, begin, end)) < MIN_WORDS:
            pending = begin
            continue
        joined.append((begin, end))
        pending = None
    if pending is not None:
        last_end = sentences[-1][1]
        if joined:
            joined[-1] = (joined[-1][0], last_end)
        else:
            joined.append((pending, last_end))
    return joined


def passages(
    text: str, turns: Sequence[Turn] = (), within: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """The passages of a text, in order, as (start, end) in code points; only inside ``within`` (a survey
    document's answers) when it is given."""
    units = TextUnits(text, turns)
    paragraphs = units.spans(Unit.PARAGRAPH)
    if within:
        paragraphs = [
            (max(s, a), min(e, b)) for s, e in paragraphs for a, b in within if max(s, a) < min(e, b)
        ]
    sentences = units.spans(Unit.SENTENCE)
    starts = [s for s, _ in sentences]
    found: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs:
        first = bisect_left(starts, p_start)
        inside = []
        for s, e in sentences[first:]:
            if s >= p_end:
                break
            inside.append((max(s, p_start), min(e, p_end)))
        if not inside:
            inside = [(p_start, p_end)]
        for start, end in _join_short(text, inside):
            if _WORD.search(text, start, end):
                found.extend(_cut_long(text, start, end))
    return found
