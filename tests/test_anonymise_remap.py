"""Tests for jswcoder.anonymise.remap: worked examples, then properties over random texts and codings."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.anonymise.matching import Match, Term, find_matches
from jswcoder.anonymise.remap import Anonymised, Replacement, anonymise

TOWN, AREA = Term("Oban", "[TOWN]"), Term("Argyll and Bute", "[NAME OF AREA]")
WORD = re.compile(r"\w")


def example() -> tuple[str, Anonymised]:
    text = "In Oban, Argyll and Bute."  # Oban 3:7, Argyll and Bute 9:24
    return text, anonymise(text, find_matches(text, [TOWN, AREA]))


# --- worked examples --------------------------------------------------------------------------------


def test_text_and_replacement_spans() -> None:
    _, anonymised = example()
    assert anonymised.text == "In [TOWN], [NAME OF AREA]."
    assert anonymised.replacements == (Replacement(3, 7, 3, 9, TOWN), Replacement(9, 24, 11, 25, AREA))


@pytest.mark.parametrize(
    ("original", "mapped", "why"),
    [
        ((0, 2), (0, 2), "before every replacement"),
        ((3, 7), (3, 9), "exactly a name"),
        ((0, 25), (0, 26), "the whole text"),
        ((24, 25), (25, 26), "after the replacements: shifted"),
        ((7, 9), (9, 11), "between two replacements"),
        ((4, 6), (3, 9), "inside one name: the whole descriptor"),
        ((5, 5), (3, 9), "empty, inside one name: the whole descriptor"),
        ((3, 3), (3, 3), "empty, at a name's start"),
        ((7, 7), (9, 9), "empty, at a name's end"),
        ((5, 12), (3, 25), "from inside one name to inside the next"),
        ((0, 5), (0, 9), "ends inside a name: to the descriptor's end"),
        ((5, 25), (3, 26), "starts inside a name: from the descriptor's start"),
    ],
)
def test_map_range_snaps_outward(original: tuple[int, int], mapped: tuple[int, int], why: str) -> None:
    _, anonymised = example()
    assert anonymised.map_range(*original) == mapped, why


@pytest.mark.parametrize("bad", [(-1, 2), (0, 26), (5, 4), (26, 26)])
def test_map_range_rejects_offsets_outside_the_text(bad: tuple[int, int]) -> None:
    _, anonymised = example()
    with pytest.raises(ValueError, match=r"outside|within"):
        anonymised.map_range(*bad)


def test_no_matches_is_the_identity() -> None:
    anonymised = anonymise("nothing here", [])
    assert (anonymised.text, anonymised.replacements) == ("nothing here", ())
    assert anonymised.map_range(3, 7) == (3, 7)
    assert anonymise("", []).map_range(0, 0) == (0, 0)


@pytest.mark.parametrize(
    "matches",
    [
        [Match(3, 7, TOWN), Match(5, 9, TOWN)],  # overlapping
        [Match(9, 24, AREA), Match(3, 7, TOWN)],  # out of order
        [Match(20, 30, TOWN)],  # past the end
        [Match(5, 3, TOWN)],  # reversed
    ],
)
def test_anonymise_rejects_bad_matches(matches: list[Match]) -> None:
    with pytest.raises(ValueError, match="overlaps"):
        anonymise("In Oban, Argyll and Bute.", matches)


# --- properties -------------------------------------------------------------------------------------

NAMES = (
    "Oban", "Oban Sheriff Court", "Argyll and Bute", "Bute", "Grant", "Grant Maxwell", "Rose",
    "Lorn", "Lorna", "Siobhan", "Siobhan Kerr", "O'Neill", "O’Neill", "Ùna", "Una", "Perth",
    "Perth and Kinross", "Kinross", "Big Eck",
)  # fmt: skip
WORDS = (
    "grant",
    "rose",
    "and",
    "the",
    "court",
    "rosemary",
    "sheriff",
    "kerr",
    "big",
    "x",
    "Grantown",
    "OBAN",
)
SEPARATORS = (" ", " ", " ", "\n", "\u00a0", ", ", "'s ", "’s ", "-", ". ", "")  # "" glues two words
REPLACEMENTS = ("[A]", "[NAME OF AREA]", "", "[TEAM LEADER]")

texts = st.lists(st.tuples(st.sampled_from(NAMES + WORDS), st.sampled_from(SEPARATORS)), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts)
)
terms = st.lists(st.builds(Term, st.sampled_from(NAMES + WORDS), st.sampled_from(REPLACEMENTS)), max_size=8)


def widen(matches: list[Match], start: int, end: int) -> tuple[int, int]:
    """``start:end`` widened to the edges of every match it cuts through."""
    for m in matches:
        if m.start < start < m.end:
            start = m.start
        if m.start < end < m.end:
            end = m.end
    return start, end


def expected_from_full_matches(text: str, matches: list[Match], start: int, end: int) -> str:
    """The oracle for any range: the full text's own matches inside ``start:end``, replaced there."""
    inside = [
        Match(m.start - start, m.end - start, m.term) for m in matches if start <= m.start and m.end <= end
    ]
    return anonymise(text[start:end], inside).text


@settings(max_examples=300, deadline=None)
@given(text=texts, terms=terms, data=st.data())
def test_coded_text_is_the_anonymised_coded_text(text: str, terms: list[Term], data: st.DataObject) -> None:
    """The brief's property, for codings whose edges do not cut into a word.

    ``find_matches`` on the coded stretch alone cannot see the characters just outside it: a coding
    that ends in "Oban|x" finds "Oban" in "Oban", though "Obanx" is no name. So the edges are drawn
    from the positions not next to a word character outside the stretch (the next test covers all).
    """
    matches = find_matches(text, terms)
    anonymised = anonymise(text, matches)
    starts = [p for p in range(len(text) + 1) if p == 0 or not WORD.match(text[p - 1])]
    start = data.draw(st.sampled_from(starts))
    ends = [p for p in range(start, len(text) + 1) if p == len(text) or not WORD.match(text[p])]
    end = data.draw(st.sampled_from(ends))
    new_start, new_end = anonymised.map_range(start, end)
    wide_start, wide_end = widen(matches, start, end)
    stretch = text[wide_start:wide_end]
    assert anonymised.text[new_start:new_end] == anonymise(stretch, find_matches(stretch, terms)).text


@settings(max_examples=300, deadline=None)
@given(text=texts, terms=terms, data=st.data())
def test_any_coding_maps_to_its_anonymised_stretch(text: str, terms: list[Term], data: st.DataObject) -> None:
    matches = find_matches(text, terms)
    anonymised = anonymise(text, matches)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_start, new_end = anonymised.map_range(start, end)
    assert 0 <= new_start <= new_end <= len(anonymised.text)
    wide_start, wide_end = widen(matches, start, end)
    expected = expected_from_full_matches(text, matches, wide_start, wide_end)
    assert anonymised.text[new_start:new_end] == expected
    # Snapping only ever widens: the mapped range covers what an unsnapped shift would.
    assert anonymised.map_range(wide_start, wide_end) == (new_start, new_end)


@settings(max_examples=300, deadline=None)
@given(text=texts, terms=terms)
def test_no_identifier_is_left_behind(text: str, terms: list[Term]) -> None:
    """Whatever the register still finds in the anonymised text lies in a descriptor it wrote."""
    anonymised = anonymise(text, find_matches(text, terms))
    spans = [(r.new_start, r.new_end) for r in anonymised.replacements]
    for left in find_matches(anonymised.text, terms):
        assert any(s < left.end and left.start < e for s, e in spans), (left, anonymised.text)
    assert len(anonymised.text) == len(text) + sum(
        len(r.term.replacement) - (r.end - r.start) for r in anonymised.replacements
    )


@settings(max_examples=200, deadline=None)
@given(text=texts, terms=terms)
def test_matches_are_sorted_disjoint_whole_words(text: str, terms: list[Term]) -> None:
    matches = find_matches(text, terms)
    assert all(a.end <= b.start for a, b in itertools.pairwise(matches))
    for m in matches:
        assert m.start < m.end
        assert m.start == 0 or not WORD.match(text[m.start - 1])
        assert m.end == len(text) or not WORD.match(text[m.end])
        assert not (text[m.start : m.end].islower() and m.term.text != m.term.text.lower())
