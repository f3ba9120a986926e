"""Start screen › Join a team…: a fieldworker's new project, made from the lead's team file.

The best way to start in a team: the project begins with the team codebook under the team's UUIDs and
nothing of its own. The team file is read and checked before anything is asked. The form is the
new-project form (coder, folder, passphrase) with the team's name instead of a project name and no
codebook template, plus the lead's key fingerprint, which the lead reads out: a team file that someone
else planted in the exchange folder does not match it, and nothing is created until it does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QFileDialog, QFormLayout, QLabel, QMessageBox, QWidget

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.team import keys, teamfile
from jswcoder.team.starting import join_as_new_project
from jswcoder.team.teamfile import TeamFile
from jswcoder.ui.new_project import NewProjectDialog
from jswcoder.ui.unlock import as_sentence

TITLE = "Join a team"
FINGERPRINT_HINT = "XXXX-XXXX-XXXX-XXXX"


class JoinTeamDialog(NewProjectDialog):
    """The new-project form for a project made by joining the team of a team file already read."""

    def __init__(self, data: bytes, team: TeamFile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._team = team
        self.setWindowTitle(TITLE)
        form = self.findChild(QFormLayout)
        assert form is not None
        form.setRowVisible(self.template, False)  # the codebook is the team's
        form.setRowVisible(self.name, False)
        self.for_team.setVisible(False)
        self.name.setText(team.name)  # the project is named after the team; the default folder too
        leads = ", ".join(lead.name for lead in team.leads)
        intro = QLabel(f"Team <b>{_escaped(team.name)}</b>, led by {_escaped(leads)}.", self)
        intro.setAccessibleName("Team")
        form.insertRow(0, intro)
        self.fingerprint = self._line("Lead's key fingerprint", FINGERPRINT_HINT)
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        label = QLabel("Lead's &fingerprint:", self)
        label.setBuddy(self.fingerprint)
        form.insertRow(1, label, self.fingerprint)
        ask = QLabel("Ask the lead to read you their key fingerprint, and type it here.", self)
        ask.setWordWrap(True)
        form.insertRow(2, "", ask)
        self.fingerprint.textChanged.connect(self._validate)
        self.create_button.setText("Join the team")
        self._validate()

    def problem(self) -> str | None:
        typed = self.fingerprint.text() if hasattr(self, "fingerprint") else ""
        if not typed.strip():
            return "Type the lead's key fingerprint, as the lead reads it to you."
        if not keys.matches(typed, self._team.signer.signing_public):
            if len("".join(ch for ch in typed if ch.isalnum())) < 16:
                return "The fingerprint has 16 letters and digits, in four groups."
            return (
                "That is not the fingerprint of this team file's lead. Check it with the lead: "
                "a team file left by someone else would not match."
            )
        return super().problem()

    def make(self, folder: Path) -> tuple[Project, str]:
        project, recovery_key, _joined = join_as_new_project(
            folder,
            self._data,
            fingerprint=self.fingerprint.text(),
            coder=self.coder.text(),
            passphrase=self.passphrase.text(),
            kdf=self.kdf,
        )
        return project, recovery_key

    @classmethod
    def ask_file(cls, parent: QWidget | None) -> Path | None:
        """The team file to join with, or None when cancelled. Tests replace this."""
        name, _ = QFileDialog.getOpenFileName(parent, TITLE, "", f"Team files (*{teamfile.SUFFIX})")
        return Path(name) if name else None

    @classmethod
    def tell(cls, parent: QWidget | None, title: str, text: str) -> None:
        QMessageBox.information(parent, title, text)

    @classmethod
    def join(cls, parent: QWidget | None = None) -> Project | None:
        """Ask for a team file and the new project's details; the open project, or None."""
        path = cls.ask_file(parent)
        if path is None:
            return None
        try:
            data = teamfile.read_bytes(path)
            team = teamfile.decode(data)
        except JswError as error:
            cls.tell(parent, TITLE, as_sentence(str(error)))
            return None
        dialog = cls(data, team, parent)
        dialog.exec()
        project = dialog.project
        dialog.deleteLater()
        if project is not None:
            cls.tell(
                parent,
                TITLE,
                f"You joined {team.name}. Your own key fingerprint is {project.team.fingerprint()}: read it "
                "to the lead, who admits you with it. Then sync (Team › Sync with the exchange folder).",
            )
        return project


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
