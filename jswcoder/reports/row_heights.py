"""How tall a spreadsheet row must be for its wrapped text: Excel and LibreOffice Calc do not work it out.

Excel grows a row to fit wrapped text only when the row is edited, and Calc, opening a workbook whose
rows have no height, leaves each at one line, so a long passage runs over the rows below it. Every
row that wraps is given a height here: its cells' text wrapped word by word at the column's width, the
tallest cell's lines times a line of Calibri 11, up to the 409 points a row can be.

A column's width counts characters "0" wide; running text in Calibri (or Calc's Carlito) fits about
1.2 to the unit. :data:`CHARACTERS_PER_UNIT` errs on the side of a row a little taller than needed,
since one too short hides the end of a passage.
"""

from __future__ import annotations

from collections.abc import Sequence

LINE_POINTS = 15.0  # one line of Calibri 11: Excel's own default row
MAX_ROW_POINTS = 409.0  # the tallest row Excel and Calc allow
CHARACTERS_PER_UNIT = 1.1
BOLD_CHARACTERS_PER_UNIT = 1.0
_CELL_PADDING_UNITS = 1.0  # the cell's margins, in units of width


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """The lines ``text`` takes in a column ``width`` wide, wrapped at spaces as a spreadsheet does."""
    per_unit = BOLD_CHARACTERS_PER_UNIT if bold else CHARACTERS_PER_UNIT
    room = max(1, int((width - _CELL_PADDING_UNITS) * per_unit))
    lines = 0
    for paragraph in text.split("\n"):
        if len(paragraph) <= room:
            lines += 1
            continue
        used = -1  # the characters on the line so far; -1: nothing yet, so no space before the word
        lines += 1
        for word in paragraph.split(" "):
            if used >= 0 and used + 1 + len(word) > room:
                lines += 1
                used = -1
            used += 1 + len(word)
            while used > room:  # a word longer than the line breaks where it must
                lines += 1
                used -= room
    return lines


def row_height(values: Sequence[object], widths: Sequence[float], *, bold: bool = False) -> float | None:
    """The height (points) a row needs, or None when every cell fits on one line."""
    lines = max(
        (
            wrapped_lines(value, width, bold=bold)
            for value, width in zip(values, widths, strict=False)
            if isinstance(value, str)
        ),
        default=1,
    )
    return None if lines <= 1 else min(MAX_ROW_POINTS, lines * LINE_POINTS)
