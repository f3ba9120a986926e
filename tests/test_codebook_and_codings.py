"""The code tree, codings and memos through the service API."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jswcoder import templates
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.palette import OKABE_ITO, normalise_colour
from jswcoder.project import Project
from jswcoder.services.codings import covered_length
from tests.conftest import write_txt

TEXT = "Interviewer: How is the funding?\nP1: The grant is ring-fenced, but we still lose staff.\n"


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "int_7.txt", TEXT))
    project.transcripts.import_file(
        write_txt(tmp_path / "inbox", "int_2.txt", "P1: Same worker every time.\n")
    )
    return project


def test_paths_create_missing_parents_once(project: Project) -> None:
    child = project.codebook.add("Funding and resources / Training", description="Courses and CPD")
    assert child.path == "Funding and resources/Training"
    assert child.description == "Courses and CPD"
    project.codebook.add("Funding and resources/Geography and rurality")
    paths = [c.path for c in project.codebook.all()]
    assert paths == [
        "Funding and resources",
        "Funding and resources/Training",
        "Funding and resources/Geography and rurality",
    ]
    with pytest.raises(InvalidInput, match="already exists"):
        project.codebook.add("Funding and resources/Training")
    for bad in ("", "A//B", "/A", "A/"):
        with pytest.raises(InvalidInput, match="not a code path"):
            project.codebook.add(bad)


def test_colours_default_to_a_colour_blind_safe_palette_and_are_inherited(project: Project) -> None:
    first = project.codebook.add("Ethos and approach/Care and control")
    second = project.codebook.add("Partnership working", colour="#abc")
    third = project.codebook.add("Leadership and governance")
    parent = project.codebook.find("Ethos and approach")
    assert parent.colour == OKABE_ITO[0]
    assert first.colour is None and project.codebook.colour_of(first) == OKABE_ITO[0]
    assert second.colour == "#AABBCC"
    assert third.colour == OKABE_ITO[2]
    with pytest.raises(InvalidInput, match="is not a colour"):
        project.codebook.add("Other", colour="red")


@given(st.from_regex(r"#?[0-9a-fA-F]{6}", fullmatch=True))
def test_colour_normalisation_is_idempotent(colour: str) -> None:
    once = normalise_colour(colour)
    assert once == normalise_colour(once) == "#" + colour.lstrip("#").upper()


def test_find_by_uuid_or_path_and_clear_not_found(project: Project) -> None:
    code = project.codebook.add("A/B")
    assert project.codebook.find(code.uuid) == code
    assert project.codebook.find(" A / B ") == code
    with pytest.raises(NotFound, match="there is no code 'A/C'"):
        project.codebook.find("A/C")


def test_codings_hold_their_text_in_reading_order(coded: Project) -> None:
    coded.codebook.add("Funding and resources/Funding levels")
    coded.codebook.add("Funding and resources/Recruitment and retention")
    text = coded.transcripts.text("int_7")
    grant = text.index("The grant is ring-fenced")
    staff = text.index("we still lose staff")
    coded.codings.add(
        "int_7", staff, staff + len("we still lose staff"), "Funding and resources/Recruitment and retention"
    )
    coded.codings.add(
        "int_7", grant, grant + len("The grant is ring-fenced"), "Funding and resources/Funding levels"
    )
    coded.codings.add("int_2", 4, 27, "Funding and resources/Funding levels")
    passages = coded.codings.passages()
    assert [(p.transcript, p.text, p.coder) for p in passages] == [
        ("int_2", "Same worker every time.", "Ailsa"),
        ("int_7", "The grant is ring-fenced", "Ailsa"),
        ("int_7", "we still lose staff", "Ailsa"),
    ]
    assert [p.text for p in coded.codings.passages("int_7")] == [
        "The grant is ring-fenced",
        "we still lose staff",
    ]


def test_coding_the_same_passage_twice_does_not_double_it(coded: Project) -> None:
    coded.codebook.add("Theme")
    first, new = coded.codings.add("int_2", 0, 3, "Theme")
    again, new_again = coded.codings.add("int_2", 0, 3, "Theme")
    assert new and not new_again and first.uuid == again.uuid
    assert coded.counts()["codings"] == 1
    coded.codings.remove(first.uuid)
    assert coded.counts()["codings"] == 0
    with pytest.raises(NotFound):
        coded.codings.remove(first.uuid)


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, 10_000)])
def test_offsets_outside_the_text_are_refused(coded: Project, start: int, end: int) -> None:
    coded.codebook.add("Theme")
    with pytest.raises(InvalidInput, match="0 <= start < end <= 28"):
        coded.codings.add("int_2", start, end, "Theme")
    assert coded.counts()["codings"] == 0


def test_unknown_transcript_or_code_is_named(coded: Project) -> None:
    coded.codebook.add("Theme")
    with pytest.raises(NotFound, match="there is no transcript 'int_99'"):
        coded.codings.add("int_99", 0, 3, "Theme")
    with pytest.raises(NotFound, match="there is no code 'Nope'"):
        coded.codings.add("int_2", 0, 3, "Nope")


def test_memos_are_counted(project: Project) -> None:
    project.memos.add("Remember to ask about rural travel.")
    code = project.codebook.add("Theme")
    project.memos.add("Key points: ...", "code", code.uuid)
    with pytest.raises(InvalidInput):
        project.memos.add("orphan", "code", None)
    assert project.counts()["memos"] == 2
    assert [m.target_kind for m in project.memos.all()] == ["project", "code"]


def test_study_template_applies_in_tree_order(project: Project) -> None:
    template = templates.by_key("jsw-study")
    added = templates.apply(template, project.codebook)
    codes = project.codebook.all()
    assert added == len(codes) > 40
    top = [c.name for c in codes if c.parent_uuid is None]
    assert top[0] == "Ethos and approach" and top[-1] == "Emergent themes"
    assert all(c.origin == "preset" for c in codes)
    with pytest.raises(InvalidInput, match="no codebook template 'nope'"):
        templates.by_key("nope")


def test_remove_and_restore_is_exact(coded: Project) -> None:
    coded.codebook.add("Theme")
    coding, _ = coded.codings.add("int_7", 0, 12, "Theme")
    removed = coded.codings.remove(coding.uuid)
    assert removed == coding and coded.counts()["codings"] == 0
    coded.codings.restore(removed)
    assert coded.codings.get(coding.uuid) == coding


def test_change_code_and_boundaries(coded: Project) -> None:
    first = coded.codebook.add("First")
    second = coded.codebook.add("Second")
    coding, _ = coded.codings.add("int_7", 0, 12, "First")
    before = coded.codings.change(coding.uuid, code_uuid=second.uuid, start=2, end=20)
    assert before == coding
    after = coded.codings.get(coding.uuid)
    assert (after.code_uuid, after.start, after.end) == (second.uuid, 2, 20)
    with pytest.raises(InvalidInput, match="0 <= start < end"):
        coded.codings.change(coding.uuid, start=30, end=10)
    assert coded.codings.get(coding.uuid) == after
    assert [c.uuid for c in coded.codings.of_code(second.uuid)] == [coding.uuid]
    assert coded.codings.of_code(first.uuid) == []
    assert coded.codings.counts_by_transcript() == {coded.transcripts.find("int_7").uuid: 1}


def test_pins_default_to_the_first_leaf_themes_and_can_change(project: Project) -> None:
    templates.apply(templates.by_key("jsw-study"), project.codebook)
    pins = project.pins.all()
    codes = {c.uuid: c for c in project.codebook.all()}
    assert sorted(pins) == list(range(1, 10))
    assert codes[pins[1]].path == "Ethos and approach/Care and control"
    training = project.codebook.find("Funding and resources/Training")
    project.pins.pin(3, training.uuid)
    project.pins.pin(1, None)
    assert project.pins.all()[3] == training.uuid and 1 not in project.pins.all()
    with pytest.raises(InvalidInput, match="keys 1 to 9"):
        project.pins.pin(0, training.uuid)


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=20))
def test_covered_length_counts_overlaps_once(spans: list[tuple[int, int]]) -> None:
    ranges = [(start, start + width) for start, width in spans]
    brute = set()
    for start, end in ranges:
        brute.update(range(start, end))
    assert covered_length(ranges) == len(brute)


def test_coverage_by_transcript(coded: Project) -> None:
    coded.codebook.add("A")
    coded.codebook.add("B")
    coded.codings.add("int_2", 0, 10, "A")
    coded.codings.add("int_2", 5, 14, "B")
    uuid = coded.transcripts.find("int_2").uuid
    assert coded.codings.coverage_by_transcript() == {uuid: 14 / len("P1: Same worker every time.\n")}
