"""The exports: matrix, theme report and coding summary (Analysis menu); REFI-QDA (File menu).

Each asks where to write (the file type chosen in the dialog picks the format), writes under a wait
cursor on the database's thread (a study-sized report takes a few seconds), and ends in a plain
message: where the file went and whether the register was applied to it. A refused export names a
count, never the identifying strings, and points to the register window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from jswcoder.analysis.matrix import FrameworkMatrix, build_matrix
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.egress import LeaksFound

if TYPE_CHECKING:
    from jswcoder.reports import Exporters, Written

# jswcoder.reports (python-docx and openpyxl) loads on the first export, not when the window opens.

_NAMES = {
    ".xlsx": "Excel workbook",
    ".docx": "Word document",
    ".csv": "CSV file",
    ".qdpx": "REFI-QDA project",
    ".qdc": "REFI-QDA codebook",
}


def _filters(kind: Exporters[Any]) -> str:
    return ";;".join(f"{_NAMES.get(suffix, suffix)} (*{suffix})" for suffix in kind.suffixes)


class ReportActions:
    def __init__(self, parent: QWidget, project: Callable[[], Project | None]) -> None:
        self._parent = parent
        self._project = project

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

    def export_matrix(self, matrix: FrameworkMatrix | None = None, by: str | None = None) -> None:
        """Export the matrix as shown in the matrix window, or (from the menu) at the top level."""
        project = self._project()
        if project is None:
            return
        from jswcoder.reports import MATRIX, export_matrix

        target = self.ask_target(self._parent, "Export the Framework matrix", "Framework matrix.xlsx", MATRIX)
        if target is not None:
            shown = matrix
            self._write(
                "Export the Framework matrix",
                lambda: export_matrix(shown or build_matrix(project), target, by=by),
            )

    def export_report(self, *, with_template: bool = False) -> None:
        project = self._project()
        if project is None:
            return
        template = self.ask_template(self._parent) if with_template else None
        if with_template and template is None:
            return
        from jswcoder.reports import REPORT, write_report

        target = self.ask_target(self._parent, "Export the theme report", "Theme report.docx", REPORT)
        if target is not None:
            self._write("Export the theme report", lambda: write_report(project, target, template))

    def export_summary(self) -> None:
        project = self._project()
        if project is None:
            return
        from jswcoder.reports import SUMMARY, write_summary

        target = self.ask_target(self._parent, "Export the coding summary", "Coding summary.xlsx", SUMMARY)
        if target is not None:
            self._write("Export the coding summary", lambda: write_summary(project, target))

    def export_qdpx(self) -> None:
        """The whole project for NVivo, ATLAS.ti, MAXQDA, ... (REFI-QDA), anonymised like a report."""
        project = self._project()
        if project is None:
            return
        from jswcoder.refiqda.export_project import QDPX, export_project

        title = "Export to REFI-QDA"
        target = self.ask_target(self._parent, title, f"{project.name}.qdpx", QDPX)
        if target is not None:
            self._write(title, lambda: export_project(project, target))

    def export_qdc(self) -> None:
        project = self._project()
        if project is None:
            return
        from jswcoder.refiqda.export_codebook import QDC, export_codebook

        title = "Export the codebook"
        target = self.ask_target(self._parent, title, f"{project.name} codebook.qdc", QDC)
        if target is not None:
            self._write(title, lambda: export_codebook(project, target))

    def _write(self, title: str, write: Callable[[], Written]) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = write()
        except LeaksFound as refused:
            message = (
                f"{refused}\n\nOpen Edit › Anonymisation register… to review the "
                f"{len(refused.remaining)} detail(s) still found."
            )
        except JswError as error:
            message = f"Not exported: {error}"
        else:
            how = (
                "The anonymisation register was applied to everything in it."
                if written.anonymised
                else "This is the team's project, so its text is already anonymised."
            )
            message = f"Saved {written.path.name} in {written.path.parent}.\n\n{how}"
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.tell(self._parent, title, message)
