"""Analysis › Coding query: build a query by picking, see the passages, open, save, code them.

Nothing needs typing: a theme is picked from the tree (with its sub-themes when the box is ticked),
the operators are buttons, a restriction is a detail, "is" or "is not" and one of the values the
project holds. Each pick is written into the query's text, which stays in view and can be edited, as
an NVivo user reads the criteria of a query; a theme or restriction picked after another is joined
with AND unless an operator was picked between. Run (or Enter) shows the passages: the case, the coder
and the words; double-click (or Enter) on one opens it in the main window. A query is saved in the
project by name, and its passages can be coded with a new theme as one step of the main window's
undo history. A malformed query or an unknown theme is shown in one line under the query, never in a
dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jswcoder.analysis.query import Located, filter_keys, filter_values, find_passages, with_words
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.query_parse import Filter, Theme, unparse

OpenPassage = Callable[[str, int, int], None]
CodeAsTheme = Callable[[str, list[tuple[str, int, int]]], int]
ExportQuery = Callable[[str, list[Located], QWidget], None]  # the query, its passages, the window asking
SHOWN = 1_000  # rows with their words; a query finding more says so
OPERATORS = ("AND", "OR", "NOT", "(", ")")
SCOPES = (
    ("characters apart at most", None),
    ("in the same speaker turn", "TURN"),
    ("in the same paragraph", "PARAGRAPH"),
)
PATH_ROLE = Qt.ItemDataRole.UserRole


class QueryWindow(QMainWindow):
    def __init__(
        self,
        project: Project,
        open_passage: OpenPassage,
        code_as_theme: CodeAsTheme | None = None,
        parent: QWidget | None = None,
        export: ExportQuery | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self._export = export
        self._ran = ""  # the query whose passages are shown
        self._open_passage = open_passage
        self._code_as_theme = code_as_theme
        self.found: list[Located] = []
        self.setWindowTitle(f"Coding query — {project.name}")
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._builder())
        splitter.addWidget(self._results())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 780])
        self.setCentralWidget(splitter)
        self.resize(1200, 760)
        self.refresh()

    # -- the builder ----------------------------------------------------------------------------------

    def _builder(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.addWidget(QLabel("<b>1. Pick themes</b> (double-click adds one)"))
        self.themes = QTreeWidget(panel)
        self.themes.setHeaderHidden(True)
        self.themes.itemDoubleClicked.connect(lambda *_: self.add_theme())
        layout.addWidget(self.themes, 1)
        row = QHBoxLayout()
        self.subthemes = QCheckBox("Include its sub-themes", panel)
        self.subthemes.setChecked(True)
        self.add_theme_button = QPushButton("Add theme", panel)
        self.add_theme_button.clicked.connect(self.add_theme)
        row.addWidget(self.subthemes)
        row.addStretch(1)
        row.addWidget(self.add_theme_button)
        layout.addLayout(row)

        layout.addWidget(QLabel("<b>2. Combine them</b>"))
        self.operator_buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        tips = {
            "AND": "coded with both: the overlap",
            "OR": "coded with either",
            "NOT": "but not coded with what follows",
        }
        for word in OPERATORS:
            button = QPushButton(word, panel)
            button.setToolTip(tips.get(word, ""))
            button.clicked.connect(lambda _checked=False, w=word: self.append(w, operand=False))
            self.operator_buttons[word] = button
            row.addWidget(button)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.near_button = QPushButton("NEAR", panel)
        self.near_button.setToolTip("both, when close to each other")
        self.near_button.clicked.connect(self.add_near)
        self.near_distance = QSpinBox(panel)
        self.near_distance.setRange(0, 100_000)
        self.near_distance.setValue(200)
        self.near_scope = QComboBox(panel)
        for label, _scope in SCOPES:
            self.near_scope.addItem(label)
        self.near_scope.currentIndexChanged.connect(lambda i: self.near_distance.setEnabled(i == 0))
        row.addWidget(self.near_button)
        row.addWidget(self.near_distance)
        row.addWidget(self.near_scope, 1)
        layout.addLayout(row)

        layout.addWidget(QLabel("<b>3. Only where</b>"))
        grid = QGridLayout()
        self.filter_key = QComboBox(panel)
        self.filter_key.currentIndexChanged.connect(self._key_chosen)
        self.filter_op = QComboBox(panel)
        self.filter_op.addItems(["is", "is not"])
        self.filter_value = QComboBox(panel)
        self.filter_value.setEditable(True)
        self.add_filter_button = QPushButton("Add", panel)
        self.add_filter_button.clicked.connect(self.add_filter)
        grid.addWidget(self.filter_key, 0, 0)
        grid.addWidget(self.filter_op, 0, 1)
        grid.addWidget(self.filter_value, 1, 0, 1, 2)
        grid.addWidget(self.add_filter_button, 1, 2)
        grid.setColumnStretch(0, 1)
        layout.addLayout(grid)

        layout.addWidget(QLabel("<b>Saved queries</b>"))
        row = QHBoxLayout()
        self.saved = QComboBox(panel)
        self.saved.activated.connect(self._saved_chosen)
        self.save_button = QPushButton("Save…", panel)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.saved, 1)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        return panel

    def _results(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.addWidget(QLabel("<b>The query</b> (written as you pick; you can also type it)"))
        row = QHBoxLayout()
        self.expression = QLineEdit(panel)
        self.expression.setPlaceholderText('"Theme" AND "Other theme"   — pick on the left, or type')
        self.expression.returnPressed.connect(self.run)
        self.run_button = QPushButton("Run", panel)
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.clear_button = QPushButton("Clear", panel)
        self.clear_button.clicked.connect(self.clear)
        row.addWidget(self.expression, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.clear_button)
        layout.addLayout(row)
        self.message = QLabel(panel)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.table = QTableWidget(0, 3, panel)
        self.table.setHorizontalHeaderLabels(["Case", "Coder", "Passage"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, _column: self.open_row(row))
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.count = QLabel(panel)
        self.code_button = QPushButton("Code as a new theme…", panel)
        self.code_button.setEnabled(False)
        self.code_button.setVisible(self._code_as_theme is not None)
        self.code_button.clicked.connect(self.code_as_theme)
        self.export_button = QPushButton("Export…", panel)
        self.export_button.setToolTip("the passages as quotes (.docx) or rows (.xlsx), anonymised")
        self.export_button.setEnabled(False)
        self.export_button.setVisible(self._export is not None)
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.count, 1)
        row.addWidget(self.export_button)
        row.addWidget(self.code_button)
        layout.addLayout(row)
        return panel

    def refresh(self) -> None:
        """Read the theme tree, the filter keys and the saved queries afresh (themes may have changed)."""
        self.themes.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for code in self.project.codebook.all():
            parent = items.get(code.path.rpartition("/")[0])
            item = QTreeWidgetItem([code.name])
            item.setData(0, PATH_ROLE, code.path)
            if parent is None:
                self.themes.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[code.path] = item
        self.themes.expandAll()
        chosen = self.filter_key.currentData()
        self.filter_key.blockSignals(True)
        self.filter_key.clear()
        for key, label in filter_keys(self.project).items():
            self.filter_key.addItem(label, key)
        self.filter_key.blockSignals(False)
        at = self.filter_key.findData(chosen)
        self.filter_key.setCurrentIndex(max(at, 0))
        self._key_chosen()
        self._fill_saved()

    def _fill_saved(self) -> None:
        self.saved.clear()
        queries = self.project.saved_queries.all()
        self.saved.addItem("Open a saved query…" if queries else "No saved queries yet")
        for query in queries:
            self.saved.addItem(query.name, query.expression)

    def _key_chosen(self, _index: int = 0) -> None:
        key = self.filter_key.currentData()
        self.filter_value.clear()
        if key is not None:
            self.filter_value.addItems(filter_values(self.project, key))

    # -- picking ----------------------------------------------------------------------------------------

    def append(self, token: str, *, operand: bool) -> None:
        """Add a piece to the query; an operand after an operand gets AND between them."""
        text = self.expression.text().rstrip()
        last = text.split()[-1].upper() if text.split() else ""
        joins = last not in ("", "(", "AND", "OR", "NOT") and not last.startswith("NEAR/")
        if operand and joins:
            text += " AND"
        self.expression.setText(f"{text} {token}".strip() if token != ")" else text + ")")
        self.expression.setFocus()

    def add_theme(self) -> None:
        item = self.themes.currentItem()
        if item is None:
            self._say("Pick a theme in the tree first.")
            return
        path = str(item.data(0, PATH_ROLE))
        self.append(
            unparse(Theme(path, subthemes=self.subthemes.isChecked() and item.childCount() > 0)), operand=True
        )

    def add_near(self) -> None:
        scope = SCOPES[self.near_scope.currentIndex()][1]
        self.append(f"NEAR/{scope or self.near_distance.value()}", operand=False)

    def add_filter(self) -> None:
        key, value = self.filter_key.currentData(), self.filter_value.currentText().strip()
        if key is None:
            return
        keeps = self.filter_op.currentIndex() == 0
        self.append(unparse(Filter(str(key), "=" if keeps else "!=", (value,))), operand=True)

    def clear(self) -> None:
        self.expression.clear()
        self.table.setRowCount(0)
        self.found = []
        self.count.clear()
        self.code_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self._say("")

    # -- running ------------------------------------------------------------------------------------------

    def run(self) -> None:
        query = self.expression.text()  # as typed: an error's position counts from its first character
        if not query.strip():
            self._say("Pick a theme on the left, or type a query, then Run.")
            return
        try:
            self.found = find_passages(self.project, query)
            shown = with_words(self.project, self.found[:SHOWN])
        except JswError as error:
            self._say(f"⚠ {error}")
            return
        self._say("")
        self.table.setRowCount(len(shown))
        for row, passage in enumerate(shown):
            case = passage.attribution or passage.transcript
            words = " ".join(passage.text.split())
            for column, value in enumerate((case, passage.coder, words)):
                item = QTableWidgetItem(value)
                if column == 2:
                    item.setToolTip(passage.text[:2000])
                self.table.setItem(row, column, item)
        total = len(self.found)
        more = f" (the first {SHOWN:,} shown)" if total > SHOWN else ""
        self.count.setText(
            f"{total:,} passage{'' if total == 1 else 's'}{more}. Double-click one to open it."
        )
        self.code_button.setEnabled(total > 0)
        self.export_button.setEnabled(total > 0)
        self._ran = query
        if shown:
            self.table.selectRow(0)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.found):
            passage = self.found[row]
            self._open_passage(passage.transcript_uuid, passage.start, passage.end)

    def _saved_chosen(self, index: int) -> None:
        expression = self.saved.itemData(index)
        if expression:
            self.expression.setText(str(expression))
            self.run()

    def save(self) -> None:
        query = self.expression.text().strip()
        if not query:
            self._say("There is no query to save yet.")
            return
        name = self.ask_name(self, "Save the query", "Name:")
        if not name:
            return
        try:
            saved = self.project.saved_queries.save(name, query)
        except JswError as error:
            self._say(f"⚠ {error}")
            return
        self._fill_saved()
        self._say(f"Saved as “{saved.name}”.")

    def code_as_theme(self) -> None:
        if self._code_as_theme is None or not self.found:
            return
        name = self.ask_name(
            self, "Code as a new theme", f"Code the {len(self.found):,} passages with a new theme:"
        )
        if not name:
            return
        try:
            coded = self._code_as_theme(name, [(p.transcript_uuid, p.start, p.end) for p in self.found])
        except JswError as error:
            self._say(f"⚠ {error}")
            return
        self.refresh()
        self._say(f"Coded {coded:,} passages as “{name}”. Edit › Undo in the main window takes it back.")

    def export(self) -> None:
        if self._export is not None and self.found:
            self._export(self._ran, self.found, self)

    def _say(self, text: str) -> None:
        self.message.setText(text)

    @classmethod
    def ask_name(cls, parent: QWidget, title: str, label: str) -> str | None:
        """A name typed by the user (None if cancelled); tests replace this."""
        text, ok = QInputDialog.getText(parent, title, label)
        return text.strip() if ok and text.strip() else None
