"""Start screen › Import a REFI-QDA project (.qdpx)…: a project from NVivo, ATLAS.ti, MAXQDA, ... as a new one.

The file is read and checked completely (:func:`jswcoder.refiqda.import_project.read_qdpx`) before
anything is asked, so a refused file costs the user no typing. The details are the new-project form's
(name, coder, folder, passphrase) without the codebook template, since the codebook comes from the
file; the project is then built aside and moved into place by the core, the recovery key is shown
once, and the import report is shown plainly.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QFormLayout, QMessageBox, QWidget

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.refiqda.report import ImportReport
from jswcoder.ui.new_project import NewProjectDialog
from jswcoder.ui.unlock import as_sentence

if TYPE_CHECKING:  # the importer loads xmlschema: only when asked for, not at start-up
    from jswcoder.refiqda.import_project import ReadQdpx

TITLE = "Import a REFI-QDA project"


class ImportProjectDialog(NewProjectDialog):
    """The new-project form for a project whose content comes from a .qdpx already read."""

    def __init__(self, read: ReadQdpx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read = read
        self.report: ImportReport | None = None
        self.setWindowTitle(TITLE)
        form = self.findChild(QFormLayout)
        if form is not None:
            form.setRowVisible(self.template, False)  # the codebook comes from the file
        self.for_team.setVisible(False)
        self.create_button.setText("Import project")
        self.name.setText(read.entry.name or Path(read.report.source).stem)

    def make(self, folder: Path) -> tuple[Project, str]:
        """Build the project from the file already read (aside, then moved into place by the core)."""
        from jswcoder.refiqda.import_project import create_from  # noqa: PLC0415

        project, recovery_key, self.report = create_from(
            self._read,
            folder,
            coder=self.coder.text(),
            passphrase=self.passphrase.text(),
            name=self.name.text(),
            kdf=self.kdf,
        )
        return project, recovery_key

    @classmethod
    def ask_file(cls, parent: QWidget | None) -> Path | None:
        """The .qdpx file to import, or None when cancelled. Tests replace this."""
        name, _ = QFileDialog.getOpenFileName(parent, TITLE, "", "REFI-QDA project (*.qdpx);;All files (*)")
        return Path(name) if name else None

    @classmethod
    def tell(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def import_project(cls, parent: QWidget | None = None) -> Project | None:
        """Ask for a .qdpx and the new project's details; the open project, or None if cancelled or refused."""
        path = cls.ask_file(parent)
        if path is None:
            return None
        from jswcoder.refiqda.import_project import read_qdpx  # noqa: PLC0415

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            read = read_qdpx(path)
        except JswError as error:
            QApplication.restoreOverrideCursor()
            cls.tell(parent, TITLE, f"The file was not imported.\n\n{as_sentence(str(error))}")
            return None
        QApplication.restoreOverrideCursor()
        dialog = cls(read, parent)
        dialog.exec()
        project, report = dialog.project, dialog.report
        dialog.deleteLater()
        if project is not None and report is not None:
            cls.tell(parent, TITLE, "\n".join(report.lines()))
        return project
