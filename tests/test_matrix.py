"""The Framework matrix core: cases, columns, cell counts and passages, summaries."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from jswcoder.analysis.matrix import NOT_RECORDED, build_matrix, shorten
from jswcoder.errors import InvalidInput
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import make_project, write_txt

TEXTS = {
    "jsw2": "Interviewer: How is the caseload?\nWorker: Heavy, and training is thin on the ground.\n",
    "client7": "Interviewer: What helped?\nClient: My worker listened, and the group work helped me.\n",
    "client3": "Interviewer: Anything else?\nClient: The waiting was long but staff were kind.\n",
    "loose": "Notes from a visit with no participant recorded. Staff spoke of training.\n",
}


def _import(project: Project, folder: Path, name: str, fields: ParticipantFields | None) -> str:
    path = write_txt(folder, f"{name}.txt", TEXTS[name])
    transcript, _warnings = project.transcripts.import_file(path, fields)
    return transcript.uuid


def _code(project: Project, transcript: str, phrase: str, code_path: str) -> None:
    text = project.transcripts.text_of(transcript)
    start = text.index(phrase)
    project.codings.add(transcript, start, start + len(phrase), code_path)


@pytest.fixture
def study(project: Project, tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "in"
    ids = {
        "jsw2": _import(
            project,
            folder,
            "jsw2",
            ParticipantFields("Justice social workers", 2, format="depth", mode="video"),
        ),
        "client7": _import(project, folder, "client7", ParticipantFields("Client", 7, mode="telephone")),
        "client3": _import(project, folder, "client3", ParticipantFields("Client", 3, mode="in person")),
        "loose": _import(project, folder, "loose", None),
    }
    for path in ("Workload/Caseload", "Workload/Training", "Relationships/Listening"):
        project.codebook.add(path)
    project.codebook.add("Waiting", origin="emergent")
    _code(project, ids["jsw2"], "Heavy", "Workload/Caseload")
    _code(project, ids["jsw2"], "training is thin on the ground", "Workload/Training")
    _code(project, ids["client7"], "My worker listened", "Relationships/Listening")
    _code(project, ids["client7"], "the group work helped me", "Relationships")
    _code(project, ids["loose"], "Staff spoke of training", "Workload/Training")
    _code(project, ids["client3"], "staff were kind", "Relationships/Listening")
    _code(project, ids["client3"], "The waiting was long", "Waiting")
    return ids


def test_rows_are_cases_in_the_study_order(project: Project, study: dict[str, str]) -> None:
    matrix = build_matrix(project)
    assert [c.label for c in matrix.cases] == [
        "Justice social workers interview 2",
        "Client interview 3",
        "Client interview 7",
        "loose",  # no group or number: named by its transcript, after the participants
    ]
    assert matrix.cases[3].transcript_uuids == (study["loose"],)
    assert matrix.cases[0].value("format") == "depth"
    assert matrix.cases[1].value("format") == NOT_RECORDED
    assert {c.value("fieldworker") for c in matrix.cases} == {"Ailsa"}


def test_top_level_columns_gather_their_branch_and_mark_emergent_themes(
    project: Project, study: dict[str, str]
) -> None:
    matrix = build_matrix(project)
    assert [t.code.path for t in matrix.themes] == ["Workload", "Relationships", "Waiting"]
    assert [t.emergent for t in matrix.themes] == [False, False, True]
    # Each coding counted once, in the cell of its case and its top-level theme, worked out here
    # from the codings themselves rather than from the matrix.
    labels = {c.transcript_uuids[0]: row for row, c in enumerate(matrix.cases)}
    tops = {t.code.path: col for col, t in enumerate(matrix.themes)}
    expected = Counter(
        (labels[p.coding.transcript_uuid], tops[p.code_path.split("/")[0]])
        for p in project.codings.passages()
    )
    for row in range(len(matrix.cases)):
        for col in range(len(matrix.themes)):
            assert matrix.count(row, col) == expected[(row, col)], (row, col)
    assert sum(expected.values()) == 7
    assert matrix.participants(0) == 2  # Workload: the social worker and the loose transcript


def test_a_deeper_level_and_a_chosen_set_of_themes(project: Project, study: dict[str, str]) -> None:
    level_two = build_matrix(project, level=2)
    assert [t.code.path for t in level_two.themes] == [
        "Workload/Caseload",
        "Workload/Training",
        "Relationships/Listening",
    ]
    chosen = build_matrix(project, themes=["Relationships/Listening", "workload/training"])
    assert [t.code.path for t in chosen.themes] == ["Relationships/Listening", "Workload/Training"]
    rows = {c.label: r for r, c in enumerate(chosen.cases)}
    assert chosen.count(rows["Client interview 7"], 0) == 1  # not the coding on "Relationships" itself
    assert chosen.count(rows["loose"], 1) == 1
    with pytest.raises(InvalidInput, match="no theme"):
        build_matrix(project, themes=["Nowhere"])
    with pytest.raises(InvalidInput, match="level"):
        build_matrix(project, level=0)


def test_passages_open_on_the_coded_text(project: Project, study: dict[str, str]) -> None:
    matrix = build_matrix(project)
    row = next(r for r, c in enumerate(matrix.cases) if c.label == "Client interview 7")
    passages = matrix.passages(row, 1)
    assert [p.text for p in passages] == ["My worker listened", "the group work helped me"]
    text = project.transcripts.text_of(study["client7"])
    assert all(text[p.coding.start : p.coding.end] == p.text for p in passages)
    assert {p.transcript for p in passages} == {"client7"}
    assert matrix.seed(row, 1) == "- My worker listened\n- the group work helped me"
    assert matrix.passages(row, 0) == [] and matrix.seed(row, 0) == ""


def test_grouping_and_filtering_by_attribute(project: Project, study: dict[str, str]) -> None:
    by_mode = build_matrix(project, by="mode")
    groups = by_mode.groups("mode")
    assert [g.value for g in groups] == ["video", "in person", "telephone", NOT_RECORDED]
    assert [len(g.rows) for g in groups] == [1, 1, 1, 1]
    clients = build_matrix(project, where={"participant_group": ["Client"]})
    assert [c.label for c in clients.cases] == ["Client interview 3", "Client interview 7"]
    assert clients.count(0, 2) == 1  # the emergent "Waiting" column, client 3
    assert [g.value for g in clients.groups("participant_group")] == ["Client"]
    assert clients.groups(None)[0].rows == (0, 1)


def test_summaries_are_saved_at_once_and_survive_a_reopen(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "s")
    path = write_txt(tmp_path / "in", "a.txt", TEXTS["client7"])
    transcript, _ = project.transcripts.import_file(path, ParticipantFields("Client", 7))
    project.codebook.add("Relationships")
    _code(project, transcript.uuid, "My worker listened", "Relationships")
    matrix = build_matrix(project)
    assert matrix.save_summary(0, 0, "Felt heard by the worker.") == ""
    assert matrix.save_summary(0, 0, "Felt heard.") == "Felt heard by the worker."
    assert matrix.summary(0, 0) == "Felt heard."
    project.close()
    with Project.open(tmp_path / "s") as reopened:
        again = build_matrix(reopened)
        assert again.summary(0, 0) == "Felt heard."
        assert again.save_summary(0, 0, "   ") == "Felt heard."  # blank removes it
        assert again.summary(0, 0) == "" and reopened.summaries.all() == {}


def test_a_summary_goes_with_its_theme_and_comes_back_with_undo(
    project: Project, study: dict[str, str]
) -> None:
    matrix = build_matrix(project)
    matrix.save_summary(0, 0, "Caseloads heavy; training thin.")
    before = project.summaries.all()
    deleted = project.codebook.delete(matrix.themes[0].code.uuid)
    assert project.summaries.all() == {}
    project.codebook.restore(deleted)
    assert project.summaries.all() == before


def test_merging_themes_joins_their_summaries_and_unmerging_parts_them(
    project: Project, study: dict[str, str]
) -> None:
    matrix = build_matrix(project)  # columns: Workload, Relationships, Waiting
    matrix.save_summary(0, 0, "Workload: heavy.")
    matrix.save_summary(0, 1, "Relationships: good.")
    matrix.save_summary(1, 1, "Kind staff.")
    before = project.summaries.all()
    workload, relationships = (t.code.uuid for t in matrix.themes[:2])
    case0, case1 = matrix.cases[0].uuid, matrix.cases[1].uuid
    record = project.codebook.merge(relationships, workload)
    assert project.summaries.all() == {
        (case0, workload): "Workload: heavy.\n\nRelationships: good.",
        (case1, workload): "Kind staff.",
    }
    project.codebook.unmerge(record)
    assert project.summaries.all() == before


def test_shorten_keeps_short_passages_and_cuts_long_ones() -> None:
    assert shorten("  one\n two  ") == "one two"
    long = " ".join(f"w{i}" for i in range(40))
    assert shorten(long, words=3) == "w0 w1 w2 …"
