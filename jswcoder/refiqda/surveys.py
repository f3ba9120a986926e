"""A survey respondent's document through a .qdpx and back (issue 18).

REFI-QDA has cases, variables and text sources but no questionnaires, so a respondent's document goes
out as a text source (its case, the respondent, carries the closed answers as variables) with a
``Description`` saying what it is, in words for the person who opens it in NVivo, ATLAS.ti or MAXQDA,
and on its last line in a form our own import reads back: the survey (its UUID, name, attribution
template and ID column's name), its open questions (a closed one is its case's variable, where it
goes out at all), the respondent's number and where each answer lies, in
code points of the source's text as it left (anonymised, in a fieldworker's export: the name, the
questions and the spans go through the same register as the text).

Read back, every part is checked as hostile input: a description that does not parse, names a
question the survey does not list, or puts an answer outside the text or over another is left out
with one line in the import's report, and the document stays a plain transcript.
"""

from __future__ import annotations

import json
import re
import uuid as uuid_module
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from jswcoder.errors import InvalidInput
from jswcoder.ids import now
from jswcoder.model import Turn
from jswcoder.project import Project
from jswcoder.services.surveys import check_template
from jswcoder.store import people
from jswcoder.store import surveys as survey_rows
from jswcoder.store.surveys import AnswerSpan, QuestionRow, SurveyRow

MARK = "jswcoder-survey: "
CASE_NAME = "case"  # the attribute that keeps a case's name when it is no interview's attribution
MAX_DESCRIPTION = 1_000_000  # characters: a respondent's details, far beyond any survey's
MAX_QUESTIONS = 2_000
MAX_KEY = 500
MAX_QUESTION = 5_000
MAX_NUMBER = 10_000_000
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class SurveyPart:
    """What a source's description says of the survey document it is."""

    survey: SurveyRow
    questions: tuple[QuestionRow, ...]
    number: int
    answers: tuple[tuple[str, int, int], ...]  # question key, start, end (code points)

    def turns(self) -> tuple[Turn, ...]:
        """Each answer as a turn of its question, as an imported export's document has them."""
        return tuple(Turn(start, end, key) for key, start, end in self.answers)


def description(
    project: Project,
    transcript_uuid: str,
    clean: Callable[[str], str],
    ranges: Callable[[int, int], tuple[int, int]],
) -> str | None:
    """The ``Description`` of a survey document's source, or None for any other transcript.

    ``clean`` gives a string as the export prints it about this transcript; ``ranges`` moves a range
    of the stored text into the text as it leaves."""
    spans = project.surveys.answers_in(transcript_uuid)
    if not spans:
        return None
    survey = project.surveys.find(project.surveys.documents([transcript_uuid])[transcript_uuid])
    participant = project.transcripts.participant(project.transcripts.get(transcript_uuid))
    found = None if participant is None else survey_rows.respondent(project.db, participant.uuid)
    if found is None:
        return None
    name = clean(survey.name)
    details = {
        "survey": survey.uuid,
        "name": name,
        "attribution": clean(survey.attribution),
        "id": survey.id_key and clean(survey.id_key),
        "number": found[1],
        # The open questions only: a closed one goes out as its case variable, when it goes out at all.
        "questions": [[clean(q.key), clean(q.question), q.kind, q.position] for q in survey.open_questions],
        "answers": [[clean(s.question_key), *ranges(s.start, s.end)] for s in spans],
    }
    keys = ", ".join(dict.fromkeys(clean(s.question_key) for s in spans))
    words = f"Respondent {found[1]} of the survey {name!r}: the answers to {keys}, each under its question."
    return f"{words}\n{MARK}{json.dumps(details, ensure_ascii=False, separators=(',', ':'))}"


def _text(value: object, limit: int, what: str, *, empty: bool = False) -> str:
    if (
        not isinstance(value, str)
        or len(value) > limit
        or _CONTROLS.search(value)
        or not (empty or value.strip())
    ):
        raise InvalidInput(what)
    return value


def _int(value: object, low: int, high: int, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidInput(what)
    return value


def read_description(text: str | None, length: int) -> SurveyPart | None:
    """The survey part of a source's description, checked against its text's ``length``; None if the
    description says nothing of a survey. Raises :class:`InvalidInput` (one plain reason) if it does but
    cannot be taken."""
    if not text or MARK not in text:
        return None
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput("its survey details are far longer than any survey's")
    line = text[text.rindex(MARK) + len(MARK) :].split("\n", 1)[0]
    try:
        details = json.loads(line)
    except (json.JSONDecodeError, RecursionError):
        raise InvalidInput("its survey details are not readable") from None
    if not isinstance(details, Mapping):
        raise InvalidInput("its survey details are not readable")
    try:
        survey_uuid = str(uuid_module.UUID(_text(details.get("survey"), 40, "its survey has no identity")))
    except ValueError:
        raise InvalidInput("its survey has no identity") from None
    name = " ".join(_text(details.get("name"), 80, "its survey has no name").split())
    template = check_template(_text(details.get("attribution"), 120, "its survey has no attribution"))
    id_key = details.get("id")
    if id_key is not None:
        id_key = _text(id_key, MAX_KEY, "its survey's ID column has no name")
    number = _int(details.get("number"), 1, MAX_NUMBER, "its respondent has no number")
    raw_questions = details.get("questions")
    if not isinstance(raw_questions, list) or not 0 < len(raw_questions) <= MAX_QUESTIONS:
        raise InvalidInput("its survey lists no questions, or far too many")
    questions: dict[str, QuestionRow] = {}
    for item in raw_questions:
        if not isinstance(item, list) or len(item) != 4 or item[2] not in ("open", "attribute"):
            raise InvalidInput("a question of its survey is not readable")
        key = _text(item[0], MAX_KEY, "a question of its survey has no key")
        if key in questions:
            raise InvalidInput(f"its survey lists the question {key!r} twice")
        question = _text(item[1], MAX_QUESTION, "a question of its survey has no text")
        questions[key] = QuestionRow(
            key, question, item[2], _int(item[3], 0, MAX_QUESTIONS * 10, "a question's place")
        )
    raw_answers = details.get("answers")
    if not isinstance(raw_answers, list) or not 0 < len(raw_answers) <= MAX_QUESTIONS:
        raise InvalidInput("it gives no answers")
    answers: list[tuple[str, int, int]] = []
    end_before = 0
    for item in raw_answers:
        if not isinstance(item, list) or len(item) != 3:
            raise InvalidInput("an answer is not readable")
        key = _text(item[0], MAX_KEY, "an answer names no question")
        if key not in questions or questions[key].kind != "open":
            raise InvalidInput(f"an answer is to {key!r}, which is not an open question of its survey")
        start = _int(item[1], end_before, length, "an answer lies outside the text, or over another")
        end = _int(item[2], start + 1, length, "an answer lies outside the text, or over another")
        answers.append((key, start, end))
        end_before = end
    if len({key for key, _s, _e in answers}) != len(answers):
        raise InvalidInput("it gives two answers to one question")
    survey = SurveyRow(survey_uuid, name, template, id_key, now())
    return SurveyPart(survey, tuple(questions.values()), number, tuple(answers))


def restore(
    project: Project, part: SurveyPart, transcript_uuid: str, participant_uuid: str | None
) -> str | None:
    """Store what ``part`` says of a document just imported; a plain line if its respondent could not be
    linked (the answers are kept: the grid and the question columns work; the attribution is the case's)."""
    db = project.db
    known = survey_rows.survey(db, part.survey.uuid)
    if known is None:
        taken = survey_rows.survey_named(db, part.survey.name)
        name = part.survey.name if taken is None else f"{part.survey.name} ({part.survey.uuid[:8]})"
        known = SurveyRow(
            part.survey.uuid, name, part.survey.attribution, part.survey.id_key, part.survey.created_at
        )
        survey_rows.insert_survey(db, known)
    survey_rows.add_missing_questions(
        db, known.uuid, [(q.key, q.question, q.kind, q.position) for q in part.questions]
    )
    survey_rows.put_answers(
        db, known.uuid, [AnswerSpan(transcript_uuid, key, start, end) for key, start, end in part.answers]
    )
    if participant_uuid is None:
        return "has no case: its respondent's number was not kept"
    numbers = survey_rows.respondent_numbers(db, known.uuid)
    if participant_uuid in numbers or survey_rows.respondent(db, participant_uuid) is not None:
        return None if numbers.get(participant_uuid) == part.number else "names a respondent already numbered"
    if part.number in numbers.values():
        return f"is respondent {part.number}, a number another document of the survey has"
    survey_rows.add_respondent(db, participant_uuid, known.uuid, part.number)
    participant = people.participant_by_uuid(db, participant_uuid)
    if participant is not None and participant.attributes.get(CASE_NAME) == participant.attribution:
        # The case's name, kept as an attribute on the way in, is the respondent's attribution again.
        attributes = {k: v for k, v in participant.attributes.items() if k != CASE_NAME}
        people.save_participant(db, replace(participant, attributes=attributes))
    return None
