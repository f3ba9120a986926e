"""Which way a REFI-QDA producer counted its selection positions, judged from the selections themselves.

The standard counts code points; NVivo for Windows counts UTF-16 units with each line end as CRLF;
others count UTF-16 units. Read the wrong way, every coding after the first emoji or line end slides
off its words. People code words, so the reading that puts the most selections on word boundaries is
the producer's. Ties go to the standard's own reading. The conversions are :mod:`jswcoder.offsets`'.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jswcoder.offsets import Convention, OffsetMap
from jswcoder.refiqda.report import PositionsChoice

READINGS: tuple[Convention, ...] = (Convention.CODEPOINTS, Convention.UTF16, Convention.UTF16_CRLF)
"""The conventions tried, in order of preference on a tie (the standard's first)."""


def _word(character: str) -> bool:
    return character.isalnum() or character == "_"


def is_word_boundary(text: str, offset: int) -> bool:
    """True unless ``offset`` falls between two word characters (letters, digits, underscore)."""
    if offset <= 0 or offset >= len(text):
        return True
    return not (_word(text[offset - 1]) and _word(text[offset]))


@dataclass(frozen=True)
class SourcePositions:
    """One source's canonical text (with its offset map) and its selections as the producer wrote them."""

    text: str
    offsets: OffsetMap
    selections: Sequence[tuple[int, int]]


def convert(offsets: OffsetMap, start: int, end: int, convention: Convention) -> tuple[int, int] | None:
    """A selection as code point offsets, widened to whole characters; None if it lies outside the text."""
    try:
        first = offsets.from_units(start, convention, snap="before")
        last = offsets.from_units(end, convention, snap="after")
    except ValueError:
        return None
    return (first, last) if first < last else None


def _exact(offsets: OffsetMap, start: int, end: int, convention: Convention) -> tuple[int, int] | None:
    try:
        return offsets.from_units(start, convention, snap="raise"), offsets.from_units(
            end, convention, snap="raise"
        )
    except ValueError:  # outside the text, or inside a character: not this convention's position
        return None


def on_boundaries(sources: Sequence[SourcePositions], convention: Convention) -> int:
    """How many selections, read in ``convention``, start and end on word boundaries."""
    count = 0
    for source in sources:
        for start, end in source.selections:
            found = _exact(source.offsets, start, end, convention)
            if found is not None and found[0] < found[1]:
                count += is_word_boundary(source.text, found[0]) and is_word_boundary(source.text, found[1])
    return count


def detect(sources: Sequence[SourcePositions]) -> tuple[Convention, PositionsChoice]:
    """The convention that puts the most selections on word boundaries, and the counts behind it."""
    counts = {convention: on_boundaries(sources, convention) for convention in READINGS}
    best = max(READINGS, key=lambda convention: (counts[convention], -READINGS.index(convention)))
    choice = PositionsChoice(
        convention=best.value,
        on_word_boundaries={convention.value: counts[convention] for convention in READINGS},
        selections=sum(len(source.selections) for source in sources),
    )
    return best, choice
