"""The Framework matrix window: cases by themes, a summary for the current cell, and its passages.

The grid is a plain virtualised :class:`QTableView` (fixed row height, no word wrap, no measuring of
cells), so a 150 × 60 matrix opens as fast as the core builds it. The pane beside it holds the current
cell: the summary, saved as you type (each pause one step on this window's undo stack, so Ctrl+Z in
the grid takes back summaries and never a coding made in the main window), and the passages behind
it; activating a passage opens it in the main window. The window keeps its own Edit menu because the
main window's shortcuts do not reach a separate window. The matrix is built afresh when the window is
opened again, on F5, and when it becomes active after codings or themes changed in the main window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QWidget,
)

from jswcoder.analysis.matrix import ATTRIBUTES, FrameworkMatrix, build_matrix
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.ui.matrix_model import (
    EMERGENT_MARK,
    MatrixModel,
    SaveSummary,
)
from jswcoder.ui.matrix_pane import CellPane
from jswcoder.ui.matrix_themes import ThemesDialog

COLUMN_WIDTH = 168
OpenPassage = Callable[[str, int, int], None]
# The matrix as shown, its grouping, and the window the export's questions and message belong over.
ExportMatrix = Callable[[FrameworkMatrix | None, str | None, QWidget], None]


class MatrixWindow(QMainWindow):
    def __init__(
        self,
        project: Project,
        open_passage: OpenPassage,
        parent: QWidget | None = None,
        export: ExportMatrix | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self._export = export
        self._themes: list[str] = []  # chosen column paths; empty: the themes at the chosen level
        self._cell: tuple[str, str] | None = None  # the (case, theme) whose summary the pane holds
        self._stale = False  # codings or themes changed in the main window since the last build
        self.undo_stack = QUndoStack(self)
        self.model = MatrixModel(self)
        self.setWindowTitle(f"Framework matrix — {project.name}")
        self._build_toolbar()
        self._build_table()
        self.pane = CellPane(self)
        self.pane.typed.connect(self._typed)
        self.pane.passageActivated.connect(open_passage)
        self.pane.leaveRequested.connect(self.back_to_grid)
        self.setTabOrder(self.table, self.pane.editor)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 380])
        self.setCentralWidget(splitter)
        self._build_menus()
        self.resize(1300, 800)
        self.refresh()
        self.table.setFocus()  # arrows move between cells from the start

    # -- building ----------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Matrix")
        bar.setMovable(False)
        bar.setObjectName("matrix toolbar")
        self.level_combo = QComboBox(self)
        self.level_combo.setAccessibleName("Columns")
        self.level_combo.activated.connect(self._level_chosen)
        self.group_combo = QComboBox(self)
        self.group_combo.setAccessibleName("Group rows by")
        self.group_combo.addItem("No grouping", None)
        for key, label in ATTRIBUTES.items():
            self.group_combo.addItem(label, key)
        self.group_combo.activated.connect(self._group_chosen)
        self.filter_combo = QComboBox(self)
        self.filter_combo.setAccessibleName("Show rows")
        self.filter_combo.setMinimumContentsLength(14)
        self.filter_combo.activated.connect(lambda _index: self.refresh())
        for text, widget in (("Columns: ", self.level_combo), ("   Rows grouped by: ", self.group_combo)):
            bar.addWidget(QLabel(text, self))
            bar.addWidget(widget)
        bar.addWidget(QLabel("  Show: ", self))
        bar.addWidget(self.filter_combo)
        # A focus group's speakers made cases (jswcoder speakers, or the cases view): a row each.
        self.speakers_box = QCheckBox("Speakers as cases", self)
        self.speakers_box.setToolTip(
            "A row for each speaker of a focus group made a case, after the group's row; a passage is the "
            "speaker's whose turn it starts in"
        )
        self.speakers_box.toggled.connect(lambda _on: self.refresh())
        bar.addWidget(QLabel("  ", self))
        bar.addWidget(self.speakers_box)
        bar.addSeparator()
        self.themes_action = bar.addAction("Choose themes…", self.choose_themes)
        self.seed_action = bar.addAction("Seed from passages", self.seed)
        # Ctrl+Shift+D ("draft"): Ctrl+Shift+S is Sync in the main window.
        self.seed_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.seed_action.setToolTip("Start the summary with a line per passage (Ctrl+Shift+D)")
        if self._export is not None:
            bar.addSeparator()
            self.export_action = bar.addAction("Export…", self.export)
            self.export_action.setToolTip("Save the matrix as shown, as an Excel workbook or a Word document")

    def export(self) -> None:
        """Export the matrix as shown: these columns, these rows, grouped this way."""
        self.flush()  # what was just typed goes into the file
        if self._export is not None:
            self._export(self.model.matrix, self.model.group_by, self)

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Framework matrix")
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: nothing is measured
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setDefaultSectionSize(COLUMN_WIDTH)
        columns.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        columns.setTextElideMode(Qt.TextElideMode.ElideNone)  # long theme names wrap onto a second line
        columns.setMinimumHeight(2 * self.fontMetrics().height() + 8)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_summary())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            shortcut = QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.edit_summary)

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)  # every binding of the platform (Ctrl+Y and Ctrl+Shift+Z)
        elif shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        edit = self.menuBar().addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action(edit, "&Redo", self.redo, QKeySequence.StandardKey.Redo)
        for action, signal in (
            (self.undo_action, self.undo_stack.canUndoChanged),
            (self.redo_action, self.undo_stack.canRedoChanged),
        ):
            action.setEnabled(False)
            signal.connect(action.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.undo_action.setText(f"&Undo {text}".strip())
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: self.redo_action.setText(f"&Redo {text}".strip())
        )
        edit.addSeparator()
        self._action(edit, "&Write the summary", self.edit_summary, QKeySequence("F2"))
        edit.addAction(self.seed_action)
        view = self.menuBar().addMenu("&View")
        self._action(view, "&Refresh", self.refresh, QKeySequence("F5"))
        self._action(view, "&Choose themes…", self.choose_themes)
        self._action(view, "&Back to the grid", self.back_to_grid)
        view.addSeparator()
        self._action(view, "&Close", self.close, QKeySequence.StandardKey.Close)

    # -- building the matrix -----------------------------------------------------------------------

    def mark_stale(self) -> None:
        """The codings or themes changed elsewhere: build afresh when this window is next active."""
        self._stale = True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.refresh()
        super().changeEvent(event)

    def refresh(self) -> None:
        """Build the matrix afresh from the project (after coding elsewhere), keeping the current cell."""
        self.flush()
        self._stale = False
        keep = self._cell
        codes = self.project.codebook.all()
        depth = max((c.path.count("/") + 1 for c in codes), default=1)
        level = max(1, min(int(self.level_combo.currentData() or 1), depth))
        by = self.group_combo.currentData()
        shown = self.filter_combo.currentData() if by else None
        try:
            matrix = build_matrix(
                self.project,
                level=level,
                themes=self._themes,
                by=by,
                where={by: [shown]} if by and shown is not None else None,
                speakers=self.speakers_box.isChecked(),
            )
        except JswError as error:  # a chosen theme was renamed or deleted meanwhile
            self._themes = []
            self.statusBar().showMessage(f"{error}. Showing a level of the tree instead.", 8000)
            matrix = build_matrix(self.project, level=level, by=by, speakers=self.speakers_box.isChecked())
        self._fill_level_combo(depth, level)
        if shown is None and by:
            self._fill_filter_combo([g.value for g in matrix.groups(by)])
        elif not by:
            self._fill_filter_combo([])
        self.model.set_matrix(matrix, by)
        emergent = sum(t.emergent for t in matrix.themes)
        legend = f" · {EMERGENT_MARK} emergent theme" if emergent else ""
        self.statusBar().showMessage(
            f"{len(matrix.cases)} cases × {len(matrix.themes)} themes · grey number: passages not yet "
            f"summarised{legend} · Enter: write the summary · Esc: back to the grid · F5: refresh"
        )
        self._select(keep)

    def _fill_level_combo(self, depth: int, level: int) -> None:
        self.level_combo.clear()
        for number in range(1, depth + 1):
            self.level_combo.addItem(
                "Top-level themes" if number == 1 else f"Themes at level {number}", number
            )
        self.level_combo.setCurrentIndex(level - 1)
        if self._themes:
            self.level_combo.addItem(f"Chosen themes ({len(self._themes)})", None)
            self.level_combo.setCurrentIndex(depth)

    def _fill_filter_combo(self, values: list[str]) -> None:
        self.filter_combo.clear()
        self.filter_combo.addItem("All groups" if values else "All cases", None)
        for value in values:
            self.filter_combo.addItem(value, value)
        self.filter_combo.setEnabled(bool(values))

    def _level_chosen(self, index: int) -> None:
        if self.level_combo.itemData(index) is not None:
            self._themes = []
            self.refresh()

    def _group_chosen(self, _index: int) -> None:
        self.filter_combo.setCurrentIndex(0)  # a new grouping starts with every group shown
        self.refresh()

    def choose_themes(self) -> None:
        chosen = ThemesDialog.choose(self.project.codebook.all(), self._themes, self)
        if chosen is not None:
            self._themes = chosen
            self.refresh()

    # -- the current cell --------------------------------------------------------------------------

    def _select(self, cell: tuple[str, str] | None) -> None:
        """Make a cell current (the first one if it is not shown); the pane follows."""
        index = self.model.cell(*cell) if cell else QModelIndex()
        if not index.isValid():
            index = self.model.index(0, 0)
        if not index.isValid():
            self._show_cell(index)  # an empty matrix
            return
        self.table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.flush()
        self._show_cell(current)

    def _show_cell(self, index: QModelIndex) -> None:
        """Load a cell into the pane (the caller has saved the previous summary)."""
        matrix = self.model.matrix
        if matrix is None or not index.isValid():
            self._cell = None
            self.pane.show_nothing(self._empty_message())
            return
        row, column = index.row(), index.column()
        case, theme = matrix.cases[row], matrix.themes[column]
        self._cell = (case.uuid, theme.code.uuid)
        self.pane.show_cell(
            case.label,
            theme.code.path,
            theme.emergent,
            matrix.summary(row, column),
            matrix.passages(row, column),
        )

    def _empty_message(self) -> str:
        matrix = self.model.matrix
        if matrix is None:
            return ""
        if not matrix.cases:
            return "No transcripts here yet: import some in the main window (File ▸ Import transcripts)."
        return "No themes at this level: choose another level, or add themes in the main window."

    # -- editing -----------------------------------------------------------------------------------

    def edit_summary(self) -> None:
        self.pane.edit()

    def back_to_grid(self) -> None:
        self.flush()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def flush(self) -> None:
        """Save the typed summary now, as one undo step (a move, a lock, a close)."""
        self.pane.flush()

    def _typed(self, text: str) -> None:
        if self._cell is not None:
            self._save(self._cell, text, "Edit summary")

    def _save(self, cell: tuple[str, str], text: str, label: str) -> None:
        before = self.project.summaries.get(*cell)
        if text == before or not (text.strip() or before):
            self.pane.set_status("Saved" if before else "No summary yet")
            return
        try:
            self.project.codebook.get(cell[1])  # deleted in the main window since the last refresh?
        except JswError:
            self.pane.set_status("Not saved: the theme was deleted. Press F5.")
            return
        self.undo_stack.push(SaveSummary(self.model, cell, before, text, self._summary_changed, label))
        self.pane.set_status("Saved" if text.strip() else "Summary removed")

    def _summary_changed(self, case_uuid: str, theme_uuid: str) -> None:
        """After a save, an undo or a redo: show that cell, with its summary as now stored."""
        if (case_uuid, theme_uuid) == self._cell:
            stored = self.project.summaries.get(case_uuid, theme_uuid)
            if self.pane.editor.toPlainText().strip() != stored.strip():
                self.pane.set_summary(stored)
            return
        if not self.model.cell(case_uuid, theme_uuid).isValid():
            self.statusBar().showMessage("Changed a summary in a cell not shown here.", 8000)
            return
        self._select((case_uuid, theme_uuid))

    def undo(self) -> None:
        self.flush()
        self.undo_stack.undo()

    def redo(self) -> None:
        self.flush()
        self.undo_stack.redo()

    def seed(self) -> None:
        """Start the summary with one line per passage; asks first if there is a summary already."""
        self.flush()
        index = self.table.currentIndex()
        matrix = self.model.matrix
        if matrix is None or self._cell is None or not index.isValid():
            return
        draft = matrix.seed(index.row(), index.column())
        if not draft:
            self.pane.set_status("No passages to seed from.")
            return
        if matrix.summary(index.row(), index.column()).strip() and not self.ask_replace(self):
            return
        self._save(self._cell, draft, "Seed summary from passages")
        self.edit_summary()

    @classmethod
    def ask_replace(cls, parent: QWidget) -> bool:
        """Whether to replace a written summary with the passages. Tests replace this."""
        answer = QMessageBox.question(
            parent,
            "Seed from passages",
            "This cell has a summary. Replace it with the passages? (Ctrl+Z in the grid brings it back.)",
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- closing -----------------------------------------------------------------------------------

    def clear(self) -> None:
        """Save, then drop every summary and snippet from the widgets (the lock shows nothing)."""
        self.flush()
        self._cell = None
        self.undo_stack.clear()
        self.model.set_matrix(None)
        self.pane.show_nothing()
        self.statusBar().clearMessage()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.flush()  # kept hidden, with its undo steps, until the project closes or locks
        super().closeEvent(event)
