"""Adding the selected words to the anonymisation register, with a descriptor in the study's style."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.model import IDENTIFIER_CATEGORIES, category_name
from jswcoder.services.register import Register, split_forms

# A first descriptor to offer for each category; the user can type any other.
DEFAULT_DESCRIPTORS = {
    "PERSON": "[PERSON]",
    "PLACE": "[NAME OF AREA]",
    "ORG": "[PARTNER ORGANISATION]",
    "PHONE": "[PHONE NUMBER]",
    "EMAIL": "[EMAIL ADDRESS]",
    "DATE": "[DATE]",
    "ADDRESS": "[STREET NAME]",
    "POSTCODE": "[POSTCODE]",
    "CASE_REF": "[CASE REFERENCE]",
    "PRISON": "[NAME OF PRISON]",
    "COURT": "[NAME OF COURT]",
    "OTHER": "[IDENTIFYING DETAIL]",
}


class AddToRegisterDialog(QDialog):
    def __init__(self, text: str, known_descriptors: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add to the anonymisation register")
        self.text_edit = QLineEdit(text, self)
        self.text_edit.setAccessibleName("Identifying text")
        self.category = QComboBox(self)
        self.category.setAccessibleName("Category")
        self.category.addItems([category_name(c) for c in IDENTIFIER_CATEGORIES])
        self.descriptor = QComboBox(self)
        self.descriptor.setEditable(True)
        self.descriptor.setAccessibleName("Replace with")
        self.descriptor.addItems(sorted(set(known_descriptors) | set(DEFAULT_DESCRIPTORS.values())))
        self.descriptor.setCurrentText(DEFAULT_DESCRIPTORS["PERSON"])
        self.category.currentIndexChanged.connect(self._category_changed)
        self.forms = QLineEdit(self)
        self.forms.setAccessibleName("Other forms")
        self.forms.setPlaceholderText("optional: e.g. Shiv, Mrs K  (separate them with commas)")
        form = QFormLayout(self)
        form.addRow("&Text:", self.text_edit)
        form.addRow("&Category:", self.category)
        form.addRow("&Replace with:", self.descriptor)
        form.addRow("&Other forms:", self.forms)
        hint = QLabel(
            "It is replaced in every transcript, whole words only, in any case but all-lower-case; "
            "so is each other form (a nickname, a short form).",
            self,
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        form.addRow(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _category_changed(self, index: int) -> None:
        previous = set(DEFAULT_DESCRIPTORS.values())
        if self.descriptor.currentText() in previous:  # only replace a default the user did not change
            self.descriptor.setCurrentText(DEFAULT_DESCRIPTORS[IDENTIFIER_CATEGORIES[index]])

    def values(self) -> tuple[str, str, str, list[str]]:
        return (
            self.text_edit.text(),
            self.descriptor.currentText(),
            IDENTIFIER_CATEGORIES[self.category.currentIndex()],
            split_forms(self.forms.text()),
        )

    @classmethod
    def ask(
        cls, text: str, known_descriptors: Sequence[str], parent: QWidget | None = None
    ) -> tuple[str, str, str, list[str]] | None:
        """(text, replacement, category, other forms), or None when cancelled. Tests replace this."""
        dialog = cls(text, known_descriptors, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def add_to_register(register: Register, words: str, parent: QWidget) -> str | None:
    """Ask for the descriptor of ``words`` (a selection) and add them to the register: the status line
    to show, or None when the user cancelled or the register refused (said in a message box)."""
    known = sorted({e.replacement for e in register.entries()})
    answer = AddToRegisterDialog.ask(" ".join(words.split()), known, parent)
    if answer is None:
        return None
    text, replacement, category, forms = answer
    try:
        entry = register.add(text, replacement, category, variants=forms)
    except JswError as error:
        QMessageBox.warning(parent, "jswcoder", str(error))
        return None
    return f"Added to the register: replaced by {entry.replacement} in anonymised exports."
