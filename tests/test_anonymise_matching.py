"""Tests for jswcoder.anonymise.matching: each matching rule by hand, then the six corpus answer keys."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from jswcoder.anonymise.matching import Match, Matcher, Term, find_matches, fold
from jswcoder.anonymise.remap import anonymise
from jswcoder.importing import read_document
from tests.conftest import corpus_files


def found(text: str, *entries: str) -> list[str]:
    """The matched stretches of ``text``, each as "stretch=entry"."""
    terms = [Term(e, f"[{i}]") for i, e in enumerate(entries)]
    return [f"{text[m.start : m.end]}={m.term.text}" for m in find_matches(text, terms)]


# --- whole words ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("rosemary and Rosemary", "Rose"),
        ("Lorna works in Lorna's team", "Lorn"),
        ("up in Grantown-on-Spey", "Grant"),
        ("Oban2 and Oban_x and 2Oban", "Oban"),
        ("x(01632) 960 218", "(01632) 960 218"),  # punctuation at a term's edge: the rule still holds
    ],
)
def test_never_inside_a_word(text: str, entry: str) -> None:
    assert found(text, entry) == []


def test_whole_words_next_to_punctuation_and_text_edges() -> None:
    assert found("Lorn, (Lorn) Lorn-Lorna Lorn", "Lorn") == ["Lorn=Lorn"] * 4


# --- longest first ----------------------------------------------------------------------------------


def test_longest_entry_wins_over_the_entries_inside_it() -> None:
    entries = ("Bute", "Argyll and Bute", "Argyll and Bute Council", "Oban", "Oban Sheriff Court")
    text = "Argyll and Bute Council, Argyll and Bute, Bute, Oban Sheriff Court and Oban."
    assert found(text, *entries) == [
        "Argyll and Bute Council=Argyll and Bute Council",
        "Argyll and Bute=Argyll and Bute",
        "Bute=Bute",
        "Oban Sheriff Court=Oban Sheriff Court",
        "Oban=Oban",
    ]


def test_partial_overlap_goes_to_the_longest_then_the_earliest() -> None:
    # "Perth and" (9) and "and Kinross" (11) overlap: the longer wins, whichever starts first.
    assert found("Perth and Kinross", "Perth and", "and Kinross") == ["and Kinross=and Kinross"]
    # Equal lengths: the earlier start wins.
    assert found("Perth and Kinross", "Perth and", "and Kinros") == ["Perth and=Perth and"]


def test_a_shorter_entry_at_the_same_start_survives_when_the_longest_loses() -> None:
    # At 0 the longest entry is "A B" (3), which overlaps the longer "B C D E" (7) and loses; the
    # shorter "A" at the same start does not overlap it and must still be found.
    assert found("A B C D E", "A", "A B", "B C D E") == ["A=A", "B C D E=B C D E"]


# --- case -------------------------------------------------------------------------------------------


def test_any_case_matches_except_all_lowercase_for_an_entry_with_capitals() -> None:
    text = "GRANT MAXWELL, Grant Maxwell, grant maxwell, the grant, Grant, GRANT."
    assert found(text, "Grant Maxwell", "Grant") == [
        "GRANT MAXWELL=Grant Maxwell",
        "Grant Maxwell=Grant Maxwell",
        "Grant=Grant",
        "GRANT=Grant",
    ]
    assert found("she rose early; Rose rang", "Rose") == ["Rose=Rose"]


def test_an_all_lowercase_entry_matches_any_case() -> None:
    text = "Rose.McDaid@NLC-justice.example or rose.mcdaid@nlc-justice.example"
    assert len(found(text, "rose.mcdaid@nlc-justice.example")) == 2


def test_mixed_case_occurrence_is_not_all_lowercase() -> None:
    assert found("o'Neill and o'neill", "O'Neill") == ["o'Neill=O'Neill"]


def test_exact_spelling_decides_between_entries_for_the_same_stretch() -> None:
    assert found("GRANT MAXWELL then Grant Maxwell", "Grant Maxwell", "GRANT MAXWELL") == [
        "GRANT MAXWELL=GRANT MAXWELL",
        "Grant Maxwell=Grant Maxwell",
    ]
    # Otherwise the first entry in the register.
    assert found("Grant maxwell", "GRANT MAXWELL", "Grant Maxwell") == ["Grant maxwell=GRANT MAXWELL"]


def test_a_lowercase_stretch_falls_back_to_an_entry_it_may_match() -> None:
    # "rose" may not match the capitalised entry but does match the all-lowercase one.
    assert found("rose", "Rose", "rose") == ["rose=rose"]


# --- possessives, whitespace, apostrophes, accents ---------------------------------------------------


def test_possessive_keeps_its_s_after_the_replacement() -> None:
    text = "Siobhan's and Siobhan’s caseload"
    matches = find_matches(text, [Term("Siobhan", "[TEAM LEADER]")])
    assert [(m.start, m.end) for m in matches] == [(0, 7), (14, 21)]
    assert anonymise(text, matches).text == "[TEAM LEADER]'s and [TEAM LEADER]’s caseload"


def test_any_whitespace_run_matches_any_whitespace_run() -> None:
    text = "Deborah\nLindsay, Deborah\u00a0Lindsay, Deborah \n\t Lindsay, DeborahLindsay"
    assert len(found(text, "Deborah Lindsay")) == 3
    assert len(found("Deborah Lindsay", "Deborah\nLindsay")) == 1  # the key's own \n
    assert len(found("Perth and Kinross", "  Perth   and\u00a0Kinross ")) == 1


def test_apostrophes_are_interchangeable() -> None:
    text = "O'Neill, O’Neill, Oʼneill, O‘Neill"
    assert len(found(text, "O'Neill")) == 4
    assert len(found(text, "O’Neill")) == 4
    assert found("ONeill", "O'Neill") == []  # no apostrophe is a different word


def test_letters_match_with_or_without_diacritics() -> None:
    assert found("Ùna, Una, ÙNA", "Una") == ["Ùna=Una", "Una=Una", "ÙNA=Una"]
    assert found("Una and Ùna", "Ùna") == ["Una=Ùna", "Ùna=Ùna"]
    # Decomposed text (a letter followed by a combining mark) is matched, offsets unchanged.
    text = "ask U\u0300na or Sio\u0301bhan"
    assert found(text, "Ùna", "Siobhán") == ["U\u0300na=Ùna", "Sio\u0301bhan=Siobhán"]
    assert found("Zoë", "Zoe") == ["Zoë=Zoe"]


def test_fold_keeps_one_character_for_each() -> None:
    for text in ("Ùna O’Neill", "İstanbul ΟΔΟΣ straße", "e\u0301", "Ǆ ﬁ 😀"):
        assert len(fold(text)) == len(text)
    assert fold("Ùna O’Neill") == "una o'neill"


def test_offsets_stay_exact_after_characters_that_fold_oddly() -> None:
    text = "İ straße 😀 Perth"
    (match,) = find_matches(text, [Term("Perth", "[TOWN]")])
    assert text[match.start : match.end] == "Perth"


# --- hostile and empty terms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    ["(01632) 960 218", "CJ/AB/22/0417", "claire.dunlop@jswstudy.example", "a+b*c?", "[x]|(y)", "\\d+"],
)
def test_metacharacters_are_literal(entry: str) -> None:
    text = f"call {entry} now; not 99 or ab or dd or claireXdunlop@jswstudy.example"
    assert found(text, entry) == [f"{entry}={entry}"]


def test_empty_and_whitespace_terms_are_ignored() -> None:
    assert found("a  b", "", "   ", "\n") == []
    assert Matcher([]).find("anything") == []
    assert find_matches("", [Term("Oban", "[TOWN]")]) == []


def test_a_deeply_nested_register_still_compiles() -> None:
    # Each entry is a prefix of the next, which nests the pattern 400 deep.
    entries = [" ".join(["x"] * n) for n in range(1, 400)]
    text = " ".join(["x"] * 450)
    matches = find_matches(text, [Term(e, "[X]") for e in entries])
    assert [len(m.term.text) for m in matches] == [len(entries[-1]), len(" ".join(["x"] * 51))]


def test_key_is_carried_and_one_matcher_serves_many_texts() -> None:
    matcher = Matcher([Term("Oban", "[TOWN]", key="entry-7")])
    assert matcher.find("Oban") == [Match(0, 4, Term("Oban", "[TOWN]", key="entry-7"))]
    assert matcher.find("to Oban and Oban")[1].start == 12


# --- the corpus -------------------------------------------------------------------------------------


def _key_entries(path: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads(path.with_name(path.stem + ".identifiers.json").read_text())
    return entries


def test_every_corpus_answer_key_is_matched_exactly(corpus: Path) -> None:
    """Matches per entry equal the key's ``occurrences`` on the text plus the notes.

    The key counts case-sensitively; the matcher is case-insensitive (bar all-lowercase stretches).
    On this corpus the two agree exactly: the one all-caps stretch, the heading "GRANT MAXWELL" in A2,
    is an entry of its own and the matcher prefers the entry spelled like the stretch, and no other
    capitalised stretch matches an entry in another case. The next test shows the heading would still
    be replaced if that entry were missing.
    """
    for path in corpus_files(corpus):
        entries = _key_entries(path)
        terms = [Term(str(e["text"]), str(e["replacement"]), key=str(i)) for i, e in enumerate(entries)]
        matcher = Matcher(terms)
        document = read_document(path)
        texts = [document.text, *(note.text for note in document.notes)]
        counts = Counter(m.term.key for text in texts for m in matcher.find(text))
        expected = {str(i): e["occurrences"] for i, e in enumerate(entries)}
        assert dict(counts) == {k: v for k, v in expected.items() if v}, path.name
        for text in texts:
            anonymised = anonymise(text, matcher.find(text)).text
            for entry in entries:
                pattern = r"(?<!\w)" + re.escape(str(entry["text"])) + r"(?!\w)"
                assert re.search(pattern, anonymised) is None, (path.name, entry["text"])


def test_all_caps_heading_is_replaced_without_its_own_entry(corpus: Path) -> None:
    path = corpus / "A2_senior_manager_depth.docx"
    terms = [
        Term(str(e["text"]), str(e["replacement"]))
        for e in _key_entries(path)
        if e["text"] != "GRANT MAXWELL"
    ]
    text = read_document(path).text
    anonymised = anonymise(text, find_matches(text, terms)).text
    assert anonymised.startswith("[PARTICIPANT] – SERVICE MANAGER")
    assert "grant" in anonymised.split()  # funding, left alone
    assert "Grant" not in anonymised
