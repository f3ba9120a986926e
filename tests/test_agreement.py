"""Coder agreement: the statistics against published worked examples, a per-character reference, and
the command line, all on real encrypted projects with two coders' codings."""

from __future__ import annotations

import json
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.analysis.agreement import (
    NO_VARIATION,
    POOLED_LABEL,
    AgreementReport,
    Table,
    agreement,
    coders_of,
    compare,
    double_coded,
)
from jswcoder.analysis.agreement_text import render_text
from jswcoder.cli import main
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.model import Coder, Transcript
from jswcoder.project import Project
from jswcoder.services.codings import Codings
from jswcoder.store import people
from tests.conftest import PASSPHRASE, make_project, write_txt

# 50 code points; the last is outside the Basic Multilingual Plane, so a UTF-16 count would say 51.
TEXT_50 = "P1: We share it with the police now, since March 🙂"
# 10 code points, one unit each for Krippendorff's ten units.
TEXT_10 = "Aye, right"


def _import(project: Project, folder: Path, name: str, text: str) -> Transcript:
    transcript, _warnings = project.transcripts.import_file(write_txt(folder, f"{name}.txt", text))
    assert transcript.length == len(text)
    return transcript


def _coder(project: Project, name: str) -> Codings:
    """A Codings service that codes as another coder, as Project builds its own for the project's coder."""
    with project.db.atomic():
        coder = people.ensure_coder(project.db, name)
    return Codings(project.db, coder, project.transcripts, project.codebook)


def _code(codings: Codings, transcript: Transcript, code: str, *spans: tuple[int, int]) -> None:
    for start, end in spans:
        codings.add(transcript.uuid, start, end, code)


@pytest.fixture
def bryce(project: Project) -> Codings:
    project.codebook.add("Funding")
    project.codebook.add("Partnership")
    return _coder(project, "Bryce")


# -- published worked examples ----------------------------------------------------------------------


def test_cohen_kappa_equals_the_wikipedia_worked_example(
    project: Project, bryce: Codings, tmp_path: Path
) -> None:
    """Wikipedia, "Cohen's kappa", section "Simple example" (50 grant proposals, readers A and B):
    20 yes/yes, 5 A-yes/B-no, 10 A-no/B-yes, 15 no/no; p_o = 0.7, p_e = 0.5, kappa = 0.4.
    Here each proposal is a character: Ailsa (A) codes characters 0-24, Bryce (B) 5-34, so both coded
    5-24 (20), only A 0-4 (5), only B 25-34 (10), neither 35-49 (15)."""
    assert len(TEXT_50) == 50
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    _code(project.codings, transcript, "Funding", (0, 25))
    _code(bryce, transcript, "Funding", (5, 35))

    report = agreement(project, "int_1")

    assert (report.coder_a.name, report.coder_b.name) == ("Ailsa", "Bryce")
    assert report.characters == 50
    [funding] = report.themes
    assert funding.label == "Funding"
    assert funding.table == Table(both=20, only_a=5, only_b=10, neither=15)
    assert funding.observed == pytest.approx(0.7)
    assert funding.percent == pytest.approx(70.0)
    assert funding.expected == pytest.approx(0.5)
    assert funding.kappa == pytest.approx(0.4)
    # Not from Wikipedia; by hand from the coincidence matrix (see _alpha's docstring): n = 100,
    # o01 = 5 + 10 = 15, n1 = 2·20 + 15 = 55, n0 = 2·15 + 15 = 45; 1 - 99·15/(45·55) = 1 - 0.6 = 0.4.
    assert funding.alpha == pytest.approx(0.4)
    assert funding.undefined is None


def test_krippendorff_alpha_equals_the_first_example_of_krippendorff_2011(
    project: Project, bryce: Codings, tmp_path: Path
) -> None:
    """Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
    Communication, University of Pennsylvania, example A (binary data, two observers, no missing data):
    observer A 0 1 0 0 0 0 0 0 1 0, observer B 1 1 1 0 0 1 0 0 0 0; coincidences o00 = 10,
    o01 = o10 = 4, o11 = 2, n0 = 14, n1 = 6, n = 20; alpha = 1 - (20 - 1)·4/(14·6) = 0.095.
    Each of the ten units is a character: A codes characters 1 and 8, B codes 0-2 and 5."""
    transcript = _import(project, tmp_path, "int_2", TEXT_10)
    _code(project.codings, transcript, "Funding", (1, 2), (8, 9))
    _code(bryce, transcript, "Funding", (0, 3), (5, 6))

    [funding] = agreement(project, "int_2").themes

    assert funding.table == Table(both=1, only_a=1, only_b=3, neither=5)
    assert funding.alpha is not None
    assert round(funding.alpha, 3) == 0.095
    assert funding.alpha == pytest.approx(1 - 19 * 4 / (14 * 6))
    # Kappa by hand (not in the source): p_o = 6/10, p_e = (2·4 + 8·6)/100 = 0.56; (0.6 - 0.56)/0.44.
    assert funding.kappa == pytest.approx(0.04 / 0.44)


def test_pooled_kappa_is_de_vries_mean_observed_over_mean_expected(
    project: Project, bryce: Codings, tmp_path: Path
) -> None:
    """De Vries, Elliott, Kanouse & Teleki (2008), "Using pooled kappa to summarize interrater agreement
    across many items", Field Methods 20(3): 272-282: pooled kappa = (mean p_o - mean p_e) / (1 - mean p_e).

    Worked by hand over 50 characters:
      Funding (the Wikipedia table above): p_o = 0.7, p_e = 0.5, kappa = 0.4
      Partnership: A codes 35-44 (10), B codes 40-44 (5): both 5, only A 5, only B 0, neither 40
        p_o = 45/50 = 0.9; p_e = (10/50)(5/50) + (40/50)(45/50) = 0.02 + 0.72 = 0.74
        kappa = (0.9 - 0.74)/(1 - 0.74) = 0.16/0.26 = 8/13 ≈ 0.615
      pooled: mean p_o = 0.8, mean p_e = 0.62, kappa = 0.18/0.38 = 9/19 ≈ 0.4737
        (the mean of the two kappas, 0.5077, is a different number: pooling is not averaging)
      pooled percentage agreement: (35 + 45)/100 = 80%
      pooled alpha over the 100 (character, theme) units, summed coincidences: o01 = 15 + 5 = 20,
        n = 200, n1 = 55 + 15 = 70, n0 = 45 + 85 = 130: 1 - 199·20/(130·70) = 1 - 3980/9100 = 256/455
    """
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    _code(project.codings, transcript, "Funding", (0, 25))
    _code(bryce, transcript, "Funding", (5, 35))
    _code(project.codings, transcript, "Partnership", (35, 45))
    _code(bryce, transcript, "Partnership", (40, 45))

    report = agreement(project, "int_1")

    funding, partnership = report.themes
    assert partnership.table == Table(5, 5, 0, 40)
    assert partnership.expected == pytest.approx(0.74)
    assert partnership.kappa == pytest.approx(8 / 13)
    pooled = report.pooled
    assert pooled.label == POOLED_LABEL and pooled.code_uuid is None
    assert pooled.table == Table(25, 10, 10, 55)
    assert pooled.percent == pytest.approx(80.0)
    assert pooled.expected == pytest.approx(0.62)
    assert pooled.kappa == pytest.approx(9 / 19)
    assert pooled.alpha == pytest.approx(256 / 455)
    assert pooled.kappa != pytest.approx((funding.kappa or 0) / 2 + (partnership.kappa or 0) / 2)


# -- the per-character definition -------------------------------------------------------------------


def _reference(
    n: int, themes: list[str], a: dict[str, list[tuple[int, int]]], b: dict[str, list[tuple[int, int]]]
):  # type: ignore[no-untyped-def]
    """The definition, one character at a time, with exact fractions."""

    def values(spans: list[tuple[int, int]]) -> list[int]:
        out = [0] * n
        for start, end in spans:
            for i in range(start, end):
                out[i] = 1
        return out

    def kappa(p_o: Fraction, p_e: Fraction) -> Fraction | None:
        return None if p_e == 1 else (p_o - p_e) / (1 - p_e)

    def alpha(pairs: list[tuple[int, int]]) -> Fraction | None:
        # Krippendorff's general nominal alpha: every unit has two pairable values, so each adds its two
        # ordered pairs to the coincidence matrix with weight 1/(m_u - 1) = 1.
        o: Counter[tuple[int, int]] = Counter()
        for x, y in pairs:
            o[x, y] += 1
            o[y, x] += 1
        total = sum(o.values())
        marginals: Counter[int] = Counter()
        for (c, _k), count in o.items():
            marginals[c] += count
        d_o = Fraction(sum(v for (c, k), v in o.items() if c != k), total)
        d_e = Fraction(
            sum(marginals[c] * marginals[k] for c in marginals for k in marginals if c != k),
            total * (total - 1),
        )
        return None if d_e == 0 else 1 - d_o / d_e

    rows, all_pairs, observed, expected, runs = [], [], [], [], []
    for theme in themes:
        va, vb = values(a.get(theme, [])), values(b.get(theme, []))
        if not any(va) and not any(vb):
            continue
        pairs = list(zip(va, vb, strict=True))
        p_o = Fraction(sum(x == y for x, y in pairs), n)
        p_e = Fraction(sum(va), n) * Fraction(sum(vb), n) + Fraction(n - sum(va), n) * Fraction(
            n - sum(vb), n
        )
        table = Table(*(sum(1 for p in pairs if p == want) for want in ((1, 1), (1, 0), (0, 1), (0, 0))))
        rows.append((table, p_o, p_e, kappa(p_o, p_e), alpha(pairs)))
        all_pairs += pairs
        observed.append(p_o)
        expected.append(p_e)
        for i, (x, y) in enumerate(pairs):  # maximal runs where they differ, with who coded
            if x != y:
                who = "A" if x else "B"
                if runs and runs[-1][0] == theme and runs[-1][2] == i and runs[-1][3] == who:
                    runs[-1] = (theme, runs[-1][1], i + 1, who)
                else:
                    runs.append((theme, i, i + 1, who))
    mean_o, mean_e = sum(observed) / len(observed), sum(expected) / len(expected)
    pooled = (mean_o, mean_e, kappa(mean_o, mean_e), alpha(all_pairs))
    return rows, pooled, runs


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


@st.composite
def _codings(
    draw: st.DrawFn,
) -> tuple[int, dict[str, list[tuple[int, int]]], dict[str, list[tuple[int, int]]]]:
    n = draw(st.integers(1, 40))
    span = st.integers(0, n - 1).flatmap(lambda s: st.tuples(st.just(s), st.integers(s + 1, n)))
    by_theme = st.dictionaries(st.sampled_from(["t1", "t2", "t3"]), st.lists(span, max_size=5), max_size=3)
    return n, draw(by_theme), draw(by_theme)


@settings(max_examples=300, deadline=None)
@given(_codings())
def test_equals_the_per_character_definition(case: tuple[int, dict, dict]) -> None:  # type: ignore[type-arg]
    n, a, b = case
    themes = ["t1", "t2", "t3"]
    if not any(a.values()) and not any(b.values()):
        with pytest.raises(InvalidInput):
            _compare(n, themes, a, b)
        return
    report = _compare(n, themes, a, b)
    rows, pooled, runs = _reference(n, themes, a, b)

    assert len(report.themes) == len(rows)
    for figures, (table, p_o, p_e, kappa, alpha) in zip(report.themes, rows, strict=True):
        assert figures.table == table
        assert (figures.observed, figures.expected) == (float(p_o), float(p_e))
        assert (figures.kappa, figures.alpha) == (_float(kappa), _float(alpha))
        assert (figures.undefined is None) == (kappa is not None and alpha is not None)
    mean_o, mean_e, kappa, alpha = pooled
    assert (report.pooled.observed, report.pooled.expected) == (float(mean_o), float(mean_e))
    assert (report.pooled.kappa, report.pooled.alpha) == (_float(kappa), _float(alpha))

    found = [(d.theme, r.start, r.end, r.coded_by) for d in report.disagreements for r in d.runs]
    assert found == runs
    for d in report.disagreements:
        assert all(d.start <= r.start < r.end <= d.end for r in d.runs)
        assert d.coder_a != d.coder_b
        for side, spans in ((d.coder_a, a), (d.coder_b, b)):
            covered = {i for s, e in spans.get(d.code_uuid, []) for i in range(s, e)}
            in_passages = {i for p in side for i in range(p.start, p.end)}
            assert in_passages == {i for i in covered if d.start <= i < d.end}
            assert all(p.text == _text(n)[p.start : p.end] for p in side)


def _text(n: int) -> str:
    return "".join(chr(0x61 + i % 26) for i in range(n))


def _compare(
    n: int, themes: list[str], a: dict[str, list[tuple[int, int]]], b: dict[str, list[tuple[int, int]]]
) -> AgreementReport:
    transcript = Transcript("t-uuid", "int_9", None, "int_9.txt", "txt", n, "2024-01-01T00:00:00Z")
    return compare(
        _text(n),
        [(t, t) for t in themes],
        a,
        b,
        transcript=transcript,
        coder_a=Coder("a", "A"),
        coder_b=Coder("b", "B"),
    )


# -- edge cases -------------------------------------------------------------------------------------


def test_identical_coding_agrees_completely(project: Project, bryce: Codings, tmp_path: Path) -> None:
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    # Ailsa's two overlapping codings cover the same characters as Bryce's one: they count once.
    _code(project.codings, transcript, "Funding", (3, 20), (10, 30))
    _code(bryce, transcript, "Funding", (3, 30))
    report = agreement(project, transcript.uuid)
    [funding] = report.themes
    assert funding.table == Table(27, 0, 0, 23)
    assert (funding.percent, funding.kappa, funding.alpha) == (100.0, 1.0, 1.0)
    assert report.disagreements == ()
    assert "No disagreements" in render_text(report)


def test_a_theme_only_one_coder_applied(project: Project, bryce: Codings, tmp_path: Path) -> None:
    """Ailsa codes characters 0-9 as Partnership, Bryce never uses it. By hand: table 0/10/0/40,
    p_o = 0.8, p_e = 0.2·0 + 0.8·1 = 0.8, kappa = 0; alpha = 1 - 99·10/(90·10) = -0.1."""
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    _code(project.codings, transcript, "Partnership", (0, 10))
    _code(bryce, transcript, "Funding", (20, 30))
    _code(project.codings, transcript, "Funding", (20, 30))
    report = agreement(project, "int_1")
    assert [f.label for f in report.themes] == ["Funding", "Partnership"]  # tree order
    partnership = report.themes[1]
    assert partnership.table == Table(0, 10, 0, 40)
    assert partnership.kappa == pytest.approx(0.0)
    assert partnership.alpha == pytest.approx(-0.1)
    [disagreement] = report.disagreements
    assert disagreement.theme == "Partnership"
    assert [(p.start, p.end, p.text) for p in disagreement.coder_a] == [(0, 10, TEXT_50[:10])]
    assert disagreement.coder_b == ()
    assert [(r.start, r.end, r.coded_by) for r in disagreement.runs] == [(0, 10, "A")]


def test_undefined_statistics_are_none_with_a_reason(
    project: Project, bryce: Codings, tmp_path: Path
) -> None:
    """Both code the whole text: every unit is 1 for both, p_e = 1 and D_e = 0, so kappa and alpha are 0/0."""
    transcript = _import(project, tmp_path, "int_2", TEXT_10)
    _code(project.codings, transcript, "Funding", (0, 10))
    _code(bryce, transcript, "Funding", (0, 10))
    report = agreement(project, "int_2")
    for figures in (report.themes[0], report.pooled):
        assert figures.percent == 100.0
        assert (figures.kappa, figures.alpha) == (None, None)
        assert figures.undefined == NO_VARIATION
    text = render_text(report)
    assert "n/a" in text and NO_VARIATION in text
    data = json.loads(json.dumps(report.as_dict()))
    assert data["themes"][0]["kappa"] is None and data["pooled"]["undefined"] == NO_VARIATION


def test_disagreements_pair_what_each_coder_coded(project: Project, bryce: Codings, tmp_path: Path) -> None:
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    # Funding: A 0-9 and 12-19, B 5-14 overlaps both: one passage; B 30-34 alone: another; A 40-44
    # only touches B's 45-47, sharing no character: two passages. Partnership: the same characters for
    # both, so no disagreement there.
    _code(project.codings, transcript, "Funding", (0, 10), (12, 20), (40, 45))
    _code(bryce, transcript, "Funding", (5, 15), (30, 35), (45, 48))
    _code(project.codings, transcript, "Partnership", (0, 5))
    _code(bryce, transcript, "Partnership", (0, 5))
    report = agreement(project, "int_1")
    shapes = [
        ([(p.start, p.end) for p in d.coder_a], [(p.start, p.end) for p in d.coder_b], d.start, d.end)
        for d in report.disagreements
    ]
    assert shapes == [
        ([(0, 10), (12, 20)], [(5, 15)], 0, 20),
        ([], [(30, 35)], 30, 35),
        ([(40, 45)], [], 40, 45),
        ([], [(45, 48)], 45, 48),
    ]
    first = report.disagreements[0]
    assert [(r.start, r.end, r.coded_by) for r in first.runs] == [(0, 5, "A"), (10, 12, "B"), (15, 20, "A")]
    assert first.runs[1].text == TEXT_50[10:12]

    text = render_text(report)
    assert report.unit in text
    assert "Unit: one character of the transcript text (50 characters)" in report.unit
    assert "A: Ailsa" in text and "| B: Bryce" in text
    assert f"[0–10] {TEXT_50[:10]}" in text and "(not coded)" in text


def test_which_coders(project: Project, tmp_path: Path) -> None:
    project.codebook.add("Funding")
    transcript = _import(project, tmp_path, "int_1", TEXT_50)
    _import(project, tmp_path, "int_2", TEXT_10)
    _code(project.codings, transcript, "Funding", (0, 10))
    with pytest.raises(InvalidInput, match="int_1 was coded by 1 coder; agreement needs codings from two"):
        agreement(project, "int_1")
    with pytest.raises(InvalidInput, match="coded by 0 coders"):
        agreement(project, "int_2")
    _code(_coder(project, "Bryce"), transcript, "Funding", (0, 12))
    _code(_coder(project, "Cara"), transcript, "Funding", (0, 20))
    assert [c.name for c in coders_of(project, transcript.uuid)] == ["Ailsa", "Bryce", "Cara"]
    assert [t.name for t in double_coded(project)] == ["int_1"]
    with pytest.raises(
        InvalidInput, match=r"^this transcript was coded by 3 coders; choose two with --coders$"
    ):
        agreement(project, "int_1")

    cara = people.coder_by_name(project.db, "Cara")
    assert cara is not None
    report = agreement(project, "int_1", (cara.uuid, "Ailsa"))  # a UUID or a name; the order is kept
    assert (report.coder_a.name, report.coder_b.name) == ("Cara", "Ailsa")
    assert report.themes[0].table == Table(10, 10, 0, 30)
    with pytest.raises(NotFound, match="no coder 'Dougie'"):
        agreement(project, "int_1", ("Dougie", "Ailsa"))
    with pytest.raises(InvalidInput, match="two different coders"):
        agreement(project, "int_1", ("Ailsa", "Ailsa"))
    _coder(project, "Eilidh")
    with pytest.raises(
        InvalidInput, match="Eilidh has no codings on int_1; it was coded by: Ailsa, Bryce, Cara"
    ):
        agreement(project, "int_1", ("Eilidh", "Ailsa"))
    with pytest.raises(NotFound):
        agreement(project, "int_404")


# -- the command line -------------------------------------------------------------------------------


def test_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _ = make_project(tmp_path / "study")
    try:
        project.codebook.add("Funding")
        transcript = _import(project, tmp_path, "int_1", TEXT_50)
        _code(project.codings, transcript, "Funding", (0, 25))  # the Wikipedia table again
        _code(_coder(project, "Bryce"), transcript, "Funding", (5, 35))
    finally:
        project.close()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    folder = str(tmp_path / "study")

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--no-keychain", "agreement", folder, *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("int_1", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["coder_a"]["name"] == "Ailsa" and data["coder_b"]["name"] == "Bryce"
    assert data["characters"] == 50 and data["unit"].startswith("Unit: one character")
    [funding] = data["themes"]
    assert (funding["both"], funding["only_a"], funding["only_b"], funding["neither"]) == (20, 5, 10, 15)
    assert funding["kappa"] == pytest.approx(0.4) and funding["percent_agreement"] == pytest.approx(70.0)
    assert data["disagreements"][0]["coder_b"] == [{"start": 5, "end": 35, "text": TEXT_50[5:35]}]

    code, out, err = run("int_1", "--coders", "Bryce", "Ailsa")
    assert code == 0, err
    assert "Coder A: Bryce    Coder B: Ailsa" in out
    [row] = [line for line in out.splitlines() if line.startswith("Funding ")]
    assert row.split() == ["Funding", "20", "10", "5", "15", "70.0%", "0.400", "0.400"]

    code, out, err = run("int_1", "--coders", "Ailsa", "Nobody")
    assert code == 1 and err == "jswcoder: there is no coder 'Nobody' in this project\n"
    code, out, err = run("int_2")
    assert code == 1 and "no transcript 'int_2'" in err
