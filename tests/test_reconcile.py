"""Settling disagreements (issue 17, item 5): the disagreements against a brute-force reading of the
definition, what each decision writes for the agreed coder, progress, undo, and "neither" told apart
from "not yet decided", on real encrypted projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jswcoder.analysis.agreement import AgreementReport, Disagreement, coders_of, compare
from jswcoder.analysis.agreement_study import study_agreement
from jswcoder.analysis.matrix import FrameworkMatrix, build_matrix
from jswcoder.analysis.reconcile import CHOICES, Choice, agreed_spans, decide, reconciliation
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.model import Coder, Transcript
from jswcoder.project import Project
from jswcoder.services.codings import Codings
from jswcoder.store import people
from jswcoder.store import reconciliations as store
from tests.conftest import write_txt

Spans = list[tuple[int, int]]
TEXT = "Lead: so what about funding? P1: We never had the training for it, and the budget went."


def _cover(n: int, spans: Spans) -> list[bool]:
    return [any(s <= i < e for s, e in spans) for i in range(n)]


def _runs(cover: list[bool]) -> Spans:
    runs: Spans = []
    for i, on in enumerate(cover):
        if on and runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        elif on:
            runs.append((i, i + 1))
    return runs


def _brute_disagreements(n: int, a: Spans, b: Spans) -> list[tuple[int, int, Spans, Spans]]:
    """The definition read literally: stretches per coder from a per-character cover, stretches of the
    two coders linked when they share a character, connected groups whose sides differ."""
    sa, sb = _runs(_cover(n, a)), _runs(_cover(n, b))
    nodes = [("A", s) for s in sa] + [("B", s) for s in sb]
    parent = list(range(len(nodes)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, (_side_i, (s1, e1)) in enumerate(nodes):
        for j, (_side_j, (s2, e2)) in enumerate(nodes):
            if set(range(s1, e1)) & set(range(s2, e2)):
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        groups.setdefault(root(i), []).append(i)
    found = []
    for members in groups.values():
        side_a = sorted(nodes[i][1] for i in members if nodes[i][0] == "A")
        side_b = sorted(nodes[i][1] for i in members if nodes[i][0] == "B")
        if side_a != side_b:
            spans = side_a + side_b
            found.append((min(s for s, _ in spans), max(e for _, e in spans), side_a, side_b))
    return sorted(found)


def _report(n: int, a: Spans, b: Spans) -> AgreementReport:
    transcript = Transcript("t-uuid", "int_9", None, "int_9.txt", "txt", n, "2024-01-01T00:00:00Z")
    return compare(
        "x" * n,
        [("t", "t")],
        {"t": a},
        {"t": b},
        transcript=transcript,
        coder_a=Coder("a", "A"),
        coder_b=Coder("b", "B"),
    )


@st.composite
def _two_coders(draw: st.DrawFn) -> tuple[int, Spans, Spans]:
    n = draw(st.integers(1, 40))
    span = st.integers(0, n - 1).flatmap(lambda s: st.tuples(st.just(s), st.integers(s + 1, n)))
    a = draw(st.lists(span, max_size=6))
    b = draw(st.lists(span, max_size=6))
    if not a and not b:
        a = [(0, n)]
    return n, a, b


@settings(max_examples=300, deadline=None)
@given(_two_coders(), st.data())
def test_disagreements_and_agreed_coding_equal_brute_force(
    case: tuple[int, Spans, Spans], data: st.DataObject
) -> None:
    n, a, b = case
    report = _report(n, a, b)
    found = [
        (d.start, d.end, [(p.start, p.end) for p in d.coder_a], [(p.start, p.end) for p in d.coder_b])
        for d in report.disagreements
    ]
    assert found == _brute_disagreements(n, a, b)

    # A decision (or none) for each disagreement: the agreed coding, character by character.
    choices: list[Choice | None] = [
        data.draw(st.sampled_from([*CHOICES, None])) for _ in report.disagreements
    ]
    cover_a, cover_b = _cover(n, a), _cover(n, b)
    agreed = [x and y for x, y in zip(cover_a, cover_b, strict=True)]  # outside disagreements
    for d, choice in zip(report.disagreements, choices, strict=True):
        for i in range(d.start, d.end):
            agreed[i] = {
                "A": cover_a[i],
                "B": cover_b[i],
                "both": cover_a[i] or cover_b[i],
                "neither": False,
                None: False,
            }[choice]
    items: list[tuple[Disagreement, Choice | None]] = list(zip(report.disagreements, choices, strict=True))
    assert agreed_spans(a, items) == _runs(agreed)


# -- on a project -----------------------------------------------------------------------------------


def _coder(project: Project, name: str) -> Codings:
    with project.db.atomic():
        coder = people.ensure_coder(project.db, name)
    return Codings(project.db, coder, project.transcripts, project.codebook)


@pytest.fixture
def double_coded(project: Project, tmp_path: Path) -> Transcript:
    return code_two(project, tmp_path)


def code_two(project: Project, tmp_path: Path) -> Transcript:
    """int_1 coded by Ailsa (the project's coder) and Bryce: three disagreements and one agreement.

    Funding: Ailsa 0-20, Bryce 5-25 (one disagreement, 0-25); both 30-40 (agreed).
    Training: Ailsa 45-60 only (one); Bryce 62-70 only (one).
    """
    project.codebook.add("Funding")
    project.codebook.add("Training")
    transcript, _ = project.transcripts.import_file(write_txt(tmp_path / "in", "int_1.txt", TEXT))
    bryce = _coder(project, "Bryce")
    for who, theme, start, end in [
        (project.codings, "Funding", 0, 20),
        (bryce, "Funding", 5, 25),
        (project.codings, "Funding", 30, 40),
        (bryce, "Funding", 30, 40),
        (project.codings, "Training", 45, 60),
        (bryce, "Training", 62, 70),
    ]:
        who.add(transcript.uuid, start, end, theme)
    return transcript


def _agreed(project: Project, transcript: Transcript) -> list[tuple[str, int, int]]:
    agreed = people.coder_by_name(project.db, store.AGREED_CODER)
    if agreed is None:
        return []
    paths = {c.uuid: c.path for c in project.codebook.all()}
    return sorted(
        (paths[c.code_uuid], c.start, c.end)
        for c in project.codings.of_transcript(transcript.uuid)
        if c.coder_uuid == agreed.uuid
    )


def test_the_disagreements_in_the_theme_trees_order(project: Project, double_coded: Transcript) -> None:
    state = reconciliation(project, "int_1")
    assert (state.coder_a.name, state.coder_b.name) == ("Ailsa", "Bryce")
    assert [
        (i.number, i.disagreement.theme, i.disagreement.start, i.disagreement.end) for i in state.items
    ] == [
        (1, "Funding", 0, 25),
        (2, "Training", 45, 60),
        (3, "Training", 62, 70),
    ]
    assert (state.decided, state.total, state.progress) == (0, 3, "0 of 3 decided")
    assert _agreed(project, double_coded) == []


@pytest.mark.parametrize(
    ("choice", "funding"),
    [("A", [(0, 20)]), ("B", [(5, 25)]), ("both", [(0, 25)]), ("neither", [])],
)
def test_each_decision_writes_its_version_and_the_agreed_parts(
    project: Project, double_coded: Transcript, choice: Choice, funding: Spans
) -> None:
    assert decide(project, "int_1", 1, choice) is None
    expected = sorted([("Funding", s, e) for s, e in funding] + [("Funding", 30, 40)])
    assert _agreed(project, double_coded) == expected
    state = reconciliation(project, "int_1")
    assert [i.choice for i in state.items] == [choice, None, None]
    assert state.progress == "1 of 3 decided"
    # The agreed coder is not a third coder of the transcript for agreement.
    assert [c.name for c in coders_of(project, double_coded.uuid)] == ["Ailsa", "Bryce"]


def test_neither_is_not_undecided_and_undo_restores_the_last_state(
    project: Project, double_coded: Transcript
) -> None:
    decide(project, "int_1", 2, "neither")
    decide(project, "int_1", 3, "B")
    assert [i.choice for i in reconciliation(project, "int_1").items] == [None, "neither", "B"]
    assert _agreed(project, double_coded) == [("Funding", 30, 40), ("Training", 62, 70)]
    assert store.complete(project.db) == {}

    before = decide(project, "int_1", 1, "both")
    assert store.complete(project.db) == {double_coded.uuid: people.coder_by_name(project.db, "Agreed").uuid}  # type: ignore[union-attr]
    assert reconciliation(project, "int_1").progress == "3 of 3 decided"

    # Undo: give back what it was (undecided): no longer complete, its codings gone.
    decide(project, "int_1", 1, before)
    assert store.complete(project.db) == {}
    assert _agreed(project, double_coded) == [("Funding", 30, 40), ("Training", 62, 70)]
    # Change a decision, then undo back to the previous one.
    previous = decide(project, "int_1", 3, "A")
    assert previous == "B"
    assert _agreed(project, double_coded) == [("Funding", 30, 40)]
    decide(project, "int_1", 3, previous)
    assert _agreed(project, double_coded) == [("Funding", 30, 40), ("Training", 62, 70)]
    # Undoing every decision leaves no agreed coding at all: reconciliation has not started.
    decide(project, "int_1", 2, None)
    decide(project, "int_1", 3, None)
    assert _agreed(project, double_coded) == []


def test_a_decision_on_a_changed_disagreement_no_longer_counts(
    project: Project, double_coded: Transcript
) -> None:
    decide(project, "int_1", 3, "B")
    # Bryce's Training coding moves by one character: the disagreement is another one now.
    bryce = _coder(project, "Bryce")
    [moved] = [
        c
        for c in bryce.of_transcript(double_coded.uuid)
        if (c.coder_uuid, c.start) == (people.coder_by_name(project.db, "Bryce").uuid, 62)  # type: ignore[union-attr]
    ]
    bryce.change(moved.uuid, start=62, end=71)
    state = reconciliation(project, "int_1")
    assert [(i.disagreement.start, i.disagreement.end, i.choice) for i in state.items][-1] == (62, 71, None)


def test_refusals_are_one_plain_line(project: Project, double_coded: Transcript, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="numbered 1 to 3"):
        decide(project, "int_1", 4, "A")
    with pytest.raises(InvalidInput, match="keep one of"):
        decide(project, "int_1", 1, "mine")  # type: ignore[arg-type]
    project.transcripts.import_file(write_txt(tmp_path / "in", "int_2.txt", "P2: Nobody coded this."))
    with pytest.raises(InvalidInput, match="coded by 0 coders"):
        reconciliation(project, "int_2")
    assert _agreed(project, double_coded) == []


def test_study_agreement_leaves_the_agreed_coder_out(project: Project, double_coded: Transcript) -> None:
    decide(project, "int_1", 1, "both")
    study = study_agreement(project)
    assert [c.name for c in study.coders] == ["Ailsa", "Bryce"]
    assert [(p.coder_a.name, p.coder_b.name) for p in study.pairs] == [("Ailsa", "Bryce")]


def _column(matrix: FrameworkMatrix, path: str) -> int:
    return next(i for i, theme in enumerate(matrix.themes) if theme.code.path == path)


def test_the_matrix_uses_the_agreed_coding_once_every_disagreement_is_decided(
    project: Project, double_coded: Transcript
) -> None:
    def shown() -> dict[str, tuple[int, list[str]]]:
        matrix = build_matrix(project)
        [row] = range(len(matrix.cases))
        found = {}
        for path in ("Funding", "Training"):
            column = _column(matrix, path)
            found[path] = (matrix.count(row, column), [p.text for p in matrix.passages(row, column)])
        return found

    own = {"Funding": (2, [TEXT[0:20], TEXT[30:40]]), "Training": (1, [TEXT[45:60]])}
    assert shown() == own  # Ailsa imported int_1: her codings count (and the project's coder's)
    decide(project, "int_1", 1, "neither")
    decide(project, "int_1", 2, "neither")
    assert shown() == own  # half-way: still the own coder's
    decide(project, "int_1", 3, "B")
    assert shown() == {"Funding": (1, [TEXT[30:40]]), "Training": (1, [TEXT[62:70]])}
    decide(project, "int_1", 3, None)  # undone: no longer reconciled
    assert shown() == own
