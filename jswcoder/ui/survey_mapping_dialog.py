"""The mapping step of a survey import: the user confirms what each column of the export is (issue 18).

One row per column, as NVivo's dataset wizard and MAXQDA's "Import survey data" show them: the
column's heading and question, a chooser (*Open answer*, *Attribute*, *ID*, *Leave out*) set to the
guess of :func:`~jswcoder.importing.survey_mapping.guess_mapping`, a few of its answers, and, on a
column that identifies people (a name, an email address, precise times), a warning sign with its
reason: such columns come preselected as *Leave out*. Left-out rows are greyed, so what is imported
stands out.

The survey's name defaults to the file's; when the mapping matches a survey already in the project
(the same ID column and open questions: :func:`~jswcoder.services.surveys.survey_identity`), the
dialog says the import updates it. A mapping the import would refuse (no open answer, two IDs)
disables *Import* and says why in one line.

Keyboard: Tab goes from chooser to chooser (the list scrolls along), the arrow keys change the kind,
Enter imports and Escape cancels. :meth:`SurveyMappingDialog.ask` is what the import calls; tests
that are not about this dialog replace it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from jswcoder.importing.survey_files import SurveyTable
from jswcoder.importing.survey_mapping import ColumnGuess
from jswcoder.services.surveys import MAX_NAME, Survey, survey_identity

KIND_LABELS = {"open": "Open answer", "attribute": "Attribute", "id": "ID", "ignore": "Leave out"}
KIND_TIPS = {
    "open": "Text you code against the themes, like a passage of an interview",
    "attribute": "A closed answer that describes the respondent (role, area, how satisfied…): a case attribute",
    "id": "The respondent's ID in the export: finds the same respondents when an updated export is imported",
    "ignore": "Not imported",
}
INTRO = (
    "Choose what each column of the export is. <b>Open answers</b> become text you code; "
    "<b>attributes</b> describe each respondent, as case attributes; the <b>ID</b> finds the same "
    "respondents when you import an updated export. Columns that identify people are left out."
)
SAMPLE_WIDTH = 330  # pixels of each sample shown: enough to recognise a column, not to read answers
SHORT_SAMPLE = 24  # characters: samples this short share a line
GREY = "#7a7a7a"
WARNING = "#8a4b00"  # amber, dark enough to read on white
REFUSED = "#a1260d"


@dataclass(frozen=True)
class MappingChoice:
    kinds: dict[str, str]  # column key -> open, attribute, id or ignore
    name: str  # the new survey's name (unused when the import updates a survey)


class _Row:
    """One column's widgets in the grid."""

    def __init__(self, parent: QWidget, guess: ColumnGuess) -> None:
        self.guess = guess
        heading = guess.key if guess.question in ("", guess.key) else f"{guess.key}  ·  {guess.question}"
        self.heading = QLabel(heading, parent)
        self.heading.setWordWrap(True)
        self.heading.setToolTip(guess.question or guess.key)
        self.kind = QComboBox(parent)
        self.kind.setAccessibleName(f"Import {guess.key} as")
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind)
            self.kind.setItemData(self.kind.count() - 1, KIND_TIPS[kind], Qt.ItemDataRole.ToolTipRole)
        self.kind.setCurrentIndex(list(KIND_LABELS).index(guess.kind))
        metrics = parent.fontMetrics()
        shown = [
            metrics.elidedText(" ".join(s.split()), Qt.TextElideMode.ElideRight, SAMPLE_WIDTH)
            for s in guess.samples
        ]
        # Short closed answers on one line ("Fife · Dundee · Angus"), written answers one per line.
        joint = "  ·  " if all(len(sample) <= SHORT_SAMPLE for sample in shown) else "\n"
        self.samples = QLabel(joint.join(shown) or "(no answers)", parent)
        self.samples.setTextFormat(Qt.TextFormat.PlainText)
        self.samples.setAccessibleName(f"Examples from {guess.key}")
        self.warning = QLabel(f"⚠  {guess.warning}", parent) if guess.warning else None
        if self.warning is not None:
            self.warning.setWordWrap(True)
            self.warning.setAccessibleName(f"Warning about {guess.key}")
            self.warning.setStyleSheet(f"color: {WARNING};")

    @property
    def value(self) -> str:
        return str(self.kind.currentData())

    def show_kind(self) -> None:
        """Left-out columns are greyed: what is imported stands out."""
        left_out = self.value == "ignore"
        self.heading.setStyleSheet(f"color: {GREY};" if left_out else "font-weight: 600;")
        self.samples.setStyleSheet(f"color: {GREY};" if left_out else "")


class SurveyMappingDialog(QDialog):
    def __init__(
        self,
        path: Path,
        table: SurveyTable,
        guesses: Sequence[ColumnGuess],
        surveys: Sequence[Survey] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import survey — {path.name}")
        self.resize(940, 640)
        self._surveys = {s.uuid: s for s in surveys}
        self._typed_name = " ".join(path.stem.split())[:MAX_NAME]

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(self._typed_name, self)
        self.name_edit.setAccessibleName("Survey name")
        self.name_edit.setMaxLength(MAX_NAME)
        self.name_edit.textEdited.connect(self._name_typed)
        form = QFormLayout()
        form.addRow("Survey &name:", self.name_edit)
        self.update_note = QLabel(self)
        self.update_note.setAccessibleName("Update")
        self.update_note.setWordWrap(True)
        self.update_note.setStyleSheet("background: #eef3f8; border-radius: 3px; padding: 6px;")
        self.update_note.hide()

        grid_widget = QWidget(self)
        grid = QGridLayout(grid_widget)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 4)
        for column, title in enumerate(("Column and question", "Import as", "Examples")):
            label = QLabel(f"<b>{title}</b>", grid_widget)
            grid.addWidget(label, 0, column)
        self.rows: list[_Row] = []
        line = 1
        for guess in guesses:
            rule = QFrame(grid_widget)
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setStyleSheet("color: #e2e2e2;")
            grid.addWidget(rule, line, 0, 1, 3)
            row = _Row(grid_widget, guess)
            top = Qt.AlignmentFlag.AlignTop
            grid.addWidget(row.heading, line + 1, 0, top)
            grid.addWidget(row.kind, line + 1, 1, top)
            grid.addWidget(row.samples, line + 1, 2, top)
            line += 2
            if row.warning is not None:
                grid.addWidget(row.warning, line, 0, 1, 3)
                line += 1
            row.kind.currentIndexChanged.connect(self._kinds_changed)
            self.rows.append(row)
        grid.setRowStretch(line, 1)
        self.columns_area = QScrollArea(self)
        self.columns_area.setWidgetResizable(True)
        self.columns_area.setWidget(grid_widget)
        self.columns_area.setFrameShape(QFrame.Shape.StyledPanel)

        self.summary = QLabel(self)
        self.summary.setAccessibleName("What will be imported")
        self.summary.setWordWrap(True)
        self._responses = len(table.rows)
        buttons = QDialogButtonBox(self)
        self.import_button = QPushButton("&Import", self)
        self.import_button.setDefault(True)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.update_note)
        layout.addWidget(self.columns_area, 1)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        # Tab: name, then each chooser in turn, then the buttons (the labels take no focus).
        order: list[QWidget] = [self.name_edit, *(r.kind for r in self.rows), self.import_button]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)
        self._kinds_changed()
        (self.rows[0].kind if self.rows else self.name_edit).setFocus()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        path: Path,
        table: SurveyTable,
        guesses: Sequence[ColumnGuess],
        surveys: Sequence[Survey],
    ) -> MappingChoice | None:
        """The mapping the user confirms, or None when cancelled. Tests not about this dialog replace it."""
        dialog = cls(path, table, guesses, surveys, parent)
        try:
            return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def choice(self) -> MappingChoice:
        return MappingChoice(self.kinds(), " ".join(self.name_edit.text().split()))

    def kinds(self) -> dict[str, str]:
        return {row.guess.key: row.value for row in self.rows}

    def row(self, key: str) -> _Row:
        return next(r for r in self.rows if r.guess.key == key)

    def updates(self) -> Survey | None:
        """The survey in the project this mapping would update, if any."""
        kinds = self.kinds()
        id_key = next((k for k, v in kinds.items() if v == "id"), None)
        return self._surveys.get(survey_identity(id_key, [k for k, v in kinds.items() if v == "open"]))

    def _name_typed(self, text: str) -> None:
        self._typed_name = text

    def _kinds_changed(self) -> None:
        for row in self.rows:
            row.show_kind()
        kinds = list(self.kinds().values())
        opens, attributes, ids = (kinds.count(k) for k in ("open", "attribute", "id"))
        problem = ""
        if not opens:
            problem = "Choose at least one column as Open answer: there is nothing to code yet."
        elif ids > 1:
            problem = "Choose one ID column at most."
        existing = self.updates()
        if existing is not None:
            self.update_note.setText(
                f"This updates the survey “{existing.name}”: new responses are added, coded answers are kept."
            )
            self.name_edit.setText(existing.name)
        else:
            self.name_edit.setText(self._typed_name)
        self.update_note.setVisible(existing is not None)
        self.name_edit.setEnabled(existing is None)
        self.import_button.setEnabled(not problem)
        if problem:
            self.summary.setStyleSheet(f"color: {REFUSED};")
            self.summary.setText(problem)
            return
        self.summary.setStyleSheet("")
        responses = f"{self._responses:,} response{'' if self._responses == 1 else 's'}"
        self.summary.setText(
            f"{responses}: {opens} open answer{'' if opens == 1 else 's'} to code, "
            f"{attributes} attribute{'' if attributes == 1 else 's'}, "
            f"{'an ID' if ids else 'no ID (respondents are matched by row)'}; "
            f"{kinds.count('ignore')} left out."
        )
