"""Coding coverage per transcript (the transcripts panel's progress) against a per-character count."""

from __future__ import annotations

import random
from pathlib import Path

from jswcoder.project import Project
from jswcoder.services.codings import Codings
from jswcoder.store import people
from tests.conftest import write_txt

LONG = "Interviewer: How is the funding?\nP1: The grant is ring-fenced, but we still lose staff.\n" * 4
SHORT = "P1: Same worker every time.\n"


def _as(project: Project, name: str) -> Codings:
    """A Codings service that codes as another coder of the same project."""
    with project.db.atomic():
        coder = people.ensure_coder(project.db, name)
    return Codings(project.db, coder, project.transcripts, project.codebook)


def _brute_coverage(project: Project) -> dict[str, float]:
    """Each coded transcript's share of characters inside at least one coding, counted one by one."""
    covered: dict[str, set[int]] = {}
    for transcript in project.transcripts.all():
        for coding in project.codings.of_transcript(transcript.uuid):
            covered.setdefault(transcript.uuid, set()).update(range(coding.start, coding.end))
    return {uuid: len(chars) / len(project.transcripts.text_of(uuid)) for uuid, chars in covered.items()}


def test_coverage_counts_each_character_once_across_coders(project: Project, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for name, text in (
        ("int_long", LONG),
        ("int_short", SHORT),
        ("int_uncoded", "P2: Nobody has coded this yet.\n"),
    ):
        project.transcripts.import_file(write_txt(inbox, f"{name}.txt", text))
    project.codebook.add("Funding")
    project.codebook.add("Staffing")
    bryce = _as(project, "Bryce")
    long_uuid = project.transcripts.find("int_long").uuid
    length = len(project.transcripts.text_of(long_uuid))
    # Hand-picked: nested, overlapping across coders, touching, the same range by both, the last character.
    for codings, start, end, code in (
        (project.codings, 0, 30, "Funding"),
        (bryce, 5, 12, "Staffing"),  # inside Ailsa's
        (bryce, 25, 40, "Funding"),  # overlaps Ailsa's end
        (project.codings, 40, 45, "Staffing"),  # touches Bryce's
        (project.codings, 100, 120, "Funding"),
        (bryce, 100, 120, "Funding"),  # the same range by the other coder
        (bryce, length - 3, length, "Staffing"),
    ):
        codings.add("int_long", start, end, code)
    bryce.add("int_short", 4, 8, "Staffing")  # only Bryce coded this transcript
    # And many random ones by both, so that ties and overlaps come in every arrangement.
    rng = random.Random(7)
    for _ in range(60):
        start = rng.randrange(length - 1)
        end = rng.randrange(start + 1, min(length, start + 40) + 1)
        rng.choice((project.codings, bryce)).add("int_long", start, end, rng.choice(("Funding", "Staffing")))

    expected = _brute_coverage(project)
    short_uuid = project.transcripts.find("int_short").uuid
    assert set(expected) == {long_uuid, short_uuid}  # the uncoded transcript has no entry
    assert expected[short_uuid] == 4 / len(SHORT)
    assert 0 < expected[long_uuid] < 1
    assert project.codings.coverage_by_transcript() == expected
    # Given the transcripts already listed, it is the same.
    assert project.codings.coverage_by_transcript(project.transcripts.all()) == expected


def test_coverage_of_a_project_without_codings_is_empty(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "int_1.txt", SHORT))
    assert project.codings.coverage_by_transcript() == {}
