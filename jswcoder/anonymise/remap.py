"""Replace matched identifiers with their descriptors and carry coding ranges into the new text.

:func:`anonymise` builds the anonymised text and records, for every replacement, the span it
replaced and the span of its descriptor in the new text. :meth:`Anonymised.map_range` moves a
coding range across, snapping outward: a coding that cuts into a replaced name takes in the whole
descriptor, so the coded text in an exported package is the anonymised version of what was coded.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from jswcoder.anonymise.matching import Match, Term

__all__ = ["Anonymised", "Replacement", "anonymise"]


@dataclass(frozen=True, slots=True)
class Replacement:
    """``original[start:end]`` became ``anonymised[new_start:new_end]``, i.e. ``term.replacement``."""

    start: int
    end: int
    new_start: int
    new_end: int
    term: Term


@dataclass(frozen=True)
class Anonymised:
    """An anonymised text, with what was replaced where, and the original text's length."""

    text: str
    replacements: tuple[Replacement, ...]
    original_length: int
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _ends: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(r.start for r in self.replacements))
        object.__setattr__(self, "_ends", tuple(r.end for r in self.replacements))

    def _shift(self, offset: int, k: int) -> int:
        """``offset``, outside every replaced span, moved past the first ``k`` replacements."""
        if not k:
            return offset
        last = self.replacements[k - 1]
        return offset - last.end + last.new_end

    def map_range(self, start: int, end: int) -> tuple[int, int]:
        """The range in the anonymised text for the original range ``start:end``, snapped outward.

        A range that starts inside a replaced span starts at its descriptor's start; one that ends
        inside a span ends at its descriptor's end; so a range inside one span maps to the whole
        descriptor. Raises ``ValueError`` for a range that is reversed or outside the original text.
        """
        if not 0 <= start <= end <= self.original_length:
            raise ValueError(
                f"range {start}:{end} is not a range within the original text (0 to {self.original_length})"
            )
        # Replacements ending at or before start lie wholly before it; the next may contain it.
        k = bisect_right(self._ends, start)
        if k < len(self.replacements) and self.replacements[k].start < start:
            new_start = self.replacements[k].new_start
        else:
            new_start = self._shift(start, k)
        # Replacements starting before end reach into the range; the last of them may contain end.
        k = bisect_left(self._starts, end)
        if k and self.replacements[k - 1].end > end:
            new_end = self.replacements[k - 1].new_end
        else:
            new_end = self._shift(end, k)
        return new_start, new_end


def anonymise(text: str, matches: Sequence[Match]) -> Anonymised:
    """``text`` with each match replaced by its term's descriptor.

    ``matches`` must be sorted, non-overlapping and within ``text``, as :func:`find_matches` returns
    them; otherwise ``ValueError``.
    """
    pieces: list[str] = []
    replacements: list[Replacement] = []
    position = new_position = 0
    for match in matches:
        if not position <= match.start <= match.end <= len(text):
            raise ValueError(
                f"match {match.start}:{match.end} overlaps the one before, is out of order, "
                f"or lies outside the text (length {len(text)})"
            )
        pieces.append(text[position : match.start])
        new_start = new_position + match.start - position
        new_end = new_start + len(match.term.replacement)
        pieces.append(match.term.replacement)
        replacements.append(Replacement(match.start, match.end, new_start, new_end, match.term))
        position, new_position = match.end, new_end
    pieces.append(text[position:])
    return Anonymised("".join(pieces), tuple(replacements), len(text))
