"""Plain domain records shared by the store, the importers, the command line and the UI.

Offsets (``start``, ``end``) are Unicode code points into a transcript's canonical text, ``end``
exclusive. Conversions to Qt's UTF-16 positions and other conventions live in :mod:`jswcoder.offsets`.
Every stored entity has a stable UUID (a string) so that work from several laptops can be merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

NoteKind = Literal["header", "footer", "footnote", "endnote", "comment"]
MemoTarget = Literal["project", "transcript", "code", "coding"]
CodeOrigin = Literal["preset", "emergent"]

PARTICIPANT_GROUPS: tuple[str, ...] = (
    "Justice social workers",
    "Senior managers / team leaders",
    "Paraprofessionals",
    "Wider professional partner",
    "CJP",
    "Client",
)
INTERVIEW_FORMATS: tuple[str, ...] = ("group", "paired", "depth")
INTERVIEW_MODES: tuple[str, ...] = ("video", "telephone", "in person")
OPTIONAL_ATTRIBUTES: tuple[str, ...] = ("format", "mode", "council_area")
"""A participant's details that leave a project only when asked for, one by one: a team package's and
an archive deposit's ``--attribute``. By default only the attribution goes (group and interview number,
"Client interview 7"): each of these narrows down who a participant is, the council area most of all.
(:mod:`jswcoder.team.package_writer` holds the same tuple; the exports may not import the team.)"""
MAX_INTERVIEW_NUMBER = 999_999
"""Largest interview number taken from any input: beyond any study, and well inside what SQLite stores."""
MAX_THEME_DEPTH = 50
"""Deepest theme tree taken from any file or package: no codebook anyone uses is deeper, and a tree
thousands of levels deep would exhaust the stack wherever the tree is walked."""
CATEGORY_NAMES: dict[str, str] = {
    "PERSON": "Person",
    "PLACE": "Place",
    "ORG": "Organisation",
    "PHONE": "Phone number",
    "EMAIL": "Email address",
    "DATE": "Date",
    "ADDRESS": "Street address",
    "POSTCODE": "Postcode",
    "CASE_REF": "Case reference",
    "PRISON": "Prison",
    "COURT": "Court",
    "OTHER": "Other detail",
}
"""What each kind of identifying detail is called where people read it (the app, the command line's
listings); the codes stay in the project, in CSV files and in JSON output."""
IDENTIFIER_CATEGORIES: tuple[str, ...] = tuple(CATEGORY_NAMES)


def category_name(code: str) -> str:
    """The words for a category code: "CASE_REF" is "Case reference"."""
    return CATEGORY_NAMES.get(code, code.replace("_", " ").capitalize())


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker's turn: ``text[start:end]`` is the whole turn, label included."""

    start: int
    end: int
    speaker: str
    timestamp: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentNote:
    """Text that belongs to a document but not to its coded body: headers, footers, footnotes."""

    kind: NoteKind
    text: str
    anchor: int | None = None  # offset in the canonical text where the note is referenced, if known


@dataclass(frozen=True, slots=True)
class Coder:
    uuid: str
    name: str


@dataclass(frozen=True, slots=True)
class Participant:
    """A case: the person or group behind one interview."""

    uuid: str
    participant_group: str | None = None
    interview_number: int | None = None
    format: str | None = None
    mode: str | None = None
    council_area: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    respondent: str | None = (
        None  # a survey respondent's attribution, "Survey respondent 17" (read, never set)
    )

    @property
    def attribution(self) -> str | None:
        """The study's quote attribution, e.g. "Justice social workers interview 2", or a survey
        respondent's, "Survey respondent 17" (its survey's template and its number)."""
        if self.respondent is not None:
            return self.respondent
        if self.participant_group is None or self.interview_number is None:
            return None
        return f"{self.participant_group} interview {self.interview_number}"


DEFAULT_SPEAKER_ATTRIBUTION = "Focus group {number}, participant {speaker}"
"""How a focus group's speaker is attributed unless the project says otherwise (its ``speaker_attribution``
setting): ``{number}`` is the group's interview number, ``{speaker}`` the speaker's number within the group,
``{group}`` the group's participant group. Never the speaker's label, which may be a name."""
SPEAKER_ATTRIBUTION_FIELDS: tuple[str, ...] = ("group", "number", "speaker")
DEFAULT_RESPONDENT_ATTRIBUTION = "Survey respondent {number}"
"""How a survey's respondents are attributed unless the survey says otherwise: ``{number}`` is the
respondent's number in the survey (the order of the export's rows), ``{survey}`` the survey's name."""
RESPONDENT_ATTRIBUTION_FIELDS: tuple[str, ...] = ("number", "survey")


def respondent_attribution(template: str, survey: str, number: int) -> str:
    """A survey respondent's attribution: the survey's template filled in."""
    return template.format(number=number, survey=survey)


def speaker_attribution(template: str, group: Participant | None, speaker: int) -> str | None:
    """A focus-group speaker's attribution (the study's, for a case that is one speaker of a group):
    None while the group has no interview number, as :attr:`Participant.attribution` is None then."""
    if group is None or group.interview_number is None:
        return None
    return template.format(
        group=group.participant_group or "", number=group.interview_number, speaker=speaker
    )


@dataclass(frozen=True, slots=True)
class Transcript:
    uuid: str
    name: str
    participant_uuid: str | None
    source_name: str
    source_format: str
    length: int  # in code points
    imported_at: str


@dataclass(frozen=True, slots=True)
class Code:
    uuid: str
    parent_uuid: str | None
    name: str
    path: str  # "Parent/Child"
    description: str = ""
    colour: str | None = None
    position: int = 0
    origin: CodeOrigin = "preset"


@dataclass(frozen=True, slots=True)
class Coding:
    uuid: str
    transcript_uuid: str
    code_uuid: str
    start: int
    end: int
    coder_uuid: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Memo:
    uuid: str
    target_kind: MemoTarget
    target_uuid: str | None
    text: str
    coder_uuid: str
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """An identifying string and the descriptor that replaces it, for all transcripts or one.

    ``variants`` are the other forms the user gave for the same person or place ("Shiv", "Mrs K" for
    "Siobhan Kerr"): each is replaced by the same descriptor, by the same rules, as ``text``.
    """

    uuid: str
    text: str
    category: str
    replacement: str
    transcript_uuid: str | None = None
    variants: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        """The text and its other forms: every string this entry replaces."""
        return (self.text, *self.variants)
