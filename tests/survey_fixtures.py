"""Realistic survey exports written the way each platform writes them, for the survey tests (issue 18).

Each builder writes one file at ``path`` (which must end with the suffix shown) and returns a
:class:`SurveyFixture` saying what a test should expect of it once read with
``jswcoder.importing.survey_files.read_survey`` and guessed with ``survey_mapping.guess_mapping``::

    from tests.survey_fixtures import BUILDERS, qualtrics_csv

    fixture = qualtrics_csv(tmp_path / "qualtrics.csv")
    fixture.id_key            # "ResponseId": the column that identifies a respondent in the export
    fixture.open_keys         # ("Q4", "Q5"): the open answers (codable text)
    fixture.attribute_keys    # the closed answers (role, area, satisfaction)
    fixture.identifying_keys  # names, emails, IP addresses, locations, precise times: ignored, warned
    fixture.ignored_keys      # the platform's own bookkeeping (Progress, Finished…): ignored, no warning
    fixture.kinds             # {key: "open" | "attribute" | "id" | "ignore"} for every column
    fixture.respondents       # how many responses (rows) the file holds
    fixture.ids               # each respondent's ID as read, in file order
    fixture.planted           # identifiers written INSIDE open answers ("Morag Smith", "Fife", an email)
    fixture.answers           # {open key: each respondent's answer as read}, in file order

    for name, build in BUILDERS.items():   # every platform, e.g. for pytest.mark.parametrize
        fixture = build(tmp_path / f"{name}{SUFFIXES[name]}")

The builders (all deterministic: the same bytes every run, 8 respondents each):

* :func:`qualtrics_csv` — Qualtrics "CSV, choice text": three header rows (question IDs, question
  texts, ``{"ImportId": …}``), UTF-8 with a BOM, CRLF, multi-line answers, an email distribution's
  Recipient* columns, IP address and location.
* :func:`forms_xlsx` — Microsoft Forms' workbook (openpyxl): ``ID, Start time, Completion time, Email,
  Name, Last modified time`` then the questions; Excel datetime cells.
* :func:`spss_sav` — an SPSS ``.sav`` written with ``pyreadstat.write_sav`` (as Qualtrics' and
  SmartSurvey's SPSS exports are): variable labels, value labels on the closed answers, datetimes.
* :func:`excel_utf16_tab` — a sheet saved by Excel as "Unicode text": UTF-16 LE with a BOM, tab
  separated, CRLF between rows, quoted cells holding line breaks.
* :func:`smartsurvey_csv` — SmartSurvey's CSV as assumed here: ``UserID, User Name, IP Address,
  Started, Ended`` then numbered questions, and a second header row of sub-question labels
  ("Response", "Open-Ended Response", a grid question's rows under one heading).
* :func:`jisc_xlsx` — JISC Online Surveys' workbook as assumed here: ``Response ID, Timestamp,
  Started`` (Excel datetimes) then ``1. Question``, ``1.a. If you selected Other…`` sub-questions.
* :func:`large_csv` — a plain CSV of ``respondents`` × ``columns`` (``open_columns`` of them open)
  for the benchmark; seeded, so deterministic too.

The SmartSurvey and JISC layouts were not checked against a real export (no public sample was found);
they follow the platforms' help pages as remembered: adjust here if a real file differs.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path


@dataclass(frozen=True)
class SurveyFixture:
    """What a test should expect of one written export."""

    path: Path
    platform: str
    id_key: str
    open_keys: tuple[str, ...]
    attribute_keys: tuple[str, ...]
    identifying_keys: tuple[str, ...]
    ignored_keys: tuple[str, ...]
    respondents: int
    ids: tuple[str, ...]
    planted: tuple[str, ...]
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def kinds(self) -> dict[str, str]:
        """The kind ``guess_mapping`` should give every column (identifying and ignored: "ignore")."""
        kinds = {self.id_key: "id"}
        kinds |= dict.fromkeys(self.open_keys, "open")
        kinds |= dict.fromkeys(self.attribute_keys, "attribute")
        kinds |= dict.fromkeys(self.identifying_keys + self.ignored_keys, "ignore")
        return kinds


# --- one small study: 8 respondents to a joint-working questionnaire --------------------------------

PLANTED = ("Morag Smith", "Fife", "Dundee", "jamie.reid@example.org")
"""Identifiers written inside the open answers: a worker's name, two places and an email address."""

NAMES = (
    ("Morag", "Smith"),
    ("Jamie", "Reid"),
    ("Ailsa", "Campbell"),
    ("Callum", "Fraser"),
    ("Iona", "MacLeod"),
    ("Euan", "Stewart"),
    ("Kirsty", "Robertson"),
    ("Fraser", "Duncan"),
)
ROLES = ("Justice social worker", "Team leader", "Third sector partner")
AREAS = ("Fife", "Dundee", "Angus", "Perth and Kinross")
SATISFACTION = ("Very dissatisfied", "Dissatisfied", "Neither", "Satisfied", "Very satisfied")
SATISFIED = (4, 5, 3, 2, 4, 5, None, 4)  # 1–5; one respondent skipped the question
HELPED = (
    "Having the same worker throughout. Morag Smith at the Fife office phoned every week, "
    "and that kept me going.",
    "The weekly group in Dundee, and the lunches after it, got people out of the house.\n"
    "Several would not have gone on their own.",
    "Joint visits with the housing officer meant people only had to tell their story once.",
    "Being treated like a person rather than a case number, to be honest.",
    "The unpaid work placement at the community garden showed people they could stick at something.",
    "Quick answers by email (you can reach me at jamie.reid@example.org if you want to follow up).",
    "Nothing much at first; later the third sector mentor sorted out benefits and a flat.",
    "Knowing the same worker would be there each time, and that the sheriff got a proper report.",
)
CHANGE = (
    "Fewer handovers between teams.\nShared case notes with the police would save a lot of phone calls.",
    "A single point of contact for housing; at the moment every referral starts from scratch.",
    "More money for the women's service in Fife, which has a waiting list of months.",
    "Meetings at times when partners can actually attend, not 9am on a Monday.",
    "Training together with the third sector so everyone uses the same words for risk.",
    "Give us the time to build relationships instead of counting appointments.",
    "Transport: the bus from the villages to Dundee costs more than people can pay.",
    "Better information sharing agreements, written so that frontline staff understand them.",
)
N = len(NAMES)


def _started(n: int) -> datetime:
    return datetime(2026, 11, 3, 9, 14) + timedelta(days=n, hours=n % 3, minutes=7 * n)


def _ended(n: int) -> datetime:
    return _started(n) + timedelta(minutes=6 + 3 * n, seconds=11 * n)


def _email(n: int) -> str:
    first, last = NAMES[n]
    return f"{first.lower()}.{last.lower()}@example.org"


def _satisfaction(n: int) -> str:
    value = SATISFIED[n]
    return "" if value is None else SATISFACTION[value - 1]


def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


# --- Qualtrics ---------------------------------------------------------------------------------------

_QUALTRICS_META = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)
_QUALTRICS_QUESTIONS = (
    ("Q1", "What is your role?", '{"ImportId":"QID1"}'),
    ("Q2", "Which local authority area do you mainly work in?", '{"ImportId":"QID2"}'),
    ("Q3", "How satisfied are you with joint working in your area?", '{"ImportId":"QID3"}'),
    ("Q4", "What has helped joint working in your area? Please give examples.", '{"ImportId":"QID4_TEXT"}'),
    ("Q5", "What one thing would you change?", '{"ImportId":"QID5_TEXT"}'),
)
_QUALTRICS_IDS = tuple(
    f"R_{code}"
    for code in (
        "1DaXg3kQmT8wZpL",
        "2bYc7HnVfR4sQeK",
        "3eWq9LrTgP2mJdA",
        "0uPz5XyKcB6nHtS",
        "1kMf8QvRwE3jLoC",
        "2nTg4AsDzY7pViB",
        "3hJr6WxNbU1qFeM",
        "0pLs2CdKeG9tRyZ",
    )
)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(sep=" ", timespec="seconds")


def qualtrics_csv(path: Path) -> SurveyFixture:
    """Qualtrics' "CSV, use choice text" export of an email distribution (UTF-8 with BOM, CRLF)."""
    columns = _QUALTRICS_META + _QUALTRICS_QUESTIONS
    rows = [[c[0] for c in columns], [c[1] for c in columns], [c[2] for c in columns]]
    for n in range(N):
        first, last = NAMES[n]
        rows.append(
            [
                _stamp(_started(n)),
                _stamp(_ended(n)),
                "IP Address",
                f"81.{100 + n}.{17 * n % 256}.{(41 * n + 9) % 256}",
                "100",
                str(int((_ended(n) - _started(n)).total_seconds())),
                "True",
                _stamp(_ended(n) + timedelta(seconds=1)),
                _QUALTRICS_IDS[n],
                last,
                first,
                _email(n),
                "",
                f"{56.1 + n / 50:.4f}",
                f"{-3.2 - n / 40:.4f}",
                "email",
                "EN-GB",
                ROLES[n % 3],
                AREAS[n % 4],
                _satisfaction(n),
                HELPED[n],
                CHANGE[n],
            ]
        )
    path.write_bytes(("\ufeff" + _csv_text(rows)).encode("utf-8"))
    return SurveyFixture(
        path=path,
        platform="qualtrics",
        id_key="ResponseId",
        open_keys=("Q4", "Q5"),
        attribute_keys=("Q1", "Q2", "Q3"),
        identifying_keys=(
            "StartDate",
            "EndDate",
            "IPAddress",
            "RecordedDate",
            "RecipientLastName",
            "RecipientFirstName",
            "RecipientEmail",
            "LocationLatitude",
            "LocationLongitude",
        ),
        ignored_keys=(
            "Status",
            "Progress",
            "Duration (in seconds)",
            "Finished",
            "ExternalReference",
            "DistributionChannel",
            "UserLanguage",
        ),
        respondents=N,
        ids=_QUALTRICS_IDS,
        planted=PLANTED,
        answers={"Q4": HELPED, "Q5": CHANGE},
    )


# --- Microsoft Forms ---------------------------------------------------------------------------------

_FORMS_QUESTIONS = (
    "What is your role?",
    "Which local authority area do you mainly work in?",
    "How satisfied are you with joint working in your area?",
    "What has helped joint working in your area?",
    "What one thing would you change?",
)


def forms_xlsx(path: Path) -> SurveyFixture:
    """Microsoft Forms' "Open in Excel" workbook: Excel datetimes, the ID a number, one sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Form1"
    sheet.append(
        ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time", *_FORMS_QUESTIONS]
    )
    for n in range(N):
        first, last = NAMES[n]
        sheet.append(
            [
                n + 1,
                _started(n),
                _ended(n),
                _email(n),
                f"{first} {last}",
                None,
                ROLES[n % 3],
                AREAS[n % 4],
                _satisfaction(n) or None,
                HELPED[n],
                CHANGE[n],
            ]
        )
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "m/d/yy h:mm:ss"  # as Forms formats them
    book.save(path)
    return SurveyFixture(
        path=path,
        platform="forms",
        id_key="ID",
        open_keys=(_FORMS_QUESTIONS[3], _FORMS_QUESTIONS[4]),
        attribute_keys=_FORMS_QUESTIONS[:3],
        identifying_keys=("Start time", "Completion time", "Email", "Name"),
        ignored_keys=("Last modified time",),
        respondents=N,
        ids=tuple(str(n + 1) for n in range(N)),
        planted=PLANTED,
        answers={_FORMS_QUESTIONS[3]: HELPED, _FORMS_QUESTIONS[4]: CHANGE},
    )


# --- SPSS .sav ---------------------------------------------------------------------------------------

_SAV_LABELS = {
    "ResponseId": "Response ID",
    "StartDate": "Start Date",
    "EndDate": "End Date",
    "IPAddress": "IP Address",
    "RecipientEmail": "Recipient Email",
    "role": "What is your role?",
    "area": "Which local authority area do you mainly work in?",
    "satisfied": "How satisfied are you with joint working in your area?",
    "helped": "What has helped joint working in your area? Please give examples.",
    "change": "What one thing would you change?",
}


def spss_sav(path: Path) -> SurveyFixture:
    """An SPSS file as Qualtrics' and SmartSurvey's SPSS exports are: coded closed answers with
    value labels, variable labels holding the questions, datetimes as SPSS datetimes."""
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(
        {
            "ResponseId": list(_QUALTRICS_IDS),
            "StartDate": [_started(n) for n in range(N)],
            "EndDate": [_ended(n) for n in range(N)],
            "IPAddress": [f"81.{100 + n}.{17 * n % 256}.{(41 * n + 9) % 256}" for n in range(N)],
            "RecipientEmail": [_email(n) for n in range(N)],
            "role": [float(n % 3 + 1) for n in range(N)],
            "area": [float(n % 4 + 1) for n in range(N)],
            "satisfied": [float("nan") if v is None else float(v) for v in SATISFIED],
            "helped": list(HELPED),
            "change": list(CHANGE),
        }
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=_SAV_LABELS,
        variable_value_labels={
            "role": {float(i + 1): r for i, r in enumerate(ROLES)},
            "area": {float(i + 1): a for i, a in enumerate(AREAS)},
            "satisfied": {float(i + 1): s for i, s in enumerate(SATISFACTION)},
        },
        variable_measure={"role": "nominal", "area": "nominal", "satisfied": "ordinal"},
    )
    return SurveyFixture(
        path=path,
        platform="spss",
        id_key="ResponseId",
        open_keys=("helped", "change"),
        attribute_keys=("role", "area", "satisfied"),
        identifying_keys=("StartDate", "EndDate", "IPAddress", "RecipientEmail"),
        ignored_keys=(),
        respondents=N,
        ids=_QUALTRICS_IDS,
        planted=PLANTED,
        answers={"helped": HELPED, "change": CHANGE},
    )


# --- Excel's "Unicode text" --------------------------------------------------------------------------

_UTF16_HEADINGS = (
    "Respondent ID",
    "Name",
    "Email address",
    "Local authority",
    "Role",
    "Years in post",
    "Q7 What has helped?",
    "Q8 What would you change?",
)


def excel_utf16_tab(path: Path) -> SurveyFixture:
    """A team's own spreadsheet saved by Excel as "Unicode Text (*.txt)", renamed .csv: UTF-16 LE with
    a BOM, tabs between cells, CRLF between rows, a cell with a line break quoted (LF inside)."""
    rows = [list(_UTF16_HEADINGS)]
    for n in range(N):
        first, last = NAMES[n]
        rows.append(
            [
                f"JSW-{n + 1:02d}",
                f"{first} {last}",
                _email(n),
                AREAS[n % 4],
                ROLES[n % 3],
                str((3, 12, 7, 1, 20, 5, 3, 9)[n]),
                HELPED[n],
                CHANGE[n],
            ]
        )
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    path.write_bytes(b"\xff\xfe" + buffer.getvalue().encode("utf-16-le"))
    return SurveyFixture(
        path=path,
        platform="excel-unicode-text",
        id_key="Respondent ID",
        open_keys=("Q7 What has helped?", "Q8 What would you change?"),
        attribute_keys=("Local authority", "Role", "Years in post"),
        identifying_keys=("Name", "Email address"),
        ignored_keys=(),
        respondents=N,
        ids=tuple(f"JSW-{n + 1:02d}" for n in range(N)),
        planted=PLANTED,
        answers={"Q7 What has helped?": HELPED, "Q8 What would you change?": CHANGE},
    )


# --- SmartSurvey -------------------------------------------------------------------------------------

_SMART_GRID = ("Housing", "Health")  # a grid question: one column per row of the grid


def smartsurvey_csv(path: Path) -> SurveyFixture:
    """SmartSurvey's CSV as assumed: respondent columns, numbered questions, and a second header row
    of sub-question labels; a grid question's text stands over its first column only."""
    first_row = [
        "UserID",
        "User Name",
        "IP Address",
        "Started",
        "Ended",
        "1. What is your role?",
        "2. Which local authority area do you mainly work in?",
        "3. How well do you work with these partners?",
        "",
        "4. What has helped joint working in your area?",
        "5. What one thing would you change?",
    ]
    second_row = [
        "",
        "",
        "",
        "",
        "",
        "Response",
        "Response",
        *_SMART_GRID,
        "Open-Ended Response",
        "Open-Ended Response",
    ]
    rows = [first_row, second_row]
    grid = ("Well", "Very well", "Not well", "Well", "Well", "Very well", "Not well", "Well")
    for n in range(N):
        first, last = NAMES[n]
        rows.append(
            [
                str(148_203_117 + 37 * n),
                f"{first} {last}",
                f"81.{100 + n}.{17 * n % 256}.{(41 * n + 9) % 256}",
                _started(n).strftime("%d/%m/%Y %H:%M:%S"),
                _ended(n).strftime("%d/%m/%Y %H:%M:%S"),
                ROLES[n % 3],
                AREAS[n % 4],
                grid[n],
                grid[(n + 3) % N],
                HELPED[n],
                CHANGE[n],
            ]
        )
    path.write_bytes(_csv_text(rows).encode("utf-8"))
    grid_keys = tuple(f"3. How well do you work with these partners? — {g}" for g in _SMART_GRID)
    return SurveyFixture(
        path=path,
        platform="smartsurvey",
        id_key="UserID",
        open_keys=("4. What has helped joint working in your area?", "5. What one thing would you change?"),
        attribute_keys=(
            "1. What is your role?",
            "2. Which local authority area do you mainly work in?",
            *grid_keys,
        ),
        identifying_keys=("User Name", "IP Address", "Started", "Ended"),
        ignored_keys=(),
        respondents=N,
        ids=tuple(str(148_203_117 + 37 * n) for n in range(N)),
        planted=PLANTED,
        answers={
            "4. What has helped joint working in your area?": HELPED,
            "5. What one thing would you change?": CHANGE,
        },
    )


# --- JISC Online Surveys -----------------------------------------------------------------------------

_JISC_QUESTIONS = (
    "1. What is your role?",
    "1.a. If you selected Other, please specify:",
    "2. Which local authority area do you mainly work in?",
    "3. How satisfied are you with joint working in your area?",
    "4. What has helped joint working in your area?",
    "5. What one thing would you change?",
)


def jisc_xlsx(path: Path) -> SurveyFixture:
    """JISC Online Surveys' "Export responses" workbook as assumed: Response ID, Timestamp and
    Started (Excel datetimes), then numbered questions with lettered sub-questions."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Responses"
    sheet.append(["Response ID", "Timestamp", "Started", *_JISC_QUESTIONS])
    other = {2: "Peer mentor", 5: "Housing support officer"}
    for n in range(N):
        sheet.append(
            [
                90_412_733 + n * 11,
                _ended(n),
                _started(n),
                "Other" if n in other else ROLES[n % 3],
                other.get(n),
                AREAS[n % 4],
                _satisfaction(n) or None,
                HELPED[n],
                CHANGE[n],
            ]
        )
    book.save(path)
    return SurveyFixture(
        path=path,
        platform="jisc",
        id_key="Response ID",
        open_keys=(_JISC_QUESTIONS[4], _JISC_QUESTIONS[5]),
        attribute_keys=_JISC_QUESTIONS[:4],
        identifying_keys=("Timestamp", "Started"),
        ignored_keys=(),
        respondents=N,
        ids=tuple(str(90_412_733 + n * 11) for n in range(N)),
        planted=PLANTED,
        answers={_JISC_QUESTIONS[4]: HELPED, _JISC_QUESTIONS[5]: CHANGE},
    )


# --- the benchmark's large export --------------------------------------------------------------------

_WORDS = (
    "worker group housing phoned week appointment sheriff report order unpaid placement mentor "
    "benefits flat police referral partner meeting training risk relationship transport bus village "
    "information sharing support listened helped change time team office community garden service"
).split()


def large_csv(
    path: Path, respondents: int = 5000, columns: int = 40, open_columns: int = 10
) -> SurveyFixture:
    """A plain UTF-8 CSV: ``ID``, ``Start time``, ``Email``, ``Name``, closed answers, then
    ``open_columns`` open answers of one to three sentences; seeded, so the same file every run."""
    if columns < open_columns + 5:
        raise ValueError("columns must leave room for ID, Start time, Email, Name and one attribute")
    rng = random.Random(18)
    attributes = tuple(f"A{i + 1}" for i in range(columns - open_columns - 4))
    opens = tuple(f"Open {i + 1}" for i in range(open_columns))
    rows = [["ID", "Start time", "Email", "Name", *attributes, *opens]]
    for n in range(respondents):
        first, last = NAMES[n % N]
        answers = []
        for _ in opens:
            sentences = [
                " ".join(rng.choices(_WORDS, k=rng.randint(8, 18))).capitalize() + "."
                for _ in range(rng.randint(1, 3))
            ]
            answers.append(" ".join(sentences))
        rows.append(
            [
                f"R{n + 1:05d}",
                _stamp(_started(n % 97)),
                f"{first.lower()}.{last.lower()}{n}@example.org",
                f"{first} {last}",
                *(f"Option {rng.randint(1, 5)}" for _ in attributes),
                *answers,
            ]
        )
    path.write_bytes(_csv_text(rows).encode("utf-8"))
    return SurveyFixture(
        path=path,
        platform="plain",
        id_key="ID",
        open_keys=opens,
        attribute_keys=attributes,
        identifying_keys=("Start time", "Email", "Name"),
        ignored_keys=(),
        respondents=respondents,
        ids=tuple(f"R{n + 1:05d}" for n in range(respondents)),
        planted=(),
    )


BUILDERS: dict[str, Callable[[Path], SurveyFixture]] = {
    "qualtrics": qualtrics_csv,
    "forms": forms_xlsx,
    "spss": spss_sav,
    "excel_utf16": excel_utf16_tab,
    "smartsurvey": smartsurvey_csv,
    "jisc": jisc_xlsx,
}
"""Every platform's builder by a short name (large_csv is not here: it takes sizes)."""

SUFFIXES = {
    "qualtrics": ".csv",
    "forms": ".xlsx",
    "spss": ".sav",
    "excel_utf16": ".csv",
    "smartsurvey": ".csv",
    "jisc": ".xlsx",
}
"""The file suffix each builder's path needs."""


def build(name: str, folder: Path) -> SurveyFixture:
    """Write the export ``name`` (a key of :data:`BUILDERS`) into ``folder`` and return what to expect."""
    return BUILDERS[name](folder / f"{name}{SUFFIXES[name]}")


__all__ = [
    "BUILDERS",
    "PLANTED",
    "SUFFIXES",
    "SurveyFixture",
    "build",
    "excel_utf16_tab",
    "forms_xlsx",
    "jisc_xlsx",
    "large_csv",
    "qualtrics_csv",
    "smartsurvey_csv",
    "spss_sav",
]
