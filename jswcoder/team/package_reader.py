"""Reading a team package document strictly, before anything of it is merged.

Every field is checked for shape, every offset against its text, every UUID for form and
uniqueness, every reference for a target inside the package, and every text against the
manifest's hash; the first problem refuses the package with a plain reason.

Format 2 adds surveys (issue 18): the surveys whose documents the package carries (name, attribution
template, questions, no more than an export may have), a survey document's respondent (its transcript's
participant, with its number) and where each answer lies; a case's own attributes the user opted in.
A format 1 package (no surveys) is still read.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, cast, get_args

from jswcoder.errors import InvalidInput, JswError
from jswcoder.importing.survey_files import MAX_COLUMNS
from jswcoder.model import (
    MAX_INTERVIEW_NUMBER,
    MAX_THEME_DEPTH,
    CodeOrigin,
    Coding,
    DocumentNote,
    Memo,
    MemoTarget,
    NoteKind,
    Participant,
    Turn,
)
from jswcoder.services.surveys import check_template  # the import's own rule for templates

# The format's name and version: written by :mod:`jswcoder.team.package_writer`, checked here.
FORMAT = "jswcoder-team-package"
FORMAT_VERSION = 2  # 2: surveys, and cases' own attributes

MAX_SURVEYS = 200  # surveys in one package: more than any study runs
MAX_LABEL = 2_000  # characters in a survey's name, a question's key, an attribute's name
MAX_QUESTION = 20_000  # characters in a question's text
MAX_OWN_ATTRIBUTES = MAX_COLUMNS  # a case's own attributes: at most one per column of an export

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_COLOUR = re.compile(r"^#[0-9A-F]{6}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SQLITE_MAX = 2**63 - 1  # the largest integer the database stores


class MergeRefused(JswError):
    """The whole package was refused; the team project is unchanged."""


# -- reading the document ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceRecord:
    uuid: str
    label: str
    participant_uuid: str | None
    text: str
    sha256: str
    turns: tuple[Turn, ...]
    notes: tuple[DocumentNote, ...]
    speaker_cases: tuple[tuple[str, str, int], ...] = ()  # (speaker label, participant uuid, number)
    survey: SurveyDocument | None = None  # a survey document: its respondent and answers


@dataclass(frozen=True)
class QuestionRecord:
    key: str
    question: str
    kind: str  # "open" or "attribute"
    position: int


@dataclass(frozen=True)
class SurveyRecord:
    uuid: str
    name: str
    attribution: str  # the respondents' template, "Survey respondent {number}"
    questions: tuple[QuestionRecord, ...]


@dataclass(frozen=True)
class SurveyDocument:
    """A survey document's respondent (the transcript's participant) and where its answers lie."""

    survey_uuid: str
    number: int
    answers: tuple[tuple[str, int, int], ...]  # question key, start, end: in order, apart


@dataclass(frozen=True)
class CodeRecord:
    uuid: str
    parent_uuid: str | None
    name: str
    description: str
    colour: str | None
    origin: CodeOrigin


@dataclass(frozen=True)
class Package:
    sequence: int
    coder_uuid: str
    coder_name: str
    participants: tuple[Participant, ...]
    transcripts: tuple[SourceRecord, ...]
    codes: tuple[CodeRecord, ...]  # parents before children
    paths: dict[str, str]  # code uuid -> path in the package
    codings: tuple[Coding, ...]
    memos: tuple[Memo, ...]
    surveys: tuple[SurveyRecord, ...] = ()


def refused(detail: str) -> MergeRefused:
    return MergeRefused(f"the package cannot be merged: {detail}")


def as_object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise refused(f"{what} is not an object")
    return cast(dict[str, Any], value)


def _list(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key)
    if not isinstance(value, list):
        raise refused(f"'{key}' is missing or not a list")
    return [as_object(item, f"an entry of '{key}'") for item in value]


def _unicode(value: str) -> str:
    """``value``, if it is text the database can store: JSON may spell a lone surrogate as an escape."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise refused("a text is not valid Unicode") from None
    return value


def _str(item: dict[str, Any], key: str, *, empty: bool = True) -> str:
    value = item.get(key)
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise refused(f"'{key}' is missing or not text")
    return _unicode(value)


def _opt_str(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise refused(f"'{key}' is not text")
    return None if value is None else _unicode(value)


def _int(
    item: dict[str, Any], key: str, *, minimum: int = 0, maximum: int = _SQLITE_MAX, optional: bool = False
) -> int | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise refused(f"'{key}' is not a whole number of at least {minimum}")
    if value > maximum:
        raise refused(f"'{key}' is larger than {maximum}")
    return value


def _uuid(item: dict[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not _UUID.match(value):
        raise refused(f"'{key}' is not a UUID")
    return value


def _req_uuid(item: dict[str, Any], key: str) -> str:
    value = _uuid(item, key)
    assert value is not None
    return value


def _unique(uuids: list[str], what: str) -> set[str]:
    if len(set(uuids)) != len(uuids):
        raise refused(f"two {what} share a UUID")
    return set(uuids)


def _range(item: dict[str, Any], length: int, what: str) -> tuple[int, int]:
    start, end = _int(item, "start"), _int(item, "end")
    assert start is not None and end is not None
    if not start < end <= length:
        raise refused(f"{what} has offsets outside its text")
    return start, end


def _label(item: dict[str, Any], key: str, limit: int = MAX_LABEL) -> str:
    value = _str(item, key, empty=False)
    if len(value) > limit:
        raise refused(f"'{key}' is longer than {limit} characters")
    return value


def _own_attributes(item: dict[str, Any]) -> dict[str, str]:
    """A participant's own attributes the user opted in (names and values through the register)."""
    value = item.get("attributes", {})
    if not isinstance(value, dict) or len(value) > MAX_OWN_ATTRIBUTES:
        raise refused("a participant's attributes are not a short list of names and values")
    for name, text in value.items():
        if not isinstance(text, str) or not name.strip() or len(name) > MAX_LABEL or len(text) > MAX_QUESTION:
            raise refused("a participant's attribute is not a name and a text")
        _unicode(name)
        _unicode(text)
    return dict(value)


def _surveys(doc: dict[str, Any]) -> dict[str, SurveyRecord]:
    """The package's surveys by UUID: each with its template and questions, checked."""
    items = _list(doc, "surveys") if "surveys" in doc else []  # since format 2
    if len(items) > MAX_SURVEYS:
        raise refused(f"it holds more than {MAX_SURVEYS} surveys")
    found: dict[str, SurveyRecord] = {}
    for item in items:
        raw = item.get("questions")
        if isinstance(raw, list) and len(raw) > MAX_COLUMNS:
            raise refused(f"a survey has more than {MAX_COLUMNS} questions")
        questions = []
        for question in _list(item, "questions"):
            kind = question.get("kind")
            if kind not in ("open", "attribute"):
                raise refused("a survey question has an unknown kind")
            position = _int(question, "position", maximum=MAX_COLUMNS)
            assert position is not None
            questions.append(
                QuestionRecord(_label(question, "key"), _str(question, "question"), str(kind), position)
            )
            if len(questions[-1].question) > MAX_QUESTION:
                raise refused(f"a survey question is longer than {MAX_QUESTION} characters")
        if len({q.key for q in questions}) != len(questions):
            raise refused("two questions of a survey share a key")
        try:
            attribution = check_template(_str(item, "attribution"))
        except InvalidInput as error:
            raise refused(f"a survey's respondent attribution is not allowed ({error})") from None
        survey = SurveyRecord(_req_uuid(item, "uuid"), _label(item, "name"), attribution, tuple(questions))
        if survey.uuid in found:
            raise refused("two surveys share a UUID")
        found[survey.uuid] = survey
    return found


def _survey_document(
    item: dict[str, Any], text: str, participant: str | None, surveys: dict[str, SurveyRecord]
) -> SurveyDocument | None:
    """A transcript's survey part, if it is a survey document: its answers must lie in its text."""
    if item.get("survey") is None:
        return None
    part = as_object(item["survey"], "a transcript's survey")
    survey = surveys.get(_req_uuid(part, "uuid"))
    if survey is None or participant is None:
        raise refused("a survey document names a survey or respondent the package does not hold")
    number = _int(part, "number", minimum=1, maximum=MAX_INTERVIEW_NUMBER)
    assert number is not None
    opens = {q.key for q in survey.questions if q.kind == "open"}
    answers = []
    for answer in _list(part, "answers"):
        key = _str(answer, "question")
        if key not in opens:
            raise refused("a survey answer names a question its survey does not ask")
        start, end = _range(answer, len(text), "a survey answer")
        answers.append((key, start, end))
    answers.sort(key=lambda a: a[1])
    if len({a[0] for a in answers}) != len(answers) or any(
        before[2] > after[1] for before, after in pairwise(answers)
    ):
        raise refused("a survey document's answers repeat a question or overlap")
    return SurveyDocument(survey.uuid, number, tuple(answers))


def _check_respondents(sources: list[SourceRecord]) -> None:
    """One document per respondent, and one respondent per number in each survey."""
    documents = [s for s in sources if s.survey is not None]
    if len({s.participant_uuid for s in documents}) != len(documents):
        raise refused("two survey documents share a respondent")
    numbers = [(s.survey.survey_uuid, s.survey.number) for s in documents if s.survey is not None]
    if len(set(numbers)) != len(numbers):
        raise refused("two respondents of a survey share a number")
    others = {s.participant_uuid for s in sources if s.survey is None}
    if others & {s.participant_uuid for s in documents}:
        raise refused("a survey respondent is also the participant of an interview")


def _digest(text: str) -> str:
    return hashlib.sha256(_unicode(text).encode("utf-8")).hexdigest()


def read_document(document: object) -> Package:
    """Check the package document's shape, references and hashes; raise :class:`MergeRefused` if wrong."""
    doc = as_object(document, "the package")
    if doc.get("format") != FORMAT:
        raise refused("it is not a jswcoder team package")
    version = _int(doc, "version", minimum=1)
    assert version is not None
    if version > FORMAT_VERSION:
        raise MergeRefused(
            f"this package was made by a newer version of jswcoder (package format {version}); "
            "update jswcoder to merge it"
        )
    sequence = _int(doc, "sequence", minimum=1)
    assert sequence is not None
    coder = as_object(doc.get("coder"), "'coder'")
    coder_uuid, coder_name = _req_uuid(coder, "uuid"), _str(coder, "name", empty=False).strip()

    participants = []
    for item in _list(doc, "participants"):
        group = _opt_str(item, "participant_group")
        number = _int(item, "interview_number", minimum=1, maximum=MAX_INTERVIEW_NUMBER, optional=True)
        participants.append(
            Participant(
                uuid=_req_uuid(item, "uuid"),
                participant_group=group,
                interview_number=number,
                format=_opt_str(item, "format"),
                mode=_opt_str(item, "mode"),
                council_area=_opt_str(item, "council_area"),
                attributes=_own_attributes(item),
            )
        )
    participant_ids = _unique([p.uuid for p in participants], "participants")
    surveys = _surveys(doc)

    sources = []
    for item in _list(doc, "transcripts"):
        text = _str(item, "text")
        if not text:
            raise refused("a transcript is empty")
        sha = _str(item, "sha256")
        if not _SHA256.match(sha) or _digest(text) != sha:
            raise refused("a transcript's text does not match its hash")
        participant = _uuid(item, "participant_uuid", optional=True)
        if participant is not None and participant not in participant_ids:
            raise refused("a transcript names a participant the package does not hold")
        turns = []
        for turn in _list(item, "turns"):
            start, end = _range(turn, len(text), "a speaker turn")
            turns.append(Turn(start, end, _str(turn, "speaker")))
        notes = []
        for note in _list(item, "notes"):
            kind = note.get("kind")
            if kind not in get_args(NoteKind):
                raise refused("a document note has an unknown kind")
            notes.append(DocumentNote(cast(NoteKind, kind), _str(note, "text")))
        speakers = {turn.speaker for turn in turns}
        speaker_cases = []
        for case in _list(item, "speaker_cases") if "speaker_cases" in item else []:  # since speaker cases
            speaker, person = _str(case, "speaker"), _req_uuid(case, "participant_uuid")
            number = _int(case, "number", minimum=1, maximum=MAX_INTERVIEW_NUMBER)
            if speaker not in speakers or person not in participant_ids or person == participant:
                raise refused("a speaker case names a speaker or participant the transcript does not have")
            speaker_cases.append((speaker, person, number or 1))
        for column in range(3):
            if len({c[column] for c in speaker_cases}) != len(speaker_cases):
                raise refused("two speaker cases of a transcript share a speaker, participant or number")
        sources.append(
            SourceRecord(
                _req_uuid(item, "uuid"),
                _str(item, "label", empty=False).strip(),
                participant,
                text,
                sha,
                tuple(turns),
                tuple(notes),
                tuple(speaker_cases),
                _survey_document(item, text, participant, surveys),
            )
        )
    _unique([s.uuid for s in sources], "transcripts")
    _check_respondents(sources)
    lengths = {s.uuid: len(s.text) for s in sources}

    by_uuid: dict[str, CodeRecord] = {}
    for item in _list(doc, "codes"):
        name = _str(item, "name", empty=False).strip()
        colour = _opt_str(item, "colour")
        origin = item.get("origin")
        if (
            "/" in name
            or (colour is not None and not _COLOUR.match(colour))
            or origin not in get_args(CodeOrigin)
        ):
            raise refused("a theme has a name, colour or origin that is not allowed")
        code = CodeRecord(
            _req_uuid(item, "uuid"),
            _uuid(item, "parent_uuid", optional=True),
            name,
            _str(item, "description"),
            colour,
            cast(CodeOrigin, origin),
        )
        if code.uuid in by_uuid:
            raise refused("two themes share a UUID")
        by_uuid[code.uuid] = code
    paths: dict[str, str] = {}
    ordered: list[CodeRecord] = []

    def path_of(code: CodeRecord, seen: frozenset[str]) -> str:
        if code.uuid in paths:
            return paths[code.uuid]
        if code.uuid in seen:
            raise refused("the themes' parent links form a loop")
        if len(seen) >= MAX_THEME_DEPTH:  # the levels below this one, walked up so far
            raise refused(f"its themes are nested more than {MAX_THEME_DEPTH} levels deep")
        if code.parent_uuid is None:
            path = code.name
        elif code.parent_uuid not in by_uuid:
            raise refused("a theme's parent is not in the package")
        else:
            path = f"{path_of(by_uuid[code.parent_uuid], seen | {code.uuid})}/{code.name}"
        if path.count("/") >= MAX_THEME_DEPTH:  # names hold no "/": it counts the levels
            raise refused(f"its themes are nested more than {MAX_THEME_DEPTH} levels deep")
        paths[code.uuid] = path
        ordered.append(code)
        return path

    for code in by_uuid.values():
        path_of(code, frozenset())
    if len(set(paths.values())) != len(paths):
        raise refused("two themes have the same path")

    codings = []
    raw_codings = doc.get("codings")
    for item in _list(doc, "codings"):
        transcript = _req_uuid(item, "transcript_uuid")
        if transcript not in lengths:
            raise refused("a coding refers to a transcript the package does not hold")
        code_uuid = _req_uuid(item, "code_uuid")
        if code_uuid not in by_uuid:
            raise refused("a coding refers to a theme the package does not hold")
        start, end = _range(item, lengths[transcript], "a coding")
        codings.append(
            Coding(
                _req_uuid(item, "uuid"),
                transcript,
                code_uuid,
                start,
                end,
                _req_uuid(item, "coder_uuid"),
                _str(item, "created_at", empty=False),
            )
        )
    coding_ids = _unique([c.uuid for c in codings], "codings")

    memos = []
    targets: dict[str, set[str]] = {"transcript": set(lengths), "code": set(by_uuid), "coding": coding_ids}
    for item in _list(doc, "memos"):
        kind = item.get("target_kind")
        if kind not in get_args(MemoTarget):
            raise refused("a memo has an unknown kind of target")
        target = _uuid(item, "target_uuid", optional=kind == "project")
        if kind == "project" and item.get("target_uuid") is not None:
            raise refused("a project memo names a target")
        if target is not None and target not in targets[str(kind)]:
            raise refused("a memo refers to a record the package does not hold")
        updated = _str(item, "updated_at", empty=False)
        memos.append(
            Memo(
                _req_uuid(item, "uuid"),
                cast(MemoTarget, kind),
                target,
                _str(item, "text"),
                _req_uuid(item, "coder_uuid"),
                updated,
                updated,
            )
        )
    _unique([m.uuid for m in memos], "memos")
    every = [*participant_ids, *lengths, *by_uuid, *coding_ids, *(m.uuid for m in memos), *surveys]
    _unique(every, "records")

    manifest = as_object(doc.get("manifest"), "'manifest'")
    if manifest.get("transcripts") != {s.uuid: s.sha256 for s in sources}:
        raise refused("its manifest does not list its transcripts' hashes")
    codings_sha = hashlib.sha256(json.dumps(raw_codings, sort_keys=True).encode("utf-8")).hexdigest()
    if manifest.get("codings_sha256") != codings_sha:
        raise refused("its codings do not match their hash in the manifest")
    return Package(
        sequence,
        coder_uuid,
        coder_name,
        tuple(participants),
        tuple(sources),
        tuple(ordered),
        paths,
        tuple(codings),
        tuple(memos),
        tuple(surveys.values()),
    )
