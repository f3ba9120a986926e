"""Original and anonymised text side by side, every replacement highlighted in both.

The fieldworker checks here what would leave the laptop. Scrolling one side scrolls the other to the
same place in the transcript, so a replacement can be compared with what it replaced.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from jswcoder.offsets import Convention, OffsetMap
from jswcoder.services.anonymisation import Preview

ORIGINAL_COLOUR = QColor("#F6C9A8")  # what goes: warm
REPLACEMENT_COLOUR = QColor("#BFE3F5")  # what stays in its place: cool


def _editor(
    text: str, spans: Sequence[tuple[int, int]], colour: QColor, name: str, parent: QWidget
) -> QPlainTextEdit:
    editor = QPlainTextEdit(parent)
    editor.setReadOnly(True)
    editor.setAccessibleName(name)
    editor.setPlainText(text)
    font = QFont(editor.font())
    font.setPointSizeF(max(font.pointSizeF(), 11.0))
    editor.setFont(font)
    offsets = OffsetMap(text)
    highlight = QTextCharFormat()
    highlight.setBackground(colour)
    highlight.setFontWeight(QFont.Weight.DemiBold)  # not colour alone
    selections = []
    for start, end in spans:
        cursor = QTextCursor(editor.document())
        cursor.setPosition(offsets.to_units(start, Convention.UTF16))
        cursor.setPosition(offsets.to_units(end, Convention.UTF16), QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = highlight
        selections.append(selection)
    editor.setExtraSelections(selections)
    return editor


class PreviewDialog(QDialog):
    def __init__(self, name: str, preview: Preview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Anonymised preview: {name}")
        self.resize(1200, 760)
        replacements = preview.anonymised.replacements
        self.original = _editor(
            preview.original, [(r.start, r.end) for r in replacements], ORIGINAL_COLOUR, "Original text", self
        )
        self.anonymised = _editor(
            preview.anonymised.text,
            [(r.new_start, r.new_end) for r in replacements],
            REPLACEMENT_COLOUR,
            "Anonymised text",
            self,
        )
        count = len(replacements) + sum(len(a.replacements) for _, a in preview.notes)
        summary = QLabel(
            f"{count} replacement{'s' if count != 1 else ''} from the register"
            + (f", {len(preview.notes)} document notes included" if preview.notes else "")
            + ". Only the right-hand side would leave this computer.",
            self,
        )
        summary.setWordWrap(True)
        columns = QHBoxLayout()
        for title, editor in (("Original (stays here)", self.original), ("Anonymised", self.anonymised)):
            column = QVBoxLayout()
            heading = QLabel(f"<b>{title}</b>", self)
            column.addWidget(heading)
            column.addWidget(editor)
            columns.addLayout(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addLayout(columns, 1)
        layout.addWidget(buttons)
        self._syncing = False
        for source, target in ((self.original, self.anonymised), (self.anonymised, self.original)):
            source.verticalScrollBar().valueChanged.connect(
                lambda _value, s=source, t=target: self._follow(s, t)
            )

    def _follow(self, source: QPlainTextEdit, target: QPlainTextEdit) -> None:
        """Keep both sides at the same place: proportionally, since replacements change line lengths."""
        if self._syncing:
            return
        self._syncing = True
        try:
            bar, other = source.verticalScrollBar(), target.verticalScrollBar()
            share = bar.value() / bar.maximum() if bar.maximum() else 0.0
            other.setValue(round(share * other.maximum()))
        finally:
            self._syncing = False

    def clear(self) -> None:
        self.original.clear()
        self.anonymised.clear()

    @classmethod
    def show_preview(cls, name: str, preview: Preview, parent: QWidget | None = None) -> None:
        """Modal; tests replace this."""
        dialog = cls(name, preview, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()
