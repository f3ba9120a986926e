"""Offline identifier suggestions: each pattern family, names versus common words, merging, the corpus."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jswcoder.anonymise.detect import Candidate, count_occurrences, suggest
from jswcoder.anonymise.gazetteer import FILES, gazetteer_dir, read_list
from tests.conftest import CORPUS


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detection must work with no network at all (wordfreq's data ships in its wheel)."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access attempted during detection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def found(text: str, **kwargs: object) -> dict[str, Candidate]:
    return {c.text: c for c in suggest([text], **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phone me on 07700 900 086 any time.", "07700 900 086"),
        ("The office is (01632) 960 218 now.", "(01632) 960 218"),
        ("Or phone 01632 960882 and ask.", "01632 960882"),
        ("From abroad it's +44 7700 900086 then.", "+44 7700 900086"),
    ],
)
def test_phone_numbers(text: str, expected: str) -> None:
    assert found(text)[expected].category == "PHONE"


def test_not_phone_numbers() -> None:
    got = found("We had 120 hours and 2023 was busy; about 60 staff, 400 miles.")
    assert not [c for c in got.values() if c.category == "PHONE"]


def test_email_postcode_ni_and_case_refs() -> None:
    text = (
        "Email rose.mcdaid@nlc-justice.example about PA34 4HB and KY1 1XT. NI QQ 12 34 56 C. "
        "Refs CJ/AB/22/0417, 23/PK/0061, PS-20230311-0442 and HC-JSW-2022-0388."
    )
    got = found(text)
    assert got["rose.mcdaid@nlc-justice.example"].category == "EMAIL"
    assert got["PA34 4HB"].category == got["KY1 1XT"].category == "POSTCODE"
    assert got["QQ 12 34 56 C"].category == "OTHER"
    for ref in ("CJ/AB/22/0417", "23/PK/0061", "PS-20230311-0442", "HC-JSW-2022-0388"):
        assert got[ref].category == "CASE_REF"


def test_two_part_case_references() -> None:
    """Issue 14: a court or council reference in two parts (ZX12/3456) was not found."""
    got = found("The order, ZX12/3456, and the warrant SW-20231104 were read out; then CJ/889012 as well.")
    for ref in ("ZX12/3456", "SW-20231104", "CJ/889012"):
        assert got[ref].category == "CASE_REF"


def test_two_part_shapes_that_are_not_case_references() -> None:
    text = "Open 24/7, COVID-19 rules, HIV/AIDS work, P1/P2 views, the A9/M90, n/a, 1/2 a day, the 2019/20 budget, G7-2021."
    got = found(text)
    assert not [c for c in got.values() if c.category == "CASE_REF"]


def test_not_case_refs_or_postcodes() -> None:
    got = found("It was 3/4 of the budget, a 50-50 split, P1 and P4 agreed, the A-team.")
    assert not [c for c in got.values() if c.category in {"CASE_REF", "POSTCODE"}]


@pytest.mark.parametrize(
    "date",
    [
        "Wednesday 8 March 2023",
        "14th of February",
        "27 April",
        "12/07/1949",
        "05.11.2003",
        "6th of June 2016",
    ],
)
def test_dates(date: str) -> None:
    assert found(f"It was on the {date}, I think.")[date].category == "DATE"


def test_relative_date_and_no_bare_month() -> None:
    got = found("It broke down last Wednesday, the 19th, near Wick. It'll be seven years in June.")
    assert got["last Wednesday, the 19th"].category == "DATE"
    assert "June" not in got


def test_street_addresses_and_roads() -> None:
    got = found("We moved to Kinnoull Street, then St Brycedale Avenue; it broke down on the A75.")
    assert got["Kinnoull Street"].category == "ADDRESS"
    assert got["St Brycedale Avenue"].category == "ADDRESS"
    assert got["A75"].category == "PLACE"


def test_names_mid_sentence_and_common_words() -> None:
    text = (
        "The grant went up. Thanks for doing this, Grant. The rosemary rose in the garden. "
        "Aye, Rose got me a referral. The team met on Monday."
    )
    got = found(text)
    assert got["Grant"].category == "PERSON"
    assert "Rose" in got
    assert not {"grant", "The", "rosemary", "rose", "Aye", "Monday", "Thanks"} & set(got)


def test_sentence_initial_common_word_is_not_a_name() -> None:
    got = found("Honestly, the numbers are up. Busy. Consistency matters. Premises are poor.")
    assert got == {}


def test_possessive_nickname_and_full_name() -> None:
    got = found("Siobhan's been in justice longer. I think Siobhan Kerr fights our corner. So Big Eck went.")
    assert "Siobhan" in got and "Siobhan's" not in got
    assert got["Siobhan Kerr"].occurrences == 1
    assert got["Big Eck"].category == "PERSON"


def test_speaker_labels_are_names_but_roles_are_not() -> None:
    got = found("Interviewer: Hello.\nLorraine: That's fine.\nP1: Aye.\nLorraine: Yes.")
    assert got["Lorraine"].occurrences == 2
    assert not {"Interviewer", "P1", "That"} & set(got)


def test_all_caps_heading_name_only_when_written_in_mixed_case() -> None:
    got = found(
        "GRANT MAXWELL – SERVICE MANAGER, JUSTICE SOCIAL WORK\nThanks for this, Grant Maxwell, manager."
    )
    assert got["GRANT MAXWELL"].category == "PERSON"
    assert "SERVICE MANAGER" not in got and "JUSTICE SOCIAL WORK" not in got


def test_longest_candidate_wins_and_counts_separate_uses() -> None:
    got = found("At Oban Sheriff Court the sheriff was fine. Oban is busy, and so is HMP Low Moss.")
    assert got["Oban Sheriff Court"].category == "COURT"
    assert got["Oban"].occurrences == 1
    assert got["HMP Low Moss"].category == "PRISON"
    got = found("We sit in the Argyll and Bute HSCP now, in Argyll and Bute, near Bute.")
    assert got["Argyll and Bute HSCP"].category == "ORG"
    assert got["Argyll and Bute"].occurrences == 1
    assert got["Bute"].occurrences == 1


def test_name_split_across_a_line_break() -> None:
    got = found("Our chair is Deborah\nLindsay, who's excellent.")
    assert "Deborah\nLindsay" in got


def test_ignore_is_case_insensitive() -> None:
    text = "I'm Mairi, based in Oban, phone 07700 900 086."
    assert {"Mairi", "Oban"} <= set(found(text))
    got = found(text, ignore=["mairi", "OBAN"])
    assert "Mairi" not in got and "Oban" not in got and "07700 900 086" in got


def test_occurrences_are_whole_word_and_case_sensitive_across_texts() -> None:
    got = {c.text: c for c in suggest(["I met Lorna from Lorn. Then Lorna left.", "Lorna's in Lorn."])}
    assert got["Lorna"].occurrences == 3
    assert got["Lorn"].occurrences == 2


def test_sorted_by_category_then_text() -> None:
    out = suggest(["Kenny phoned 07700 900 086 from Oban about Mairi, at Albany Street."])
    assert out == sorted(out, key=lambda c: (c.category, c.text))


@given(st.lists(st.sampled_from(["Oban", "Oban Sheriff Court", "Obanite", "oban", " ", ", ", "Sheriff"])))
def test_count_occurrences_never_double_counts(parts: list[str]) -> None:
    text = " ".join(parts)
    counts = count_occurrences(["Oban", "Oban Sheriff Court"], [text])
    long, short = counts.get("Oban Sheriff Court", 0), counts.get("Oban", 0)
    assert long == text.count("Oban Sheriff Court")
    assert long + short == sum(1 for p in text.split(" ") if p.rstrip(",") == "Oban")


def test_gazetteer_holds_no_invented_people_from_the_answer_keys() -> None:
    """The gazetteer is public place facts, not the evaluation set: PERSON keys must (almost) never be in it."""
    entries = {e for stem in FILES for e in read_list(gazetteer_dir() / f"{stem}.txt")}
    people = {
        e["text"]
        for key in sorted(CORPUS.glob("*.identifiers.json"))
        for e in json.loads(key.read_text(encoding="utf-8"))
        if e["category"] == "PERSON"
    }
    assert len(people) > 50
    assert len(people & entries) <= 0.05 * len(people), people & entries


@pytest.mark.slow
def test_corpus_recall_and_precision_do_not_regress() -> None:
    from benchmarks.detection import run

    results = run(Path(CORPUS))
    occ = sum(r.occurrences for r in results)
    found_ = sum(r.found for r in results)
    cands = sum(r.candidates for r in results)
    correct = sum(r.correct for r in results)
    assert occ == 513
    assert found_ / occ >= 0.99  # measured 100% (513/513)
    assert correct / cands >= 0.95  # measured 99.2% (247/249)
