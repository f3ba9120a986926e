"""The register review: candidates to decide on, each with the words around it, and the register itself.

Candidates are found offline in every transcript and its notes (and register entries typed in lower
case anywhere in the project). Each is listed with its category in words, how often and in which
transcripts it occurs, and the descriptor that would replace it (editable in the list); below the
list, the current candidate's occurrences with the words either side, any of which opens in the
workbench at its place. Adding puts a candidate in the register with its descriptor; dismissing marks
it reviewed and not identifying; either can be done for a whole category at once. After each action
the list keeps its place and any descriptor typed but not yet added. Nothing here leaves the project.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jswcoder.anonymise.candidate_context import Occurrence
from jswcoder.errors import JswError
from jswcoder.model import category_name
from jswcoder.project import Project
from jswcoder.services.register import split_forms
from jswcoder.ui.register_models import CandidatesModel, EntriesModel, KeyedRows, OccurrencesModel

Index = QModelIndex | QPersistentModelIndex
ROWS = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


class _ElideLeft(QStyledItemDelegate):
    """The words before a candidate are cut at their start, so the words next to it stay in view."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


def _table(model: QAbstractTableModel, name: str, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    return table


def _keyword_in_context(model: OccurrencesModel, parent: QWidget) -> QTableView:
    """Occurrences one a line, the candidate in a column of its own between the words either side."""
    table = _table(model, "Where it occurs", parent)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setItemDelegateForColumn(OccurrencesModel.BEFORE, _ElideLeft(table))
    table.setAlternatingRowColors(False)
    table.setShowGrid(False)
    header = table.horizontalHeader()
    header.setVisible(False)
    header.setSectionResizeMode(OccurrencesModel.WHERE, QHeaderView.ResizeMode.Interactive)
    table.setColumnWidth(OccurrencesModel.WHERE, 150)
    header.setSectionResizeMode(OccurrencesModel.BEFORE, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(OccurrencesModel.MATCH, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(OccurrencesModel.AFTER, QHeaderView.ResizeMode.Stretch)
    return table


def _widths(table: QTableView, stretch: int, widths: dict[int, int]) -> None:
    header = table.horizontalHeader()
    for column, width in widths.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _button(text: str, parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAutoDefault(False)  # Return belongs to the list (open an occurrence, finish a descriptor)
    return button


def _times(count: int, what: str) -> str:
    return f"{count} {what}{'' if count == 1 else 's'}"


class RegisterWindow(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Anonymisation register")
        self._project = project
        # The occurrence asked to be opened, when the review steps aside for it.
        self.chosen: Occurrence | None = None

        self.candidates_model = CandidatesModel()
        self.candidates = _table(self.candidates_model, "Candidates", self)
        self.candidates.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.candidates.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self._columns_fitted = False
        self.occurrences_model = OccurrencesModel()
        self.occurrences = _keyword_in_context(self.occurrences_model, self)
        self.context_label = QLabel(self)
        self.context_label.setTextFormat(Qt.TextFormat.PlainText)
        self.context_label.setWordWrap(True)

        self.add_button = _button("&Add to register", self)
        self.dismiss_button = _button("&Dismiss: not identifying", self)
        self.add_category_button = _button("Add all", self)
        self.dismiss_category_button = _button("Dismiss all", self)
        self.show_button = _button("&Show in transcript", self)
        self.add_button.clicked.connect(self.add_selected)
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.add_category_button.clicked.connect(self.add_category)
        self.dismiss_category_button.clicked.connect(self.dismiss_category)
        self.show_button.clicked.connect(self.show_occurrence)
        self.occurrences.activated.connect(lambda _index: self.show_occurrence())

        self.entries_model = EntriesModel()
        self.entries = _table(self.entries_model, "Register entries", self)
        _widths(self.entries, 0, {1: 170, 2: 130, 3: 210, 4: 170})
        self.entries.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.remove_button = _button("&Remove", self)
        self.remove_button.clicked.connect(self.remove_selected)
        # The current entry's other forms (a nickname, "Mrs K"), typed as a person lists them.
        self.forms_edit = QLineEdit(self)
        self.forms_edit.setAccessibleName("Other forms")
        self.forms_edit.setPlaceholderText("e.g. Shiv, Mrs K  (separate them with commas)")
        self.forms_edit.setClearButtonEnabled(True)
        self.forms_label = QLabel("&Other forms:", self)
        self.forms_label.setBuddy(self.forms_edit)
        self.save_forms_button = _button("&Save other forms", self)
        self.save_forms_button.clicked.connect(self.save_forms)
        self.forms_edit.returnPressed.connect(self.save_forms)
        self.forms_edit.textEdited.connect(lambda _text: self.save_forms_button.setEnabled(True))

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._review_page(), "To review")
        self.tabs.addTab(self._register_page(), "Register")
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        for button in buttons.findChildren(QPushButton):
            button.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.candidates.selectionModel().currentRowChanged.connect(self._current_changed)
        self.occurrences.selectionModel().currentRowChanged.connect(self._occurrence_changed)
        self.entries.selectionModel().selectionChanged.connect(self._entry_changed)
        self._fit_to_screen()
        self.refresh()
        self.candidates.setFocus()

    # -- building ----------------------------------------------------------------------------------

    def _page(self, table: QWidget, left: list[QPushButton], right: list[QPushButton]) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout()
        for button in left:
            row.addWidget(button)
        row.addStretch(1)
        for button in right:
            row.addWidget(button)
        column = QVBoxLayout(page)
        column.addWidget(table, 1)
        column.addLayout(row)
        return page

    def _review_page(self) -> QWidget:
        context = QWidget(self)
        column = QVBoxLayout(context)
        column.setContentsMargins(0, 6, 0, 0)
        column.addWidget(self.context_label)
        column.addWidget(self.occurrences, 1)
        row = QHBoxLayout()
        hint = QLabel("Double-click an occurrence, or press Enter, to read it in its transcript.", context)
        hint.setEnabled(False)
        row.addWidget(hint, 1)
        row.addWidget(self.show_button)
        column.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.candidates)
        splitter.addWidget(context)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        return self._page(
            splitter,
            [self.add_button, self.dismiss_button],
            [self.add_category_button, self.dismiss_category_button],
        )

    def _register_page(self) -> QWidget:
        """The register, and under it the current entry's other forms, each replaced like the entry."""
        forms = QHBoxLayout()
        forms.addWidget(self.forms_label)
        forms.addWidget(self.forms_edit, 1)
        forms.addWidget(self.save_forms_button)
        hint = QLabel(
            "Nicknames and short forms of the selected entry: each is replaced by its descriptor, like the entry.",
            self,
        )
        hint.setEnabled(False)
        hint.setWordWrap(True)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.entries, 1)
        column.addLayout(forms)
        column.addWidget(hint)
        table = QWidget(self)
        table.setLayout(column)
        return self._page(table, [self.remove_button], [])

    def _fit_to_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        space = screen.availableGeometry() if screen is not None else None
        width, height = 1080, 720
        if space is not None:
            width, height = min(width, space.width() - 40), min(height, space.height() - 60)
        self.resize(width, height)

    # -- showing ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the register and the candidates again; the lists keep their place and typed descriptors."""
        entries = self._project.register.entries()
        self.entries_model.names = {t.uuid: t.name for t in self._project.transcripts.all()}
        self._keep_place(self.entries, lambda: self.entries_model.replace(entries), select_first=False)
        review = self._project.register.review()
        self._keep_place(
            self.candidates, lambda: self.candidates_model.set_review(review.candidates, review.contexts)
        )
        if review.candidates and not self._columns_fitted:
            self._fit_columns()
        count = len(review.candidates)
        self.tabs.setTabText(0, f"To review ({count})")
        self.tabs.setTabText(1, f"Register ({len(entries)})")
        if count:
            waiting = (
                f"{_times(count, 'candidate')} to review. An export is refused while any is left unreviewed."
            )
        else:
            waiting = "Nothing left to review."
        registered = "1 entry" if len(entries) == 1 else f"{len(entries)} entries"
        self.summary.setText(f"{registered} in the register · {waiting}")
        self._current_changed()
        self._entry_changed()

    def _fit_columns(self) -> None:
        """Widths from what the list holds, once: the candidates whole (up to a limit), the category and
        count as wide as their words, the descriptor as wide as the longest; the transcripts take the rest."""
        model, header = self.candidates_model, self.candidates.horizontalHeader()
        metrics, pad = self.candidates.fontMetrics(), 24
        names = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]

        def widest(texts: list[str], limit: int) -> int:
            return min(limit, max(metrics.horizontalAdvance(t) for t in texts) + pad)

        rows = range(len(model.rows))
        widths = {
            model.TEXT: widest([names[0], *(str(model.index(r, 0).data()) for r in rows)], 320),
            model.CATEGORY: widest([names[1], *(category_name(c.category) for c in model.rows)], 200),
            model.COUNT: widest([names[2]], 140),
            model.DESCRIPTOR: widest([names[4], *(model.descriptor(r) for r in rows)], 280),
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.candidates.setColumnWidth(column, width)
        header.setSectionResizeMode(model.TRANSCRIPTS, QHeaderView.ResizeMode.Stretch)
        self._columns_fitted = True

    def _keep_place(
        self, table: QTableView, update: Callable[[], None], *, select_first: bool = True
    ) -> None:
        """Run ``update`` (a model change) and keep the table where it was: the same scroll position, and
        the same current row or, if it went, the first row after it that stayed (after a block of
        selected rows went, the one below them), else the last."""
        model = table.model()
        assert isinstance(model, KeyedRows)
        current = table.currentIndex()
        if not current.isValid() and not select_first:
            update()
            return
        start = current.row() if current.isValid() else 0
        following = [model.key_of(r) for r in range(start, len(model.rows))]
        scrolled = table.verticalScrollBar().value()
        update()
        if not model.rows:
            return
        rows = {model.key_of(r): r for r in range(len(model.rows))}
        row = next((rows[key] for key in following if key in rows), len(model.rows) - 1)
        table.selectionModel().setCurrentIndex(model.index(row, 0), ROWS)
        table.verticalScrollBar().setValue(scrolled)

    def _current_changed(self, *_ignored: object) -> None:
        current = self.candidates.currentIndex()
        model = self.candidates_model
        has_row = current.isValid() and current.row() < len(model.rows)
        for button in (self.add_button, self.dismiss_button):
            button.setEnabled(has_row)
        if not has_row:
            self.occurrences_model.show([])
            self.context_label.setText("Choose a candidate to see where it occurs.")
            for button in (self.add_category_button, self.dismiss_category_button):
                button.setText(button.text().split(" in ", 1)[0])
                button.setEnabled(False)
            self._occurrence_changed()
            return
        candidate, context = model.rows[current.row()], model.context(current.row())
        name = category_name(candidate.category)
        alike = sum(1 for c in model.rows if c.category == candidate.category)
        self.add_category_button.setText(f"Add all in “{name}” ({alike})")
        self.dismiss_category_button.setText(f"Dismiss all in “{name}” ({alike})…")
        for button in (self.add_category_button, self.dismiss_category_button):
            button.setEnabled(True)
        self.context_label.setText(
            self._describe(candidate.text, name, context.count, len(context.transcripts), len(context.shown))
        )
        self.occurrences_model.show(context.shown)
        if context.shown:  # current, so Show in transcript has one to open, but not highlighted
            self.occurrences.selectionModel().setCurrentIndex(
                self.occurrences_model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self._occurrence_changed()

    @staticmethod
    def _describe(text: str, name: str, count: int, transcripts: int, shown: int) -> str:
        said = f"“{' '.join(text.split())}” ({name}): {_times(count, 'time')}"
        if transcripts:
            said += f" in {_times(transcripts, 'transcript')}"
        if count > transcripts and not transcripts:
            said += ", in memos, theme names or matrix summaries"
        if shown < count:
            said += f"; the first {shown} are shown"
        return said + "."

    def _occurrence_changed(self, *_ignored: object) -> None:
        self.show_button.setEnabled(self._occurrence() is not None)

    def _occurrence(self) -> Occurrence | None:
        current = self.occurrences.currentIndex()
        if not current.isValid() or current.row() >= len(self.occurrences_model.rows):
            return None
        occurrence = self.occurrences_model.rows[current.row()]
        return occurrence if occurrence.transcript_uuid is not None else None

    # -- acting -----------------------------------------------------------------------------------

    def _selected_rows(self) -> list[int]:
        rows = {index.row() for index in self.candidates.selectionModel().selectedRows()}
        current = self.candidates.currentIndex()
        if not rows and current.isValid():
            rows = {current.row()}
        return sorted(rows)

    def _add(self, rows: list[int]) -> None:
        model = self.candidates_model
        chosen = [(model.rows[r].text, model.descriptor(r), model.rows[r].category) for r in rows]
        try:
            self._project.register.add_all(chosen)
        except JswError as error:
            QMessageBox.warning(self, "Register", f"Nothing was added: {error}.")
        self._refresh_after_action()

    def _dismiss(self, rows: list[int]) -> None:
        self._project.register.dismiss([self.candidates_model.rows[r].text for r in rows])
        self._refresh_after_action()

    def _refresh_after_action(self) -> None:
        """The list afresh (an addition looks for its lower-case forms across the study: a moment)."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.refresh()
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.candidates.setFocus()

    def _same_category(self) -> list[int]:
        current = self.candidates.currentIndex()
        if not current.isValid():
            return []
        category = self.candidates_model.rows[current.row()].category
        return [r for r, c in enumerate(self.candidates_model.rows) if c.category == category]

    def add_selected(self) -> None:
        self._add(self._selected_rows())

    def dismiss_selected(self) -> None:
        self._dismiss(self._selected_rows())

    def add_category(self) -> None:
        self._add(self._same_category())

    def dismiss_category(self) -> None:
        rows = self._same_category()
        if rows and self.confirm_dismissal(
            self, len(rows), category_name(self.candidates_model.rows[rows[0]].category)
        ):
            self._dismiss(rows)

    @classmethod
    def confirm_dismissal(cls, parent: QWidget, count: int, category: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "Dismiss a whole category", "", parent=parent)
        box.setText(f"Dismiss all {_times(count, 'candidate')} in “{category}” as not identifying?")
        box.setInformativeText(
            "They will not be suggested again, and an export lets them through unchanged. "
            "Look through the list first if you are not sure."
        )
        dismiss = box.addButton(f"Dismiss {count}", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is dismiss

    def show_occurrence(self) -> None:
        """Step aside and have the workbench open the transcript at the current occurrence."""
        occurrence = self._occurrence()
        if occurrence is not None:
            self.chosen = occurrence
            self.accept()

    def _chosen_entry(self) -> int | None:
        """The row of the one entry selected (the other forms belong to one entry at a time)."""
        rows = {index.row() for index in self.entries.selectionModel().selectedRows()}
        return rows.pop() if len(rows) == 1 and 0 <= min(rows) < len(self.entries_model.rows) else None

    def _entry_changed(self, *_ignored: object) -> None:
        """Show the selected entry's other forms, ready to edit; nothing to edit without one entry."""
        row = self._chosen_entry()
        entry = None if row is None else self.entries_model.rows[row]
        self.forms_edit.setText("" if entry is None else ", ".join(entry.variants))
        self.forms_edit.setEnabled(entry is not None)
        self.save_forms_button.setEnabled(False)

    def save_forms(self) -> None:
        row = self._chosen_entry()
        if row is None or not self.save_forms_button.isEnabled():
            return
        try:
            self._project.register.set_variants(
                self.entries_model.rows[row].uuid, split_forms(self.forms_edit.text())
            )
        except JswError as error:
            QMessageBox.warning(self, "Register", f"The other forms were not saved: {error}.")
            return
        self.refresh()

    def remove_selected(self) -> None:
        for index in self.entries.selectionModel().selectedRows():
            self._project.register.remove(self.entries_model.key_of(index.row()))
        self.refresh()

    # -- the review in the workbench --------------------------------------------------------------

    @classmethod
    def review(cls, project: Project, parent: QWidget) -> Occurrence | None:
        """Run the review over ``parent``: the one left there before, where it was left, or a new one.

        Gives back the occurrence to open, if the fieldworker asked to read one in its transcript.
        """
        window = parent.findChild(cls, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if isinstance(window, cls):
            window.refresh()
        else:
            window = cls(project, parent)
        window.chosen = None
        window.exec()
        return window.chosen

    @classmethod
    def forget(cls, parent: QWidget) -> None:
        """Empty and drop the review left over ``parent`` (before the project is locked or closed)."""
        for window in parent.findChildren(cls, options=Qt.FindChildOption.FindDirectChildrenOnly):
            window.clear()
            window.setParent(None)
            window.deleteLater()

    def clear(self) -> None:
        self.chosen = None
        self.candidates_model.clear()
        self.candidates_model.contexts = {}
        self.candidates_model.typed = {}
        self.occurrences_model.clear()
        self.entries_model.clear()
        self.context_label.clear()
