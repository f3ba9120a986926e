"""The exports: matrix, theme report and coding summary (Analysis menu); REFI-QDA (File menu).

Each asks where to write (the file type chosen in the dialog picks the format), then writes in the
background through :mod:`jswcoder.ui.workers`, on the worker's own connection (a study-sized report
takes a few seconds; the window stays usable, and coding goes on: an export only reads). It ends in a
plain message over the window it was asked from (the matrix window, or the main window): where the
file went and whether the register was applied to it, with Open file and Open folder. A refused export
names a count, never the identifying strings, and points to the register window; one refused for
details that fit fewer than k participants together offers to open the Indirect identification
review on the spot, with what the export released ticked, so that exporting again works once each
finding is decided.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget
from shiboken6 import isValid

from jswcoder.analysis.cooccurrence import Cooccurrence
from jswcoder.analysis.crosstab import Crosstab
from jswcoder.analysis.matrix import FrameworkMatrix, build_matrix
from jswcoder.analysis.query import Located
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.egress import LeaksFound
from jswcoder.services.indirect import IndirectFound
from jswcoder.ui import workers
from jswcoder.ui.indirect_window import IndirectWindow
from jswcoder.ui.qdpx_export_dialog import QdpxExportDialog
from jswcoder.ui.report_options_dialog import ReportOptionsDialog
from jswcoder.ui.saved_message import SavedMessage
from jswcoder.ui.settings import Settings

if TYPE_CHECKING:
    from jswcoder.reports import Exporters, Written
    from jswcoder.reports.charts import Chart

# jswcoder.reports (python-docx and openpyxl) loads on the first export, not when the window opens.

_NAMES = {
    ".png": "PNG image (300 dpi)",
    ".svg": "SVG drawing",
    ".xlsx": "Excel workbook",
    ".docx": "Word document",
    ".csv": "CSV file",
    ".qdpx": "REFI-QDA project",
    ".qdc": "REFI-QDA codebook",
}


def _filters(kind: Exporters[Any]) -> str:
    return ";;".join(f"{_NAMES.get(suffix, suffix)} (*{suffix})" for suffix in kind.suffixes)


def refused_in_words(error: JswError, not_done: str) -> str:
    """Why an export was refused, as the app says it: a count of details left, never the details."""
    if isinstance(error, LeaksFound):
        return (
            f"{error}\n\nOpen Edit › Anonymisation register… to review the "
            f"{len(error.remaining)} detail(s) still found."
        )
    if isinstance(error, IndirectFound):
        return f"{not_done}: {error.count}. Review them in Edit › Indirect identification…"
    return f"{not_done}: {error}"


def _sentence(words: str) -> str:
    """*words* as a sentence: a capital first and a full stop last."""
    words = words.strip()
    return words[:1].upper() + words[1:] + ("" if words.endswith((".", "!", "?")) else ".")


class ReportActions:
    def __init__(
        self,
        parent: QWidget,
        project: Callable[[], Project | None],
        jobs: workers.Jobs,
        when_open: Callable[[Callable[[], None]], None] = lambda show: show(),
        settings: Settings | None = None,
    ) -> None:
        self._parent = parent
        self._project = project
        self._jobs = jobs
        self._settings = settings  # remembers the program the last .qdpx was for (None: nothing kept)
        self._when_open = when_open  # shows a message now, or after an unlock if the window locked meanwhile
        self.saved_message: SavedMessage | None = None  # the last "Saved …" message shown

    # -- dialogs that tests replace ----------------------------------------------------------------

    @classmethod
    def ask_target(cls, parent: QWidget, title: str, name: str, kind: Exporters[Any]) -> Path | None:
        """Where to write; a name typed without a file type gets the type of the chosen filter."""
        chosen, pattern = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), _filters(kind))
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            suffix = next((s for s in kind.suffixes if f"*{s}" in pattern), kind.suffixes[0])
            path = path.with_suffix(suffix)
        return path

    @classmethod
    def ask_template(cls, parent: QWidget) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(
            parent, "Word document whose styles to use", str(Path.home()), "Word documents (*.docx)"
        )
        return Path(chosen) if chosen else None

    @classmethod
    def tell(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    # -- actions -------------------------------------------------------------------------------------

    def export_matrix(
        self, matrix: FrameworkMatrix | None = None, by: str | None = None, over: QWidget | None = None
    ) -> None:
        """Export the matrix as shown in the matrix window (*over*), or (from the menu) at the top level."""
        project = self._project()
        if project is None:
            return
        from jswcoder.reports import MATRIX, export_matrix

        parent = over or self._parent
        target = self.ask_target(parent, "Export the Framework matrix", "Framework matrix.xlsx", MATRIX)
        if target is not None:
            shown = matrix
            self._write(
                "Export the Framework matrix",
                lambda own: export_matrix(shown.on(own) if shown else build_matrix(own), target, by=by),
                parent,
            )

    def export_report(self, *, with_template: bool = False) -> None:
        project = self._project()
        if project is None:
            return
        chosen = ReportOptionsDialog.ask(self._parent)
        if chosen is None:
            return
        template = self.ask_template(self._parent) if with_template else None
        if with_template and template is None:
            return
        from jswcoder.reports import REPORT, ReportOptions, write_report

        options = ReportOptions(
            all_themes=chosen.all_themes,
            title_page=chosen.title_page,
            trimmed=chosen.trimmed,
            title=chosen.title or None,
        )
        target = self.ask_target(self._parent, "Export the theme report", "Theme report.docx", REPORT)
        if target is not None:
            self._write(
                "Export the theme report", lambda own: write_report(own, target, template, options=options)
            )

    def export_summary(self) -> None:
        project = self._project()
        if project is None:
            return
        from jswcoder.reports import SUMMARY, write_summary

        target = self.ask_target(self._parent, "Export the coding summary", "Coding summary.xlsx", SUMMARY)
        if target is not None:
            self._write("Export the coding summary", lambda own: write_summary(own, target))

    def export_query(self, query: str, found: Sequence[Located], over: QWidget | None = None) -> None:
        """Write the passages a coding query found (the query window, *over*) as .docx or .xlsx."""
        if self._project() is None:
            return
        from jswcoder.reports.query_export import QUERY, write_query_results

        parent = over or self._parent
        title = "Export the query's passages"
        target = self.ask_target(parent, title, "Coding query.docx", QUERY)
        if target is not None:
            passages = list(found)
            self._write(title, lambda own: write_query_results(own, target, query, passages), parent)

    def export_crosstab(self, table: Crosstab, over: QWidget | None = None) -> None:
        """Write the crosstab as shown in its window (*over*) as an Excel workbook."""
        from jswcoder.reports import CROSSTAB, write_crosstab

        parent = over or self._parent
        title = "Export the crosstab"
        target = self.ask_target(parent, title, "Crosstab.xlsx", CROSSTAB)
        if target is not None:
            self._write(title, lambda own: write_crosstab(table.on(own), target), parent)

    def export_cooccurrence(self, table: Cooccurrence, over: QWidget | None = None) -> None:
        """Write the co-occurrence table as shown in its window (*over*) as an Excel workbook."""
        from jswcoder.reports import COOCCURRENCE, write_cooccurrence

        parent = over or self._parent
        title = "Export the co-occurrence table"
        target = self.ask_target(parent, title, "Co-occurrence.xlsx", COOCCURRENCE)
        if target is not None:
            self._write(title, lambda own: write_cooccurrence(own, table, target), parent)

    def save_chart(
        self, chart_of: Callable[[Project, Any], Chart], name: str, over: QWidget | None = None
    ) -> None:
        """Write a chart (*chart_of* draws it from a connection and an export's text) as PNG or SVG."""
        from jswcoder.reports import CHART, write_chart
        from jswcoder.reports.privacy import ExportText
        from jswcoder.ui import chart_painter  # noqa: F401  (registers the .png and .svg renderers)

        parent = over or self._parent
        title = "Save the chart"
        target = self.ask_target(parent, title, f"{name}.png", CHART)
        if target is not None:

            def write(own: Project) -> Written:
                text = ExportText(own)
                return write_chart(own, chart_of(own, text), target, text)

            self._write(title, write, parent)

    def export_qdpx(self) -> None:
        """The whole project for NVivo, ATLAS.ti, MAXQDA, ... (REFI-QDA), anonymised like a report: first
        which program will open it (the last choice preselected), then where, then the file, in the
        background; the message after it says what that program will not keep."""
        project = self._project()
        if project is None:
            return
        from jswcoder.refiqda.export_project import QDPX, QdpxWritten, export_project
        from jswcoder.refiqda.profiles import PROFILES, STANDARD

        title = "Export to REFI-QDA"
        last = PROFILES.get(self._settings.qdpx_profile(), STANDARD) if self._settings else STANDARD
        chosen = QdpxExportDialog.ask(self._parent, last)
        if chosen is None:
            return
        if self._settings is not None:
            self._settings.set_qdpx_profile(chosen.key)
        name = project.name if chosen is STANDARD else f"{project.name} ({chosen.tool})"
        target = self.ask_target(self._parent, title, f"{name}.qdpx", QDPX)
        if target is None:
            return

        def warned(written: Written) -> str:
            if not isinstance(written, QdpxWritten) or not written.warnings:
                return ""
            return "\n".join(_sentence(warning) for warning in written.warnings)

        self._write(title, lambda own: export_project(own, target, profile=chosen), said=warned)

    def export_qdc(self) -> None:
        project = self._project()
        if project is None:
            return
        from jswcoder.refiqda.export_codebook import QDC, export_codebook

        title = "Export the codebook"
        target = self.ask_target(self._parent, title, f"{project.name} codebook.qdc", QDC)
        if target is not None:
            self._write(title, lambda own: export_codebook(own, target))

    def _write(
        self,
        title: str,
        write: Callable[[Project], Written],
        over: QWidget | None = None,
        said: Callable[[Written], str] = lambda _written: "",
    ) -> None:
        """Write in the background on the worker's own connection; the message comes over *over*, with
        what *said* adds about the file written (a REFI-QDA export's warnings) at its end."""
        project = self._project()
        if project is None:
            return
        parent = over or self._parent
        running = self._jobs.running
        if running is not None:
            self.tell(parent, title, f"{running.title} is still running. Export again when it has finished.")
            return

        def done(written: Written) -> None:
            how = (
                "The anonymisation register was applied to everything in it."
                if written.anonymised
                else "This is the team's project, so its text is already anonymised."
            )
            text = f"Saved {written.path.name} in {written.path.parent}.\n\n{how}"
            if more := said(written):
                text = f"{text}\n\n{more}"
            self._when_open(lambda: self._saved(parent, title, text, written.path))

        def failed(error: BaseException) -> None:
            if not isinstance(error, JswError):
                raise error  # a bug: the crash handler reports it
            message = refused_in_words(error, "Not exported")
            if isinstance(error, IndirectFound):
                self._when_open(lambda: self._review(self._over(parent), title, message, error.attributes))
                return
            self._when_open(lambda: self.tell(self._over(parent), title, message))

        body = workers.on_project(project, lambda own, _progress, _cancelled: write(own))
        self._jobs.start(title, body, writes=False, on_done=done, on_error=failed)

    def _review(self, parent: QWidget, title: str, text: str, attributes: tuple[str, ...]) -> None:
        """The refusal, with the offer to decide the findings now (the review opens with what the export
        released ticked); then the user exports again. Window-modal, so nothing waits on it."""
        box = QMessageBox(
            QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        review = box.addButton("&Review now…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(review)

        def chosen(button: QAbstractButton) -> None:
            project = self._project()
            if button is review and project is not None:
                IndirectWindow.show_for(project, parent, attributes)

        box.buttonClicked.connect(chosen)
        box.open()

    def _saved(self, parent: QWidget, title: str, text: str, path: Path) -> None:
        self.saved_message = SavedMessage.show_for(self._over(parent), title, text, path)

    def _over(self, parent: QWidget) -> QWidget:
        """*parent*, unless it has gone meanwhile (the matrix window closes when the window locks)."""
        return parent if isValid(parent) and parent.isVisible() else self._parent
