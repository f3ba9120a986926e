"""The Framework matrix: cases as rows, themes as columns, each cell the analyst's summary of what that
case said on that theme, with the coded passages behind it.

A *case* is a participant; a transcript with no participant is a case of its own. The passages are
those of each transcript's own coder (who imported it; at a lead, the fieldworker who sent it) and of
the project's coder; a second coder's codings of a double-coded transcript are for the agreement
report, and are counted only when ``all_coders`` is asked for, so no quote appears twice. A transcript
whose disagreements are all settled (:mod:`jswcoder.analysis.reconcile`) counts its agreed coder's
codings instead, and only those (the lead may have been one of the two coders). A *column* is a
theme together with all the themes under it, so a column at the top level gathers everything coded
anywhere in its branch. Building the matrix reads the codings once and counts them per cell; the
passages' text is read only when a cell's passages are asked for, one transcript at a time, so a
150 × 60 matrix opens without touching most transcript texts.

With ``speakers``, a focus group whose speakers were made cases (:mod:`jswcoder.services.speakers`)
has a row per speaker, just after the group's row: a coding is the speaker's of the turn it starts in;
the group's row keeps the rest (the facilitator's turns, text outside every turn).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from jswcoder.errors import InvalidInput
from jswcoder.model import PARTICIPANT_GROUPS, Code, Coding, Participant, Transcript
from jswcoder.natural import natural_key
from jswcoder.project import Project
from jswcoder.services.speakers import SpeakerCase
from jswcoder.store import codings as coding_rows
from jswcoder.store import matrix as matrix_rows
from jswcoder.store import people, reconciliations
from jswcoder.store import speakers as speaker_rows

# The attributes a matrix can be grouped or filtered by, with their labels; a participant's own
# extra attributes can be used too, by their names.
ATTRIBUTES: dict[str, str] = {
    "participant_group": "Participant group",
    "format": "Format",
    "mode": "Mode",
    "council_area": "Council area",
    "fieldworker": "Fieldworker",
}
NOT_RECORDED = "(not recorded)"
SEED_WORDS = 30


@dataclass(frozen=True)
class Case:
    """One row: a participant (or a transcript without one) and the transcripts behind it."""

    uuid: str
    label: str
    participant: Participant | None
    transcript_uuids: tuple[str, ...]
    attributes: Mapping[str, str] = field(default_factory=dict)
    speaker: SpeakerCase | None = None  # one speaker of a focus group, a case of its own

    @property
    def attribution(self) -> str | None:
        """The study's attribution of the row's quotes: a speaker's ("Focus group 3, participant 2"),
        else its participant's ("Client interview 7"); None when it has none."""
        if self.speaker is not None:
            return self.speaker.attribution
        return self.participant.attribution if self.participant else None

    def value(self, attribute: str) -> str:
        return self.attributes.get(attribute) or NOT_RECORDED


class _Speakers:
    """Whose row a coding of a focus group with speaker cases is in: the case of the speaker of the turn
    it starts in (:meth:`jswcoder.services.speakers.Speakers.case_at`), else the group's."""

    def __init__(self, speaker_at: Callable[[int], str | None], group: str) -> None:
        self._speaker_at = speaker_at
        self._group = group

    def case_at(self, offset: int) -> str:
        return self._speaker_at(offset) or self._group


@dataclass(frozen=True)
class Theme:
    """One column: a theme and every theme under it."""

    code: Code
    members: frozenset[str]

    @property
    def emergent(self) -> bool:
        return self.code.origin == "emergent"


@dataclass(frozen=True)
class Passage:
    coding: Coding
    transcript: str  # the transcript's name
    code_path: str
    text: str


@dataclass(frozen=True)
class Group:
    value: str
    rows: tuple[int, ...]


class FrameworkMatrix:
    """The matrix as plain data. Rows and columns are indices into :attr:`cases` and :attr:`themes`.

    Cells are counted when the matrix is built; the codings behind them are read a row at a time, the
    first time one of that row's cells is asked for its passages."""

    def __init__(
        self,
        project: Project,
        cases: list[Case],
        themes: list[Theme],
        counts: dict[tuple[int, int], int],
        transcripts: Mapping[str, Transcript],
        coders: Mapping[str, tuple[str, ...]] | None,
        split: Mapping[str, _Speakers] | None = None,
    ) -> None:
        self.project = project
        self.cases = cases
        self.themes = themes
        self._counts = counts
        self._transcripts = transcripts
        # Each transcript's own coder, whose codings count with the project's coder's; None: every coder.
        self._coders = coders
        self._split = split or {}  # focus groups shown a row per speaker
        self._paths = {c.uuid: c.path for c in project.codebook.all()}
        self._summaries = project.summaries.all()
        self._texts: dict[str, str] = {}
        self._rows: dict[int, dict[int, list[Coding]]] = {}

    def on(self, project: Project) -> FrameworkMatrix:
        """The same rows, columns and passages, read through *project*: another connection to the same
        project (a background export's own; a connection belongs to one thread)."""
        return FrameworkMatrix(
            project, self.cases, self.themes, self._counts, self._transcripts, self._coders, self._split
        )

    def count(self, row: int, column: int) -> int:
        """How many coded passages lie behind a cell."""
        return self._counts.get((row, column), 0)

    def participants(self, column: int) -> int:
        """How many cases have at least one passage in a column."""
        return sum(1 for (_row, col), found in self._counts.items() if col == column and found)

    def summary(self, row: int, column: int) -> str:
        return self._summaries.get((self.cases[row].uuid, self.themes[column].code.uuid), "")

    def save_summary(self, row: int, column: int, text: str) -> str:
        """Store a cell's summary at once (blank removes it); returns the previous one for undo."""
        key = (self.cases[row].uuid, self.themes[column].code.uuid)
        before = self.project.summaries.save(*key, text)
        if text.strip():
            self._summaries[key] = text
        else:
            self._summaries.pop(key, None)
        return before

    def passages(self, row: int, column: int) -> list[Passage]:
        """The coded passages behind a cell, in reading order."""
        found = []
        for coding in self._codings(row).get(column, ()):
            text = self._text(coding.transcript_uuid)
            found.append(
                Passage(
                    coding,
                    self._transcripts[coding.transcript_uuid].name,
                    self._paths.get(coding.code_uuid, ""),
                    text[coding.start : coding.end],
                )
            )
        return found

    def _codings(self, row: int) -> dict[int, list[Coding]]:
        """A row's codings by column: read once, transcript by transcript in reading order."""
        if row not in self._rows:
            columns_of: dict[str, list[int]] = {}
            for index, theme in enumerate(self.themes):
                for member in theme.members:
                    columns_of.setdefault(member, []).append(index)
            me = self.project.coder.uuid
            by_column: dict[int, list[Coding]] = {}
            names = sorted(
                self.cases[row].transcript_uuids, key=lambda t: self._transcripts[t].name.casefold()
            )
            for transcript in names:
                own = None if self._coders is None else self._coders.get(transcript, (me,))
                split = self._split.get(transcript)
                for coding in coding_rows.listing(self.project.db, transcript):
                    if own is not None and coding.coder_uuid not in own:
                        continue
                    if split is not None and split.case_at(coding.start) != self.cases[row].uuid:
                        continue
                    for column in columns_of.get(coding.code_uuid, ()):
                        by_column.setdefault(column, []).append(coding)
            self._rows[row] = by_column
        return self._rows[row]

    def seed(self, row: int, column: int) -> str:
        """A first draft of a cell's summary: one line per passage, shortened, to edit into a summary."""
        return "\n".join(f"- {shorten(p.text)}" for p in self.passages(row, column))

    def groups(self, attribute: str | None) -> list[Group]:
        """Rows grouped by an attribute's value, in row order; one group of all rows when None."""
        if attribute is None:
            return [Group("All cases", tuple(range(len(self.cases))))]
        by_value: dict[str, list[int]] = {}
        for index, case in enumerate(self.cases):
            by_value.setdefault(case.value(attribute), []).append(index)
        return [Group(value, tuple(rows)) for value, rows in by_value.items()]

    def _text(self, transcript_uuid: str) -> str:
        if transcript_uuid not in self._texts:
            self._texts[transcript_uuid] = self.project.transcripts.text_of(transcript_uuid)
        return self._texts[transcript_uuid]


def shorten(text: str, words: int = SEED_WORDS) -> str:
    """A passage on one line, cut to a number of words with an ellipsis."""
    parts = re.sub(r"\s+", " ", text).strip().split(" ")
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def choose_themes(
    codes: Sequence[Code], *, level: int | None = None, paths: Sequence[str] = ()
) -> list[Code]:
    """The columns: the themes at a level of the tree (1 = top), or the themes named by path."""
    if paths:
        by_path = {c.path.casefold(): c for c in codes}
        unknown = [p for p in paths if p.strip().strip("/").casefold() not in by_path]
        if unknown:
            raise InvalidInput(
                f"no theme with the path {unknown[0]!r}; list them with: jswcoder codes PROJECT list"
            )
        return [by_path[p.strip().strip("/").casefold()] for p in paths]
    depth = 1 if level is None else level
    if depth < 1:
        raise InvalidInput("the level of the theme tree starts at 1 (the top-level themes)")
    return [c for c in codes if c.path.count("/") + 1 == depth]


def _case_attributes(participant: Participant | None, fieldworker: str | None) -> dict[str, str]:
    values: dict[str, str] = {}
    if participant is not None:
        values.update(participant.attributes)
        for name in ("participant_group", "format", "mode", "council_area"):
            value = getattr(participant, name)
            if value:
                values[name] = value
    if fieldworker:
        values["fieldworker"] = fieldworker
    return values


def _case_order(case: Case) -> tuple[int, int, tuple[tuple[int, int | str], ...]]:
    group = case.participant.participant_group if case.participant else None
    rank = PARTICIPANT_GROUPS.index(group) if group in PARTICIPANT_GROUPS else len(PARTICIPANT_GROUPS)
    number = case.participant.interview_number if case.participant else None
    return (rank, number if number is not None else 10**9, natural_key(case.label))


def _cases(project: Project, fieldworkers: Mapping[str, tuple[str, str]]) -> list[Case]:
    participants = {p.uuid: p for p in people.participants(project.db)}
    gathered: dict[str, list[Transcript]] = {}
    for transcript in project.transcripts.all():
        gathered.setdefault(transcript.participant_uuid or transcript.uuid, []).append(transcript)
    cases = []
    for key, transcripts in gathered.items():
        participant = participants.get(key)
        label = (participant.attribution if participant else None) or transcripts[0].name
        names = sorted({fieldworkers[t.uuid][1] for t in transcripts if t.uuid in fieldworkers})
        cases.append(
            Case(
                key,
                label,
                participant,
                tuple(t.uuid for t in transcripts),
                _case_attributes(participant, ", ".join(names) or None),
            )
        )
    return sorted(cases, key=_case_order)


def _with_speakers(
    project: Project, cases: list[Case], fieldworkers: Mapping[str, tuple[str, str]]
) -> tuple[list[Case], dict[str, _Speakers]]:
    """The rows with each focus group's speaker cases just after the group's, and whose each coding is."""
    by_transcript: dict[str, list[SpeakerCase]] = {}
    for speaker in project.speakers.cases():
        by_transcript.setdefault(speaker.transcript_uuid, []).append(speaker)
    rows: list[Case] = []
    split: dict[str, _Speakers] = {}
    for case in cases:
        rows.append(case)
        for transcript in case.transcript_uuids:
            found = by_transcript.get(transcript, [])
            if not found:
                continue
            split[transcript] = _Speakers(project.speakers.case_at(transcript), case.uuid)
            fieldworker = fieldworkers[transcript][1] if transcript in fieldworkers else None
            rows.extend(
                Case(
                    s.uuid,
                    s.attribution or f"{case.label}, {s.speaker}",
                    s.participant,
                    (transcript,),
                    _case_attributes(s.participant, fieldworker),
                    s,
                )
                for s in found
            )
    return rows, split


def counted_coders(
    project: Project, fieldworkers: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[str, ...]]:
    """Transcript -> the coders whose codings count: its own coder and the project's; for a transcript
    whose every disagreement is decided, its agreed coder alone."""
    me = project.coder.uuid
    counted: dict[str, tuple[str, ...]] = {t: (coder, me) for t, (coder, _name) in fieldworkers.items()}
    counted.update({t: (agreed,) for t, agreed in reconciliations.complete(project.db).items()})
    return counted


def build_matrix(
    project: Project,
    *,
    level: int | None = None,
    themes: Sequence[str] = (),
    by: str | None = None,
    where: Mapping[str, Sequence[str]] | None = None,
    all_coders: bool = False,
    speakers: bool = False,
) -> FrameworkMatrix:
    """The matrix of a project: columns at ``level`` or the ``themes`` named by path; rows grouped
    ``by`` an attribute and kept only where each attribute in ``where`` has one of the given values;
    with ``speakers``, a row for each speaker case of a focus group too."""
    codes = project.codebook.all()
    chosen = choose_themes(codes, level=level, paths=themes)
    children: dict[str | None, list[str]] = {}
    for code in codes:
        children.setdefault(code.parent_uuid, []).append(code.uuid)

    def branch(uuid: str) -> frozenset[str]:
        found, stack = set(), [uuid]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(children.get(current, ()))
        return frozenset(found)

    columns = [Theme(code, branch(code.uuid)) for code in chosen]
    fieldworkers = matrix_rows.importers(project.db)
    cases = _cases(project, fieldworkers)
    split: dict[str, _Speakers] = {}
    if speakers:
        cases, split = _with_speakers(project, cases, fieldworkers)
    for attribute, values in (where or {}).items():
        allowed = set(values)
        cases = [c for c in cases if c.value(attribute) in allowed]
    if by is not None:
        order = {value: i for i, value in enumerate(dict.fromkeys(c.value(by) for c in cases))}
        cases.sort(key=lambda c: order[c.value(by)])  # stable: keeps the reading order within a group
    coders = counted_coders(project, fieldworkers)
    row_of = {t: row for row, case in enumerate(cases) if case.speaker is None for t in case.transcript_uuids}
    columns_of: dict[str, list[int]] = {}
    for index, column in enumerate(columns):
        for member in column.members:
            columns_of.setdefault(member, []).append(index)
    me = project.coder.uuid
    counts: dict[tuple[int, int], int] = {}
    for transcript, theme_uuid, coder, n in matrix_rows.coding_counts(project.db):
        row = row_of.get(transcript)
        if (
            row is None
            or transcript in split
            or (not all_coders and coder not in coders.get(transcript, (me,)))
        ):
            continue
        for col in columns_of.get(theme_uuid, ()):
            counts[(row, col)] = counts.get((row, col), 0) + n
    # A focus group's codings, counted by who said them.
    counts.update(_split_counts(project, cases, columns, split, None if all_coders else coders))
    transcripts = {t.uuid: t for t in project.transcripts.all()}
    return FrameworkMatrix(
        project, cases, columns, counts, transcripts, None if all_coders else coders, split
    )


def _split_counts(
    project: Project,
    cases: Sequence[Case],
    columns: Sequence[Theme],
    split: Mapping[str, _Speakers],
    coders: Mapping[str, tuple[str, ...]] | None,
) -> dict[tuple[int, int], int]:
    """The cells of transcripts split into rows by where each coding starts (a speaker's turn, a
    survey's answer): each coding counted in the row whose case :meth:`_Speakers.case_at` names."""
    columns_of: dict[str, list[int]] = {}
    for index, column in enumerate(columns):
        for member in column.members:
            columns_of.setdefault(member, []).append(index)
    row_of_case = {case.uuid: row for row, case in enumerate(cases)}
    me = project.coder.uuid
    counts: dict[tuple[int, int], int] = {}
    for transcript, theme_uuid, coder, start in speaker_rows.coding_starts(project.db, list(split)):
        row = row_of_case.get(split[transcript].case_at(start))
        if row is None or (coders is not None and coder not in coders.get(transcript, (me,))):
            continue
        for col in columns_of.get(theme_uuid, ()):
            counts[(row, col)] = counts.get((row, col), 0) + 1
    return counts


def split_rows(
    base: FrameworkMatrix, cases: list[Case], split: Mapping[str, Callable[[int], str | None]]
) -> FrameworkMatrix:
    """The matrix ``base`` with other rows: ``cases``, each of whose transcripts in ``split`` is divided
    among them by where each coding starts (the case ``split[transcript](offset)`` names; codings
    starting where it names none are left out). The themes and counted coders stay ``base``'s."""
    parts = {t: _Speakers(at, "") for t, at in split.items()}
    counts = _split_counts(base.project, cases, base.themes, parts, base._coders)
    return FrameworkMatrix(base.project, cases, base.themes, counts, base._transcripts, base._coders, parts)
