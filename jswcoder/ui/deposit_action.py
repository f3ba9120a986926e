"""File › Deposit for an archive…: the archive deposit (:mod:`jswcoder.reports.deposit`) from the app.

It asks for a new folder, then for the anonymisation log's passphrase (typed twice, in
:class:`LogPassphraseDialog`), and writes the deposit in the background through :mod:`jswcoder.ui.workers`
on the worker's own connection, as the exports do (:mod:`jswcoder.ui.report_actions`). The core judges the
passphrase there (strong enough, not the project's) and refuses plainly; the deposit ends in the message
with Open file (its README) and Open folder. A refused deposit names a count, never identifying text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.ui import workers
from jswcoder.ui.report_actions import refused_in_words
from jswcoder.ui.saved_message import SavedMessage

TITLE = "Deposit for an archive"


class LogPassphraseDialog(QDialog):
    """The log's passphrase, typed twice; OK only once both entries are the same."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The anonymisation log's passphrase")
        layout = QFormLayout(self)
        intro = QLabel(
            "The anonymisation log names people, so it is encrypted with a passphrase of its own,\n"
            "not the project's. Give it to the archive separately."
        )
        layout.addRow(intro)
        self.first = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.second = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        layout.addRow("&Passphrase:", self.first)
        layout.addRow("Type it &again:", self.second)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addRow(self.buttons)
        for field in (self.first, self.second):
            field.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        same = bool(self.first.text()) and self.first.text() == self.second.text()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(same)
        ok.setDefault(same)

    @classmethod
    def ask(cls, parent: QWidget) -> str | None:
        """The passphrase typed twice, or None if cancelled. Tests replace this."""
        dialog = cls(parent)
        return dialog.first.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class DepositAction:
    def __init__(
        self,
        parent: QWidget,
        project: Callable[[], Project | None],
        jobs: workers.Jobs,
        when_open: Callable[[Callable[[], None]], None] = lambda show: show(),
    ) -> None:
        self._parent = parent
        self._project = project
        self._jobs = jobs
        self._when_open = when_open
        self.saved_message: SavedMessage | None = None

    @classmethod
    def ask_folder(cls, parent: QWidget) -> Path | None:
        """The new folder to make (it may exist, empty). Tests replace this."""
        chosen, _ = QFileDialog.getSaveFileName(
            parent, f"{TITLE}: a new folder", str(Path.home() / "Archive deposit"), ""
        )
        return Path(chosen) if chosen else None

    @classmethod
    def tell(cls, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    def run(self) -> None:
        project = self._project()
        if project is None:
            return
        from jswcoder.reports.deposit import check_target, write_deposit  # noqa: PLC0415

        if self._jobs.running is not None:
            self.tell(
                self._parent, TITLE, f"{self._jobs.running.title} is still running. Try again after it."
            )
            return
        chosen = self.ask_folder(self._parent)
        if chosen is None:
            return
        try:
            target = check_target(chosen)
        except JswError as error:
            self.tell(self._parent, TITLE, f"Not written: {error}")
            return
        passphrase = LogPassphraseDialog.ask(self._parent)
        if passphrase is None:
            return

        def done(path: Path) -> None:
            text = (
                f"Saved the deposit in {path}.\n\nEverything in it went through the anonymisation register "
                "and the leak check; its anonymisation log is encrypted with the passphrase you chose."
            )
            self._when_open(lambda: self._saved(text, path / "README.txt"))

        def failed(error: BaseException) -> None:
            if not isinstance(error, JswError):
                raise error  # a bug: the crash handler reports it
            message = refused_in_words(error, "Not written")
            self._when_open(lambda: self.tell(self._parent, TITLE, message))

        body = workers.on_project(
            project, lambda own, _progress, _cancelled: write_deposit(own, target, passphrase).path
        )
        self._jobs.start(TITLE, body, writes=False, on_done=done, on_error=failed)

    def _saved(self, text: str, readme: Path) -> None:
        self.saved_message = SavedMessage.show_for(self._parent, TITLE, text, readme)
