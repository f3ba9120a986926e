"""Workbooks that read well in Excel and LibreOffice Calc (issue 15): every row that wraps is given the
height its text needs (Calc does not grow rows by itself, so wrapped rows ran into each other), the
header row stays in view, and a printed sheet fits the page's width with the header on every page.

The bounds below are worked out here, not taken from the code: a row must be tall enough for the most
characters Calibri 11 could fit on a line of the column's width, and no taller than the fewest."""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.reports import export_matrix, write_summary
from jswcoder.reports.xlsx import Sheet, workbook
from jswcoder.services.transcripts import ParticipantFields
from tests.conftest import write_txt

LINE = 15.0  # points: Excel's and Calc's default row for Calibri 11
MOST_PER_UNIT, FEWEST_PER_UNIT = 1.3, 0.75  # characters per unit of column width, narrowest and widest text
LONG = (
    "Client: The worker listened to me, properly listened, the first time anybody had in years, and "
    "she came back when she said she would, every week, even when I was not doing well at all.\n"
)


def line_bounds(value: object, width: float) -> tuple[int, int]:
    """The fewest and the most lines ``value`` can take in a column ``width`` wide."""
    text = str(value)
    fewest = most = 0
    for line in text.split("\n"):
        fewest += max(1, math.ceil(len(line) / (width * MOST_PER_UNIT)))
        most += max(1, math.ceil(len(line) / (width * FEWEST_PER_UNIT)) + 1)
    return fewest, most


def check_heights(sheet: openpyxl.worksheet.worksheet.Worksheet) -> int:
    """Assert every row's height fits its text; return how many rows wrap."""
    widths = {
        column: sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width
        for column in range(1, sheet.max_column + 1)
    }
    wrapping = 0
    for row in sheet.iter_rows():
        bounds = [line_bounds(c.value, widths[c.column]) for c in row if c.value is not None]
        fewest = max(low for low, _ in bounds)
        most = max(high for _, high in bounds)
        height = sheet.row_dimensions[row[0].row].height
        if fewest == 1 and height is None:
            continue  # one line: the default height
        wrapping += fewest > 1
        assert height is not None, f"row {row[0].row} wraps but has no height"
        assert height >= min(409, fewest * LINE), f"row {row[0].row}: {height} pt for {fewest}+ lines"
        assert height <= max(LINE, most * LINE) + LINE, (
            f"row {row[0].row}: {height} pt for at most {most} lines"
        )
    return wrapping


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    project.codebook.add("Support/Workers")
    for number in range(1, 4):
        text = f"Interviewer: How was it?\n{LONG * number}"
        transcript = project.transcripts.import_file(
            write_txt(tmp_path / "in", f"c{number}.txt", text), ParticipantFields("Client", number)
        )[0]
        start = text.index("Client:") + 8
        project.codings.add(transcript.uuid, start, len(text) - 1, "Support/Workers")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    return project


def test_the_matrix_rows_are_as_tall_as_their_wrapped_text(coded: Project, tmp_path: Path) -> None:
    matrix = build_matrix(coded, level=2)
    matrix.save_summary(0, 0, "Listened to.")  # one line: no height needed
    matrix.save_summary(1, 0, "Listened to, came back every week.\nFelt believed.\n- kept going")
    matrix.save_summary(2, 0, LONG * 3)
    export_matrix(matrix, tmp_path / "m.xlsx")
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    sheet = book["Support"]
    assert sheet.freeze_panes == "C2"  # the header row and the two label columns stay in view
    assert check_heights(sheet) >= 2
    assert sheet.row_dimensions[2].height is None  # "Listened to." fits on one line
    passages = book["Passages"]
    assert passages.freeze_panes == "B2"
    assert check_heights(passages) == 3  # every passage is longer than a line
    heights = [passages.row_dimensions[r].height for r in range(2, 5)]
    assert heights == sorted(heights) and heights[0] < heights[2]  # one, two and three times LONG


def test_a_printed_sheet_fits_the_width_and_repeats_its_header(coded: Project, tmp_path: Path) -> None:
    export_matrix(build_matrix(coded, level=2), tmp_path / "m.xlsx")
    for sheet in openpyxl.load_workbook(tmp_path / "m.xlsx"):
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1"  # the header row, on every printed page


def test_the_summary_header_wraps_to_its_height(coded: Project, tmp_path: Path) -> None:
    write_summary(coded, tmp_path / "s.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    assert sheet.freeze_panes == "B2"
    check_heights(sheet)
    assert sheet.row_dimensions[1].height is not None  # "Client: participants" in a 16-wide column


def test_a_cell_too_long_for_any_row_gets_the_tallest_row_excel_allows(tmp_path: Path) -> None:
    rendered = workbook([Sheet("Long", ("Passage",), [(LONG * 40,)], (90,))])
    (tmp_path / "long.xlsx").write_bytes(rendered.data)
    sheet = openpyxl.load_workbook(tmp_path / "long.xlsx")["Long"]
    assert sheet.row_dimensions[2].height == 409
