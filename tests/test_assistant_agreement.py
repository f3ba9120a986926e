"""The local assistant held to the agreement test (jswcoder.analysis.assistant), with the real model.

Three small transcripts share one sentence about money, coded "Funding" by Ailsa (all of it, a part of
it, or not at all), so the assistant's suggestion there is known: the sentence's passage, learnt from the
other transcripts' codings. The tables are then counted by hand, character by character, and the kappas
worked out from their definition: nothing here reuses the interval arithmetic under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest

from jswcoder.analysis.agreement import POOLED_LABEL, Table
from jswcoder.analysis.assistant import (
    ASSISTANT,
    agreement,
    assistant_agreement,
    theme_agreement,
)
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.project import Project
from jswcoder.services.codings import Codings
from jswcoder.store import people
from tests.conftest import make_project, write_txt

FUND = "We never have enough money to keep the service running past March."
FERRY = "The ferry was cancelled again because of the storm on the loch."
TEXTS = {
    "one": f"Interviewer: How are things?\nP1: {FUND} My dog is called Rex and he likes long walks.\n",
    "two": f"Interviewer: And the budget?\nP2: {FUND} I grow tomatoes in the greenhouse every summer.\n",
    "three": f"Interviewer: Anything else?\nP3: {FUND} {FERRY}\n",
}
PART = 20  # Ailsa codes only the first 20 characters of the sentence in "two"


def _span(project: Project, name: str, words: str) -> tuple[int, int]:
    text = project.transcripts.text_of(project.transcripts.find(name).uuid)
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def study(tmp_path: Path) -> Iterator[Project]:
    """one: Funding on the whole sentence; two: on its first 20 characters; three: Weather on the ferry."""
    project, _key = make_project(tmp_path / "study")
    files = [write_txt(tmp_path / "in", f"{name}.txt", text) for name, text in TEXTS.items()]
    assert not project.transcripts.import_files(files).rejected
    project.codebook.add("Funding")
    project.codebook.add("Weather")
    start, end = _span(project, "one", FUND)
    project.codings.add("one", start, end, "Funding")
    start, _ = _span(project, "two", FUND)
    project.codings.add("two", start, start + PART, "Funding")
    project.codings.add("three", *_span(project, "three", FERRY), "Weather")
    project.assistance.update()
    yield project
    project.close()


def _by_hand(n: int, a: list[tuple[int, int]], b: list[tuple[int, int]]) -> Table:
    """The 2 x 2 table of one theme, one character at a time."""
    in_a = [any(s <= i < e for s, e in a) for i in range(n)]
    in_b = [any(s <= i < e for s, e in b) for i in range(n)]
    pairs = list(zip(in_a, in_b, strict=True))
    return Table(
        pairs.count((True, True)),
        pairs.count((True, False)),
        pairs.count((False, True)),
        pairs.count((False, False)),
    )


def _kappa(t: Table) -> float:
    n = t.total
    observed = Fraction(t.both + t.neither, n)
    yes_a, yes_b = Fraction(t.both + t.only_a, n), Fraction(t.both + t.only_b, n)
    expected = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    return float((observed - expected) / (1 - expected))


def test_the_assistant_suggests_the_shared_sentence_from_the_other_transcripts(study: Project) -> None:
    funding = study.codebook.find("Funding").uuid
    for name in TEXTS:
        start, end = _span(study, name, FUND)
        assert study.assistance.assistant_spans(name) == {funding: [(start, end)]}, name


def test_assistant_against_a_coder_is_counted_like_two_people(study: Project) -> None:
    report = assistant_agreement(study, "two", "Ailsa")
    n = len(TEXTS["two"])
    start, end = _span(study, "two", FUND)
    assert (report.coder_a.name, report.coder_b.name, report.coder_b.uuid) == ("Ailsa", ASSISTANT, ASSISTANT)
    assert [row.label for row in report.themes] == ["Funding"]
    table = report.themes[0].table
    assert table == Table(PART, 0, end - start - PART, n - (end - start))
    assert table == _by_hand(n, [(start, start + PART)], [(start, end)])
    assert report.themes[0].kappa == pytest.approx(_kappa(table))
    # One disagreement: the rest of the sentence, which only the assistant coded.
    assert [(r.start, r.end, r.coded_by) for d in report.disagreements for r in d.runs] == [
        (start + PART, end, "B")
    ]
    # The made-up coder is never written to the project.
    assert people.coder_by_name(study.db, ASSISTANT) is None
    assert people.coder_by_uuid(study.db, ASSISTANT) is None


def test_every_theme_on_a_transcript_is_in_the_report(study: Project) -> None:
    report = assistant_agreement(study, "three", "Ailsa")
    n = len(TEXTS["three"])
    ferry, fund = _span(study, "three", FERRY), _span(study, "three", FUND)
    rows = {row.label: row.table for row in report.themes}
    assert rows == {"Funding": _by_hand(n, [], [fund]), "Weather": _by_hand(n, [ferry], [])}
    pooled = rows["Funding"] + rows["Weather"]
    assert report.pooled.table == pooled


def test_theme_agreement_sums_the_tables_over_the_coders_transcripts(study: Project) -> None:
    ailsa = people.coder_by_name(study.db, "Ailsa")
    assert ailsa is not None
    found = theme_agreement(study, ailsa.uuid)
    funding, weather = study.codebook.find("Funding").uuid, study.codebook.find("Weather").uuid
    assert list(found) == [funding, weather]
    sizes = {name: len(text) for name, text in TEXTS.items()}
    fund = {name: _span(study, name, FUND) for name in TEXTS}
    mine = {"one": [fund["one"]], "two": [(fund["two"][0], fund["two"][0] + PART)], "three": []}
    expected_funding = Table(0, 0, 0, 0)
    for name in TEXTS:
        expected_funding += _by_hand(sizes[name], mine[name], [fund[name]])
    assert expected_funding == Table(66 + PART, 0, 66 - PART + 66, sum(sizes.values()) - 3 * 66)
    # Weather: coded in "three" only; the other two transcripts add their characters to "neither".
    expected_weather = _by_hand(sizes["three"], [_span(study, "three", FERRY)], [])
    expected_weather += Table(0, 0, 0, sizes["one"] + sizes["two"])
    assert found[funding].table == expected_funding
    assert found[weather].table == expected_weather
    assert (found[funding].path, found[funding].transcripts) == ("Funding", 3)
    assert found[funding].kappa == pytest.approx(_kappa(expected_funding))
    assert found[funding].percent == pytest.approx(
        100 * (expected_funding.both + expected_funding.neither) / expected_funding.total
    )
    assert found[weather].kappa == 0  # Ailsa alone coded it: no agreement beyond chance
    # Pooled as agreement.py pools: the summed tables, chance agreement the mean of the themes'.
    assert found.pooled is not None
    assert found.pooled.path == POOLED_LABEL
    assert found.pooled.table == expected_funding + expected_weather

    def chance(t: Table) -> Fraction:
        a, b = Fraction(t.both + t.only_a, t.total), Fraction(t.both + t.only_b, t.total)
        return a * b + (1 - a) * (1 - b)

    mean_chance = (chance(expected_funding) + chance(expected_weather)) / 2
    pooled = expected_funding + expected_weather
    observed = Fraction(pooled.both + pooled.neither, pooled.total)
    assert found.pooled.kappa == pytest.approx(float((observed - mean_chance) / (1 - mean_chance)))


def test_a_transcript_not_indexed_is_left_out(study: Project, tmp_path: Path) -> None:
    ailsa = people.coder_by_name(study.db, "Ailsa")
    assert ailsa is not None
    before = theme_agreement(study, ailsa.uuid)
    write_txt(tmp_path / "later", "four.txt", f"P4: {FUND}\n")
    study.transcripts.import_files([tmp_path / "later" / "four.txt"])
    study.codings.add("four", *_span(study, "four", FUND), "Funding")
    after = theme_agreement(study, ailsa.uuid)
    assert {k: (v.table, v.transcripts) for k, v in after.items()} == {
        k: (v.table, v.transcripts) for k, v in before.items()
    }
    with pytest.raises(InvalidInput, match="not in the passage index"):
        assistant_agreement(study, "four", "Ailsa")
    # Once indexed, it counts.
    study.assistance.update()
    assert theme_agreement(study, ailsa.uuid)[study.codebook.find("Funding").uuid].transcripts == 4


def test_nobody_coded_and_nothing_shared(study: Project, tmp_path: Path) -> None:
    empty = theme_agreement(study, people.ensure_coder(study.db, "Morag").uuid)
    assert dict(empty) == {} and empty.pooled is None
    with pytest.raises(InvalidInput, match="Morag has no codings on two"):
        assistant_agreement(study, "two", "Morag")
    with pytest.raises(NotFound, match="no coder 'Nobody'"):
        assistant_agreement(study, "two", "Nobody")


def test_assistant_as_one_of_the_coders_of_agreement(study: Project) -> None:
    direct = assistant_agreement(study, "two", "Ailsa")
    routed = agreement(study, "two", ("Ailsa", ASSISTANT))
    assert routed.as_dict() == direct.as_dict()
    swapped = agreement(study, "two", (ASSISTANT, "Ailsa"))
    assert (swapped.coder_a.name, swapped.coder_b.name) == (ASSISTANT, "Ailsa")
    t = direct.themes[0].table
    assert swapped.themes[0].table == Table(t.both, t.only_b, t.only_a, t.neither)
    with pytest.raises(InvalidInput, match="two different coders"):
        agreement(study, "two", (ASSISTANT, ASSISTANT))
    # Without "assistant" nothing changes: Ailsa alone coded "two".
    with pytest.raises(NotFound, match="no coder 'assistant2'"):
        agreement(study, "two", ("Ailsa", "assistant2"))


def test_a_real_coder_called_assistant_is_not_shadowed(study: Project) -> None:
    """Decided: a person of the project named "assistant" is that person; the machine steps aside."""
    with study.db.atomic():
        person = people.ensure_coder(study.db, ASSISTANT)
    theirs = Codings(study.db, person, study.transcripts, study.codebook)
    start, _ = _span(study, "two", FUND)
    theirs.add("two", start, start + 5, "Funding")
    report = agreement(study, "two", ("Ailsa", ASSISTANT))
    assert report.coder_b.uuid == person.uuid != ASSISTANT
    n = len(TEXTS["two"])
    assert report.themes[0].table == _by_hand(n, [(start, start + PART)], [(start, start + 5)])
