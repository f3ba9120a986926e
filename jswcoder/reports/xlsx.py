"""Excel workbooks (openpyxl): plain tables in, a workbook's bytes and its text out.

Every sheet gets a bold, frozen header row (and frozen label columns), wrapped text aligned to the
top, column widths chosen per column, and each row that wraps the height its text needs
(:mod:`jswcoder.reports.row_heights`); printed, it is landscape, one page wide, with the header row
on every page. Sheets are written row by row (openpyxl's write-only mode),
so a "Passages" sheet of 30,000 rows takes seconds, not minutes. A text cell that starts like a formula (``=``, ``+``, ``-``,
``@``) is stored as text with Excel's leading-apostrophe marker (the cell's *quote prefix*), so no
spreadsheet program evaluates it and the cell still reads exactly as written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from jswcoder.plain_text import looks_like_formula
from jswcoder.reports.base import Rendered, printable
from jswcoder.reports.row_heights import RowHeights

MAX_CELL_CHARACTERS = 32_000  # Excel refuses cells over 32,767 characters
MAX_TITLE = 31
_NOT_IN_TITLES = re.compile(r"[\[\]:*?/\\]")
_RESERVED_TITLES = {"history"}

Cell = str | int | float


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a header row, rows of text or numbers, a width per column (in characters)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    widths: Sequence[float]
    frozen_columns: int = 1


def sheet_title(name: str, taken: set[str]) -> str:
    """A title Excel accepts (no ``[]:*?/\\``, at most 31 characters), unique among ``taken``."""
    title = _NOT_IN_TITLES.sub("", printable(name)).strip().strip("'").strip() or "Sheet"
    if title.casefold() in _RESERVED_TITLES:
        title += " (theme)"
    base, number = title[:MAX_TITLE].rstrip(), 2
    candidate = base
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate = base[: MAX_TITLE - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(candidate.casefold())
    return candidate


def _text(value: str) -> str:
    value = printable(value)
    if len(value) > MAX_CELL_CHARACTERS:
        cut = len(value) - MAX_CELL_CHARACTERS
        value = value[:MAX_CELL_CHARACTERS] + f" … [{cut:,} more characters not shown]"
    return value


def _styled(page: Any, value: Cell, style: Any) -> Any:
    cell = WriteOnlyCell(page, value)
    cell._style = copy(style)  # one style for every cell, copied rather than rebuilt (as openpyxl does)
    if isinstance(value, str) and looks_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def _for_print(page: Any) -> None:
    """Landscape, as wide as one page, the header row repeated on every page."""
    page.page_setup.orientation = "landscape"
    page.page_setup.fitToWidth = 1
    page.page_setup.fitToHeight = 0  # as many pages down as it takes
    page.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    page.print_title_rows = "1:1"


def workbook(sheets: Sequence[Sheet]) -> Rendered:
    """The workbook's bytes, with every string in it. Written row by row (openpyxl's write-only mode)."""
    book = Workbook(write_only=True)
    texts: list[str] = []
    taken: set[str] = set()
    for sheet in sheets:
        page = book.create_sheet(sheet_title(sheet.title, taken))
        texts.append(page.title)
        for column_number, width in enumerate(sheet.widths, start=1):
            page.column_dimensions[get_column_letter(column_number)].width = width
        page.freeze_panes = f"{get_column_letter(sheet.frozen_columns + 1)}2"
        wrapped = Alignment(wrap_text=True, vertical="top")
        body, header = WriteOnlyCell(page), WriteOnlyCell(page)
        body.alignment = header.alignment = wrapped
        header.font = Font(bold=True)
        _for_print(page)
        heights = RowHeights(sheet.widths)
        for number, row in enumerate([sheet.header, *sheet.rows]):
            values = [_text(v) if isinstance(v, str) else v for v in row]
            texts += [v for v in values if isinstance(v, str)]
            height = heights.of(values, bold=not number)
            if height is not None:  # the row's attributes, as the writer reads them; before it is written
                page.row_dimensions[number + 1] = {"ht": f"{height:g}", "customHeight": "1"}
            page.append([_styled(page, v, (body if number else header)._style) for v in values])
            page.row_dimensions.pop(number + 1, None)
    if not sheets:
        book.create_sheet("Empty")
    buffer = io.BytesIO()
    book.save(buffer)
    return Rendered(buffer.getvalue(), tuple(texts))
