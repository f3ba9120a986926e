"""A focus group's speakers as cases of their own (issue 17, item 4), in the core: made from the turns of a
real imported transcript, numbered, edited like any case, attributed by the project's template."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jswcoder.errors import InvalidInput
from jswcoder.model import Turn
from jswcoder.project import Project
from jswcoder.services.passage_units import TextUnits
from jswcoder.services.speakers import speaker_index
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import write_txt
from tests.speaker_group import import_group


def test_speakers_listed_with_turns_and_the_facilitator_left_out_of_the_cases(
    project: Project, tmp_path: Path
) -> None:
    group = import_group(project, tmp_path / "in")
    before = [(s.label, s.turns, s.asks, s.case) for s in project.speakers.speakers(group.uuid)]
    assert before == [
        ("Facilitator", 2, True, None),
        ("P1", 2, False, None),
        ("P2", 2, False, None),
        ("P3", 1, False, None),
    ]

    made = project.speakers.make_cases(group.uuid)

    assert [(c.speaker, c.number, c.attribution) for c in made] == [
        ("P1", 1, "Focus group 3, participant 1"),
        ("P2", 2, "Focus group 3, participant 2"),
        ("P3", 3, "Focus group 3, participant 3"),
    ]
    second = made[1].participant
    assert (second.participant_group, second.format, second.mode, second.council_area) == (
        "Justice social workers", "group", "in person", "Fife",
    )  # fmt: skip
    assert second.interview_number is None  # the group keeps its number; the speaker is one of it
    assert [s.case.number if s.case else None for s in project.speakers.speakers(group.uuid)] == [
        None,
        1,
        2,
        3,
    ]
    assert project.speakers.make_cases(group.uuid) == []  # once only


def test_speaker_cases_are_cases_listed_after_their_group_and_edited_like_any(
    project: Project, tmp_path: Path
) -> None:
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "int_7.txt", "Interviewer: Hello?\nP: Hello.\n"),
        ParticipantFields("Client", 7),
    )
    group = import_group(project, tmp_path / "in")
    project.speakers.make_cases(group.uuid)

    labels = [c.label for c in project.cases.all()]
    assert labels == [
        "Justice social workers interview 3",
        "Focus group 3, participant 1",
        "Focus group 3, participant 2",
        "Focus group 3, participant 3",
        "Client interview 7",
    ]
    case = project.cases.find("focus group 3, participant 2")
    assert case.transcripts == ("fg_office_move",)
    project.cases.set(case.uuid, {"role": "Team leader", "council_area": "Perth and Kinross"})
    after = project.cases.get(case.uuid)
    assert after.participant.attributes == {"role": "Team leader"}
    assert after.participant.council_area == "Perth and Kinross"
    assert project.cases.find("fg_office_move").participant.attributes == {}  # the group is untouched
    assert project.cases.find("3").label == "Justice social workers interview 3"


def test_attribution_template_per_project(project: Project, tmp_path: Path) -> None:
    group = import_group(project, tmp_path / "in", number=4)
    project.speakers.make_cases(group.uuid)

    assert project.speakers.set_template("{group} group {number}, speaker {speaker}") == (
        "Focus group {number}, participant {speaker}"
    )
    assert [c.label for c in project.cases.all()][1] == "Justice social workers group 4, speaker 1"
    assert project.cases.find("fg_office_move").label == "Justice social workers interview 4"  # unchanged
    for bad, says in [
        ("Group {number}", "needs {speaker}"),
        ("{name} {speaker}", "not {name}"),
        ("FG {number:>3} {speaker}", "not {number}"),
        ("FG {number {speaker}", "without its pair"),
    ]:
        with pytest.raises(InvalidInput, match=says):
            project.speakers.set_template(bad)
    assert project.speakers.template() == "{group} group {number}, speaker {speaker}"  # nothing half-set
    project.speakers.set_template("")
    assert project.speakers.cases()[0].attribution == "Focus group 4, participant 1"


def test_named_speakers_numbered_in_the_order_they_first_speak(project: Project, tmp_path: Path) -> None:
    text = "Moderator: Hello.\nMorag: First.\nJamie: Second.\nMorag: Again.\nJamie: Again.\nP1: Late.\n"
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "fg_names.txt", text), ParticipantFields("Client", 9)
    )
    transcript = project.transcripts.find("fg_names")

    made = project.speakers.make_cases(transcript.uuid)

    assert [(c.speaker, c.number) for c in made] == [("P1", 1), ("Morag", 2), ("Jamie", 3)]
    assert all("Morag" not in (c.attribution or "") for c in made)  # a label may be a name: never attributed
    assert project.speakers.remove_cases(transcript.uuid) == 3
    assert [c.label for c in project.cases.all()] == ["Client interview 9"]


def test_a_transcript_without_speakers_refused_in_one_line(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(
        write_txt(tmp_path / "in", "int_1.txt", "Interviewer: Hello?\nInterviewer: Anyone?\n"),
        ParticipantFields("Client", 1),
    )
    transcript = project.transcripts.find("int_1")
    with pytest.raises(InvalidInput, match="no speakers to make cases of"):
        project.speakers.make_cases(transcript.uuid)
    assert project.speakers.cases() == []


def test_a_speaker_case_takes_no_interview_number_of_its_own(project: Project, tmp_path: Path) -> None:
    group = import_group(project, tmp_path / "in")
    project.speakers.make_cases(group.uuid)
    case = project.cases.find("Focus group 3, participant 1")
    with pytest.raises(InvalidInput, match="numbered by the group's interview"):
        project.cases.set(case.uuid, {"interview_number": "12", "role": "Team leader"})
    assert project.cases.get(case.uuid).participant == case.participant  # nothing half-set


def test_a_group_deleted_takes_its_speaker_cases_and_undo_brings_them_back(
    project: Project, tmp_path: Path
) -> None:
    group = import_group(project, tmp_path / "in")
    project.speakers.make_cases(group.uuid)
    second = project.cases.find("Focus group 3, participant 2")
    project.cases.set(second.uuid, {"role": "Team leader"})
    before = [(c.label, c.participant) for c in project.cases.all()]

    removed = project.transcripts.delete("fg_office_move")

    assert project.cases.all() == [] and project.speakers.cases() == []
    project.transcripts.restore(removed)
    assert [(c.label, c.participant) for c in project.cases.all()] == before


@given(
    length=st.integers(0, 60),
    turns=st.lists(
        st.tuples(st.integers(-5, 70), st.integers(-5, 70), st.sampled_from(["P1", "P2", "Facilitator"])),
        max_size=8,
    ),
)
def test_speaker_index_reads_turns_as_text_units_does(length: int, turns: list[tuple[int, int, str]]) -> None:
    """Stored turns overlapping, out of order, past the text: whose each offset is, as TextUnits says."""
    units = TextUnits("x" * length, [Turn(start, end, speaker) for start, end, speaker in turns])
    at = speaker_index(turns, length)
    assert [at(offset) for offset in range(-2, length + 2)] == [
        units.speaker_at(offset) for offset in range(-2, length + 2)
    ]
    inside = speaker_index(turns)  # without the length: the same inside the text, where codings start
    assert [inside(offset) for offset in range(length)] == [
        units.speaker_at(offset) for offset in range(length)
    ]
