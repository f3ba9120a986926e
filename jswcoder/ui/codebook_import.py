"""File > Import a REFI-QDA codebook (.qdc)…: a codebook built in NVivo, ATLAS.ti, MAXQDA, ... into this project.

The core (:func:`jswcoder.refiqda.import_codebook.import_qdc`) does the work in one transaction; this
adapter asks for the file, shows the import report as plain lines, and asks the window to reload its
views. The file dialog and the message boxes are classmethods that tests replace.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from jswcoder.errors import JswError
from jswcoder.project import Project

TITLE = "Import a REFI-QDA codebook"


class CodebookImport:
    def __init__(
        self, parent: QWidget, project: Callable[[], Project | None], changed: Callable[[], None]
    ) -> None:
        self._parent = parent
        self._project = project
        self._changed = changed

    @classmethod
    def ask_file(cls, parent: QWidget) -> Path | None:
        """The .qdc file to import, or None. Tests replace this."""
        name, _ = QFileDialog.getOpenFileName(parent, TITLE, "", "REFI-QDA codebook (*.qdc);;All files (*)")
        return Path(name) if name else None

    @classmethod
    def tell(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def warn(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    def run(self) -> None:
        project = self._project()
        if project is None:
            return
        path = self.ask_file(self._parent)
        if path is None:
            return
        from jswcoder.refiqda.import_codebook import import_qdc  # noqa: PLC0415 (xmlschema: not at start-up)

        try:
            report = import_qdc(project, path)
        except JswError as error:
            self.warn(self._parent, TITLE, f"The codebook was not imported.\n\n{error}")
            return
        self._changed()
        self.tell(self._parent, TITLE, "\n".join(report.lines()))
