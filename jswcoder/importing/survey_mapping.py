"""What each column of a survey export is, guessed from its data for the user to confirm (issue 18).

Each column of a :class:`~jswcoder.importing.survey_files.SurveyTable` is one of:

* ``open`` — an open answer: codable text (long, varied answers);
* ``attribute`` — a closed answer that describes the respondent (few distinct values: a role, an area,
  "how satisfied…");
* ``id`` — the respondent's ID in the export (distinct in every row, short): what matches a respondent
  again when an updated export is imported;
* ``ignore`` — left out.

Columns that identify people are guessed ``ignore`` with a warning whatever their data: a name, an
email address, an IP address, a location, a precise time. Qualtrics', Microsoft Forms', SmartSurvey's
and JISC Online Surveys' own column names are known (User Name, Started, Timestamp…); otherwise the
heading's words and the values themselves (email and IP address shapes, timestamps) tell. The guesses are a starting point: the mapping is shown with samples, and on
the command line it is a small JSON file the user edits (:func:`to_json`, :func:`from_json`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jswcoder.errors import InvalidInput
from jswcoder.importing.survey_files import SurveyTable

KINDS = ("open", "attribute", "id", "ignore")
SAMPLES = 3
OPEN_MEAN_LENGTH = 40  # characters: answers this long on average are written, not chosen
ATTRIBUTE_SHARE = 0.5  # at most this share of distinct values among the answers given
ATTRIBUTE_MAX_VALUES = 30

# Headings that name identifying details, in the platforms' own words and in plain English.
_IDENTIFYING = re.compile(
    r"(?ix)^(?:"
    r"name|full\s*name|first\s*name|last\s*name|surname|respondent\s*name|user\s*name|"
    r"e-?mail(?:\s*address)?|recipient(?:first|last)?name|recipientemail|"
    r"ip\s*address|ipaddress|location(?:latitude|longitude)|latitude|longitude|"
    r"start\s*(?:date|time)|end\s*(?:date|time)|completion\s*(?:date|time)|recordeddate|"
    r"started|ended|completed|timestamp|submitted|date\s*submitted|"
    r"phone|telephone|mobile|address|postcode|date\s*of\s*birth|dob"
    r")$"
)
_PLATFORM_IGNORED = re.compile(
    r"(?i)^(?:status|progress|duration.*|finished|distributionchannel|userlanguage|externalreference|"
    r"last\s*modified\s*time|q_.*)$"
)
_ID_HEADING = re.compile(
    r"(?i)^(?:id|responseid|response\s*id|respondent\s*id|_recordid|record\s*id|user\s*id)$"
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_IP = re.compile(r"^(?:\d{1,3}\.){3}\d{1,3}$|^[0-9a-fA-F:]{6,}:[0-9a-fA-F:]+$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?|^\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}:\d{2}"
)


@dataclass(frozen=True)
class ColumnGuess:
    key: str
    question: str
    kind: str  # one of KINDS
    samples: tuple[str, ...]  # a few of its answers, for the user to see what it holds
    warning: str = ""  # why an identifying column is left out


def _share(values: Sequence[str], pattern: re.Pattern[str]) -> float:
    return sum(1 for v in values if pattern.match(v.strip())) / len(values) if values else 0.0


def _guess(key: str, question: str, values: Sequence[str], rows: int) -> tuple[str, str]:
    given = [v for v in values if v.strip()]
    heading = " ".join(key.split())
    if _IDENTIFYING.match(heading) or _IDENTIFYING.match(" ".join(question.split())):
        return "ignore", f"{heading} identifies people: left out unless you choose otherwise"
    for pattern, what in ((_EMAIL, "email addresses"), (_IP, "IP addresses"), (_TIMESTAMP, "precise times")):
        if given and _share(given, pattern) > 0.8:
            return (
                "ignore",
                f"{heading} holds {what}, which identify people: left out unless you choose otherwise",
            )
    if _PLATFORM_IGNORED.match(heading) or not given:
        return "ignore", ""
    distinct = len(set(given))
    if _ID_HEADING.match(heading) or (
        distinct == rows and rows > 1 and max(map(len, given)) <= 40 and " " not in "".join(given)
    ):
        return "id", ""
    mean = sum(map(len, given)) / len(given)
    if mean >= OPEN_MEAN_LENGTH or (
        distinct / len(given) > ATTRIBUTE_SHARE and distinct > ATTRIBUTE_MAX_VALUES
    ):
        return "open", ""
    if distinct <= ATTRIBUTE_MAX_VALUES or distinct / len(given) <= ATTRIBUTE_SHARE:
        return "attribute", ""
    return "open", ""


def guess_mapping(table: SurveyTable) -> list[ColumnGuess]:
    """A guess for every column, in order, with samples (the first distinct answers given)."""
    guesses = []
    for index, column in enumerate(table.columns):
        values = [row[index] for row in table.rows]
        kind, warning = _guess(column.key, column.question, values, len(table.rows))
        samples = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))[:SAMPLES]
        guesses.append(ColumnGuess(column.key, column.question, kind, samples, warning))
    return guesses


def to_json(guesses: Sequence[ColumnGuess]) -> str:
    """The mapping as the user edits it: ``{"columns": {key: kind}}``, with the questions as a note.
    Samples are left out: they are respondents' words, and the file may be kept or shared."""
    return json.dumps(
        {
            "kinds": list(KINDS),
            "columns": {g.key: g.kind for g in guesses},
            "questions": {g.key: g.question for g in guesses if g.question != g.key},
        },
        ensure_ascii=False,
        indent=2,
    )


def check_kinds(keys: Sequence[str], kinds: Mapping[str, str]) -> None:
    """Refuse, in one plain line, a mapping of the columns ``keys`` that cannot be imported: a column
    it does not name, a kind that is none, two IDs, or nothing to code."""
    missing = [k for k in keys if k not in kinds]
    if missing:
        raise InvalidInput(f"the mapping does not say what the column {missing[0]!r} is")
    wrong = [v for v in kinds.values() if v not in KINDS]
    if wrong:
        raise InvalidInput(f"{wrong[0]!r} is not a kind of column; use one of: {', '.join(KINDS)}")
    if sum(1 for k in keys if kinds[k] == "id") > 1:
        raise InvalidInput("the mapping gives more than one ID column; choose one")
    if not any(kinds[k] == "open" for k in keys):
        raise InvalidInput("the mapping has no open answer to code")


def from_json(text: str, table: SurveyTable) -> dict[str, str]:
    """The kinds a user's mapping file gives each column of *table*; one plain line if it does not fit."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"the mapping is not JSON (line {error.lineno}): {error.msg}") from None
    columns = document.get("columns") if isinstance(document, Mapping) else None
    if not isinstance(columns, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise InvalidInput('the mapping needs "columns": an object of column names and kinds')
    keys = [c.key for c in table.columns]
    unknown = [k for k in columns if k not in keys]
    if unknown:
        raise InvalidInput(f"the mapping names a column the export does not have: {unknown[0]!r}")
    check_kinds(keys, columns)
    return {k: columns[k] for k in keys}
