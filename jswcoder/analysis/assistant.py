"""The local assistant held to the same agreement test as people (issue 20).

The assistant's "codings" of a transcript are its theme suggestions for it
(:meth:`jswcoder.services.assistance.Assistance.assistant_spans`), whose examples come from the other
transcripts only: it is measured on text it has not seen coded. It is compared with a person exactly
as two people are (:func:`jswcoder.analysis.agreement.compare`: one character a unit, a 2 x 2 table a
theme); it is a :class:`Coder` made up here, never written to the database.

Across the project (:func:`theme_agreement`), the unit is still one character: the transcripts a person
has coded are taken as one long text, so a theme's table is the sum of its tables on each of them
(a transcript where neither the person nor the assistant used the theme adds its characters to
"neither": they agree there). Kappa comes from the summed table; the pooled row is
:mod:`jswcoder.analysis.agreement`'s, from the summed tables of every theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from jswcoder.analysis import agreement as people_agreement
from jswcoder.analysis.agreement import (
    POOLED_LABEL,
    AgreementReport,
    Span,
    Table,
    compare,
    expected_agreement,
    figures,
)
from jswcoder.assist import model
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.model import Coder, Transcript
from jswcoder.project import Project
from jswcoder.store import people

ASSISTANT = "assistant"
"""The pseudo-coder's name on the command line (``--coders Ailsa assistant``) and in reports."""
ASSISTANT_CODER = Coder(uuid=ASSISTANT, name=ASSISTANT)


@dataclass(frozen=True)
class ThemeAgreement:
    """How far the assistant agrees with one person on a theme (or on all themes, ``code_uuid`` None),
    over the transcripts that person coded and that are indexed."""

    code_uuid: str | None
    path: str  # the theme's path, or POOLED_LABEL
    kappa: float | None  # None when every character has the same value from both (no variation)
    percent: float
    transcripts: int  # the transcripts compared (their characters make the table)
    table: Table  # A: the person, B: the assistant


class ThemeAgreements(dict[str, ThemeAgreement]):
    """:func:`theme_agreement`'s answer: each theme either of them used, by code UUID, and ``pooled``."""

    def __init__(self, themes: dict[str, ThemeAgreement], pooled: ThemeAgreement | None) -> None:
        super().__init__(themes)
        self.pooled = pooled  # None when no transcript could be compared


def coder(project: Project, ref: str) -> Coder:
    """A real coder of the project by name or UUID (the assistant is not one)."""
    found = people.coder_by_uuid(project.db, ref) or people.coder_by_name(project.db, ref)
    if found is None:
        raise NotFound(f"there is no coder {ref!r} in this project")
    return found


def is_assistant(project: Project, ref: str) -> bool:
    """Whether a coder reference means the assistant: its name, unless a real coder is called that."""
    return ref == ASSISTANT and (
        people.coder_by_uuid(project.db, ref) is None and people.coder_by_name(project.db, ref) is None
    )


def indexed(project: Project) -> set[str]:
    """The UUIDs of the transcripts whose passages the assistant can suggest for: indexed as they are now."""
    return project.assistance.current()


def _themes(project: Project, *spans: dict[str, list[Span]]) -> list[tuple[str, str]]:
    """(code UUID, path) in the codebook's order, and any theme coded but no longer in it."""
    themes = [(code.uuid, code.path) for code in project.codebook.all()]
    known = {uuid for uuid, _ in themes}
    return themes + [(u, u) for u in sorted(set().union(*spans) - known)]


def _spans_of(project: Project, transcript_uuid: str, coder_uuid: str) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = {}
    for coding in project.codings.of_transcript(transcript_uuid):
        if coding.coder_uuid == coder_uuid:
            spans.setdefault(coding.code_uuid, []).append((coding.start, coding.end))
    return spans


def _report(
    project: Project,
    transcript: Transcript,
    person: Coder,
    mine: dict[str, list[Span]],
    *,
    assistant_first: bool = False,
) -> AgreementReport:
    theirs = project.assistance.assistant_spans(transcript.uuid)
    themes = _themes(project, mine, theirs)
    text = project.transcripts.text_of(transcript.uuid)
    if assistant_first:
        return compare(
            text, themes, theirs, mine, transcript=transcript, coder_a=ASSISTANT_CODER, coder_b=person
        )
    return compare(text, themes, mine, theirs, transcript=transcript, coder_a=person, coder_b=ASSISTANT_CODER)


def assistant_agreement(
    project: Project, transcript_ref: str, coder_ref: str, *, assistant_first: bool = False
) -> AgreementReport:
    """Agreement between a person (name or UUID; coder A) and the assistant (coder B, "assistant") on a
    transcript, by character: :func:`jswcoder.analysis.agreement.compare`'s report."""
    model.check_available()
    transcript = project.transcripts.find(transcript_ref)
    person = coder(project, coder_ref)
    mine = _spans_of(project, transcript.uuid, person.uuid)
    if not mine:
        raise InvalidInput(f"{person.name} has no codings on {transcript.name}")
    if transcript.uuid not in indexed(project):
        raise InvalidInput(
            f"{transcript.name} is not in the passage index as it is now; run jswcoder index first"
        )
    return _report(project, transcript, person, mine, assistant_first=assistant_first)


def theme_agreement(project: Project, coder_uuid: str) -> ThemeAgreements:
    """The assistant against one person, per theme and pooled, over every transcript that person coded
    and that is indexed: the per-character tables summed over the transcripts, kappa from the sum.

    It suggests for each transcript in turn (seconds on a big project): call it from a worker.
    """
    model.check_available()
    person = coder(project, coder_uuid)
    current = indexed(project)
    compared: list[tuple[int, dict[str, Table]]] = []  # each transcript's characters and theme tables
    paths = dict(_themes(project))
    for transcript in project.transcripts.all():
        if transcript.uuid not in current:
            continue
        mine = _spans_of(project, transcript.uuid, person.uuid)
        if not mine:
            continue
        report = _report(project, transcript, person, mine)
        tables = {row.code_uuid: row.table for row in report.themes if row.code_uuid is not None}
        compared.append((report.characters, tables))
        for code_uuid in tables:  # a theme coded but gone from the codebook is known by its UUID
            paths.setdefault(code_uuid, code_uuid)
    used = {code_uuid for _, tables in compared for code_uuid in tables}
    themes: dict[str, ThemeAgreement] = {}
    expectations: list[Fraction] = []
    for code_uuid in (uuid for uuid in paths if uuid in used):  # in the codebook's order
        table = sum(
            (tables.get(code_uuid, Table(0, 0, 0, characters)) for characters, tables in compared),
            Table(0, 0, 0, 0),
        )
        expected = expected_agreement(table)
        expectations.append(expected)
        row = figures(paths[code_uuid], code_uuid, table, expected)
        themes[code_uuid] = ThemeAgreement(code_uuid, row.label, row.kappa, row.percent, len(compared), table)
    pooled = None
    if themes:
        summed = sum((t.table for t in themes.values()), Table(0, 0, 0, 0))
        row = figures(POOLED_LABEL, None, summed, sum(expectations, Fraction(0)) / len(expectations))
        pooled = ThemeAgreement(None, POOLED_LABEL, row.kappa, row.percent, len(compared), summed)
    return ThemeAgreements(themes, pooled)


def agreement(
    project: Project, transcript_ref: str, coders: tuple[str, str] | None = None
) -> AgreementReport:
    """:func:`jswcoder.analysis.agreement.agreement`, where one of the two coders may be "assistant" (unless
    a real coder has that name): then the person against the assistant's suggestions, in the order given."""
    if coders is not None:
        machine = [is_assistant(project, ref) for ref in coders]
        if machine[0] and machine[1]:
            raise InvalidInput("choose two different coders")
        if machine[0] or machine[1]:
            transcript = project.transcripts.find(transcript_ref)
            person = coders[1] if machine[0] else coders[0]
            return assistant_agreement(project, transcript.uuid, person, assistant_first=machine[0])
    return people_agreement.agreement(project, transcript_ref, coders)
