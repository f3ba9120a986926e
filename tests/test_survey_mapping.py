"""Guessing what each column of a survey export is (issue 18, the mapping step's core): open answers,
closed answers, the ID, and identifying columns left out with a warning; the JSON a user edits."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from jswcoder.errors import InvalidInput
from jswcoder.importing.survey_files import read_survey
from jswcoder.importing.survey_mapping import from_json, guess_mapping, to_json
from tests.survey_fixtures import BUILDERS, build

ANSWERS = [
    "My worker listened and phoned every week, which helped me keep going.",
    "The group on a Tuesday, and the lunches after it, were what got me out of the house.",
    "Nothing much at first; later the housing officer sorted the flat.",
    "Being treated like a person rather than a case number, to be honest.",
    "Getting the bus pass paid for so I could make the appointments.",
    "Knowing the same worker would be there each time.",
]


def _export() -> bytes:
    rows = [
        [
            "ID",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "Role",
            "Area",
            "How satisfied?",
            "What helped?",
        ]
    ]
    for n, answer in enumerate(ANSWERS, start=1):
        rows.append(
            [
                f"R{n:03d}",
                f"2026-11-0{n} 09:1{n}:00",
                f"2026-11-0{n} 09:2{n}:00",
                f"person{n}@example.scot",
                f"Person {n}",
                "Team leader" if n % 3 == 0 else "Justice social worker",
                ("Fife", "Angus", "Highland")[n % 3],
                str(3 + n % 3),
                answer,
            ]
        )
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_guesses_from_the_data_and_identifying_columns_left_out() -> None:
    table = read_survey(Path("forms.csv"), _export())
    guesses = {g.key: g for g in guess_mapping(table)}
    assert {k: g.kind for k, g in guesses.items()} == {
        "ID": "id",
        "Start time": "ignore",
        "Completion time": "ignore",
        "Email": "ignore",
        "Name": "ignore",
        "Role": "attribute",
        "Area": "attribute",
        "How satisfied?": "attribute",
        "What helped?": "open",
    }
    assert "identifies people" in guesses["Email"].warning and "identifies people" in guesses["Name"].warning
    assert guesses["Role"].samples == ("Justice social worker", "Team leader")
    assert not guesses["What helped?"].warning


def test_identifying_values_are_found_whatever_the_heading() -> None:
    rows = [["Q1", "Q2", "Q3", "Q4"]] + [
        [f"someone{n}@example.org", f"10.0.0.{n}", f"2026-11-0{n} 10:0{n}", ANSWERS[n - 1]]
        for n in range(1, 6)
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    guesses = guess_mapping(read_survey(Path("x.csv"), buffer.getvalue().encode()))
    assert [g.kind for g in guesses] == ["ignore", "ignore", "ignore", "open"]
    assert [w.split(" holds ")[1].split(",")[0] for w in (g.warning for g in guesses[:3])] == [
        "email addresses",
        "IP addresses",
        "precise times",
    ]


def test_the_mapping_file_round_trips_and_refuses_what_does_not_fit() -> None:
    table = read_survey(Path("forms.csv"), _export())
    text = to_json(guess_mapping(table))
    assert "person1@" not in text and "listened" not in text  # no respondent's words in the file
    chosen = from_json(text, table)
    assert chosen["What helped?"] == "open" and chosen["Email"] == "ignore"
    edited = json.loads(text)
    edited["columns"]["Area"] = "ignore"
    assert from_json(json.dumps(edited), table)["Area"] == "ignore"
    for change, message in (
        ({"Shoe size": "attribute"}, "does not have: 'Shoe size'"),
        ({"Area": "maybe"}, "'maybe' is not a kind of column"),
        ({"Role": "id"}, "more than one ID column"),
        ({"What helped?": "attribute"}, "no open answer"),
    ):
        broken = json.loads(text)
        broken["columns"].update(change)
        with pytest.raises(InvalidInput, match=message):
            from_json(json.dumps(broken), table)
    missing = json.loads(text)
    del missing["columns"]["Area"]
    with pytest.raises(InvalidInput, match="does not say what the column 'Area' is"):
        from_json(json.dumps(missing), table)
    with pytest.raises(InvalidInput, match="not JSON"):
        from_json("{columns:", table)


@pytest.mark.parametrize("name", list(BUILDERS))
def test_each_platforms_columns_are_guessed(name: str, tmp_path: Path) -> None:
    """Every platform's export: its ID, open and closed answers found, and its identifying columns
    (names, emails, IP addresses, locations, precise times) left out with a warning."""
    fixture = build(name, tmp_path)
    guesses = guess_mapping(read_survey(fixture.path, fixture.path.read_bytes()))
    assert {g.key: g.kind for g in guesses} == fixture.kinds
    warned = {g.key for g in guesses if g.warning}
    assert warned == set(fixture.identifying_keys)
    assert all("identif" in g.warning for g in guesses if g.warning)
    for guess in guesses:
        if guess.key in fixture.identifying_keys:
            # the warning names the column, never a respondent's value
            assert not any(sample in guess.warning for sample in guess.samples)
