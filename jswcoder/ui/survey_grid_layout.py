"""Where each answer lies in the survey grid's text, and where a grid position lies in its document.

The grid shows every answer to one question in a single read-only text (one view, however many
answers: a widget per answer would not open 5,000 of them in time), the answers one under another with
a blank line between. A coding is always made in the respondent's own document, so positions go both
ways: a selection in the grid becomes ``answer.start + (grid position - answer's grid start)`` in its
document, and a coding in a document is drawn at the matching grid positions. A selection never
reaches from one answer into the next: it is cut at the end of the answer it starts in. No Qt here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from jswcoder.store.surveys import GridAnswer

SEPARATOR = "\n\n"  # a blank line between answers: the gutter names the respondent beside it


@dataclass(frozen=True)
class Picked:
    """The part of a grid selection that is coded: in which answer, at which document offsets."""

    index: int  # the answer's row in the grid
    answer: GridAnswer
    start: int  # code points into the respondent's document
    end: int
    clipped: bool  # the selection ran on into another answer, and was cut at this one's end


@dataclass(frozen=True)
class GridLayout:
    """The grid's text and where each answer starts in it (code points and Qt's UTF-16 units)."""

    answers: tuple[GridAnswer, ...]
    text: str
    starts: tuple[int, ...]  # code point offset of each answer in the grid text
    starts_u16: tuple[int, ...]  # the same in UTF-16 units: the text document's positions
    _rows: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, answers: Sequence[GridAnswer]) -> GridLayout:
        starts: list[int] = []
        starts_u16: list[int] = []
        position = position_u16 = 0
        for answer in answers:
            starts.append(position)
            starts_u16.append(position_u16)
            position += len(answer.text) + len(SEPARATOR)
            position_u16 += _units(answer.text) + len(SEPARATOR)
        rows = {answer.transcript_uuid: row for row, answer in enumerate(answers)}
        text = SEPARATOR.join(answer.text for answer in answers)
        return cls(tuple(answers), text, tuple(starts), tuple(starts_u16), rows)

    def __len__(self) -> int:
        return len(self.answers)

    def span(self, index: int) -> tuple[int, int]:
        """The grid offsets of an answer's first character and just past its last."""
        start = self.starts[index]
        return start, start + len(self.answers[index].text)

    def row_at(self, offset: int) -> int:
        """The answer at (or, in the blank line after it, just before) a grid offset; -1 if none."""
        return bisect_right(self.starts, offset) - 1 if self.answers else -1

    def row_at_u16(self, position: int) -> int:
        """The same for a text document position (UTF-16 units)."""
        return bisect_right(self.starts_u16, position) - 1 if self.answers else -1

    def row_of(self, transcript_uuid: str) -> int | None:
        """The row of a respondent's document in this grid, if its answer is here."""
        return self._rows.get(transcript_uuid)

    def pick(self, start: int, end: int) -> Picked | None:
        """The part of grid ``start..end`` to code: the answer it starts in (or the first it reaches, if
        it starts in a blank line), cut at that answer's ends; None if it holds no word of an answer."""
        row = max(self.row_at(start), 0)
        while row < len(self.answers):
            first, last = self.span(row)
            if first >= end:
                return None
            if start < last:
                break
            row += 1
        else:
            return None
        cut_start, cut_end = max(start, first), min(end, last)
        if not self.text[cut_start:cut_end].strip():
            return None
        answer = self.answers[row]
        clipped = row + 1 < len(self.answers) and self.starts[row + 1] < end
        return Picked(row, answer, answer.start + cut_start - first, answer.start + cut_end - first, clipped)

    def to_grid(self, transcript_uuid: str, start: int, end: int) -> tuple[int, int] | None:
        """Where document ``start..end`` shows in the grid: the part inside this question's answer."""
        row = self._rows.get(transcript_uuid)
        if row is None:
            return None
        answer = self.answers[row]
        cut_start, cut_end = max(start, answer.start), min(end, answer.end)
        if cut_start >= cut_end:
            return None
        first = self.starts[row]
        return first + cut_start - answer.start, first + cut_end - answer.start


def _units(text: str) -> int:
    """The text's length in UTF-16 units (Qt's): a character beyond U+FFFF counts two."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2
