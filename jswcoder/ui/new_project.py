"""Creating a project: name, coder, folder, passphrase and codebook, then the recovery key, shown once.

Nothing is written until every field is acceptable; the core re-checks and refuses a folder that is not
empty, and its message appears inside the dialog. The recovery key is the only way back in if the
passphrase is forgotten, so the user must confirm they have stored it before going on.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QCloseEvent, QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from jswcoder import templates
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.security import keyfile
from jswcoder.security import strength as passphrase_strength
from jswcoder.ui.unlock import ERROR_STYLE, as_sentence

DEFAULT_TEMPLATE = "jsw-study"
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def strength(passphrase: str, context: Sequence[str] = ()) -> tuple[str, int]:
    """A plain-words hint and a 0-3 level, from the core's estimate: the one that refuses a weak
    passphrase when the project is created, so the hint and the refusal always agree."""
    if len(passphrase) < keyfile.MIN_PASSPHRASE_LENGTH:
        return f"Too short: at least {keyfile.MIN_PASSPHRASE_LENGTH} characters", 0
    verdict = passphrase_strength.assess(passphrase, context)
    if verdict.problem is not None:
        # What is wrong and what to do, in the two lines or three the form has room for.
        return " ".join(("Too easy to guess.", *verdict.reasons[:2])), 1
    return ("Good", 2) if verdict.score < 4 else ("Strong", 3)


def default_folder(name: str) -> Path:
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    base = Path(documents) if documents else Path.home() / "Documents"
    safe = _UNSAFE_IN_NAMES.sub("-", name).strip(" .") or "New project"
    return base / "jswcoder" / safe


class NewProjectDialog(QDialog):
    kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF  # tests use a cheap one

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self._folder_edited = False
        self.setWindowTitle("New project")
        self.setModal(True)
        self.setMinimumWidth(560)
        self.name = self._line("Project name", "e.g. JSW interviews 2026")
        self.coder = self._line("Your name as coder", "Shown beside the codings you make")
        self.folder = self._line("Project folder", "")
        self.browse = QPushButton("&Browse…", self)
        self.browse.setAccessibleName("Choose the project folder")
        self.passphrase = self._line(
            "Passphrase", "A few unrelated words is easiest to remember", secret=True
        )
        self.confirm = self._line("Passphrase again", "Type it once more", secret=True)
        self.strength = QLabel(self)
        self.strength.setWordWrap(True)
        self.strength.setAccessibleName("Passphrase strength")
        # Room for three lines from the start, so that a reason never appears clipped or makes the
        # dialog jump while the passphrase is typed.
        self.strength.setMinimumHeight(3 * self.strength.fontMetrics().lineSpacing() + 4)
        self.strength.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.template = QComboBox(self)
        self.template.setAccessibleName("Codebook template")
        for index, template in enumerate(templates.available()):
            self.template.addItem(template.name, template.key)
            self.template.setItemData(index, template.description, Qt.ItemDataRole.ToolTipRole)
            if template.key == DEFAULT_TEMPLATE:
                self.template.setCurrentIndex(index)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("Create project")

        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        form = QFormLayout()
        form.addRow("Project &name:", self.name)
        form.addRow("Your name as &coder:", self.coder)
        folder_label = QLabel("&Folder:", self)
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("Passphrase &again:", self.confirm)
        form.addRow("", self.strength)
        form.addRow("Code&book:", self.template)
        note = QLabel(
            "The passphrase opens the project on a new computer. jswcoder cannot recover it, "
            "so you will also get a recovery key to write down.",
            self,
        )
        note.setWordWrap(True)
        self.for_team = QLabel(
            "<b>Working in a team?</b> Use <i>Join a team…</i> on the start screen instead, with the "
            "lead's team file: your project then starts with the team's codebook.",
            self,
        )
        self.for_team.setWordWrap(True)
        self.for_team.setAccessibleName("For a team")
        layout = QVBoxLayout(self)
        layout.addWidget(self.for_team)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        self.name.textChanged.connect(self._name_changed)
        self.folder.textEdited.connect(self._folder_typed)
        self.browse.clicked.connect(self._browse)
        for field in (self.coder, self.folder, self.passphrase, self.confirm):
            field.textChanged.connect(self._validate)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._name_changed("")

    def _line(self, accessible: str, placeholder: str, *, secret: bool = False) -> QLineEdit:
        field = QLineEdit(self)
        field.setAccessibleName(accessible)
        field.setPlaceholderText(placeholder)
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setInputMethodHints(
                Qt.InputMethodHint.ImhHiddenText
                | Qt.InputMethodHint.ImhSensitiveData
                | Qt.InputMethodHint.ImhNoPredictiveText
            )
        return field

    def _name_changed(self, name: str) -> None:
        if not self._folder_edited:
            self.folder.setText(str(default_folder(name.strip())))
        self._validate()

    def _folder_typed(self, _text: str) -> None:
        self._folder_edited = True

    def _browse(self) -> None:
        chosen = self.choose_folder(self, self.folder.text())
        if chosen:
            self._folder_edited = True
            self.folder.setText(chosen)

    def problem(self) -> str | None:
        """What still stops the project being created, in plain words; None when it can be."""
        passphrase = self.passphrase.text()
        if not self.name.text().strip():
            return "Give the project a name."
        if not self.coder.text().strip():
            return "Type your name as coder, so your codings can be told apart from a colleague's."
        if not self.folder.text().strip():
            return "Choose a folder for the project."
        folder = Path(self.folder.text().strip()).expanduser()
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            return "That folder is not empty. Choose a new folder, or an empty one."
        if len(passphrase) < keyfile.MIN_PASSPHRASE_LENGTH:
            return f"The passphrase needs at least {keyfile.MIN_PASSPHRASE_LENGTH} characters."
        if strength(passphrase, self._context())[1] < 2:
            return "Choose a passphrase that is harder to guess."
        if self.confirm.text() != passphrase:
            return "The two passphrases are not the same yet."
        return None

    def _context(self) -> tuple[str, str]:
        """What an attacker would try first for this project: its name and the coder's."""
        return self.name.text().strip(), self.coder.text().strip()

    def _validate(self) -> None:
        if self.passphrase.text():
            hint, level = strength(self.passphrase.text(), self._context())
            colour = ("#a12622", "#a12622", "#2e6b30", "#2e6b30")[level]
            self.strength.setText(
                f'<span style="color:{colour}">Strength: {html.escape(hint, quote=False)}</span>'
            )
        else:
            self.strength.setText("")
        problem = self.problem()
        # Nag only about fields the user has reached: an empty form is not an error.
        started = bool(self.passphrase.text() or self.confirm.text())
        self.message.setText(problem if problem and started else "")
        self.create_button.setEnabled(problem is None)

    def make(self, folder: Path) -> tuple[Project, str]:
        """Create the project the form describes; returns it open, with its recovery key."""
        template = templates.by_key(str(self.template.currentData()))
        project, recovery_key = Project.create(
            folder,
            name=self.name.text(),
            coder=self.coder.text(),
            passphrase=self.passphrase.text(),
            kdf=self.kdf,
        )
        templates.apply(template, project.codebook)
        return project, recovery_key

    def accept(self) -> None:
        if self.problem() is not None:
            self._validate()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # two key derivations take a moment
        try:
            project, recovery_key = self.make(Path(self.folder.text().strip()).expanduser())
        except JswError as error:
            self.message.setText(as_sentence(str(error)))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.passphrase.clear()
        self.confirm.clear()
        self.project = project
        RecoveryKeyDialog.show_key(recovery_key, project.notices, self)
        super().accept()

    @classmethod
    def choose_folder(cls, parent: QWidget | None, start: str) -> str | None:
        """A folder for the new project, or None when cancelled. Tests replace this."""
        folder = QFileDialog.getExistingDirectory(parent, "Folder for the new project", start)
        return folder or None

    @classmethod
    def create_project(cls, parent: QWidget | None = None) -> Project | None:
        """Ask for the details and create the project; the open project, or None if cancelled."""
        dialog = cls(parent)
        dialog.exec()
        project = dialog.project
        dialog.deleteLater()
        return project


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; Continue waits until the user says it is stored safely."""

    def __init__(self, recovery_key: str, notices: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your recovery key")
        self.setModal(True)
        intro = QLabel(
            "<b>Write this recovery key down now.</b> It is shown only this once. If the passphrase is "
            "forgotten, it is the only way to open the project. Keep it apart from the laptop, "
            "for example on paper in a locked drawer.",
            self,
        )
        intro.setWordWrap(True)
        self.key_label = QLabel(recovery_key, self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.5)
        self.key_label.setFont(font)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setAccessibleName("Recovery key")
        self.key_label.setStyleSheet("padding: 12px; border: 1px solid palette(mid);")
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setAccessibleName("Copy the recovery key")
        self.stored = QCheckBox("I &have stored the recovery key safely", self)
        self.continue_button = QPushButton("C&ontinue", self)
        self.continue_button.setEnabled(False)
        self.continue_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addWidget(self.copy_button, 0, Qt.AlignmentFlag.AlignRight)
        for notice in notices:
            extra = QLabel(notice, self)
            extra.setWordWrap(True)
            layout.addWidget(extra)
        layout.addWidget(self.stored)
        layout.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignRight)
        self._recovery_key = recovery_key
        self.copy_button.clicked.connect(self.copy)
        self.stored.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self.accept)
        self.stored.setFocus(Qt.FocusReason.OtherFocusReason)

    def copy(self) -> None:
        QApplication.clipboard().setText(self._recovery_key)
        self.copy_button.setText("Copied")

    def done(self, result: int) -> None:
        # The key should end up on paper, not linger on the laptop's clipboard.
        clipboard = QApplication.clipboard()
        if clipboard.text() == self._recovery_key:
            clipboard.clear()
        super().done(result)

    def reject(self) -> None:
        # Escape must not skip the only showing of the key: leaving needs the checkbox, like Continue.
        if self.stored.isChecked():
            super().accept()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.stored.isChecked():
            super().closeEvent(event)
        else:
            event.ignore()

    @classmethod
    def show_key(cls, recovery_key: str, notices: list[str], parent: QWidget | None = None) -> None:
        """Show the key until the user confirms they stored it. Tests replace this."""
        dialog = cls(recovery_key, notices, parent)
        dialog.exec()
        dialog.deleteLater()
