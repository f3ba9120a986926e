"""Opening a project: the OS keychain first, then the passphrase (or recovery key) in a small dialog.

A wrong passphrase is the user's everyday mistake, so it is answered inside the dialog, which stays
open for another try. Problems the passphrase cannot fix (the project is open elsewhere, the folder
holds no project, the key file is damaged) end the attempt with one plain message.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError, OtherGeneration, WrongSecret
from jswcoder.project import PassphraseRequired, Project, ProjectPaths
from jswcoder.security import keychain, keyfile
from jswcoder.security.lock import ProjectLock

ERROR_STYLE = "color: #a12622;"


def as_sentence(message: str) -> str:
    """Core messages are lower-case clauses (for the command line); a dialog wants a sentence."""
    message = message.strip()
    if not message:
        return message
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


def keychain_can_unlock(project_path: Path | str) -> bool:
    """Whether the keychain holds this project's key, so the lock screen can leave out the passphrase."""
    try:
        keys = keyfile.read(ProjectPaths.of(project_path).keys)
    except JswError:
        return False
    return keychain.recall(keys.project_uuid) is not None


class UnlockDialog(QDialog):
    """Asks for the passphrase (or the recovery key) and opens the project itself, so it can retry."""

    def __init__(
        self,
        project_path: Path,
        parent: QWidget | None = None,
        *,
        wrong_first: bool = False,
        held: ProjectLock | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.held = held  # the lock a locked window kept: the project opens under it
        self.project: Project | None = None
        self.error: str | None = None  # a problem the passphrase cannot fix; the caller shows it
        self.setWindowTitle("Unlock project")
        self.setModal(True)
        self.setMinimumWidth(440)
        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
            | Qt.InputMethodHint.ImhNoAutoUppercase
        )
        self.use_recovery = QCheckBox("Use recovery key instead", self)
        self.use_recovery.setAccessibleName("Use recovery key instead of the passphrase")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName("Problem")
        # Room for two lines from the start, so a message never appears clipped or makes the dialog jump.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing() + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.unlock_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.unlock_button.setText("Unlock")
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.secret)
        layout.addWidget(self.use_recovery)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.secret.textChanged.connect(self._update_button)
        self.use_recovery.toggled.connect(self._switch_mode)
        self._switch_mode(False)
        if wrong_first:
            self._say(self._wrong_text())

    def _switch_mode(self, recovery: bool) -> None:
        name = self.project_path.name
        if recovery:
            self.prompt.setText(
                f"Type the recovery key for <b>{_escape(name)}</b>: the eight groups of four letters and "
                "digits you wrote down when the project was made."
            )
            self.secret.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
            self.secret.setAccessibleName("Recovery key")
        else:
            self.prompt.setText(f"Type the passphrase for <b>{_escape(name)}</b> to open it.")
            self.secret.setPlaceholderText("Passphrase")
            self.secret.setAccessibleName("Passphrase")
        self.secret.clear()
        self.message.clear()
        self.secret.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_button()

    def _update_button(self) -> None:
        self.unlock_button.setEnabled(bool(self.secret.text()))

    def _wrong_text(self) -> str:
        if self.use_recovery.isChecked():
            return "That recovery key does not open this project. Check each group and try again."
        return "That passphrase does not open this project. Check Caps Lock and try again."

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def accept(self) -> None:
        secret = self.secret.text()
        if not secret:
            return
        recovery = self.use_recovery.isChecked()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # key derivation takes a moment
        try:
            if recovery:
                self.project = Project.open(self.project_path, recovery_key=secret, held=self.held)
            else:
                self.project = Project.open(self.project_path, passphrase=secret, held=self.held)
        except WrongSecret as wrong:
            self.secret.clear()
            self._say(as_sentence(str(wrong)) if isinstance(wrong, OtherGeneration) else self._wrong_text())
            self.secret.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except JswError as error:
            self.error = as_sentence(str(error))
            super().reject()
            return
        finally:
            QApplication.restoreOverrideCursor()
        super().accept()

    @classmethod
    def ask(
        cls,
        project_path: Path,
        parent: QWidget | None,
        *,
        wrong_first: bool = False,
        held: ProjectLock | None = None,
    ) -> Project | None:
        """Run the dialog; the opened project, or None (cancelled, or an error was shown)."""
        dialog = cls(project_path, parent, wrong_first=wrong_first, held=held)
        dialog.exec()
        project, error = dialog.project, dialog.error
        dialog.deleteLater()
        if error is not None:
            cls.show_error(parent, error)
        return project

    @classmethod
    def show_error(cls, parent: QWidget | None, message: str) -> None:
        """Tell the user why the project did not open. Tests replace this."""
        QMessageBox.warning(parent, "The project did not open", message)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_project(
    path: Path | str, parent: QWidget | None = None, *, held: ProjectLock | None = None
) -> Project | None:
    """Open the project at *path*: from the keychain if it can, else by asking. None if it did not open.

    A project open elsewhere (another window, another process, a window locked) is said to be before
    any passphrase is asked for: :meth:`Project.open` takes the lock first.
    """
    path = Path(path)
    try:
        return Project.open(path, held=held)
    except PassphraseRequired:
        pass
    except JswError as error:
        UnlockDialog.show_error(parent, as_sentence(str(error)))
        return None
    return UnlockDialog.ask(path, parent, held=held)


def unlock_again(
    project_path: Path | str,
    parent: QWidget | None = None,
    passphrase: str | None = None,
    held: ProjectLock | None = None,
) -> Project | None:
    """Reopen a project after the idle lock, under the lock the window kept (*held*). A passphrase typed
    on the lock screen is tried first; if it is wrong the unlock dialog opens, already saying so."""
    path = Path(project_path)
    if not passphrase:
        return open_project(path, parent, held=held)
    try:
        return Project.open(path, passphrase=passphrase, held=held)
    except WrongSecret:
        return UnlockDialog.ask(path, parent, wrong_first=True, held=held)
    except JswError as error:
        UnlockDialog.show_error(parent, as_sentence(str(error)))
        return None
