"""The coding summary (.csv, .xlsx): themes × participant groups, counting passages and participants.

One row per theme, in tree order, named by its path. For each participant group that occurs (in the
study's order, then any other group, then "(not recorded)") and in total, two numbers: how many
coded passages and how many participants (cases) have at least one. As in the matrix, a theme's
counts include its sub-themes' passages. The CSV is UTF-8 with a byte order mark, which Excel needs
to read accented characters rightly; a text cell that starts like a formula (``=``, ``+``, ``-``,
``@``) gets a leading apostrophe so that no spreadsheet runs it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from jswcoder.analysis.matrix import NOT_RECORDED, build_matrix
from jswcoder.model import PARTICIPANT_GROUPS
from jswcoder.plain_text import looks_like_formula
from jswcoder.project import Project
from jswcoder.reports.base import Exporters, Rendered
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.xlsx import Sheet, workbook

THEME_HEADING = "Theme (counts include sub-themes)"
TOTAL = "Total"
SHEET_TITLE = "Coding summary"


@dataclass(frozen=True)
class CodingSummary:
    header: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]


SUMMARY: Exporters[CodingSummary] = Exporters("the coding summary")


def _group_order(present: set[str]) -> list[str]:
    known = [g for g in PARTICIPANT_GROUPS if g in present]
    others = sorted(present - set(PARTICIPANT_GROUPS) - {NOT_RECORDED}, key=str.casefold)
    return known + others + ([NOT_RECORDED] if NOT_RECORDED in present else [])


def coding_summary(project: Project, text: ExportText) -> CodingSummary:
    """The matrix at each level of the theme tree, its cells counted by participant group."""
    codes = project.codebook.all()
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    groups: list[str] = []
    for depth in range(1, max((c.path.count("/") + 1 for c in codes), default=0) + 1):
        matrix = build_matrix(project, level=depth)
        by_group = {g.value: g.rows for g in matrix.groups("participant_group")}
        groups = _group_order(set(by_group))
        for column, theme in enumerate(matrix.themes):
            for group, members in [*by_group.items(), (TOTAL, tuple(range(len(matrix.cases))))]:
                counts = [matrix.count(row, column) for row in members]
                counted[(theme.code.uuid, group)] = (sum(counts), sum(1 for n in counts if n))
    header = [THEME_HEADING]
    for group in [*groups, TOTAL]:
        header += [f"{group}: passages", f"{group}: participants"]
    rows = []
    for code in codes:
        cells: list[str | int] = [text.general(code.path)]
        for group in [*groups, TOTAL]:
            cells += counted.get((code.uuid, group), (0, 0))
        rows.append(tuple(cells))
    return CodingSummary(tuple(header), tuple(rows))


def render_csv(summary: CodingSummary) -> Rendered:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    texts: list[str] = []
    for row in [summary.header, *summary.rows]:
        cells = [f"'{cell}" if isinstance(cell, str) and looks_like_formula(cell) else cell for cell in row]
        texts += [cell for cell in cells if isinstance(cell, str)]
        writer.writerow(cells)
    return Rendered(buffer.getvalue().encode("utf-8-sig"), tuple(texts))


def render_xlsx(summary: CodingSummary) -> Rendered:
    widths = (48, *(16 for _ in summary.header[1:]))
    return workbook([Sheet(SHEET_TITLE, summary.header, summary.rows, widths, frozen_columns=1)])
