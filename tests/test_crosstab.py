"""Crosstabs of themes by an attribute: each cell equals a direct count of the codings, over random
projects (real encrypted ones); the percentages as a researcher reads them; a cell's passages."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jswcoder.analysis.crosstab import build_crosstab
from jswcoder.analysis.matrix import NOT_RECORDED
from jswcoder.errors import InvalidInput
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import make_project, write_txt

GROUPS = ("Client", "Justice social workers", "Partners")
AREAS = (None, "Area A", "Area B")
MODES = (None, "video", "telephone")
THEMES = ("Workload", "Workload/Training", "Relationships", "Relationships/Listening", "Waiting")
WORDS = " ".join(f"word{n}" for n in range(30))

participants = st.lists(
    st.tuples(st.sampled_from(GROUPS), st.sampled_from(AREAS), st.sampled_from(MODES)), min_size=1, max_size=6
)


def _project_with(
    folder: Path, people: list[tuple[str, str | None, str | None]]
) -> tuple[Project, list[str]]:
    project, _ = make_project(folder / "study")
    for path in THEMES:
        project.codebook.add(path)
    transcripts = []
    for number, (group, area, mode) in enumerate(people, start=1):
        source = write_txt(
            folder / "in", f"t{number}.txt", f"Interviewer {number:02d}: Tell me. Worker: {WORDS}\n"
        )
        fields = ParticipantFields(group, number, mode=mode, council_area=area)
        transcripts.append(project.transcripts.import_file(source, fields)[0].uuid)
    return project, transcripts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=participants,
    codings=st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from(THEMES), st.integers(0, 80), st.integers(1, 40)),
        max_size=30,
    ),
    by=st.sampled_from(["participant_group", "council_area", "mode"]),
)
def test_each_cell_equals_a_direct_count(
    people: list[tuple[str, str | None, str | None]], codings: list[tuple[int, str, int, int]], by: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project, transcripts = _project_with(Path(folder), people)
        try:
            made = []
            for who, path, start, length in codings:
                index = who % len(people)
                _coding, new = project.codings.add(transcripts[index], start, start + length, path)
                if new:
                    made.append((index, path))
            table = build_crosstab(project, by)
        finally:
            project.close()

    column = {"participant_group": 0, "council_area": 1, "mode": 2}[by]

    def value(index: int) -> str:
        return people[index][column] or NOT_RECORDED

    assert sorted(table.values) == sorted({value(i) for i in range(len(people))})
    assert [t.code.path for t in table.themes] == ["Workload", "Relationships", "Waiting"]
    for t, theme in enumerate(table.themes):
        top = theme.code.path
        in_theme = [i for i, path in made if path == top or path.startswith(top + "/")]
        for v, name in enumerate(table.values):
            hits = [i for i in in_theme if value(i) == name]
            assert table.passages[t][v] == len(hits)
            assert table.cases[t][v] == len(set(hits))
            assert table.cases_with(v) == sum(1 for i in range(len(people)) if value(i) == name)
        assert table.theme_total(t) == len(in_theme)


def test_percentages_and_a_cells_passages(tmp_path: Path) -> None:
    people = [("Client", "Area A", None), ("Client", "Area B", None), ("Partners", "Area A", None)]
    project, transcripts = _project_with(tmp_path, people)
    text = project.transcripts.text_of(transcripts[0])
    start = text.index("word3")
    project.codings.add(transcripts[0], start, start + 5, "Workload/Training")
    project.codings.add(transcripts[0], start + 6, start + 11, "Workload")
    project.codings.add(transcripts[2], start, start + 5, "Workload")
    project.codings.add(transcripts[1], start, start + 5, "Waiting")

    table = build_crosstab(project, "participant_group")
    assert table.values == ("Client", "Partners")
    workload = [t.code.path for t in table.themes].index("Workload")
    assert table.passages[workload] == (2, 1)
    assert table.cases[workload] == (1, 1)
    assert table.row_percent(workload, 0) == pytest.approx(
        200 / 3
    )  # of Workload's 3 passages, 2 are clients'
    assert table.column_percent(workload, 0) == pytest.approx(200 / 3)  # of the clients' 3 passages
    assert table.cases_percent(workload, 0) == 50.0  # 1 of the 2 clients
    waiting = [t.code.path for t in table.themes].index("Waiting")
    assert table.row_percent(waiting, 1) == 0.0
    relationships = [t.code.path for t in table.themes].index("Relationships")
    assert table.row_percent(relationships, 0) is None  # nothing coded: no share to speak of
    assert [p.text for p in table.passages_in(workload, 0)] == ["word3", "word4"]
    assert [p.code_path for p in table.passages_in(workload, 0)] == ["Workload/Training", "Workload"]

    by_area = build_crosstab(project, "council_area", themes=["Workload/Training"])
    assert by_area.values == ("Area A", "Area B")
    assert by_area.passages == ((1, 0),)
    as_data = by_area.as_dict()
    assert as_data["themes"][0]["theme"] == "Workload/Training"
    assert as_data["themes"][0]["cells"][0] == {
        "value": "Area A",
        "passages": 1,
        "cases": 1,
        "row_percent": 100.0,
        "column_percent": 100.0,
        "cases_percent": 50.0,
    }

    with pytest.raises(InvalidInput, match="no case has the attribute 'shoe_size'"):
        build_crosstab(project, "shoe_size")
    project.close()
