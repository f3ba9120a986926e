"""Analysis › Export the theme report…: how the report is made, asked before where it goes.

The defaults make a report to hand in (:class:`jswcoder.reports.theme_report.ReportOptions`): a title
page, only the themes with quotes or key points, quotes trimmed to whole sentences. The choices are
kept for the rest of the session, so a second export asks nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

TITLE = "Export the theme report"


@dataclass(frozen=True)
class ReportChoices:
    """What the user chose; the report's own options are built from it when the report is written."""

    title_page: bool = True
    all_themes: bool = False
    trimmed: bool = True
    title: str = ""


class ReportOptionsDialog(QDialog):
    last = ReportChoices()  # this session's choices: the next export starts from them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setModal(True)
        chosen = ReportOptionsDialog.last
        self.title_page = QCheckBox("A &title page (title, date, what the report holds)", self)
        self.title_page.setChecked(chosen.title_page)
        self.title = QLineEdit(chosen.title, self)
        self.title.setAccessibleName("Report title")
        self.title.setPlaceholderText("Theme report")
        self.all_themes = QCheckBox("Also the themes with &nothing in them (as empty headings)", self)
        self.all_themes.setChecked(chosen.all_themes)
        self.trimmed = QCheckBox("&Quotes end on whole sentences (“…” where a sentence is cut)", self)
        self.trimmed.setChecked(chosen.trimmed)
        note = QLabel("A fieldworker's report goes through the register, the title included.", self)
        note.setWordWrap(True)
        note.setEnabled(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.next_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.next_button.setText("Choose where to save…")
        form = QFormLayout()
        form.addRow(self.title_page)
        label = QLabel("T&itle:", self)
        label.setBuddy(self.title)
        form.addRow(label, self.title)
        form.addRow(self.all_themes)
        form.addRow(self.trimmed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.title_page.toggled.connect(self.title.setEnabled)
        self.title.setEnabled(chosen.title_page)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

    def choices(self) -> ReportChoices:
        return replace(
            ReportChoices(),
            title_page=self.title_page.isChecked(),
            all_themes=self.all_themes.isChecked(),
            trimmed=self.trimmed.isChecked(),
            title=self.title.text().strip(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None) -> ReportChoices | None:
        """The choices, or None when cancelled; kept for the session's next export."""
        dialog = cls(parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        chosen = dialog.choices()
        dialog.deleteLater()
        if not accepted:
            return None
        cls.last = chosen
        return chosen
