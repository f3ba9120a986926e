"""Speaker cases in the Framework matrix and the crosstab: a row per speaker whose counts are the codings
that start in that speaker's turns, counted here directly from the stored turns."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from jswcoder.analysis.crosstab import build_crosstab
from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import write_txt
from tests.speaker_group import code_group, import_group


def _by_turn_speaker(project: Project, transcript_uuid: str) -> Counter[tuple[str, str]]:
    """(speaker label or "", theme name) -> codings, by a plain walk over the stored turns."""
    turns = project.transcripts.turns(transcript_uuid)
    names = {c.uuid: c.name for c in project.codebook.all()}
    found: Counter[tuple[str, str]] = Counter()
    for coding in project.codings.of_transcript(transcript_uuid):
        speaker = next((t.speaker for t in turns if t.start <= coding.start < t.end), "")
        found[(speaker, names[coding.code_uuid])] += 1
    return found


def test_matrix_by_speaker_counts_each_speakers_codings(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "int_7.txt", "Interviewer: Office?\nP: Small.\n"),
        ParticipantFields("Client", 7),
    )
    group = import_group(project, tmp_path / "in")
    code_group(project, group)
    project.codings.add("int_7", 20, 26, "Office")
    project.speakers.make_cases(group.uuid)
    speakers = {c.uuid: c.speaker for c in project.speakers.cases()}

    matrix = build_matrix(project, speakers=True)

    assert [c.label for c in matrix.cases] == [
        "Justice social workers interview 3",
        "Focus group 3, participant 1",
        "Focus group 3, participant 2",
        "Focus group 3, participant 3",
        "Client interview 7",
    ]
    direct = _by_turn_speaker(project, group.uuid)
    assert direct[("P1", "Office")] == 2  # the passage running into P2's turn is P1's
    for row, case in enumerate(matrix.cases[:4]):
        label = speakers.get(case.uuid, "Facilitator")
        for column, theme in enumerate(matrix.themes):
            assert matrix.count(row, column) == direct[(label, theme.code.name)], (label, theme.code.name)
            passages = matrix.passages(row, column)
            assert len(passages) == matrix.count(row, column)
            assert all(p.coding.transcript_uuid == group.uuid for p in passages)
    assert matrix.count(4, 0) == 1
    assert matrix.cases[2].attribution == "Focus group 3, participant 2"
    assert matrix.cases[2].value("council_area") == "Fife"  # the speaker's details start as the group's

    whole = build_matrix(project)  # without speakers: the group is one row, as before
    assert [c.label for c in whole.cases] == ["Justice social workers interview 3", "Client interview 7"]
    assert [whole.count(0, col) for col in range(2)] == [3, 4]
    assert [sum(matrix.count(row, col) for row in range(4)) for col in range(2)] == [3, 4]


def test_speaker_rows_filtered_and_grouped_by_their_own_attributes(project: Project, tmp_path: Path) -> None:
    group = import_group(project, tmp_path / "in")
    code_group(project, group)
    project.speakers.make_cases(group.uuid)
    second = project.cases.find("Focus group 3, participant 2")
    project.cases.set(second.uuid, {"participant_group": "Paraprofessionals"})

    matrix = build_matrix(project, speakers=True, where={"participant_group": ["Paraprofessionals"]})

    assert [c.label for c in matrix.cases] == ["Focus group 3, participant 2"]
    assert [matrix.count(0, col) for col in range(2)] == [1, 1]
    table = build_crosstab(project, "participant_group", speakers=True)
    assert table.values == ("Justice social workers", "Paraprofessionals")
    # cases with a passage: Office P1 | P2; Training the group (its facilitator), P1, P3 | P2
    assert table.cases == ((1, 1), (3, 1))
    assert table.passages == ((2, 1), (3, 1))
    assert build_crosstab(project, "participant_group").cases == ((1,), (1,))  # one case without speakers
