"""Before search hits are coded: how much around each hit to code, and exactly what that will be.

The ticked hits can be coded as the words found, or grown to their sentence, paragraph or speaker
turn (:mod:`jswcoder.services.passage_units`). The preview lists every passage that will be coded,
highlighted in the theme's colour with the words found in bold, and changes as soon as another unit is
picked. Pressing the button codes exactly the passages on show (:attr:`CodeHitsDialog.passages`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette, QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.services.passage_units import Unit
from jswcoder.services.search import Passage
from jswcoder.ui.highlight_margin import HIGHLIGHT_ALPHA
from jswcoder.ui.transcript_view import LABEL_COLOUR

# The choices, smallest first, each with its access key and the plural the button and summary use.
UNITS: tuple[tuple[Unit, str, str, str], ...] = (
    (Unit.HIT, "&Words found", "hit", "hits"),
    (Unit.SENTENCE, "&Sentence", "sentence", "sentences"),
    (Unit.PARAGRAPH, "&Paragraph", "paragraph", "paragraphs"),
    (Unit.TURN, "Speaker &turn", "speaker turn", "speaker turns"),
)
LINE_SEPARATOR = "\u2028"  # a line break inside one passage: it stays one block of the preview


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class CodeHitsDialog(QDialog):
    """Pick the unit, see the passages, code them. Offsets stay code points; Qt never counts them."""

    def __init__(
        self,
        passages_for: Callable[[Unit], list[Passage]],
        hit_count: int,
        code_path: str,
        colour: str,
        unit: Unit = Unit.SENTENCE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Code search hits")
        self._passages_for = passages_for
        self._hit_count = hit_count
        self._colour = QColor(colour) if QColor.isValidColorName(colour) else QColor("#9e9e9e")
        self.passages: list[Passage] = []
        self.heading = QLabel(
            f"Code the {_count(hit_count, 'ticked hit', 'ticked hits')} as “{code_path}”.", self
        )
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.units = QButtonGroup(self)
        choices = QHBoxLayout()
        code_label = QLabel("Code each hit's:", self)
        choices.addWidget(code_label)
        for number, (choice, label, _, _) in enumerate(UNITS):
            button = QRadioButton(label, self)
            button.setAccessibleName(f"Code each hit's {label.replace('&', '').lower()}")
            self.units.addButton(button, number)
            choices.addWidget(button)
            button.setChecked(choice is unit)
        choices.addStretch(1)
        self.preview = QTextBrowser(self)
        self.preview.setAccessibleName("Passages to be coded")
        self.preview.setOpenLinks(False)
        self.summary = QLabel("", self)
        self.summary.setAccessibleName("What will be coded")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.code_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(choices)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.resize(680, 460)
        self.units.idToggled.connect(self._toggled)
        self._show()
        self.code_button.setFocus()

    def unit(self) -> Unit:
        return UNITS[max(self.units.checkedId(), 0)][0]

    def clear(self) -> None:
        """Drop the passages and their text (the idle lock must leave none on screen)."""
        self.passages = []
        self.preview.clear()
        self.summary.clear()

    # -- internals ---------------------------------------------------------------------------------

    def _toggled(self, _number: int, checked: bool) -> None:
        if checked:  # the button turned off toggles too
            self._show()

    def _show(self) -> None:
        unit, _, one, many = UNITS[max(self.units.checkedId(), 0)]
        try:
            self.passages = self._passages_for(unit)
        except JswError as error:
            self.passages = []
            self.preview.setPlainText(str(error)[:1].upper() + str(error)[1:] + ".")
            self.summary.setText("Nothing can be coded.")
            self.code_button.setEnabled(False)
            return
        self._render(unit)
        count = _count(len(self.passages), one, many)
        self.code_button.setText(f"Code {count}")
        self.code_button.setEnabled(bool(self.passages))
        shared = self._hit_count - len(self.passages)
        if unit is Unit.HIT:
            what = f"{count} to code"
        else:
            what = f"{_count(self._hit_count, 'hit', 'hits')}: {count} to code"
            what += f"; hits that share a {one} code it once" if shared > 0 else ""
        self.summary.setText(f"{what}. The highlighted text is what is coded; the words found are in bold.")

    def _formats(self) -> tuple[QTextCharFormat, QTextCharFormat, QTextCharFormat, QTextCharFormat]:
        """Plain; context (a mid tone between text and page, readable but plainly not coded); coded (the
        theme's colour, as the transcript will show it); the words found (coded, in bold)."""
        plain = QTextCharFormat()
        text, page = (
            self.palette().color(QPalette.ColorRole.Text),
            self.palette().color(QPalette.ColorRole.Base),
        )
        quiet = QTextCharFormat()
        quiet.setForeground(
            QColor(
                round(text.red() * 0.6 + page.red() * 0.4),
                round(text.green() * 0.6 + page.green() * 0.4),
                round(text.blue() * 0.6 + page.blue() * 0.4),
            )
        )
        coded = QTextCharFormat()
        tint = QColor(self._colour)
        tint.setAlpha(HIGHLIGHT_ALPHA)
        coded.setBackground(tint)
        found = QTextCharFormat(coded)
        found.setFontWeight(QFont.Weight.Bold)
        return plain, quiet, coded, found

    def _render(self, unit: Unit) -> None:
        """Each transcript's name once, then its passages, one block each, as the transcript shows them:
        the speaker's name in bold first (not highlighted: it is not coded). Built with a cursor, so
        every space is kept."""
        self.preview.clear()
        plain, quiet, coded, found = self._formats()
        heading = QTextCharFormat()
        heading.setFontWeight(QFont.Weight.Bold)
        speaker = QTextCharFormat(heading)
        speaker.setForeground(LABEL_COLOUR)  # as speaker labels are in the transcript
        new_transcript, next_passage = QTextBlockFormat(), QTextBlockFormat()
        new_transcript.setTopMargin(12)
        next_passage.setTopMargin(5)
        cursor = QTextCursor(self.preview.document())
        cursor.beginEditBlock()  # one layout at the end, not one per insert
        shown_name: str | None = None
        for passage in self.passages:
            if passage.transcript_name != shown_name:
                if shown_name is not None:
                    cursor.insertBlock(new_transcript)
                cursor.insertText(passage.transcript_name, heading)
                shown_name = passage.transcript_name
            cursor.insertBlock(next_passage, plain)
            if passage.speaker and unit is not Unit.HIT:  # the words found show theirs in the context
                cursor.insertText(f"{passage.speaker}:", speaker)
                cursor.insertText("  ", plain)
            if unit is Unit.HIT and passage.before:
                cursor.insertText(f"…{passage.before}", quiet)
            at = 0
            for start, end in passage.hits:
                if start > at:
                    cursor.insertText(self._line(passage.text[at:start]), coded)
                cursor.insertText(self._line(passage.text[max(start, at) : end]), found)
                at = max(at, end)
            if at < len(passage.text):
                cursor.insertText(self._line(passage.text[at:]), coded)
            if unit is Unit.HIT and passage.after:
                cursor.insertText(f"{passage.after}…", quiet)
        cursor.endEditBlock()
        self.preview.moveCursor(QTextCursor.MoveOperation.Start)

    @staticmethod
    def _line(text: str) -> str:
        return text.replace("\n", LINE_SEPARATOR)
