"""View › Cases…: one row per participant, with their details and attributes, edited in place.

NVivo users know this as the case classification sheet. Type in a cell and press Enter to change a
case; the core checks the value (an interview number used by another case, a format not in the study's
list) and a refusal is said in one line under the table, with the cell left as it was. Each change,
and each sheet imported, is a step on this window's own undo stack (Ctrl+Z), like the matrix
window's; the main window's shortcuts do not reach a dialog. The case sheet (CSV) is written and read
through the core (:mod:`jswcoder.services.cases`), so the app and ``jswcoder cases`` treat a file alike.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.model import Participant
from jswcoder.project import Project
from jswcoder.services.cases import Case, attribute_name
from jswcoder.services.indirect import IndirectFound
from jswcoder.ui.cases_model import FIRST_EDITABLE, SORT_ROLE, CasesModel, CellEditor
from jswcoder.ui.report_actions import refused_in_words

INTRO = (
    "One row per participant. Type in a cell and press Enter to change it; Ctrl+Z undoes. "
    "Every transcript you import brings its case."
)


class _CasesChange(QUndoCommand):
    """Cases' details before and after one edit or one imported sheet, put back exactly on undo/redo."""

    def __init__(
        self, dialog: CasesDialog, text: str, before: list[Participant], after: list[Participant]
    ) -> None:
        super().__init__(text)
        self._dialog = dialog
        self._before = before
        self._after = after
        self._performed = True  # the change is made before the command is pushed

    def redo(self) -> None:
        if self._performed:
            self._performed = False
            return
        self._dialog.put_back(self._after)

    def undo(self) -> None:
        self._dialog.put_back(self._before)


class _SpeakersMade(QUndoCommand):
    """A focus group's speakers made cases: undo makes the group one case again."""

    def __init__(self, dialog: CasesDialog, text: str, transcript_uuid: str) -> None:
        super().__init__(text)
        self._dialog = dialog
        self._transcript = transcript_uuid
        self._performed = True  # the cases are made before the command is pushed

    def redo(self) -> None:
        if self._performed:
            self._performed = False
            return
        self._dialog.speakers_again(self._transcript, make=True)

    def undo(self) -> None:
        self._dialog.speakers_again(self._transcript, make=False)


class CasesDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Cases — {project.name}")
        self.resize(1240, 620)
        self._project = project
        self.changed = False  # whether any case changed while the dialog was open
        self.undo_stack = QUndoStack(self)
        self.model = CasesModel(self)
        self.model.edit_requested = self._edit
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter cases…")
        self.filter_edit.setAccessibleName("Filter cases")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.add_button = QPushButton("&Add attribute…", self)
        self.add_button.clicked.connect(self.add_attribute)
        self.import_button = QPushButton("&Import from CSV…", self)
        self.import_button.clicked.connect(self.import_sheet)
        self.export_button = QPushButton("&Export to CSV…", self)
        self.export_button.clicked.connect(self.export_sheet)
        self.speakers_button = QPushButton("&Speakers as cases", self)
        self.speakers_button.setToolTip(
            "Make each speaker of the chosen focus group (not the interviewer or facilitator) a case of its own"
        )
        self.speakers_button.clicked.connect(self.make_speaker_cases)
        self.attribution_button = QPushButton("Spea&ker attribution…", self)
        self.attribution_button.setToolTip('How a speaker case is attributed: "Focus group 3, participant 2"')
        self.attribution_button.clicked.connect(self.set_speaker_attribution)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Cases")
        self.table.setItemDelegate(CellEditor(self.table))
        # Listed as the core orders them (by interview number), unsorted: sorting 1,000 rows by a column
        # costs more than the rest of opening. A click on a heading sorts by that column.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: nothing is measured
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setStretchLastSection(True)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.message = QLabel(self)
        self.message.setAccessibleName("Cases message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        # Enter belongs to the cell being typed in: no button of the dialog is its default.
        for button in (
            self.add_button,
            self.speakers_button,
            self.attribution_button,
            self.import_button,
            self.export_button,
            *buttons.buttons(),
        ):
            if isinstance(button, QPushButton):
                button.setAutoDefault(False)

        top = QHBoxLayout()
        top.addWidget(self.filter_edit, 1)
        for button in (
            self.add_button,
            self.speakers_button,
            self.attribution_button,
            self.import_button,
            self.export_button,
        ):
            top.addWidget(button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        for label, keys, slot in (
            ("Undo", QKeySequence.StandardKey.Undo, self.undo_stack.undo),
            ("Redo", QKeySequence.StandardKey.Redo, self.undo_stack.redo),
        ):
            action = QAction(label, self)
            action.setShortcuts(keys)
            action.triggered.connect(slot)
            self.addAction(action)
        self.reload()
        if self.proxy.rowCount():
            self.table.setCurrentIndex(self.proxy.index(0, FIRST_EDITABLE))
        self.table.setFocus()

    # -- dialogs (tests replace these) ---------------------------------------------------------------

    @classmethod
    def ask_open_file(cls, parent: QWidget) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, "Import cases", "", "Case sheets (*.csv)")
        return Path(name) if name else None

    @classmethod
    def ask_save_file(cls, parent: QWidget, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "Export cases", suggested, "Case sheets (*.csv)")
        return Path(name) if name else None

    @classmethod
    def ask_text(cls, parent: QWidget, title: str, label: str, text: str = "") -> str | None:
        value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return value if ok else None

    # -- showing -------------------------------------------------------------------------------------

    def reload(self) -> None:
        cases = self._project.cases.all()
        self.model.set_cases(cases, self._project.cases.attribute_names(cases))
        for number, column in enumerate(self.model.columns):
            self.table.setColumnWidth(number, column.width)
        self.say(
            f"{len(cases)} cases." if cases else "No cases yet: import transcripts first (File › Import)."
        )

    def say(self, text: str, *, refused: bool = False) -> None:
        """One plain line under the table; a refusal in a dark red, still readable when tired."""
        self.message.setStyleSheet("color: #a1260d;" if refused else "")
        self.message.setText(text)

    def put_back(self, participants: list[Participant]) -> None:
        """Store these details exactly (an undo or redo) and show them."""
        try:
            self._project.cases.put_back(participants)
        except JswError as error:
            self.say(str(error), refused=True)
            return
        self.changed = True
        self._show(self._project.cases.all(), [p.uuid for p in participants])

    def _show(self, cases: list[Case], uuids: list[str]) -> None:
        wanted = set(uuids)
        for case in cases:
            if case.uuid in wanted:
                self.model.case_changed(case)

    # -- changing ------------------------------------------------------------------------------------

    def _edit(self, case: Case, key: str, text: str) -> bool:
        """A value typed in a cell: one undoable change, or a refusal said under the table."""
        try:
            before = self._project.cases.set(case.uuid, {key: text})
        except JswError as error:
            self.say(f"Not changed: {error}.", refused=True)
            return False
        after = self._project.cases.get(case.uuid)
        self.model.case_changed(after)
        self.changed = True
        title = self.model.columns[[c.key for c in self.model.columns].index(key)].title
        self.undo_stack.push(_CasesChange(self, f"{title} of {after.label}", [before], [after.participant]))
        self.say(f"{title} of {after.label} changed. Ctrl+Z undoes it.")
        return True

    def add_attribute(self) -> None:
        name = self.ask_text(self, "Add attribute", "Name of the attribute (e.g. role, years in post):")
        if name is None or not name.strip():
            return
        try:
            name = attribute_name(name)
        except JswError as error:
            self.say(f"Not added: {error}.", refused=True)
            return
        column = self.model.add_attribute(name)
        self.table.setColumnWidth(column, self.model.columns[column].width)
        self.table.setCurrentIndex(self.proxy.index(max(self.table.currentIndex().row(), 0), column))
        self.table.setFocus()
        self.say(f"Type each case's {name} in its column; an attribute nobody has goes when you close.")

    def make_speaker_cases(self) -> None:
        """The chosen row's focus group: each speaker a case of its own, as one step Ctrl+Z undoes."""
        index = self.table.currentIndex()
        case = self.model.cases[self.proxy.mapToSource(index).row()] if index.isValid() else None
        if case is None or case.speaker is not None or not case.transcripts:
            self.say("Choose a focus group's row first (the group, not one of its speakers).", refused=True)
            return
        transcript = self._project.transcripts.find(case.transcripts[0])
        try:
            made = self._project.speakers.make_cases(transcript.uuid)
        except JswError as error:
            self.say(f"No speaker cases made: {error}.", refused=True)
            return
        if not made:
            self.say(f"The speakers of {transcript.name} are cases already.")
            return
        self.changed = True
        self.reload()
        self.undo_stack.push(_SpeakersMade(self, f"Speaker cases of {transcript.name}", transcript.uuid))
        self.say(
            f"{len(made)} speakers of {transcript.name} are cases now, each with the group's details. Ctrl+Z undoes it."
        )

    def set_speaker_attribution(self) -> None:
        """The project's format for a speaker case's attribution, typed (blank: back to the default)."""
        typed = self.ask_text(
            self,
            "Speaker attribution",
            "How a focus group's speaker is attributed under a quote. {number} is the group's interview\n"
            "number, {speaker} the speaker's number in the group, {group} the participant group:",
            self._project.speakers.template(),
        )
        if typed is None:
            return
        try:
            self._project.speakers.set_template(typed)
        except JswError as error:
            self.say(f"Not changed: {error}.", refused=True)
            return
        self.reload()
        example = self._project.speakers.template().format(group="Client", number=3, speaker=2)
        self.say(f'Speaker cases are attributed like "{example}".')

    def speakers_again(self, transcript_uuid: str, *, make: bool) -> None:
        """Make a focus group's speaker cases again, or remove them (a redo or an undo), and show it."""
        try:
            if make:
                self._project.speakers.make_cases(transcript_uuid)
            else:
                self._project.speakers.remove_cases(transcript_uuid)
        except JswError as error:
            self.say(str(error), refused=True)
            return
        self.changed = True
        self.reload()

    def import_sheet(self) -> None:
        path = self.ask_open_file(self)
        if path is None:
            return
        try:
            result = self._project.cases.import_csv(path)
        except JswError as error:
            self.say(f"{error}.", refused=True)
            return
        changed = {p.uuid for p in result.before}
        cases = self._project.cases.all()
        after = [c.participant for c in cases if c.uuid in changed]
        self.reload()
        if result.changed:
            self.changed = True
            self.undo_stack.push(_CasesChange(self, f"Import {path.name}", result.before, after))
        self.say(
            f"Imported {path.name}: {result.changed} cases changed, {result.unchanged} unchanged."
            + (" Ctrl+Z undoes it." if result.changed else "")
        )

    def export_sheet(self) -> None:
        path = self.ask_save_file(self, f"{self._project.name} cases.csv")
        if path is None:
            return
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            count = self._project.cases.export_csv(path)
        except IndirectFound as error:  # details that fit fewer than k together: the review's words
            self.say(refused_in_words(error, "Not exported"), refused=True)
            return
        except JswError as error:
            self.say(f"Not exported: {error}.", refused=True)
            return
        self.say(f"Wrote {count} cases to {path.name} (readable by you only).")

    # -- closing -------------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing (or the idle lock) leaves no case details in the widgets."""
        self.undo_stack.clear()
        self.model.set_cases([], [])
        self.filter_edit.clear()
        self.message.clear()
        super().done(result)
