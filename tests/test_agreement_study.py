"""Agreement across the study against maintained reference implementations: scikit-learn's
``cohen_kappa_score``, the ``krippendorff`` package and statsmodels' ``fleiss_kappa`` (test
dependencies only), on random codings from Hypothesis, with every unit decided one at a time by the
"any overlap" rule; then the same through real encrypted projects."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score, confusion_matrix
from statsmodels.stats.inter_rater import fleiss_kappa

from jswcoder.analysis.agreement import POOLED_LABEL, Table, agreement
from jswcoder.analysis.agreement_study import (
    NO_DOUBLE_CODING,
    UNEQUAL_CODERS,
    StudyAgreement,
    compare_study,
    study_agreement,
)
from jswcoder.analysis.agreement_units import AgreementUnit, coded_units
from jswcoder.errors import InvalidInput
from jswcoder.model import Coder, Turn
from jswcoder.project import Project
from jswcoder.services.passage_units import TextUnits, Unit
from tests.conftest import make_project
from tests.test_agreement import TEXT_50, _code, _coder, _import

EXACT = 1e-9
POOL = ("ailsa", "bryce", "cara", "dougie")
THEMES = ("t0", "t1", "t2")
SENTENCES = (
    "Aye.",
    "We share it with the police now, since March.",
    "Is that right?",
    "Well, Dr. Smith said so.",
    "It was hard… you know.",
    "[laughs] No!",
)

Spans = dict[str, dict[str, list[tuple[int, int]]]]  # coder -> theme -> spans


@dataclass(frozen=True)
class Case:
    text: str
    spans: Spans  # every coder here has at least one coding
    turns: tuple[Turn, ...] = ()


@st.composite
def _texts(draw: st.DrawFn, unit: AgreementUnit) -> str:
    if unit is AgreementUnit.CHARACTER:
        return "x" * draw(st.integers(1, 40))
    paragraphs = draw(
        st.lists(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4), min_size=1, max_size=4)
    )
    return "\n".join(" ".join(paragraph) for paragraph in paragraphs)


@st.composite
def _cases(draw: st.DrawFn, unit: AgreementUnit) -> list[Case]:
    cases = []
    for _ in range(draw(st.integers(1, 3))):
        text = draw(_texts(unit))
        n = len(text)
        span = st.integers(0, n - 1).flatmap(lambda s, n=n: st.tuples(st.just(s), st.integers(s + 1, n)))
        coders = draw(st.lists(st.sampled_from(POOL), min_size=2, max_size=4, unique=True))
        spans: Spans = {}
        for coder in coders:
            by_theme = draw(st.dictionaries(st.sampled_from(THEMES), st.lists(span, max_size=4), max_size=3))
            if not any(by_theme.values()):  # a coder of a transcript has coded something on it
                by_theme = {draw(st.sampled_from(THEMES)): [draw(span)]}
            spans[coder] = by_theme
        cases.append(Case(text, spans))
    return cases


# -- the reference: each unit decided on its own, the statistics from the libraries -------------------


def _units(text: str, unit: AgreementUnit, turns: Sequence[Turn] = ()) -> list[tuple[int, int]]:
    if unit is AgreementUnit.CHARACTER:
        return [(i, i + 1) for i in range(len(text))]
    return TextUnits(text, turns).spans(Unit(unit.value))


def _coded(spans: Sequence[tuple[int, int]], unit: tuple[int, int]) -> int:
    """1 if a span shares a character with the unit (the "any overlap" rule), by brute force."""
    return int(any(i in range(*unit) for s, e in spans for i in range(s, e)))


def _ratings(cases: Sequence[Case], unit: AgreementUnit, skip: bool) -> dict[str, np.ndarray]:
    """Per theme, coders x units: 1 coded, 0 not, nan where the coder did not code the transcript."""
    out: dict[str, list[list[float]]] = {t: [[] for _ in POOL] for t in THEMES}
    for case in cases:
        units = _units(case.text, unit, case.turns)
        if skip:
            units = [u for u in units if any(_coded(s, u) for by in case.spans.values() for s in by.values())]
        for theme in THEMES:
            for row, coder in zip(out[theme], POOL, strict=True):
                if coder in case.spans:
                    row.extend(_coded(case.spans[coder].get(theme, []), u) for u in units)
                else:
                    row.extend([np.nan] * len(units))
    return {t: np.array(rows) for t, rows in out.items()}


def _alpha(data: np.ndarray) -> float | None:
    present = data[~np.isnan(data)]
    if len(set(present.tolist())) < 2:
        return None  # no variation: alpha is 0/0 (the package refuses a one-value domain)
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def _close(ours: float | None, reference: float | None) -> bool:
    if ours is None or reference is None:
        return ours is reference
    return abs(ours - reference) <= EXACT


def _pair_reference(a: np.ndarray, b: np.ndarray) -> tuple[Table, Fraction, Fraction, float | None]:
    """The table, p_o and p_e from scikit-learn's confusion matrix, and its kappa when defined."""
    [[neither, only_b], [only_a, both]] = confusion_matrix(a, b, labels=[0, 1]).tolist()
    n = len(a)
    p_o = Fraction(both + neither, n)
    p_e = Fraction((both + only_a) * (both + only_b) + (neither + only_b) * (neither + only_a), n * n)
    kappa = None if p_e == 1 else float(cohen_kappa_score(a, b, labels=[0, 1]))
    return Table(both, only_a, only_b, neither), p_o, p_e, kappa


def _fleiss_parts(data: np.ndarray) -> tuple[Fraction, Fraction, float | None]:
    """Fleiss' P-bar and P-bar-e by hand, and statsmodels' kappa: every unit has the same number of
    ratings (from whichever coders coded its transcript: Fleiss' raters are interchangeable)."""
    [m] = set((~np.isnan(data)).sum(axis=0).tolist())
    ones = np.nansum(data, axis=0).astype(int).tolist()
    table = np.array([[m - k, k] for k in ones])
    p_bar = sum((Fraction(k * (k - 1) + (m - k) * (m - k - 1), m * (m - 1)) for k in ones), Fraction(0))
    p_bar /= len(ones)
    share = Fraction(sum(ones), m * len(ones))
    p_e = share**2 + (1 - share) ** 2
    kappa = None if p_e == 1 else float(fleiss_kappa(table, method="fleiss"))
    return p_bar, p_e, kappa


def _check_against_references(
    result: StudyAgreement, cases: Sequence[Case], unit: AgreementUnit, skip: bool
) -> None:
    ratings = _ratings(cases, unit, skip)
    applied = [t for t in THEMES if np.nansum(ratings[t]) > 0]
    assert [row.label for row in result.themes] == applied
    assert result.units == ratings[THEMES[0]].shape[1]
    equal = len({len(c.spans) for c in cases}) == 1

    # All coders: alpha (missing where a coder did not code a transcript), Fleiss' kappa.
    parts = []
    for row in result.themes:
        data = ratings[row.label]
        assert _close(row.alpha, _alpha(data)), row.label
        if equal:
            p_bar, p_e, kappa = _fleiss_parts(data)
            parts.append((p_bar, p_e))
            assert _close(row.fleiss_kappa, kappa), row.label
            assert _close(row.observed, float(p_bar))
        else:
            assert row.fleiss_kappa is None and UNEQUAL_CODERS in (row.undefined or "")
    pooled = np.concatenate([ratings[t] for t in applied], axis=1)
    assert _close(result.pooled.alpha, _alpha(pooled))
    if equal:  # De Vries' pooling of Fleiss' kappa: the means of P-bar and P-bar-e over the themes
        mean_o = sum((p for p, _ in parts), Fraction(0)) / len(parts)
        mean_e = sum((e for _, e in parts), Fraction(0)) / len(parts)
        assert _close(
            result.pooled.fleiss_kappa, None if mean_e == 1 else float((mean_o - mean_e) / (1 - mean_e))
        )

    # Each pair over the transcripts both coded: scikit-learn's kappa, alpha of the two, the pooled row.
    expected_pairs = []
    for i, j in itertools.combinations(range(len(POOL)), 2):
        both_rated = ~np.isnan(ratings[THEMES[0]][i]) & ~np.isnan(ratings[THEMES[0]][j])
        if not both_rated.any():
            continue
        rows = []
        for theme in THEMES:
            a, b = ratings[theme][i][both_rated].astype(int), ratings[theme][j][both_rated].astype(int)
            if a.any() or b.any():
                rows.append((theme, a, b))
        if rows:
            expected_pairs.append((POOL[i], POOL[j], int(both_rated.sum()), rows))
    assert [(p.coder_a.name, p.coder_b.name, p.units) for p in result.pairs] == [
        (a, b, n) for a, b, n, _ in expected_pairs
    ]
    for pair, (_, _, _, rows) in zip(result.pairs, expected_pairs, strict=True):
        assert [f.label for f in pair.themes] == [theme for theme, _, _ in rows]
        observed, expected, tables = [], [], []
        for figures, (_theme, a, b) in zip(pair.themes, rows, strict=True):
            table, p_o, p_e, kappa = _pair_reference(a, b)
            assert figures.table == table
            assert _close(figures.kappa, kappa) and _close(figures.observed, float(p_o))
            assert _close(figures.alpha, _alpha(np.array([a, b], dtype=float)))
            observed.append(p_o)
            expected.append(p_e)
            tables.append((a, b))
        mean_o, mean_e = sum(observed) / len(observed), sum(expected) / len(expected)
        assert _close(pair.pooled.kappa, None if mean_e == 1 else float((mean_o - mean_e) / (1 - mean_e)))
        joined = np.array([np.concatenate([a for a, _ in tables]), np.concatenate([b for _, b in tables])])
        assert _close(pair.pooled.alpha, _alpha(joined.astype(float)))


def _study(cases: Sequence[Case], unit: AgreementUnit, skip: bool) -> StudyAgreement:
    found = [
        coded_units(f"t{n}", case.text, (), case.spans, unit, skip_uncoded=skip)
        for n, case in enumerate(cases)
    ]
    coders = [Coder(name, name) for name in POOL]
    return compare_study(found, [(t, t) for t in THEMES], coders, unit, skip_uncoded=skip)


@pytest.mark.parametrize("skip", [False, True], ids=["all-units", "skip-uncoded"])
@pytest.mark.parametrize("unit", list(AgreementUnit), ids=[u.value for u in AgreementUnit])
def test_equals_the_reference_implementations(unit: AgreementUnit, skip: bool) -> None:
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_cases(unit))
    def check(cases: list[Case]) -> None:
        ratings = _ratings(cases, unit, skip)
        if ratings[THEMES[0]].shape[1] == 0 or not any(np.nansum(r) for r in ratings.values()):
            with pytest.raises(InvalidInput):
                _study(cases, unit, skip)
            return
        _check_against_references(_study(cases, unit, skip), cases, unit, skip)

    check()


# -- through real projects --------------------------------------------------------------------------

INTERVIEW = "Interviewer: How is the funding?\nP1: It was cut. We lost two posts. Now it is better.\n"


def code_three(project: Project, tmp_path: Path) -> None:
    """Two transcripts: int_1 (Wikipedia's kappa table, Ailsa and Bryce), int_2 (the interview of the
    sentence test: Ailsa codes "cut", Bryce "It was cut. W", Cara the whole answer); int_3 coded by
    Ailsa alone."""
    project.codebook.add("Funding")
    bryce, cara = _coder(project, "Bryce"), _coder(project, "Cara")
    first = _import(project, tmp_path, "int_1", TEXT_50)
    _code(project.codings, first, "Funding", (0, 25))
    _code(bryce, first, "Funding", (5, 35))
    second = _import(project, tmp_path, "int_2", INTERVIEW)
    cut, sentence = INTERVIEW.index("cut"), INTERVIEW.index("It was")
    _code(project.codings, second, "Funding", (cut, cut + 3))
    _code(bryce, second, "Funding", (sentence, INTERVIEW.index("We") + 1))
    _code(cara, second, "Funding", (sentence, len(INTERVIEW) - 1))
    third = _import(project, tmp_path, "int_3", TEXT_50[:40])
    _code(project.codings, third, "Funding", (0, 40))


def test_a_sentence_or_turn_is_coded_when_a_coding_touches_it(project: Project, tmp_path: Path) -> None:
    """Sentences: "How is the funding?" | "It was cut." | "We lost two posts." | "Now it is better.";
    turns: the interviewer's and P1's, labels left out. Ailsa codes the word "cut"; Bryce codes
    "It was cut. W", running one character into the next sentence.

    By sentence: Ailsa {2}, Bryce {2, 3}: table both 1, only B 1, neither 2; p_o = 3/4,
    p_e = (1/4)(2/4) + (3/4)(2/4) = 1/2, kappa = (3/4 - 1/2)/(1/2) = 1/2. Leaving out the sentences
    nobody coded: both 1, only B 1; p_o = 1/2, p_e = (1/2)(1) + (1/2)(0) = 1/2, kappa 0.
    By turn: both coded P1's, neither the interviewer's: kappa 1; leaving out the uncoded, one unit
    both coded: no variation."""
    project.codebook.add("Funding")
    transcript = _import(project, tmp_path, "int_1", INTERVIEW)
    assert [t.speaker for t in project.transcripts.turns(transcript.uuid)] == ["Interviewer", "P1"]
    cut = INTERVIEW.index("cut")
    _code(project.codings, transcript, "Funding", (cut, cut + 3))
    sentence = INTERVIEW.index("It was")
    _code(_coder(project, "Bryce"), transcript, "Funding", (sentence, INTERVIEW.index("We") + 1))

    def pair(unit: AgreementUnit, skip: bool = False) -> tuple[Table, float | None, int]:
        result = study_agreement(project, unit, skip_uncoded=skip)
        [found] = result.pairs
        [funding] = found.themes
        return funding.table, funding.kappa, found.units

    assert pair(AgreementUnit.SENTENCE) == (Table(1, 0, 1, 2), 0.5, 4)
    assert pair(AgreementUnit.SENTENCE, skip=True) == (Table(1, 0, 1, 0), 0.0, 2)
    assert pair(AgreementUnit.PARAGRAPH) == (Table(1, 0, 0, 1), 1.0, 2)
    assert pair(AgreementUnit.TURN) == (Table(1, 0, 0, 1), 1.0, 2)
    table, kappa, units = pair(AgreementUnit.TURN, skip=True)
    assert (table, kappa, units) == (Table(1, 0, 0, 0), None, 1)
    result = study_agreement(project, AgreementUnit.TURN, skip_uncoded=True)
    assert result.pairs[0].themes[0].undefined and "no variation" in result.pairs[0].themes[0].undefined
    assert "leaving out those no coder coded" in result.description


def test_one_transcript_and_two_coders_equal_the_one_transcript_report(
    project: Project, tmp_path: Path
) -> None:
    """Wikipedia's Cohen's kappa example again (20/5/10/15, kappa 0.4, alpha 0.4): the study's pair row
    is the one-transcript report's. Fleiss' kappa for two coders, by hand: the share coded
    (25 + 30)/100 = 0.55, P-bar-e = 0.55² + 0.45² = 0.505, P-bar = p_o = 0.7,
    kappa = (0.7 - 0.505)/(1 - 0.505) = 0.195/0.495."""
    project.codebook.add("Funding")
    project.codebook.add("Partnership")
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    bryce = _coder(project, "Bryce")
    _code(project.codings, transcript, "Funding", (0, 25))
    _code(bryce, transcript, "Funding", (5, 35))
    _code(project.codings, transcript, "Partnership", (35, 45))
    _code(bryce, transcript, "Partnership", (40, 45))
    one = agreement(project, "int_1")

    study = study_agreement(project)

    [pair] = study.pairs
    assert (pair.coder_a.name, pair.coder_b.name, pair.transcripts, pair.units) == ("Ailsa", "Bryce", 1, 50)
    assert pair.themes == one.themes and pair.pooled == one.pooled
    funding = study.themes[0]
    assert (funding.label, funding.units) == ("Funding", 50)
    assert funding.fleiss_kappa == pytest.approx(0.195 / 0.495, abs=EXACT)
    assert funding.alpha == pytest.approx(0.4, abs=EXACT) == one.themes[0].alpha
    assert study.pooled.label == POOLED_LABEL and study.pooled.alpha == pytest.approx(one.pooled.alpha)


def test_the_study_of_a_real_project_equals_the_references(tmp_path: Path) -> None:
    """Four transcripts with speaker turns in a real encrypted project: two coded by Ailsa and Bryce,
    one by all three, one by Ailsa alone (left out); random codings, every unit and option."""
    project, _ = make_project(tmp_path / "study", coder="ailsa")
    try:
        for theme in THEMES:
            project.codebook.add(theme)
        coders = {
            "ailsa": project.codings,
            "bryce": _coder(project, "bryce"),
            "cara": _coder(project, "cara"),
        }
        rng = random.Random(17)
        cases = []
        for number, who in enumerate([("ailsa", "bryce"), ("ailsa", "bryce"), tuple(coders), ("ailsa",)]):
            lines = [
                f"{rng.choice(['Interviewer', 'P1', 'P2'])}: {' '.join(rng.choices(SENTENCES, k=rng.randint(1, 4)))}"
                for _ in range(6)
            ]
            text = "\n".join(lines) + "\n"
            transcript = _import(project, tmp_path, f"int_{number}", text)
            spans: Spans = {}
            for coder in who:
                for _ in range(rng.randint(1, 6)):
                    start = rng.randrange(len(text) - 1)
                    end = rng.randint(start + 1, min(len(text), start + 60))
                    theme = rng.choice(THEMES)
                    _code(coders[coder], transcript, theme, (start, end))
                    spans.setdefault(coder, {}).setdefault(theme, []).append((start, end))
            if len(who) > 1:
                turns = tuple(project.transcripts.turns(transcript.uuid))
                assert len(turns) == 6
                cases.append(Case(text, spans, turns))
        for unit in AgreementUnit:
            for skip in (False, True):
                result = study_agreement(project, unit, skip_uncoded=skip)
                assert result.transcripts == 3
                _check_against_references(result, cases, unit, skip)
        assert [c.name for c in result.coders] == ["ailsa", "bryce", "cara"]
        assert all(row.fleiss_kappa is None for row in result.themes)  # two and three coders
    finally:
        project.close()


def test_nothing_double_coded_is_one_plain_line(project: Project, tmp_path: Path) -> None:
    project.codebook.add("Funding")
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    _code(project.codings, transcript, "Funding", (0, 10))
    with pytest.raises(InvalidInput, match=f"^{re.escape(NO_DOUBLE_CODING)}$"):
        study_agreement(project)
