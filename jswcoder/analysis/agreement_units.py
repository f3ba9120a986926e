"""The units agreement is counted in, and which coders coded each unit with a theme.

Agreement compares coders unit by unit. A unit is one of:

* **character**: one code point of the transcript's canonical text, every one of them (speaker labels
  and blank lines too, as the one-transcript report has always counted);
* **sentence**, **paragraph** or **turn**: the spans :class:`jswcoder.services.passage_units.TextUnits`
  cuts from the text and the speaker turns the project stored for it (the same rule that grows a search
  hit to its sentence and cuts a report's quote). Text outside every unit of the level (a speaker label,
  the blanks between sentences) is in no unit and is not counted.

**A unit is coded with theme T by coder C** when C has a coding of exactly T (not of a sub-theme) that
shares at least one character with the unit ("any overlap"). A coder who codes a phrase inside a
turn has coded that turn; a coding that runs on by one character into the next sentence has coded that
sentence too. Any overlap, not a majority of the unit's characters, because a coder who marks the telling
clause of a long turn has coded the turn, and the units are trimmed of blanks, so a coding that stops
after the space following a sentence does not reach the next one.

Every coder who has any coding on a transcript is taken to have read all of it: a unit they did not
code with T is "not T", not missing.

**Leaving out units nobody coded** (``skip_uncoded``): a unit that no coder of the transcript coded
with any theme is left out of every figure for that transcript (each theme's, each pair's and the
pooled ones alike), so that long uncoded stretches do not count as agreement.

What comes out for each transcript is, per theme, how many units each set of coders coded (a bit mask
over the transcript's coders): everything the statistics in :mod:`jswcoder.analysis.agreement_study`
need, without a list of units. For characters the counts come from the boundaries of the coders'
stretches, never from walking the text.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jswcoder.analysis.agreement import Span, merged
from jswcoder.model import Turn
from jswcoder.services.passage_units import TextUnits, Unit


class AgreementUnit(enum.Enum):
    """What one unit of comparison is."""

    CHARACTER = "character"
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    TURN = "turn"


_LEVELS = {
    AgreementUnit.SENTENCE: Unit.SENTENCE,
    AgreementUnit.PARAGRAPH: Unit.PARAGRAPH,
    AgreementUnit.TURN: Unit.TURN,
}

Patterns = Mapping[int, int]
"""Units by the set of coders who coded them with a theme: bit i set for the transcript's coder i.
The mask 0 (nobody) is left out: it is the transcript's units less all the others."""


@dataclass(frozen=True)
class CodedUnits:
    """One transcript's units, and for each theme any coder applied there, who coded which."""

    transcript_uuid: str
    coders: tuple[str, ...]  # coder UUIDs; bit i of a mask is coders[i]
    units: int  # units compared (after leaving out the uncoded, if asked)
    themes: Mapping[str, Patterns]  # code UUID -> patterns


def _character_patterns(by_coder: Sequence[Sequence[Span]]) -> dict[int, int]:
    """Characters by the set of coders covering them, from the stretches' boundaries: each coder's
    stretches are merged (disjoint, touching ones joined), so every boundary toggles one coder."""
    events = sorted(
        (point, 1 << bit) for bit, spans in enumerate(by_coder) for span in spans for point in span
    )
    counts: Counter[int] = Counter()
    mask, at = 0, 0
    for point, bit in events:
        if mask and point > at:
            counts[mask] += point - at
        mask ^= bit
        at = point
    return dict(counts)


def _touched(starts: Sequence[int], ends: Sequence[int], spans: Sequence[Span]) -> set[int]:
    """The indices of the units (sorted, apart) sharing at least one character with the spans."""
    found: set[int] = set()
    for start, end in spans:
        found.update(range(bisect_right(ends, start), bisect_left(starts, end)))
    return found


def _unit_patterns(
    starts: Sequence[int], ends: Sequence[int], by_coder: Sequence[Sequence[Span]]
) -> dict[int, int]:
    masks: Counter[int] = Counter()
    for bit, spans in enumerate(by_coder):
        for index in _touched(starts, ends, spans):
            masks[index] |= 1 << bit
    return dict(Counter(masks.values()))


def coded_units(
    transcript_uuid: str,
    text: str,
    turns: Sequence[Turn],
    spans: Mapping[str, Mapping[str, Sequence[Span]]],
    unit: AgreementUnit,
    *,
    skip_uncoded: bool = False,
) -> CodedUnits:
    """Who coded which units of one transcript: ``spans`` maps each coder's UUID (every coder of the
    transcript) to their coded spans by code UUID. Coders are taken in the order of ``spans``."""
    coders = tuple(spans)
    merged_spans = {
        coder: {code: merged(found) for code, found in by_code.items() if found}
        for coder, by_code in spans.items()
    }
    codes = sorted({code for by_code in merged_spans.values() for code in by_code})
    everything = merged(s for by_code in merged_spans.values() for found in by_code.values() for s in found)
    if unit is AgreementUnit.CHARACTER:
        units = sum(end - start for start, end in everything) if skip_uncoded else len(text)
        themes = {
            code: _character_patterns([merged_spans[c].get(code, []) for c in coders]) for code in codes
        }
    else:
        cut = TextUnits(text, turns).spans(_LEVELS[unit])
        starts, ends = [s for s, _ in cut], [e for _, e in cut]
        units = len(_touched(starts, ends, everything)) if skip_uncoded else len(cut)
        themes = {
            code: _unit_patterns(starts, ends, [merged_spans[c].get(code, []) for c in coders])
            for code in codes
        }
    return CodedUnits(transcript_uuid, coders, units, {code: p for code, p in themes.items() if p})
