"""File › Export to REFI-QDA (.qdpx)…: which program will open the file, asked before where it goes.

One question, five answers (:data:`jswcoder.refiqda.profiles.PROFILES`, the standard first), by keys:
the arrows move, Enter goes on to the save dialog, Esc cancels, each program has its Alt letter.
Under the choice, in plain words, what changes for that program and what it will not keep; the words
are read from the profile's table (:func:`what_changes`), never written here a second time. The
window remembers nothing itself: :class:`jswcoder.ui.report_actions.ReportActions` keeps the choice in
the settings and passes it back as the next preselection.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from jswcoder.offsets import Convention
from jswcoder.refiqda.profiles import PROFILES, STANDARD, Profile, Variables

TITLE = "Export to REFI-QDA"
QUESTION = "Which program will open it?"
_MNEMONIC_TAKEN = {"c"}  # the Choose where to save… button's letter
_ANY_OTHER = {STANDARD.key: " (any other program)"}  # for Quirkos, Dedoose, … users

_PARTICIPANTS = {
    Variables.CASES: "Participants arrive as cases, each with their details.",
    Variables.CASES_AND_GROUPS: "Participants arrive as cases, and their details also as document groups.",
    Variables.DOCUMENT_VARIABLES: "Participants' details arrive as each document's variables.",
}


def what_changes(profile: Profile) -> list[str]:
    """A few plain lines: how the file is written for ``profile``'s program, and what it keeps.

    Every phrase comes from a field of the profile (line ends, positions, unique names, where the
    participants' details go, what it drops), so a profile changed in the table reads right here.
    """
    conventions: list[str] = []
    if profile.byte_order_mark:
        conventions.append("a byte order mark")
    if profile.line_end == "\r\n":
        counted = "two characters" if profile.line_end_units == 2 else "one character"
        conventions.append(f"Windows line ends, each counted as {counted}")
    if profile.positions is Convention.UTF16:
        conventions.append("positions in UTF-16 units")
    first = f"Written as {profile.tool} expects: " + ", ".join(conventions) if conventions else ""
    if profile.unique_names:
        renamed = "a theme name used twice gets its parent's added: “Name (Parent)”"
        first = f"{first}; {renamed}" if first else renamed[0].upper() + renamed[1:]
    lines = [(first or f"Written as the {STANDARD.tool} describes it, for any program that follows it") + "."]
    if not any(what == "participants" for what, _ in profile.drops):
        lines.append(_PARTICIPANTS[profile.variables])
    if profile.drops:
        lines.append(profile.will_not_keep())
    return lines


def _paragraphs(lines: list[str]) -> str:
    """*lines* as paragraphs a little apart, easier on the eye than one block."""
    return "".join(f'<p style="margin: 0 0 6px 0">{escape(line, quote=False)}</p>' for line in lines)


def _mnemonic(name: str, taken: set[str]) -> str:
    """``name`` with an Alt letter: its first letter not already taken, else none."""
    for index, letter in enumerate(name):
        if letter.isalpha() and letter.casefold() not in taken:
            taken.add(letter.casefold())
            return f"{name[:index]}&{name[index:]}"
    return name


class QdpxExportDialog(QDialog):
    """The question, the five programs as radio buttons, and what the chosen one changes."""

    def __init__(self, chosen: Profile = STANDARD, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setModal(True)
        question = QLabel(QUESTION, self)
        font = question.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        question.setFont(font)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        taken = set(_MNEMONIC_TAKEN)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(question)
        for profile in PROFILES.values():
            button = QRadioButton(_mnemonic(profile.tool, taken) + _ANY_OTHER.get(profile.key, ""), self)
            button.setAccessibleName(profile.tool)
            # An Alt letter presses the button and clicks it 100 ms later; ticked on the press, a quick
            # Alt+N, Enter goes on with NVivo, not with what was ticked before.
            button.pressed.connect(lambda chosen=button: chosen.setChecked(True))
            self.group.addButton(button)
            self.buttons[profile.key] = button
            layout.addWidget(button)
        self.changes = QLabel(self)
        self.changes.setWordWrap(True)
        self.changes.setTextFormat(Qt.TextFormat.RichText)
        self.changes.setAccessibleName("What changes for this program")
        layout.addSpacing(8)
        layout.addWidget(self.changes)
        layout.addSpacing(8)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.next_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.next_button.setText("&Choose where to save…")
        self.next_button.setDefault(True)
        layout.addWidget(buttons)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.group.buttonToggled.connect(self._toggled)
        self.setMinimumWidth(560)
        start = self.buttons.get(chosen.key, self.buttons[STANDARD.key])
        start.setChecked(True)
        start.setFocus()
        self._show_changes()
        self._reserve_room()

    def chosen(self) -> Profile:
        key = next(key for key, button in self.buttons.items() if button.isChecked())
        return PROFILES[key]

    def _toggled(self, _button: QAbstractButton, on: bool) -> None:
        if on:
            self._show_changes()

    def _show_changes(self) -> None:
        self.changes.setText(_paragraphs(what_changes(self.chosen())))

    def _reserve_room(self) -> None:
        """As tall as the longest program's lines need, so that moving the choice moves nothing."""
        margins = self._layout.contentsMargins()
        width = self.minimumWidth() - margins.left() - margins.right()
        shown = self.changes.text()
        tallest = 0
        for profile in PROFILES.values():
            self.changes.setText(_paragraphs(what_changes(profile)))
            tallest = max(tallest, self.changes.heightForWidth(width))
        self.changes.setText(shown)
        self.changes.setFixedHeight(tallest)

    @classmethod
    def ask(cls, parent: QWidget | None, chosen: Profile = STANDARD) -> Profile | None:
        """The program chosen (``chosen`` preselected), or None when cancelled. Tests may replace this."""
        dialog = cls(chosen, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        answer = dialog.chosen()
        dialog.deleteLater()
        return answer if accepted else None
