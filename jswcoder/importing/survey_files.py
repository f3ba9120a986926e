"""Survey exports read into one plain table: the first step of importing a questionnaire (issue 18).

Survey platforms export their responses as spreadsheets with quirks of their own, and every file is
hostile. :func:`read_survey` takes the file's bytes (a ``.csv``, an ``.xlsx`` or an SPSS ``.sav``, the
last read in :mod:`~jswcoder.importing.survey_sav`) and returns a
:class:`SurveyTable`: the columns (a key and, where the export gives one, the question's text) and the
rows of text cells, or refuses the file with :class:`ImportRejected` and one plain reason.
:func:`read_survey_file` first makes the checks every imported file passes (``importing.base``).

* **CSV encodings:** UTF-8 with or without a byte order mark; UTF-16 with its mark, as Excel's
  "Unicode text" writes it; otherwise Windows-1252, as Excel's plain "CSV" writes it on a UK laptop
  (said in a warning). Text that decodes in none of these is refused.
* **Delimiters:** comma, semicolon (European Excel) or tab, chosen as the one that gives the most
  columns consistently over the first rows; quoted cells may hold delimiters and line breaks.
* **Qualtrics' three header rows** (question IDs, question texts, then ``{"ImportId": …}``): the IDs
  are the keys, the texts the questions, and the third row is dropped.
* **SmartSurvey's second header row** of sub-question labels ("Response", "Open-Ended Response", a
  grid question's rows): joined to the question over them ("Q3 — Housing"), and not read as a response.
* **Excel workbooks** (Microsoft Forms, JISC Online Surveys, SmartSurvey): the first worksheet; dates
  and times become ISO 8601 text, numbers their shortest text. openpyxl reads through defusedxml
  (no entity expansion), and the zip's declared sizes are checked before anything is unpacked.
* **Everywhere:** empty rows are dropped, blank or repeated headings get a unique key ("Column 3",
  "Q7 (2)"), short rows are padded, and limits on columns, rows and cell length refuse a file that
  claims more than a questionnaire holds (a CSV "bomb" of a million columns stops at the first row).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from jswcoder.errors import ImportRejected
from jswcoder.importing.base import read_checked_bytes

SURVEY_SUFFIXES = (".csv", ".xlsx", ".sav")
MAX_COLUMNS = 2_000
MAX_ROWS = 200_000
MAX_CELL = 100_000  # characters: a long open answer is a few thousand
# Delimiters one CSV record may hold before it is parsed, quoted ones included (answers hold commas).
RECORD_DELIMITERS = 50 * MAX_COLUMNS
MAX_UNPACKED = 256 * 1024 * 1024  # an .xlsx's declared contents, unpacked
MAX_RATIO = 200  # unpacked ÷ packed, per member: more is a zip bomb, not a spreadsheet
DELIMITERS = (",", ";", "\t")
SNIFF_ROWS = 20
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# A letter in UTF-8 (two to four bytes): in a file that is not UTF-8 as a whole, a sign of mixed encodings.
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_IMPORT_ID = re.compile(r'^\s*\{\s*"ImportId"\s*:')
# SmartSurvey's second header row says only this over a question that has no sub-questions.
_SUBHEADINGS = frozenset({"Response", "Responses", "Open-Ended Response", "Comment", "Answer"})


@dataclass(frozen=True)
class Column:
    key: str  # unique in the table: the heading as exported, made unique
    question: str  # the question's text where the export gives one (Qualtrics' second row), else the key


@dataclass(frozen=True)
class SurveyTable:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    layout: str  # "qualtrics", "smartsurvey" (two header rows) or "plain"
    warnings: tuple[str, ...] = field(default=())


def _decoded(path: Path, data: bytes) -> tuple[str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise ImportRejected(
                path, "says it is UTF-16 text but is not: is it the file the survey exported?"
            ) from None
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    if _UTF8_LETTER.search(data):
        raise ImportRejected(
            path,
            "mixes UTF-8 with another encoding, so letters would come out wrong: save it again as CSV UTF-8",
        )
    text = data.decode("cp1252", errors="strict") if _cp1252(data) else None
    if text is None:
        raise ImportRejected(path, "is not text in UTF-8, UTF-16 or Windows-1252: save it again as CSV UTF-8")
    return text, ["read as Windows-1252 (Excel's plain CSV): check accented letters, or save it as CSV UTF-8"]


def _cp1252(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def _split(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    pending = [0]  # delimiters fed to the record being read, quoted ones too

    def lines() -> Iterator[str]:
        # A "bomb" of a million columns is refused before the csv module builds a million-cell row.
        for match in _LINE.finditer(text):  # lines as open(newline="") gives them, without a copy
            line = match.group()
            pending[0] += line.count(delimiter)
            if pending[0] > RECORD_DELIMITERS:
                raise ValueError("columns")
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    for row in reader:
        pending[0] = 0
        if len(row) > MAX_COLUMNS:
            raise ValueError("columns")
        rows.append(row)
        if limit is not None and len(rows) >= limit:
            break
        if len(rows) > MAX_ROWS + 3:
            raise OverflowError("rows")
    return rows


def _delimiter(path: Path, text: str) -> str:
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in _split(text, delimiter, SNIFF_ROWS) if any(c.strip() for c in r)]
        except ValueError:
            raise ImportRejected(
                path, f"has more than {MAX_COLUMNS:,} columns: no questionnaire holds that many"
            ) from None
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        score = (sum(1 for r in rows if len(r) == width) if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates and times in ISO 8601, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(path: Path, data: bytes) -> tuple[list[list[str]], list[str]]:
    text, warnings = _decoded(path, data)
    if "\x00" in text:
        raise ImportRejected(path, "holds NUL characters: it is not a CSV file")
    delimiter = _delimiter(path, text)
    try:
        return _split(text, delimiter), warnings
    except ValueError:
        raise ImportRejected(
            path, f"has more than {MAX_COLUMNS:,} columns: no questionnaire holds that many"
        ) from None
    except OverflowError:
        raise ImportRejected(path, f"has more than {MAX_ROWS:,} responses; split the export") from None
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise ImportRejected(
                path, f"has a cell longer than {MAX_CELL:,} characters: no answer is that long"
            ) from None
        raise ImportRejected(path, f"is not a CSV file that can be read ({error})") from None


def _check_zip(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportRejected(path, "is not an Excel workbook (.xlsx): it does not open as one") from None
    if sum(m.file_size for m in members) > MAX_UNPACKED or any(
        m.file_size > MAX_RATIO * max(m.compress_size, 1) and m.file_size > 1024 * 1024 for m in members
    ):
        raise ImportRejected(path, "unpacks to far more than a spreadsheet holds (a zip bomb?)")
    names = {m.filename for m in members}
    if "word/document.xml" in names:
        raise ImportRejected(path, "is a Word document with its name ending .xlsx, not an Excel workbook")
    if "xl/workbook.xml" not in names:
        raise ImportRejected(path, "is not an Excel workbook (.xlsx): it has no workbook inside")


def _broken_workbook() -> tuple[type[BaseException], ...]:
    """What openpyxl raises for a workbook that is broken or hostile: each is the file's fault."""
    from xml.etree.ElementTree import ParseError  # noqa: PLC0415

    from defusedxml import DefusedXmlException  # noqa: PLC0415
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    return (
        InvalidFileException,
        DefusedXmlException,
        ParseError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        TypeError,
        OSError,
        IndexError,
    )


def _xlsx_rows(path: Path, data: bytes) -> list[list[str]]:
    _check_zip(path, data)
    from openpyxl import load_workbook  # noqa: PLC0415  (only a survey import needs it)

    broken = _broken_workbook()
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return _sheet_rows(path, book.worksheets)
        finally:
            book.close()
    except broken as error:
        raise ImportRejected(
            path, f"is not an Excel workbook that can be read ({type(error).__name__})"
        ) from None


def _sheet_rows(path: Path, sheets: Sequence[object]) -> list[list[str]]:
    if not sheets:
        raise ImportRejected(path, "has no worksheet")
    sheet = sheets[0]
    sheet.reset_dimensions()  # type: ignore[attr-defined]  # rows as stored, not as the file claims
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
        cells = list(values)
        while cells and cells[-1] is None:
            cells.pop()
        if len(cells) > MAX_COLUMNS:
            raise ImportRejected(
                path, f"has more than {MAX_COLUMNS:,} columns: no questionnaire holds that many"
            )
        rows.append([cell_text(v) for v in cells])
        if len(rows) > MAX_ROWS + 3:
            raise ImportRejected(path, f"has more than {MAX_ROWS:,} responses; split the export")
    return rows


def _unique(headings: Iterable[str]) -> list[str]:
    keys: list[str] = []
    taken: set[str] = set()
    for number, heading in enumerate(headings, start=1):
        base = " ".join(heading.split()) or f"Column {number}"
        key, copy = base, 2
        while key.casefold() in taken:
            key, copy = f"{base} ({copy})", copy + 1
        taken.add(key.casefold())
        keys.append(key)
    return keys


def _kept(path: Path, rows: Sequence[list[str]]) -> list[list[str]]:
    """The rows that hold anything, padded to one width, once no cell is longer than an answer."""
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise ImportRejected(path, "holds no responses: it is empty")
    width = max(len(r) for r in rows)
    padded = [[*r, *([""] * (width - len(r)))] for r in rows]
    for row in padded:
        if any(len(cell) > MAX_CELL for cell in row):
            raise ImportRejected(
                path, f"has a cell longer than {MAX_CELL:,} characters: no answer is that long"
            )
    return padded


def _table(path: Path, rows: Sequence[list[str]], warnings: list[str]) -> SurveyTable:
    padded = _kept(path, rows)
    width = len(padded[0])
    qualtrics = len(padded) >= 3 and sum(bool(_IMPORT_ID.match(c)) for c in padded[2]) > width // 2
    if qualtrics:
        keys = _unique(padded[0])
        questions = [" ".join(q.split()) or key for q, key in zip(padded[1], keys, strict=True)]
        layout, body = "qualtrics", padded[3:]
    elif _subheadings(padded):
        keys = _unique(_joined_headings(padded[0], padded[1]))
        questions, layout, body = keys, "smartsurvey", padded[2:]
    else:
        keys = _unique(padded[0])
        questions, layout, body = keys, "plain", padded[1:]
    if not body:
        raise ImportRejected(path, "has headings but no responses")
    columns = tuple(Column(k, q) for k, q in zip(keys, questions, strict=True))
    return SurveyTable(columns, tuple(tuple(r) for r in body), layout, tuple(warnings))


def _subheadings(rows: Sequence[list[str]]) -> bool:
    """Whether the second row labels the first row's questions (SmartSurvey's "Response",
    "Open-Ended Response", a grid question's rows) rather than being a respondent: its first cell, the
    respondent's ID, is blank while every response below has one, and it names a sub-question."""
    if len(rows) < 3 or rows[1][0].strip() or not all(r[0].strip() for r in rows[2:]):
        return False
    heads, subs = rows[0], rows[1]
    return any(s.strip() in _SUBHEADINGS for s in subs) or any(
        s.strip() and not h.strip() for h, s in zip(heads, subs, strict=True)
    )


def _joined_headings(heads: Sequence[str], subs: Sequence[str]) -> list[str]:
    """One heading per column: a grid question's text stands over its first column only, so a blank
    heading under a sub-label takes the question before it; a sub-label that says more than
    "Response" is added after a dash."""
    joined: list[str] = []
    question = ""
    for raw_head, raw_sub in zip(heads, subs, strict=True):
        head, sub = " ".join(raw_head.split()), " ".join(raw_sub.split())
        if head or not sub:
            question = head
        if sub and sub not in _SUBHEADINGS and question:
            joined.append(f"{question} — {sub}")
        else:
            joined.append(head or (question if sub else ""))
    return joined


def _sav_table(path: Path, data: bytes) -> SurveyTable:
    from jswcoder.importing.survey_sav import read_sav  # noqa: PLC0415  (only a .sav import needs it)

    names, labels, values = read_sav(path, data, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS)
    body = [[cell_text(v) for v in row] for row in values]
    rows = _kept(path, [names, *body])  # the names head the rows, so they are kept
    if len(rows) == 1:
        raise ImportRejected(path, "has variables but no responses")
    columns = tuple(Column(k, q) for k, q in zip(_unique(names), labels, strict=True))
    return SurveyTable(columns, tuple(tuple(r) for r in rows[1:]), "spss")


def read_survey(path: Path, data: bytes) -> SurveyTable:
    """The responses in a survey export (``.csv``, ``.xlsx`` or SPSS ``.sav``), or :class:`ImportRejected`."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows, warnings = _csv_rows(path, data)
        return _table(path, rows, warnings)
    if suffix == ".xlsx":
        return _table(path, _xlsx_rows(path, data), [])
    if suffix == ".sav":
        return _sav_table(path, data)
    raise ImportRejected(path, "is not a survey export this version reads: save it as .csv, .xlsx or .sav")


def read_survey_file(path: Path) -> SurveyTable:
    """:func:`read_survey` on a file the user chose, after the checks every imported file passes
    (missing, a folder, a pipe, empty, too large: one plain line each)."""
    path = Path(path)
    return read_survey(path, read_checked_bytes(path, SURVEY_SUFFIXES, "the survey export"))
