"""Survey data in a project (issue 18): a questionnaire export becomes respondents and codable answers.

Each row of the export is a **respondent**: a participant (a case) whose attributes are the row's closed
answers, numbered in its survey ("Survey respondent 17", the survey's attribution template). A
respondent's open answers become one **document**, a transcript whose text is each answer under its
question, so every part of jswcoder that reads passages (coding, search, queries, the matrix,
crosstabs, agreement, memos, packages, REFI-QDA, the anonymiser and the leak check) reads answers
without knowing it; ``survey_answers`` records where each answer lies, for the grid that codes one
question's answers one under another, and for reports that name the question.

**Identity.** A survey's UUID is derived from its ID column and its open questions, a respondent's
and its document's from the survey and the respondent's ID, so importing the same export again (or an
updated one, with more responses), or the same export at two fieldworkers' laptops, finds the same
respondents. The ID itself is not stored. An export without an ID column matches respondents by row.

**Re-import.** New respondents are added with the next numbers; a known respondent keeps its number
and its codings: its closed answers are updated, and its answers too unless its document is coded, in
which case the change is reported and the coded text kept. Respondents who withdrew consent are not
brought back. The import is one transaction: a refusal leaves nothing half-imported.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import now, text_sha256
from jswcoder.importing.survey_files import SurveyTable
from jswcoder.importing.survey_mapping import check_kinds
from jswcoder.model import (
    DEFAULT_RESPONDENT_ATTRIBUTION,
    RESPONDENT_ATTRIBUTION_FIELDS,
    Coder,
    Coding,
    Participant,
    Transcript,
    Turn,
    respondent_attribution,
)
from jswcoder.store import merge as merge_rows
from jswcoder.store import people
from jswcoder.store import surveys as rows
from jswcoder.store import transcripts as transcript_rows
from jswcoder.store import withdrawals as withdrawal_rows
from jswcoder.store.surveys import AnswerSpan, GridAnswer, QuestionRow, SurveyRow

RESPONDENT_GROUP = "Survey respondents"
"""The participant group of every respondent: the coding summary's row for the survey's answers."""
SOURCE_FORMAT = "survey"
MAX_NAME = 80
MAX_ATTRIBUTE_NAME = 80  # a longer question names its attribute by its key
MAX_TEMPLATE = 120
_NAMESPACE = uuid_module.UUID("6f1d5a8e-2b7c-4e0f-9a61-3c2d8b1e7f40")  # jswcoder's survey identities
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Survey:
    uuid: str
    name: str
    attribution: str
    id_key: str | None
    questions: tuple[QuestionRow, ...]
    respondents: int

    @property
    def open_questions(self) -> tuple[QuestionRow, ...]:
        return tuple(q for q in self.questions if q.kind == "open")

    @property
    def attribute_names(self) -> tuple[str, ...]:
        """The attributes its closed answers became, in the export's order."""
        return tuple(_attribute_name(q) for q in self.questions if q.kind == "attribute")

    def question(self, ref: str) -> QuestionRow:
        """A question by its key ("Q7") or its text, case-insensitively."""
        wanted = ref.strip().casefold()
        for q in self.questions:
            if wanted in (q.key.casefold(), q.question.casefold()):
                return q
        raise NotFound(f"the survey {self.name!r} has no question {ref!r}")


@dataclass
class SurveyImport:
    """What an import did, in counts and plain lines (never an answer's words)."""

    survey: str
    created: bool
    added: int = 0
    matched: int = 0
    updated: int = 0  # respondents whose answers or closed answers were replaced
    unchanged: int = 0
    without_answers: int = 0  # respondents with no open answer: a case, no document
    withdrawn: int = 0  # rows of respondents who withdrew consent: not imported again
    kept: list[str] = field(default_factory=list)  # "respondent 17: Q7 changed; the coded answers were kept"
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "imported as" if self.created else "updated in"
        out = [
            f"{self.added + self.matched} respondents {verb} the survey {self.survey!r}: "
            f"{self.added} new, {self.matched} already here ({self.updated} updated)"
        ]
        if self.without_answers:
            out.append(f"{self.without_answers} gave no open answer: cases without a document")
        if self.withdrawn:
            out.append(f"{self.withdrawn} withdrew consent and were not imported again")
        return [*out, *self.kept, *self.warnings]


@dataclass(frozen=True)
class _Document:
    text: str
    turns: tuple[Turn, ...]
    spans: tuple[tuple[str, int, int], ...]  # question key, start, end


def clean_answer(value: str) -> str:
    """An answer as it is stored: line breaks made ``\\n``, control characters gone, ends trimmed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", value).strip()


def _heading(question: QuestionRow) -> str:
    text = " ".join(question.question.split())
    return text if text == question.key else f"{question.key}. {text}"


def build_document(survey: str, number: int, answers: Sequence[tuple[QuestionRow, str]]) -> _Document:
    """A respondent's document: a title line, then each answer given under its question.

    The title ("Staff survey, respondent 17") keeps two respondents' documents apart when their answers
    are the same, since a project holds each text once."""
    parts = [f"{survey}, respondent {number}"]
    position = len(parts[0])
    turns: list[Turn] = []
    spans: list[tuple[str, int, int]] = []
    for question, answer in answers:
        heading = _heading(question)
        start = position + 2  # after the blank line
        answer_start = start + len(heading) + 1
        parts.append(f"{heading}\n{answer}")
        position = answer_start + len(answer)
        turns.append(Turn(start, position, question.key))
        spans.append((question.key, answer_start, position))
    return _Document("\n\n".join(parts), tuple(turns), tuple(spans))


def _uuid(*parts: str) -> str:
    return str(uuid_module.uuid5(_NAMESPACE, "\x1f".join(parts)))


def survey_identity(id_key: str | None, open_keys: Sequence[str]) -> str:
    """A survey's UUID: the same for the same export mapped the same way, on any laptop."""
    return _uuid("survey", id_key or "", *open_keys)


def respondent_identity(survey_uuid: str, respondent_id: str) -> tuple[str, str]:
    """A respondent's participant UUID and its document's UUID, from the survey and the row's ID."""
    return _uuid(survey_uuid, "respondent", respondent_id), _uuid(survey_uuid, "document", respondent_id)


def check_template(template: str) -> str:
    """A respondent attribution template, checked: only ``{number}`` and ``{survey}``, and it must number."""
    template = template.strip()
    if not template or len(template) > MAX_TEMPLATE:
        raise InvalidInput(f"the attribution must be 1 to {MAX_TEMPLATE} characters")
    try:
        filled = respondent_attribution(template, "S", 1)
    except (KeyError, IndexError, ValueError):
        fields = ", ".join("{" + f + "}" for f in RESPONDENT_ATTRIBUTION_FIELDS)
        raise InvalidInput(
            f"the attribution may use only {fields}, e.g. 'Survey respondent {{number}}'"
        ) from None
    if "{number}" not in template or _CONTROLS.search(filled):
        raise InvalidInput("the attribution must contain {number}, so that respondents are told apart")
    return template


class Surveys:
    """The surveys of a project: import, re-import, their questions and the answers to each."""

    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    # -- reading -------------------------------------------------------------------------------------

    def all(self) -> list[Survey]:
        return [self._survey(row) for row in rows.surveys(self._db)]

    def _survey(self, row: SurveyRow) -> Survey:
        return Survey(
            row.uuid,
            row.name,
            row.attribution,
            row.id_key,
            tuple(rows.questions(self._db, row.uuid)),
            len(rows.respondent_numbers(self._db, row.uuid)),
        )

    def find(self, ref: str) -> Survey:
        """A survey by name (case-insensitively) or UUID; the only one when ``ref`` is empty."""
        ref = ref.strip()
        if not ref:
            found = rows.surveys(self._db)
            if len(found) == 1:
                return self._survey(found[0])
            raise InvalidInput(
                "name the survey: " + (", ".join(s.name for s in found) or "there is none yet")
            )
        row = rows.survey_named(self._db, ref) or rows.survey(self._db, ref)
        if row is None:
            raise NotFound(f"there is no survey {ref!r} (see: jswcoder survey list PROJECT)")
        return self._survey(row)

    def answers(self, survey: Survey, question_key: str) -> list[GridAnswer]:
        """Every answer to one open question, by respondent number: the grid's rows."""
        return rows.answers_to(self._db, survey.uuid, question_key)

    def answers_from(
        self, survey: Survey, question_key: str, after: int = 0, limit: int = -1
    ) -> list[GridAnswer]:
        """The answers to one question of respondents numbered after ``after`` (at most ``limit``; -1: all),
        by number: the grid shows a first page at once and reads the rest just after."""
        return rows.answers_from(self._db, survey.uuid, question_key, after, limit)

    def respondent_attributes(self, participant_uuids: Sequence[str]) -> dict[str, dict[str, str]]:
        """These respondents' attributes (participant UUID -> name -> value): the grid's rows on screen."""
        return rows.respondent_attributes(self._db, participant_uuids)

    def codings_on(self, survey: Survey, question_key: str) -> list[Coding]:
        """The codings (by anyone) overlapping the answers to one question, read at once for the grid."""
        return rows.codings_on_answers(self._db, survey.uuid, question_key)

    def answers_in(self, transcript_uuid: str) -> list[AnswerSpan]:
        """Where each answer lies in a respondent's document (empty for an interview transcript)."""
        return rows.answers_in(self._db, transcript_uuid)

    def documents(self, uuids: Sequence[str] | None = None) -> dict[str, str]:
        """Which transcripts are survey documents: transcript UUID -> survey UUID."""
        return rows.survey_documents(self._db, uuids)

    def answer_counts(self, survey: Survey) -> dict[str, int]:
        """How many respondents answered each open question (question key -> count), without the texts."""
        return rows.answer_counts(self._db, survey.uuid)

    def respondents(self) -> dict[str, tuple[str, int]]:
        """Which participants are survey respondents: participant UUID -> (survey UUID, number)."""
        return rows.all_respondents(self._db)

    # -- changing ------------------------------------------------------------------------------------

    def set_attribution(self, ref: str, template: str) -> Survey:
        survey = self.find(ref)
        with self._db.atomic():
            rows.set_attribution(self._db, survey.uuid, check_template(template))
        return self.find(survey.uuid)

    def import_table(
        self,
        path: Path,
        table: SurveyTable,
        kinds: Mapping[str, str],
        *,
        name: str | None = None,
        into: str | None = None,
    ) -> SurveyImport:
        """Import (or re-import) an export read with :func:`~jswcoder.importing.survey_files.read_survey`,
        its columns mapped as ``kinds`` (column key -> open, attribute, id or ignore). All or nothing."""
        keys = [c.key for c in table.columns]
        check_kinds(keys, kinds)
        id_key = next((k for k in keys if kinds[k] == "id"), None)
        open_keys = [k for k in keys if kinds[k] == "open"]
        with self._db.atomic():
            if into is not None:
                survey = self.find(into)
                created = False
            else:
                existing = rows.survey(self._db, survey_identity(id_key, open_keys))
                created = existing is None
                survey = (
                    self._survey(existing) if existing else self._create(path, table, kinds, id_key, name)
                )
            if survey.id_key != id_key:
                raise InvalidInput(
                    f"the survey {survey.name!r} matches respondents by "
                    f"{survey.id_key or 'their row'}, but this mapping's ID is {id_key or 'none'}"
                )
            report = SurveyImport(survey.name, created)
            if survey.id_key is None:
                report.warnings.append(
                    "the export has no ID column: respondents are matched by their row, so import an "
                    "updated export again only if new responses were added at the end"
                )
            questions = self._questions(survey, table, kinds)
            self._rows(survey, table, questions, report)
        return report

    def _create(
        self, path: Path, table: SurveyTable, kinds: Mapping[str, str], id_key: str | None, name: str | None
    ) -> Survey:
        open_keys = [c.key for c in table.columns if kinds[c.key] == "open"]
        base = " ".join((name or path.stem).split())[:MAX_NAME] or "Survey"
        base = _CONTROLS.sub("", base)
        title, copy = base, 2
        while rows.survey_named(self._db, title) is not None:
            title, copy = f"{base} ({copy})", copy + 1
        row = SurveyRow(
            survey_identity(id_key, open_keys), title, DEFAULT_RESPONDENT_ATTRIBUTION, id_key, now()
        )
        rows.insert_survey(self._db, row)
        return self._survey(row)

    def _questions(self, survey: Survey, table: SurveyTable, kinds: Mapping[str, str]) -> list[QuestionRow]:
        known = {q.key: q for q in survey.questions}
        wanted: list[QuestionRow] = []
        for position, column in enumerate(table.columns):
            kind = kinds[column.key]
            if kind not in ("open", "attribute"):
                continue
            before = known.get(column.key)
            if before is not None and before.kind != kind:
                raise InvalidInput(
                    f"{column.key} was imported as {'an open answer' if before.kind == 'open' else 'an attribute'}"
                    f"; it cannot become {'an open answer' if kind == 'open' else 'an attribute'} in the same survey"
                )
            question = _CONTROLS.sub("", " ".join(column.question.split())) or column.key
            wanted.append(QuestionRow(column.key, question, kind, position))
        rows.put_questions(self._db, survey.uuid, wanted)
        return wanted

    def _rows(
        self, survey: Survey, table: SurveyTable, questions: list[QuestionRow], report: SurveyImport
    ) -> None:
        index = {c.key: i for i, c in enumerate(table.columns)}
        numbers = rows.respondent_numbers(self._db, survey.uuid)
        withdrawn = withdrawal_rows.withdrawn_uuids(self._db)
        # A number a respondent had before withdrawing is never given again (the withdrawal's record
        # keeps the attribution), so an attribution in an earlier report never names two people.
        gone = {w.attribution for w in withdrawal_rows.all_withdrawals(self._db)}

        def free(number: int) -> int:
            while respondent_attribution(survey.attribution, survey.name, number) in gone:
                number += 1
            return number

        next_number = free(max(numbers.values(), default=0) + 1)
        coded = rows.coded_documents(self._db, survey.uuid)
        texts = rows.document_texts(self._db, survey.uuid)
        opens = [q for q in questions if q.kind == "open"]
        attributes = [q for q in questions if q.kind == "attribute"]
        seen: dict[str, int] = {}
        spans: list[AnswerSpan] = []
        # Read once, not asked row by row: names taken and participants present (of 5,000 new rows).
        names = {t.name for t in transcript_rows.all_transcripts(self._db)}
        present = {p.uuid for p in people.participants(self._db)}
        for line, cells in enumerate(table.rows, start=1):
            respondent_id = cells[index[survey.id_key]].strip() if survey.id_key else f"row {line}"
            if not respondent_id:
                raise InvalidInput(f"response {line} has no {survey.id_key}: every response needs its ID")
            if respondent_id in seen:
                raise InvalidInput(
                    f"responses {seen[respondent_id]} and {line} have the same {survey.id_key}: the ID must be unique"
                )
            seen[respondent_id] = line
            participant_uuid, document_uuid = respondent_identity(survey.uuid, respondent_id)
            if participant_uuid in withdrawn:
                report.withdrawn += 1
                continue
            closed = ((_attribute_name(q), clean_answer(cells[index[q.key]])) for q in attributes)
            values = {name: value for name, value in closed if value}
            given = [(q, clean_answer(cells[index[q.key]])) for q in opens]
            given = [(q, a) for q, a in given if a]
            number = numbers.get(participant_uuid)
            new = number is None
            if number is None:
                number, next_number = next_number, free(next_number + 1)
                numbers[participant_uuid] = number
                self._add_respondent(survey, participant_uuid, number, values, present)
                changed = False
            else:
                changed = self._update_attributes(participant_uuid, attributes, values)
            kept = False
            if not given:
                report.without_answers += 1
            else:
                document = build_document(survey.name, number, given)
                before = texts.get(document_uuid)
                if before is None:
                    self._add_document(
                        survey, document_uuid, participant_uuid, number, document, spans, names
                    )
                    changed = True
                elif before != document.text and document_uuid in coded:
                    report.kept.append(self._kept_line(number, document_uuid, before, document))
                    kept = True
                elif before != document.text:
                    merge_rows.replace_text(
                        self._db,
                        document_uuid,
                        text=document.text,
                        content_sha256=text_sha256(document.text),
                        turns=document.turns,
                        notes=(),
                    )
                    spans.extend(AnswerSpan(document_uuid, k, s, e) for k, s, e in document.spans)
                    changed = True
            if new:
                report.added += 1
            else:
                report.matched += 1
                report.updated += changed
                report.unchanged += not (changed or kept)
        rows.put_answers(self._db, survey.uuid, spans)

    def _add_respondent(
        self, survey: Survey, uuid: str, number: int, values: dict[str, str], present: set[str]
    ) -> None:
        if uuid not in present:  # a respondent merged in from a package is there already
            people.insert_participant(self._db, Participant(uuid, RESPONDENT_GROUP, attributes=values))
            present.add(uuid)
        rows.add_respondent(self._db, uuid, survey.uuid, number)

    def _update_attributes(self, uuid: str, attributes: list[QuestionRow], values: dict[str, str]) -> bool:
        participant = people.participant_by_uuid(self._db, uuid)
        if participant is None:
            raise NotFound("a respondent of this survey is missing from the project")
        mine = {_attribute_name(q) for q in attributes}
        kept = {k: v for k, v in participant.attributes.items() if k not in mine}  # the user's own stay
        after = {**kept, **values}
        if after == participant.attributes:
            return False
        people.save_participant(self._db, replace(participant, attributes=after))
        return True

    def _add_document(
        self,
        survey: Survey,
        uuid: str,
        participant_uuid: str,
        number: int,
        document: _Document,
        spans: list[AnswerSpan],
        names: set[str],
    ) -> None:
        title, copy = f"{survey.name}, respondent {number}", 2
        name = title
        while name in names:
            name, copy = f"{title} ({copy})", copy + 1
        names.add(name)
        transcript_rows.insert(
            self._db,
            Transcript(uuid, name, participant_uuid, survey.name, SOURCE_FORMAT, len(document.text), now()),
            text=document.text,
            content_sha256=text_sha256(document.text),
            imported_by=self._coder.uuid,
            turns=document.turns,
            notes=(),
            warnings=(),
        )
        spans.extend(AnswerSpan(uuid, k, s, e) for k, s, e in document.spans)

    def _kept_line(self, number: int, uuid: str, before: str, document: _Document) -> str:
        """Which questions' answers changed in a coded document (their keys only, never the words)."""
        old = {a.question_key: before[a.start : a.end] for a in rows.answers_in(self._db, uuid)}
        new = {k: document.text[s:e] for k, s, e in document.spans}
        changed = [k for k in dict.fromkeys([*new, *old]) if old.get(k) != new.get(k)]
        return (
            f"respondent {number}: {', '.join(changed) or 'the answers'} changed in the export; the answers "
            "here are coded, so they were kept (remove the codings and import again to take the new ones)"
        )


def _attribute_name(question: QuestionRow) -> str:
    return question.question if len(question.question) <= MAX_ATTRIBUTE_NAME else question.key
