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

import re
from collections.abc import Sequence
from functools import cache

LINE_POINTS = 15.0  # one line of Calibri 11: Excel's own default row
MAX_ROW_POINTS = 409.0  # the tallest row Excel and Calc allow
CHARACTERS_PER_UNIT = 1.1
BOLD_CHARACTERS_PER_UNIT = 1.0
_CELL_PADDING_UNITS = 1.0  # the cell's margins, in units of width


@cache
def _line(room: int) -> re.Pattern[str]:
    """One wrapped line: as many characters as fit, up to a space; or a word too long for any line."""
    return re.compile(rf"[^\n]{{1,{room}}}(?=\s|$)\s*|\S{{1,{room}}}")


def _room(width: float, per_unit: float) -> int:
    """The characters that fit on one line of a column ``width`` wide."""
    return max(1, int((width - _CELL_PADDING_UNITS) * per_unit))


def lines_in(text: str, room: int) -> int:
    """The lines ``text`` takes at ``room`` characters a line, wrapped at spaces as a spreadsheet does."""
    if len(text) <= room and "\n" not in text:
        return 1
    line = _line(room)
    return sum(1 if len(part) <= room else len(line.findall(part)) for part in text.split("\n"))


def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """The lines ``text`` takes in a column ``width`` wide."""
    return lines_in(text, _room(width, BOLD_CHARACTERS_PER_UNIT if bold else CHARACTERS_PER_UNIT))


class RowHeights:
    """The heights of one sheet's rows, its columns' widths given (in units of width)."""

    def __init__(self, widths: Sequence[float]) -> None:
        self._rooms = tuple(_room(width, CHARACTERS_PER_UNIT) for width in widths)
        self._bold_rooms = tuple(_room(width, BOLD_CHARACTERS_PER_UNIT) for width in widths)

    def of(self, values: Sequence[object], *, bold: bool = False) -> float | None:
        """The height (points) a row needs, or None when every cell fits on one line."""
        lines = 1
        for value, room in zip(values, self._bold_rooms if bold else self._rooms, strict=False):
            if isinstance(value, str) and (len(value) > room or "\n" in value):
                lines = max(lines, lines_in(value, room))
        return None if lines <= 1 else min(MAX_ROW_POINTS, lines * LINE_POINTS)
