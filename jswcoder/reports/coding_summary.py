"""The coding summary (.csv, .xlsx): themes × participant groups, counting passages and participants.

It is the crosstab by participant group (:mod:`jswcoder.analysis.crosstab`) of every level of the tree.

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

from jswcoder.analysis.crosstab import crosstab_of
from jswcoder.analysis.matrix import build_matrix
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


def coding_summary(project: Project, text: ExportText) -> CodingSummary:
    """The crosstab by participant group (:mod:`jswcoder.analysis.crosstab`) at each level of the tree."""
    codes = project.codebook.all()
    counted: dict[tuple[str, str], tuple[int, int]] = {}
    groups: list[str] = []
    for depth in range(1, max((c.path.count("/") + 1 for c in codes), default=0) + 1):
        table = crosstab_of(build_matrix(project, level=depth), "participant_group")
        groups = list(table.values)
        for t, theme in enumerate(table.themes):
            for v, group in enumerate(groups):
                counted[(theme.code.uuid, group)] = (table.passages[t][v], table.cases[t][v])
            counted[(theme.code.uuid, TOTAL)] = (table.theme_total(t), sum(table.cases[t]))
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
