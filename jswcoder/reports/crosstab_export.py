"""Crosstabs and co-occurrence as Excel workbooks, one sheet per measure, as NVivo's and MAXQDA's
matrices are read: counts first, then the shares.

A crosstab's workbook has the sheets *Passages* (with totals), *Cases* (each value's number of cases
in its heading), *Row %*, *Column %* and *Cases %*; a co-occurrence's, *Counts* and *Jaccard*. Shares
are numbers (percentages to one decimal, Jaccard to three), empty where there is nothing to share.
Every theme path and attribute value goes through the export's text (:class:`ExportText`): anonymised
with the register in a fieldworker's project, like any other export; the attribute's values are those
the indirect-identification check releases (:func:`released_crosstab`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jswcoder.analysis.cooccurrence import Cooccurrence
from jswcoder.analysis.crosstab import Crosstab, crosstab_of
from jswcoder.analysis.matrix import Case
from jswcoder.reports.base import Exporters, Rendered
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.xlsx import Cell, Sheet, workbook

THEME = "Theme (counts include sub-themes)"
TOTAL = "Total"
THEME_WIDTH = 48.0
NUMBER_WIDTH = 16.0


@dataclass(frozen=True)
class CrosstabContent:
    table: Crosstab
    text: ExportText


@dataclass(frozen=True)
class CooccurrenceContent:
    table: Cooccurrence
    text: ExportText


CROSSTAB: Exporters[CrosstabContent] = Exporters("the crosstab")
COOCCURRENCE: Exporters[CooccurrenceContent] = Exporters("the co-occurrence table")


def released_crosstab(table: Crosstab, text: ExportText) -> Crosstab:
    """The crosstab as an export prints it: its attribute declared to the indirect-identification check,
    and each case counted under its value as released (where the user accepted a generalisation, such
    as "[a council area]", under that; cases that then share a value are counted together)."""
    text.releases([table.attribute])

    def released(case: Case) -> str:
        return text.released(case.uuid, table.attribute, case.value(table.attribute))

    before = {value: rank for rank, value in enumerate(table.values)}  # a survey's questions keep its order
    return crosstab_of(
        table.matrix, table.attribute, released, order=lambda value: before.get(value, len(before))
    )


def _share(value: float | None, places: int) -> Cell:
    return "" if value is None else round(value, places)


def _sheet(title: str, header: list[str], rows: list[list[Cell]]) -> Sheet:
    widths = (THEME_WIDTH, *(NUMBER_WIDTH for _ in header[1:]))
    return Sheet(title, header, rows, widths, frozen_columns=1)


def render_crosstab_xlsx(content: CrosstabContent) -> Rendered:
    table, text = content.table, content.text
    values = [text.general(v) for v in table.values]
    themes = [text.general(t.code.path) for t in table.themes]
    measure = range(len(values))

    def shares(share: Callable[[int, int], float | None]) -> list[list[Cell]]:
        return [[theme, *(_share(share(t, v), 1) for v in measure)] for t, theme in enumerate(themes)]

    passages: list[list[Cell]] = [
        [theme, *table.passages[t], table.theme_total(t)] for t, theme in enumerate(themes)
    ]
    passages.append([TOTAL, *(table.value_total(v) for v in measure), sum(map(sum, table.passages))])
    cases: list[list[Cell]] = [[theme, *table.cases[t]] for t, theme in enumerate(themes)]
    with_n = [f"{value} (n = {table.cases_with(v)})" for v, value in enumerate(values)]
    return workbook(
        [
            _sheet("Passages", [THEME, *values, TOTAL], passages),
            _sheet("Cases", [THEME, *with_n], cases),
            _sheet("Row %", [THEME, *values], shares(table.row_percent)),
            _sheet("Column %", [THEME, *values], shares(table.column_percent)),
            _sheet("Cases %", [THEME, *with_n], shares(table.cases_percent)),
        ]
    )


def render_cooccurrence_xlsx(content: CooccurrenceContent) -> Rendered:
    table, text = content.table, content.text
    themes = [text.general(t.path) for t in table.themes]
    counted = "Passages coded with both" if table.unit == "passage" else "Turns with both"
    counts: list[list[Cell]] = [[theme, *table.counts[a]] for a, theme in enumerate(themes)]
    jaccard: list[list[Cell]] = [
        [theme, *(_share(j, 3) for j in table.jaccard[a])] for a, theme in enumerate(themes)
    ]
    return workbook(
        [
            _sheet(counted, ["Theme", *themes], counts),
            _sheet("Jaccard", ["Theme", *themes], jaccard),
        ]
    )


CROSSTAB.register(".xlsx", render_crosstab_xlsx)
COOCCURRENCE.register(".xlsx", render_cooccurrence_xlsx)
