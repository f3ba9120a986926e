"""A real focus-group transcript for the speaker-case tests: a facilitator and three participants."""

from __future__ import annotations

from pathlib import Path

from jswcoder.model import Transcript
from jswcoder.project import Project
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import write_txt

GROUP = (
    "Facilitator: Welcome, everyone. What has changed since the office move?\n"
    "P1: We share the building with the police now, which helps with joint visits.\n"
    "P2: It is hard to find a quiet room for clients.\n"
    "Facilitator: And what about training?\n"
    "P1: Training has been cut back a lot this year.\n"
    "P3: I had no induction at all when I started.\n"
    "P2: Same for me, nothing for months.\n"
)


def import_group(project: Project, folder: Path, number: int = 3) -> Transcript:
    """The group transcript, imported as interview ``number`` of justice social workers in a group."""
    transcript, _warnings = project.transcripts.import_file(
        write_txt(folder, "fg_office_move.txt", GROUP),
        ParticipantFields(
            "Justice social workers", number, format="group", mode="in person", council_area="Fife"
        ),
    )
    return transcript


def at(phrase: str) -> tuple[int, int]:
    """Where a phrase lies in the group transcript."""
    start = GROUP.index(phrase)
    return start, start + len(phrase)


CODED = [
    ("We share the building with the police", "Office"),
    ("hard to find a quiet room", "Office"),
    ("And what about training?", "Training"),  # the facilitator's: stays with the group
    ("Training has been cut back", "Training"),
    ("I had no induction at all", "Training"),
    ("nothing for months", "Training"),
    ("joint visits.\nP2: It is hard", "Office"),  # starts in P1's turn, runs into P2's: P1's
]


def code_group(project: Project, transcript: Transcript) -> None:
    """The themes Office and Training, and the passages of :data:`CODED` coded to them."""
    for theme in ("Office", "Training"):
        project.codebook.add(theme)
    for phrase, theme in CODED:
        start, end = at(phrase)
        project.codings.add(transcript.uuid, start, end, theme)
