"""Survey exports read into one table (issue 18, the first step): real files made the way the platforms
make them (a Qualtrics three-header CSV, Excel's UTF-16 tab-separated text and its Windows-1252 CSV, a
European semicolon CSV, a Microsoft Forms workbook), and hostile ones refused with one plain line."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from jswcoder.errors import ImportRejected
from jswcoder.importing.survey_files import MAX_COLUMNS, read_survey
from tests.survey_fixtures import BUILDERS, build

TEXT_PLATFORMS = [name for name in BUILDERS if name != "spss"]  # .sav: tests/test_survey_sav.py


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def test_a_qualtrics_export_with_its_three_header_rows() -> None:
    rows = [
        ["StartDate", "ResponseId", "Q1", "Q2", "Q2"],
        ["Start Date", "Response ID", "Which area?", "What helped you most?", "What helped you most?"],
        [json.dumps({"ImportId": c}) for c in ("startDate", "_recordId", "QID1", "QID2_TEXT", "QID3")],
        ["2026-11-03 09:14:00", "R_1a", "Fife", "My worker, Morag, phoned\nevery week.", ""],
        ["", "", "", "", ""],
        ["2026-11-04 10:02:00", "R_2b", "Angus", "The group, and the café.", "x"],
    ]
    table = read_survey(Path("qualtrics.csv"), ("\ufeff" + _csv(rows)).encode("utf-8"))
    assert table.layout == "qualtrics" and table.warnings == ()
    assert [c.key for c in table.columns] == ["StartDate", "ResponseId", "Q1", "Q2", "Q2 (2)"]
    assert table.columns[3].question == "What helped you most?"
    assert table.rows == (
        ("2026-11-03 09:14:00", "R_1a", "Fife", "My worker, Morag, phoned\nevery week.", ""),
        ("2026-11-04 10:02:00", "R_2b", "Angus", "The group, and the café.", "x"),
    )


@pytest.mark.parametrize(
    ("encoding", "delimiter", "warned"),
    [("utf-16", "\t", False), ("cp1252", ",", True), ("utf-8", ";", False)],
)
def test_excel_text_exports(encoding: str, delimiter: str, warned: bool) -> None:
    rows = [["ID", "Role", "Comment"], ["1", "Team leader", "Caf\u00e9 staff; kind"], ["2", "Worker", "Fine"]]
    table = read_survey(Path("export.csv"), _csv(rows, delimiter).encode(encoding))
    assert table.layout == "plain"
    assert [c.key for c in table.columns] == ["ID", "Role", "Comment"]
    assert table.rows[0] == ("1", "Team leader", "Café staff; kind")
    assert bool(table.warnings) == warned


def test_a_microsoft_forms_workbook(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["ID", "Start time", "Completion time", "Email", "Name", "How satisfied?", "Tell us more", ""]
    )
    sheet.append(
        [
            1,
            datetime(2026, 11, 3, 9, 14),
            datetime(2026, 11, 3, 9, 20),
            "a@b.scot",
            "A B",
            4,
            "Line one\nline two",
            "kept",
        ]
    )
    sheet.append([None] * 8)
    sheet.append(
        [2, datetime(2026, 11, 4, 10, 2), datetime(2026, 11, 4, 10, 9), "c@d.scot", "C D", 5.0, "Good", None]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_survey(Path("forms.xlsx"), buffer.getvalue())
    assert [c.key for c in table.columns][-1] == "Column 8"  # a blank heading gets a name
    assert table.rows[0][:3] == ("1", "2026-11-03 09:14:00", "2026-11-03 09:20:00")
    assert table.rows[0][5:7] == ("4", "Line one\nline two")
    assert table.rows[1][5] == "5" and len(table.rows) == 2


def test_hostile_files_are_refused_with_one_plain_line() -> None:
    bomb = ",".join(["x"] * 1_000_000).encode()
    cases = {
        "a CSV of a million columns": (Path("bomb.csv"), bomb, f"more than {MAX_COLUMNS:,} columns"),
        "broken UTF-16": (Path("broken.csv"), b"\xff\xfe" + b"\x00\xd8a", "says it is UTF-16"),
        "binary": (Path("binary.csv"), b"ID,Name\n1,\x00\x81\x8d\x8f\x90\x9d", "is not text"),
        "not a workbook": (Path("fake.xlsx"), b"PK\x03\x04 not really", "not an Excel workbook"),
        "only headings": (Path("empty.csv"), b"ID,Name\n\n", "no responses"),
        "another file type": (Path("answers.ods"), b"PK\x03\x04", "save it as .csv, .xlsx or .sav"),
        "a .sav cut after its mark": (Path("answers.sav"), b"$FL2", "not an SPSS data file"),
    }
    for what, (path, data, reason) in cases.items():
        with pytest.raises(ImportRejected) as refused:
            read_survey(path, data)
        message = str(refused.value)
        assert reason in message and "\n" not in message, what


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    with pytest.raises(ImportRejected, match="zip bomb"):
        read_survey(Path("bomb.xlsx"), buffer.getvalue())


@pytest.mark.parametrize("name", TEXT_PLATFORMS)
def test_each_platforms_export_reads_into_one_table(name: str, tmp_path: Path) -> None:
    fixture = build(name, tmp_path)
    table = read_survey(fixture.path, fixture.path.read_bytes())
    keys = [c.key for c in table.columns]
    assert sorted(keys) == sorted(fixture.kinds)
    assert len(table.rows) == fixture.respondents
    assert tuple(row[keys.index(fixture.id_key)] for row in table.rows) == fixture.ids
    for key, answers in fixture.answers.items():
        assert tuple(row[keys.index(key)] for row in table.rows) == answers, key
    written = "\n".join(row[keys.index(k)] for row in table.rows for k in fixture.open_keys)
    assert all(planted in written for planted in fixture.planted)
    assert "\n" in written  # multi-line answers kept whole


def test_smartsurveys_second_header_row_names_the_sub_questions(tmp_path: Path) -> None:
    fixture = build("smartsurvey", tmp_path)
    table = read_survey(fixture.path, fixture.path.read_bytes())
    assert table.layout == "smartsurvey"
    grid = [c.key for c in table.columns if c.key.startswith("3. ")]
    assert grid == [
        "3. How well do you work with these partners? — Housing",
        "3. How well do you work with these partners? — Health",
    ]
    assert "Open-Ended Response" not in {cell for row in table.rows for cell in row}
