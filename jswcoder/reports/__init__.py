"""Exports for reading outside the app: the Framework matrix, the theme report, the coding summary.

Each kind of export has one registry of file types (:class:`~jswcoder.reports.base.Exporters`), one
renderer per suffix, registered here as the importers are in :mod:`jswcoder.importing`. Callers (the
command line, the desktop app's Export… actions) use only the three functions below. Each checks the
file type first, builds the export's content with every string anonymised when the project is a
fieldworker's (:mod:`jswcoder.reports.privacy`), renders it in memory, refuses it if anything
identifying remains, and writes it atomically: a refused or failed export leaves no file behind.
python-docx and openpyxl are used for writing only here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jswcoder.analysis.cooccurrence import Cooccurrence
from jswcoder.analysis.crosstab import Crosstab
from jswcoder.analysis.matrix import FrameworkMatrix
from jswcoder.project import Project
from jswcoder.reports import coding_summary, matrix_export, theme_report
from jswcoder.reports.base import Exporters, deliver
from jswcoder.reports.charts import CHART, Chart
from jswcoder.reports.coding_summary import SUMMARY
from jswcoder.reports.crosstab_export import (
    COOCCURRENCE,
    CROSSTAB,
    CooccurrenceContent,
    CrosstabContent,
    released_crosstab,
)
from jswcoder.reports.matrix_export import MATRIX, MatrixContent
from jswcoder.reports.privacy import ExportText, LeaksInFile
from jswcoder.reports.template import open_template
from jswcoder.reports.theme_report import REPORT, ReportOptions

MATRIX.register(".xlsx", matrix_export.render_xlsx)
MATRIX.register(".docx", matrix_export.render_docx)
REPORT.register(".docx", theme_report.render_docx)
SUMMARY.register(".csv", coding_summary.render_csv)
SUMMARY.register(".xlsx", coding_summary.render_xlsx)

__all__ = [
    "CHART",
    "COOCCURRENCE",
    "CROSSTAB",
    "MATRIX",
    "REPORT",
    "SUMMARY",
    "Exporters",
    "LeaksInFile",
    "ReportOptions",
    "Written",
    "export_matrix",
    "write_chart",
    "write_cooccurrence",
    "write_crosstab",
    "write_report",
    "write_summary",
]


@dataclass(frozen=True)
class Written:
    """Where an export went, whether the register was applied to it (a fieldworker's project), and
    what it holds, in a few words for the user ("7 quotes from 4 participants, under 5 themes")."""

    path: Path
    anonymised: bool
    holds: str = ""


def _noted(project: Project, what: str, written: Written) -> Written:
    """Note the export in the project's audit trail, once the file is written: its kind and name."""
    facts: dict[str, str | bool] = {"what": what, "file": written.path.name, "anonymised": written.anonymised}
    if written.holds:
        facts["holds"] = written.holds
    project.audit.record("export", **facts)
    return written


def export_matrix(matrix: FrameworkMatrix, path: Path | str, *, by: str | None = None) -> Written:
    """Write ``matrix`` as .xlsx or .docx; rows show the ``by`` attribute (participant group if None)."""
    target = MATRIX.check(path)
    text = ExportText(matrix.project)
    content = MatrixContent(matrix, text, by)
    written = Written(deliver(target, MATRIX.render(target, content), text), text.anonymises)
    return _noted(matrix.project, "Framework matrix", written)


def write_report(
    project: Project,
    path: Path | str,
    template: Path | str | None = None,
    themes: Sequence[str] = (),
    options: ReportOptions | None = None,
) -> Written:
    """Write the theme report (.docx): all themes, or the ``themes`` named by path with their sub-themes;
    styles from ``template`` (a .docx) when given; made as ``options`` say (by default a title page,
    only themes with something in them, quotes trimmed to sentences)."""
    target = REPORT.check(path)
    base = open_template(template) if template is not None else None
    text = ExportText(project)
    report = theme_report.report_content(project, text, themes, options, base)
    written = Written(deliver(target, REPORT.render(target, report), text), text.anonymises, report.counts)
    return _noted(project, "theme report", written)


def write_summary(project: Project, path: Path | str) -> Written:
    """Write the coding summary (.csv or .xlsx): themes × participant groups."""
    target = SUMMARY.check(path)
    text = ExportText(project)
    summary = coding_summary.coding_summary(project, text)
    written = Written(deliver(target, SUMMARY.render(target, summary), text), text.anonymises)
    return _noted(project, "coding summary", written)


def write_crosstab(table: Crosstab, path: Path | str) -> Written:
    """Write a crosstab (.xlsx): passages, cases and the three shares, a sheet each."""
    target = CROSSTAB.check(path)
    text = ExportText(table.matrix.project)
    rendered = CROSSTAB.render(target, CrosstabContent(released_crosstab(table, text), text))
    written = Written(deliver(target, rendered, text), text.anonymises)
    return _noted(table.matrix.project, f"crosstab by {table.attribute}", written)


def write_cooccurrence(project: Project, table: Cooccurrence, path: Path | str) -> Written:
    """Write a co-occurrence table (.xlsx): counts and Jaccard, a sheet each."""
    target = COOCCURRENCE.check(path)
    text = ExportText(project)
    rendered = COOCCURRENCE.render(target, CooccurrenceContent(table, text))
    written = Written(deliver(target, rendered, text), text.anonymises)
    return _noted(project, "co-occurrence", written)


def write_chart(project: Project, chart: Chart, path: Path | str, text: ExportText) -> Written:
    """Write a chart (.png or .svg: the renderers of :mod:`jswcoder.ui.chart_painter`), its labels made
    with ``text`` (this export's), checked before the file is written."""
    target = CHART.check(path)
    written = Written(deliver(target, CHART.render(target, chart), text), text.anonymises)
    return _noted(project, "chart", written)
