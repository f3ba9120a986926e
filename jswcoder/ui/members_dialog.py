"""Team › Members…: who asked to join the lead's team, and admitting or refusing them.

A join request only makes its sender *pending*: anyone who can write to the exchange folder can send
one. The lead admits a member once the fingerprint the member reads out (on the phone, in person)
matches the one shown here, large, for the member selected; the typed fingerprint is checked by the
core, and a mismatch is said plainly and changes nothing. Refusing keeps a stranger's packages out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.store.team import MemberRow
from jswcoder.team import keys
from jswcoder.ui.unlock import ERROR_STYLE, as_sentence

TITLE = "Team members"
STATES = {"pending": "Asks to join", "admitted": "Member", "refused": "Refused"}
COLUMNS = ("Name", "State", "Key fingerprint", "Last package")


def large_fingerprint(label: QLabel) -> None:
    """A fingerprint as it is read aloud: fixed-width, large, selectable."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.8)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("padding: 10px; border: 1px solid palette(mid);")


class MembersDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None, *, select: str = "") -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(620)
        intro = QLabel(
            "Admit someone only when the fingerprint they read out to you is the one shown here. "
            "Nothing they send is merged until then.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Members")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.who = QLabel(self)
        self.who.setAccessibleName("Selected member")
        self.fingerprint = QLabel(self)
        self.fingerprint.setAccessibleName("Their key fingerprint")
        large_fingerprint(self.fingerprint)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Outcome")
        self.admit_button = QPushButton("&Admit…", self)
        self.admit_button.setAccessibleName("Admit the selected member")
        self.refuse_button = QPushButton("&Refuse", self)
        self.refuse_button.setAccessibleName("Refuse the selected member")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        row = QHBoxLayout()
        row.addWidget(self.admit_button)
        row.addWidget(self.refuse_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.who)
        layout.addWidget(self.fingerprint)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.table.itemSelectionChanged.connect(self._selected)
        self.admit_button.clicked.connect(self.admit)
        self.refuse_button.clicked.connect(self.refuse)
        close.rejected.connect(self.reject)
        self._members: list[MemberRow] = []
        self.refresh(select)
        self.resize(700, 460)

    def refresh(self, select: str = "") -> None:
        """Fill the table afresh; select the member named *select*, else the first one asking to join."""
        self._members = sorted(
            self.project.team.members(), key=lambda m: (m.state != "pending", m.name.casefold())
        )
        self.table.setRowCount(len(self._members))
        for row, member in enumerate(self._members):
            cells = (
                member.name,
                STATES.get(member.state, member.state),
                keys.fingerprint(member.signing_public),
                f"Package {member.last_sequence}" if member.last_sequence else "None yet",
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        chosen = next((n for n, m in enumerate(self._members) if m.name == select), 0)
        if self._members:
            self.table.selectRow(chosen)
        self._selected()

    def selected(self) -> MemberRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._members[rows[0].row()] if rows else None

    def _selected(self) -> None:
        member = self.selected()
        if member is None:
            self.who.setText("No one has asked to join yet: requests arrive when they sync and you sync.")
            self.fingerprint.setText("")
            self.fingerprint.setVisible(False)
        else:
            self.who.setText(
                f"{member.name}: {STATES.get(member.state, member.state).lower()}. Key fingerprint:"
            )
            self.fingerprint.setText(keys.fingerprint(member.signing_public))
            self.fingerprint.setVisible(True)
        self.admit_button.setEnabled(member is not None and member.state != "admitted")
        self.refuse_button.setEnabled(member is not None and member.state != "refused")

    def admit(self) -> None:
        member = self.selected()
        if member is None:
            return
        typed = self.ask_fingerprint(self, member.name)
        if typed is None:
            return
        try:
            self.project.team.admit(member.member_id, typed)
        except JswError as error:
            self._say(as_sentence(str(error)), problem=True)
            return
        self.refresh(member.name)
        self._say(f"{member.name} is a member now: their packages are merged from your next sync.")

    def refuse(self) -> None:
        member = self.selected()
        if member is None:
            return
        try:
            self.project.team.refuse(member.member_id)
        except JswError as error:
            self._say(as_sentence(str(error)), problem=True)
            return
        self.refresh(member.name)
        self._say(f"Refused {member.name}: nothing they send is merged.")

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if problem else "")
        self.message.setText(text)

    @classmethod
    def ask_fingerprint(cls, parent: QWidget, name: str) -> str | None:
        """The fingerprint *name* reads out to the lead; None when cancelled. Tests replace this."""
        typed, ok = QInputDialog.getText(
            parent, TITLE, f"Ask {name} to read you their key fingerprint, and type it here:"
        )
        return typed.strip() if ok and typed.strip() else None

    @classmethod
    def show_for(cls, project: Project, parent: QWidget | None, select: str = "") -> None:
        """Open the list, window-modal. Tests replace exec."""
        dialog = cls(project, parent, select=select)
        dialog.exec()
        dialog.deleteLater()
