"""The message after an export: where the file went, with Open file and Open folder beside OK.

Window-modal and not blocking (``open()``, not ``exec()``), over the window the export was started
from. The buttons hand the file's or the folder's URL to the desktop; tests replace :meth:`open_url`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

OPEN_FILE = "Open file"
OPEN_FOLDER = "Open folder"


class SavedMessage(QMessageBox):
    def __init__(
        self, parent: QWidget, title: str, text: str, path: Path, *, file_button: bool = True
    ) -> None:
        super().__init__(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
        self.path = path
        self.open_file_button: QPushButton | None = None
        if file_button:  # a package has nothing on this computer to open it with
            self.open_file_button = self.addButton(OPEN_FILE, QMessageBox.ButtonRole.ActionRole)
            self.open_file_button.setAccessibleName(f"Open {path.name}")
            self.open_file_button.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(path))))
        self.open_folder_button = self.addButton(OPEN_FOLDER, QMessageBox.ButtonRole.ActionRole)
        self.open_folder_button.setAccessibleName("Open the folder it was saved in")
        self.open_folder_button.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(path.parent))))
        self.setDefaultButton(QMessageBox.StandardButton.Ok)

    @classmethod
    def open_url(cls, url: QUrl) -> None:
        """Open a file or folder with the desktop's own application. Tests replace this."""
        QDesktopServices.openUrl(url)

    @classmethod
    def show_for(
        cls, parent: QWidget, title: str, text: str, path: Path, *, file_button: bool = True
    ) -> SavedMessage:
        box = cls(parent, title, text, path, file_button=file_button)
        box.finished.connect(lambda _result: box.deleteLater())
        box.open()
        return box
