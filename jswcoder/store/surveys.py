"""Surveys: their questions, their respondents (participants with a number) and where each open answer
lies in its respondent's document (a transcript). See the "surveys" migration in :mod:`schema`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.model import Coding
from jswcoder.store.params import marks


@dataclass(frozen=True, slots=True)
class SurveyRow:
    uuid: str
    name: str
    attribution: str  # "Survey respondent {number}"
    id_key: str | None  # the export's ID column; None: respondents matched by their row
    created_at: str


@dataclass(frozen=True, slots=True)
class QuestionRow:
    key: str  # the column's key in the export ("Q7")
    question: str  # its text ("What helped you most?")
    kind: str  # "open" or "attribute"
    position: int


@dataclass(frozen=True, slots=True)
class AnswerSpan:
    """Where one open answer lies in its respondent's document."""

    transcript_uuid: str
    question_key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GridAnswer:
    """One answer to one question, with whose it is: a row of the grid."""

    transcript_uuid: str
    participant_uuid: str
    number: int
    start: int
    end: int
    text: str


_SURVEY = "uuid, name, attribution, id_key, created_at"


def insert_survey(db: Database, survey: SurveyRow) -> None:
    db.execute(f"INSERT INTO surveys ({_SURVEY}) VALUES (?, ?, ?, ?, ?)", list(_fields(survey)))


def _fields(survey: SurveyRow) -> tuple[object, ...]:
    return (survey.uuid, survey.name, survey.attribution, survey.id_key, survey.created_at)


def surveys(db: Database) -> list[SurveyRow]:
    return [SurveyRow(*r) for r in db.execute(f"SELECT {_SURVEY} FROM surveys ORDER BY name").fetchall()]


def survey(db: Database, uuid: str) -> SurveyRow | None:
    row = db.execute(f"SELECT {_SURVEY} FROM surveys WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else SurveyRow(*row)


def survey_named(db: Database, name: str) -> SurveyRow | None:
    row = db.execute(f"SELECT {_SURVEY} FROM surveys WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    return None if row is None else SurveyRow(*row)


def set_attribution(db: Database, uuid: str, template: str) -> None:
    db.execute("UPDATE surveys SET attribution = ? WHERE uuid = ?", [template, uuid])


def questions(db: Database, survey_uuid: str) -> list[QuestionRow]:
    rows = db.execute(
        "SELECT key, question, kind, position FROM survey_questions WHERE survey_uuid = ? ORDER BY position",
        [survey_uuid],
    ).fetchall()
    return [QuestionRow(*r) for r in rows]


def put_questions(db: Database, survey_uuid: str, new: Iterable[QuestionRow]) -> None:
    """Add questions, or update the text and place of those already there (their kind stays)."""
    db.conn.executemany(
        "INSERT INTO survey_questions (survey_uuid, key, question, kind, position) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (survey_uuid, key) DO UPDATE SET question = excluded.question, position = excluded.position",
        [(survey_uuid, q.key, q.question, q.kind, q.position) for q in new],
    )


def respondent_numbers(db: Database, survey_uuid: str) -> dict[str, int]:
    """Each respondent of a survey (participant UUID) -> its number."""
    rows = db.execute(
        "SELECT participant_uuid, number FROM survey_respondents WHERE survey_uuid = ?", [survey_uuid]
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def respondent(db: Database, participant_uuid: str) -> tuple[str, int] | None:
    """The survey and number of a participant who is a survey respondent."""
    row = db.execute(
        "SELECT survey_uuid, number FROM survey_respondents WHERE participant_uuid = ?", [participant_uuid]
    ).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))


def add_respondent(db: Database, participant_uuid: str, survey_uuid: str, number: int) -> None:
    """Make a stored participant a respondent of a survey. Call inside ``db.atomic()``."""
    db.execute(
        "INSERT INTO survey_respondents (participant_uuid, survey_uuid, number) VALUES (?, ?, ?)",
        [participant_uuid, survey_uuid, number],
    )


def put_answers(db: Database, survey_uuid: str, spans: Sequence[AnswerSpan]) -> None:
    """Where the answers of the documents in ``spans`` lie, replacing what was known of those documents."""
    documents = sorted({s.transcript_uuid for s in spans})
    db.conn.executemany("DELETE FROM survey_answers WHERE transcript_uuid = ?", [(t,) for t in documents])
    db.conn.executemany(
        'INSERT INTO survey_answers (transcript_uuid, survey_uuid, question_key, start, "end") VALUES (?, ?, ?, ?, ?)',
        [(s.transcript_uuid, survey_uuid, s.question_key, s.start, s.end) for s in spans],
    )


def answers_in(db: Database, transcript_uuid: str) -> list[AnswerSpan]:
    """The answers in one respondent's document, in the order of the text."""
    rows = db.execute(
        'SELECT transcript_uuid, question_key, start, "end" FROM survey_answers '
        "WHERE transcript_uuid = ? ORDER BY start",
        [transcript_uuid],
    ).fetchall()
    return [AnswerSpan(*r) for r in rows]


def answers_to(db: Database, survey_uuid: str, question_key: str) -> list[GridAnswer]:
    """Every answer to one question, by respondent number, with its text: the grid's rows."""
    rows = db.execute(
        'SELECT a.transcript_uuid, r.participant_uuid, r.number, a.start, a."end", '
        'substr(t.text, a.start + 1, a."end" - a.start) FROM survey_answers AS a '
        "JOIN transcripts AS t ON t.uuid = a.transcript_uuid "
        "JOIN survey_respondents AS r ON r.participant_uuid = t.participant_uuid "
        "WHERE a.survey_uuid = ? AND a.question_key = ? ORDER BY r.number",
        [survey_uuid, question_key],
    ).fetchall()
    return [GridAnswer(*r) for r in rows]


def answers_from(
    db: Database, survey_uuid: str, question_key: str, after: int, limit: int
) -> list[GridAnswer]:
    """The answers to one question of the respondents numbered after ``after``, at most ``limit`` of them
    (-1: all), by number. Read in the respondents' order, with no sort, so a first page costs only its
    own documents' pages: the grid shows it while the rest is read."""
    rows = db.execute(
        'SELECT a.transcript_uuid, r.participant_uuid, r.number, a.start, a."end", '
        'substr(t.text, a.start + 1, a."end" - a.start) FROM survey_respondents AS r '
        "CROSS JOIN transcripts AS t ON t.participant_uuid = r.participant_uuid "
        "CROSS JOIN survey_answers AS a ON a.survey_uuid = r.survey_uuid AND a.question_key = ? "
        "AND a.transcript_uuid = t.uuid "
        "WHERE r.survey_uuid = ? AND r.number > ? ORDER BY r.number LIMIT ?",
        [question_key, survey_uuid, after, limit],
    ).fetchall()
    return [GridAnswer(*r) for r in rows]


def survey_documents(db: Database, uuids: Sequence[str] | None = None) -> dict[str, str]:
    """Which transcripts are survey documents: transcript UUID -> survey UUID (of ``uuids``, or all)."""
    if uuids is None:
        rows = db.execute("SELECT DISTINCT transcript_uuid, survey_uuid FROM survey_answers").fetchall()
    else:
        rows = db.execute(
            f"SELECT DISTINCT transcript_uuid, survey_uuid FROM survey_answers WHERE transcript_uuid IN ({marks(uuids)})",
            list(uuids),
        ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def answer_counts(db: Database, survey_uuid: str) -> dict[str, int]:
    """Each question of a survey -> how many respondents answered it."""
    rows = db.execute(
        "SELECT question_key, count(*) FROM survey_answers WHERE survey_uuid = ? GROUP BY question_key",
        [survey_uuid],
    ).fetchall()
    return {str(r[0]): int(r[1]) for r in rows}


def coded_documents(db: Database, survey_uuid: str) -> set[str]:
    """The documents of a survey that carry codings (by anyone): their text is not replaced on re-import."""
    rows = db.execute(
        "SELECT DISTINCT c.transcript_uuid FROM codings AS c "
        "JOIN survey_answers AS a ON a.transcript_uuid = c.transcript_uuid WHERE a.survey_uuid = ?",
        [survey_uuid],
    ).fetchall()
    return {str(r[0]) for r in rows}


def document_texts(db: Database, survey_uuid: str) -> dict[str, str]:
    """Each document of a survey -> its text (a re-import compares them with the export's)."""
    rows = db.execute(
        "SELECT t.uuid, t.text FROM transcripts AS t WHERE t.uuid IN "
        "(SELECT transcript_uuid FROM survey_answers WHERE survey_uuid = ?)",
        [survey_uuid],
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def respondent_attributes(db: Database, participant_uuids: Sequence[str]) -> dict[str, dict[str, str]]:
    """Some respondents' attributes (participant UUID -> name -> value): the grid reads those of the
    answers on screen, since reading all of a large survey's would cost more than showing its answers."""
    rows = db.execute(
        f"SELECT uuid, attributes FROM participants WHERE uuid IN ({marks(participant_uuids)})",
        list(participant_uuids),
    ).fetchall()
    return {str(r[0]): json.loads(r[1]) for r in rows}


def codings_on_answers(db: Database, survey_uuid: str, question_key: str) -> list[Coding]:
    """Every coding (by anyone) that overlaps an answer to one question, in one read: the grid's
    highlights (one query per respondent's document would be 5,000 at a large survey)."""
    rows = db.execute(
        'SELECT c.uuid, c.transcript_uuid, c.code_uuid, c.start, c."end", c.coder_uuid, c.created_at '
        "FROM survey_answers AS a JOIN codings AS c ON c.transcript_uuid = a.transcript_uuid "
        'AND c.start < a."end" AND c."end" > a.start '
        "WHERE a.survey_uuid = ? AND a.question_key = ?",
        [survey_uuid, question_key],
    ).fetchall()
    return [Coding(*r) for r in rows]


def all_respondents(db: Database) -> dict[str, tuple[str, int]]:
    """Every survey respondent (participant UUID) -> its survey's UUID and its number there."""
    rows = db.execute("SELECT participant_uuid, survey_uuid, number FROM survey_respondents").fetchall()
    return {str(r[0]): (str(r[1]), int(r[2])) for r in rows}


def spans_of_survey(db: Database, survey_uuid: str) -> list[AnswerSpan]:
    """Where every answer of a survey lies, document by document in the order of the text."""
    rows = db.execute(
        'SELECT transcript_uuid, question_key, start, "end" FROM survey_answers '
        "WHERE survey_uuid = ? ORDER BY transcript_uuid, start",
        [survey_uuid],
    ).fetchall()
    return [AnswerSpan(*r) for r in rows]


def all_answers(db: Database) -> list[tuple[str, str, str, int, int]]:
    """Every answer of every survey: (document, question key, question text, start, end), by document."""
    rows = db.execute(
        'SELECT a.transcript_uuid, a.question_key, q.question, a.start, a."end" FROM survey_answers AS a '
        "JOIN survey_questions AS q ON q.survey_uuid = a.survey_uuid AND q.key = a.question_key "
        "ORDER BY a.transcript_uuid, a.start"
    ).fetchall()
    return [(str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4])) for r in rows]


def add_missing_questions(
    db: Database, survey_uuid: str, questions: Iterable[tuple[str, str, str, int]]
) -> int:
    """Add a survey's questions (key, text, kind, position) the project lacks; those here stay as they are.

    Returns how many were added."""
    before = db.conn.total_changes
    db.conn.executemany(
        "INSERT INTO survey_questions (survey_uuid, key, question, kind, position) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (survey_uuid, key) DO NOTHING",
        [(survey_uuid, *q) for q in questions],
    )
    return int(db.conn.total_changes - before)


def question_kinds(db: Database, survey_uuid: str) -> dict[str, str]:
    """A survey's question keys -> their kind ("open" or "attribute")."""
    rows = db.execute("SELECT key, kind FROM survey_questions WHERE survey_uuid = ?", [survey_uuid])
    return {str(r[0]): str(r[1]) for r in rows.fetchall()}


def respondent_number_holder(db: Database, survey_uuid: str, number: int) -> str | None:
    """The participant who is respondent ``number`` of a survey, if any."""
    row = db.execute(
        "SELECT participant_uuid FROM survey_respondents WHERE survey_uuid = ? AND number = ?",
        [survey_uuid, number],
    ).fetchone()
    return None if row is None else str(row[0])


def next_respondent_number(db: Database, survey_uuid: str) -> int:
    row = db.execute(
        "SELECT coalesce(max(number), 0) + 1 FROM survey_respondents WHERE survey_uuid = ?", [survey_uuid]
    ).fetchone()
    return int(row[0])
