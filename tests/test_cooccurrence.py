"""Co-occurrence of themes: each cell is what its coding query finds (counted passage by passage), and
Jaccard and the turn unit against brute force over character and turn sets, in real projects with
random codings by two coders."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jswcoder.analysis.cooccurrence import build_cooccurrence
from jswcoder.analysis.query import run_query
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coding
from jswcoder.project import Project
from jswcoder.services.passage_units import TextUnits, Unit
from jswcoder.store import codings as coding_rows
from jswcoder.store import people
from tests.conftest import make_project, write_txt

THEMES = ("Workload", "Workload/Training", "Relationships", "Waiting")
TOPS = ("Workload", "Relationships", "Waiting")
TEXTS = (
    "Interviewer: How is it?\nP1: Heavy work and thin training.\nInterviewer: And the staff?\nP1: Kind, "
    "but the waiting was long.\n",
    "Interviewer: What helped?\nP2: My worker listened to me.\nP2: The group work helped too.\n",
)

codings = st.lists(
    st.tuples(
        st.integers(0, 1),  # transcript
        st.sampled_from(("Ailsa", "Hamish")),
        st.sampled_from(THEMES),
        st.integers(0, 90),
        st.integers(1, 30),
    ),
    max_size=25,
)


def _project(folder: Path) -> tuple[Project, list[str]]:
    project, _ = make_project(folder / "study")
    for path in THEMES:
        project.codebook.add(path)
    uuids = [
        project.transcripts.import_file(write_txt(folder / "in", f"t{n}.txt", text))[0].uuid
        for n, text in enumerate(TEXTS)
    ]
    return project, uuids


def _code(project: Project, made: list[tuple[int, str, str, int, int]], uuids: list[str]) -> None:
    """Each coding as its coder's own (the project's coder is Ailsa; Hamish is a second coder)."""
    codes = {c.path: c.uuid for c in project.codebook.all()}
    with project.db.atomic():
        for transcript, coder, path, start, length in made:
            uuid = uuids[transcript]
            end = min(start + length, len(TEXTS[transcript]))
            if start < end:
                who = people.ensure_coder(project.db, coder)
                coding = Coding(new_uuid(), uuid, codes[path], start, end, who.uuid, now())
                coding_rows.insert(project.db, coding)


def _sets(project: Project, unit: str) -> dict[tuple[str, str, str], set[int]]:
    """(transcript, coder, top theme) -> the characters (or turn indices) coded, by brute force."""
    found: dict[tuple[str, str, str], set[int]] = {}
    paths = {c.uuid: c.path for c in project.codebook.all()}
    for transcript in project.transcripts.all():
        units = TextUnits(
            project.transcripts.text_of(transcript.uuid), project.transcripts.turns(transcript.uuid)
        )
        turns = units.spans(Unit.TURN)
        for coding in project.codings.of_transcript(transcript.uuid):
            top = paths[coding.code_uuid].split("/")[0]
            key = (transcript.uuid, coding.coder_uuid, top)
            if unit == "passage":
                found.setdefault(key, set()).update(range(coding.start, coding.end))
            else:
                hit = {i for i, (s, e) in enumerate(turns) if coding.start < e and coding.end > s}
                found.setdefault(key, set()).update(hit)
    return found


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(made=codings, unit=st.sampled_from(("passage", "turn")))
def test_cells_are_their_queries_and_jaccard_is_shared_over_either(
    made: list[tuple[int, str, str, int, int]], unit: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project, uuids = _project(Path(folder))
        try:
            _code(project, made, uuids)
            table = build_cooccurrence(project, unit=unit)  # type: ignore[arg-type]
            assert [t.path for t in table.themes] == list(TOPS)
            sets = _sets(project, unit)
            keys = {(t, c) for t, c, _top in sets}
            for a, first in enumerate(TOPS):
                for b, second in enumerate(TOPS):
                    if unit == "passage":
                        assert table.counts[a][b] == len(run_query(project, table.query(a, b)))
                    shared = sum(
                        len(sets.get((*k, first), set()) & sets.get((*k, second), set())) for k in keys
                    )
                    either = sum(
                        len(sets.get((*k, first), set()) | sets.get((*k, second), set())) for k in keys
                    )
                    if unit == "turn":
                        assert table.counts[a][b] == shared
                    if either == 0:
                        assert table.jaccard[a][b] is None
                    else:
                        assert table.jaccard[a][b] == pytest.approx(shared / either)
                    assert table.counts[a][b] == table.counts[b][a]
        finally:
            project.close()


def test_a_worked_example(tmp_path: Path) -> None:
    project, uuids = _project(tmp_path)
    text = project.transcripts.text_of(uuids[0])

    def code(path: str, phrase: str) -> None:
        start = text.index(phrase)
        project.codings.add(uuids[0], start, start + len(phrase), path)

    code("Workload", "Heavy work and thin training")
    code("Workload/Training", "thin training")
    code("Relationships", "work and thin")  # inside Workload's passage, one shared passage
    code("Waiting", "the waiting was long")  # another turn
    code("Relationships", "Kind, but")  # the same turn as Waiting, not overlapping it
    table = build_cooccurrence(project)
    workload, relationships, waiting = range(3)
    assert table.counts[workload][workload] == 1  # Training lies inside Workload: one passage
    assert table.counts[workload][relationships] == 1
    assert table.counts[relationships][waiting] == 0
    assert table.jaccard[workload][relationships] == pytest.approx(
        len("work and thin") / len("Heavy work and thin training" + "Kind, but")  # shared ÷ either
    )
    by_turn = build_cooccurrence(project, unit="turn")
    assert by_turn.counts[relationships][waiting] == 1
    assert by_turn.counts[workload][waiting] == 0
    assert by_turn.query(relationships, waiting) == '"Relationships"/* NEAR/TURN "Waiting"/*'
    words = [p.text for p in run_query(project, by_turn.query(relationships, waiting))]
    assert words == ["Kind, but", "the waiting was long"]
    assert by_turn.as_dict()["counts"][relationships][waiting] == 1
    project.close()


@settings(max_examples=200, deadline=None)
@given(
    text=st.sampled_from((*TEXTS, "No labels here.\nA second paragraph.\n\nA third one.\n")),
    start=st.integers(0, 120),
    length=st.integers(1, 60),
    unit=st.sampled_from((Unit.TURN, Unit.PARAGRAPH, Unit.SENTENCE)),
)
def test_the_units_a_passage_touches_are_those_it_overlaps(
    text: str, start: int, length: int, unit: Unit
) -> None:
    from jswcoder.importing.turns import detect_turns

    start = min(start, len(text) - 1)
    end = min(start + length, len(text))
    units = TextUnits(text, detect_turns(text))
    expected = [(s, e) for s, e in units.spans(unit) if s < end and e > start]
    assert TextUnits(text, detect_turns(text)).touched(start, end, unit) == expected
