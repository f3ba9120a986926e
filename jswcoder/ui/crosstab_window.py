"""Analysis › Crosstabs and co-occurrence…: themes by an attribute, or themes by themes, as a table and
as a chart, each cell's passages beside them.

The toolbar chooses the table (themes × an attribute's values, or themes × themes), the themes (a level
of the tree), the attribute or the unit, and what each cell shows (passages, cases, the three shares;
counts or Jaccard). The Table tab is a plain table; the Chart tab draws what Save chart… writes, with the
same painter, as it will leave the project (labels anonymised in a fieldworker's project). Selecting a
cell lists its passages on the right; activating one opens it in the main window. Export… writes the
table as an Excel workbook, Save chart… a PNG or SVG, both through the exports' one way out, in the
background (:class:`jswcoder.ui.report_actions.ReportActions`).

The table is built in the background, on the worker's own connection (a co-occurrence by speaker turn
reads every transcript's text), and afresh when the window becomes active after coding elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from jswcoder.analysis.cooccurrence import Cooccurrence, build_cooccurrence
from jswcoder.analysis.crosstab import Crosstab, attribute_names, build_crosstab
from jswcoder.analysis.matrix import ATTRIBUTES, shorten
from jswcoder.analysis.query import run_query
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.reports.charts import Chart, cooccurrence_chart, frequency_chart
from jswcoder.reports.privacy import ExportText
from jswcoder.ui import chart_painter, workers
from jswcoder.ui.crosstab_model import COOCCURRENCE_MEASURES, CROSSTAB_MEASURES, CrosstabModel

OpenPassage = Callable[[str, int, int], None]
BUILDING = "Counting the crosstab"
PASSAGE_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class TableActions:
    """What the window's Export… and Save chart… call: the main window's report actions."""

    export_crosstab: Callable[[Crosstab, QWidget], None]
    export_cooccurrence: Callable[[Cooccurrence, QWidget], None]
    save_chart: Callable[[Callable[[Project, ExportText], Chart], str, QWidget], None]


class ChartView(QWidget):
    """A chart drawn to the width of the view, by the painter that writes the files."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: Chart | None = None
        self.setAccessibleName("Chart")

    def show_chart(self, chart: Chart | None) -> None:
        self.chart = chart
        self.updateGeometry()
        self.adjustSize()
        self.update()

    def _scale(self) -> float:
        if self.chart is None:
            return 1.0
        width, _height = chart_painter.size_of(self.chart)
        return max(0.5, self.width() / width)

    def sizeHint(self) -> QSize:
        if self.chart is None:
            return QSize(400, 200)
        width, height = chart_painter.size_of(self.chart)
        return QSize(round(width * 1.6), round(height * 1.6))

    def heightForWidth(self, width: int) -> int:
        if self.chart is None:
            return 200
        chart_width, height = chart_painter.size_of(self.chart)
        return round(height * max(0.5, width / chart_width))

    def hasHeightForWidth(self) -> bool:
        return True

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        if self.chart is not None:
            painter.scale(self._scale(), self._scale())
            chart_painter.draw(painter, self.chart)
        painter.end()

    def resizeEvent(self, event: object) -> None:  # keep the height in step with the width
        if self.chart is not None:
            self.setMinimumHeight(self.heightForWidth(self.width()))


class CrosstabWindow(QMainWindow):
    def __init__(
        self,
        project: Project,
        open_passage: OpenPassage,
        parent: QWidget | None = None,
        actions: TableActions | None = None,
        jobs: workers.Jobs | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self._jobs = jobs
        self._again = False  # the choices changed while the table was being built
        self._open_passage = open_passage
        self._actions = actions
        self._stale = False
        self.crosstab: Crosstab | None = None
        self.cooccurrence: Cooccurrence | None = None
        self.setWindowTitle(f"Crosstabs and co-occurrence — {project.name}")
        self.model = CrosstabModel(self)
        self._build_toolbar()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Crosstab")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(110)
        self.table.horizontalHeader().setMinimumSectionSize(64)
        self.table.verticalHeader().setMaximumWidth(360)
        self.table.selectionModel().currentChanged.connect(self._cell_chosen)
        self.chart_view = ChartView(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart_view)
        scroll.setAccessibleName("Chart")
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.table, "&Table")
        self.tabs.addTab(scroll, "C&hart")
        self.tabs.currentChanged.connect(lambda _index: self._draw_chart())
        side = QWidget(self)
        layout = QVBoxLayout(side)
        layout.setContentsMargins(6, 0, 0, 0)
        self.cell_label = QLabel("Select a cell to see its passages.", side)
        self.cell_label.setWordWrap(True)
        self.passages = QListWidget(side)
        self.passages.setAccessibleName("Passages of the cell")
        self.passages.setWordWrap(True)
        self.passages.itemActivated.connect(self._passage_activated)
        layout.addWidget(self.cell_label)
        layout.addWidget(self.passages, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([880, 360])
        self.setCentralWidget(splitter)
        view = self.menuBar().addMenu("&View")
        refresh = QAction("&Refresh", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self.refresh)
        view.addAction(refresh)
        close = QAction("&Close", self)
        close.setShortcuts(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        view.addAction(close)
        self.resize(1280, 780)
        self.refresh()
        self.table.setFocus()

    # -- the toolbar -------------------------------------------------------------------------------

    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        for text, data in items:
            combo.addItem(text, data)
        combo.activated.connect(lambda _index: self.refresh())
        return combo

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Crosstab")
        bar.setMovable(False)
        bar.setObjectName("crosstab toolbar")
        self.kind_combo = self._combo(
            "Table", [("Themes × an attribute", "crosstab"), ("Themes × themes", "cooccurrence")]
        )
        self.level_combo = self._combo("Themes", [])
        self.by_combo = self._combo("By", [])
        self.unit_combo = self._combo(
            "Unit", [("Passages coded with both", "passage"), ("Speaker turns with both", "turn")]
        )
        self.measure_combo = self._combo("Show", [])
        self.kind_combo.activated.connect(lambda _index: self._fill_measures())
        self._shown: dict[QComboBox, tuple[QAction, QAction]] = {}  # a toolbar widget hides by its action
        for label, combo in (
            ("Table: ", self.kind_combo),
            ("  Themes: ", self.level_combo),
            ("  By: ", self.by_combo),
            ("  Count: ", self.unit_combo),
            ("  Show: ", self.measure_combo),
        ):
            self._shown[combo] = (bar.addWidget(QLabel(label, self)), bar.addWidget(combo))
        # A focus group's speakers made cases count as cases of their own (as the matrix's option).
        self.speakers_box = QCheckBox("Speakers as cases", self)
        self.speakers_box.setToolTip(
            "Each speaker of a focus group made a case counts as a case, as in the matrix"
        )
        self.speakers_box.toggled.connect(lambda _on: self.refresh())
        self._speakers_shown = (bar.addWidget(QLabel("  ", self)), bar.addWidget(self.speakers_box))
        bar.addSeparator()
        self.export_action = bar.addAction("Export…", self.export)
        self.export_action.setToolTip("Save the table as an Excel workbook")
        self.chart_action = bar.addAction("Save chart…", self.save_chart)
        self.chart_action.setToolTip("Save the chart as a PNG (300 dpi) or SVG, 16 cm wide, for a report")
        for action in (self.export_action, self.chart_action):
            action.setEnabled(self._actions is not None)
        self._fill_measures()

    def _fill_measures(self) -> None:
        measures = CROSSTAB_MEASURES if self._kind() == "crosstab" else COOCCURRENCE_MEASURES
        current = self.measure_combo.currentData()
        self.measure_combo.clear()
        for key, label in measures.items():
            self.measure_combo.addItem(label, key)
        if current in measures:
            self.measure_combo.setCurrentIndex(list(measures).index(current))
        crosstab = self._kind() == "crosstab"
        for combo, shown in ((self.by_combo, crosstab), (self.unit_combo, not crosstab)):
            for action in self._shown[combo]:
                action.setVisible(shown)
        for action in self._speakers_shown:
            action.setVisible(crosstab)

    def _kind(self) -> str:
        return str(self.kind_combo.currentData() or "crosstab")

    def _fill_levels(self, depth: int) -> int:
        level = int(self.level_combo.currentData() or 1)
        self.level_combo.clear()
        for number in range(1, depth + 1):
            self.level_combo.addItem("Top level" if number == 1 else f"Level {number}", number)
        level = max(1, min(level, depth))
        self.level_combo.setCurrentIndex(level - 1)
        return level

    def _fill_attributes(self, names: list[str]) -> str:
        by = str(self.by_combo.currentData() or "participant_group")
        self.by_combo.clear()
        for name in names:
            self.by_combo.addItem(ATTRIBUTES.get(name, name), name)
        self.by_combo.setCurrentIndex(names.index(by) if by in names else 0)
        return str(self.by_combo.currentData())

    # -- building -----------------------------------------------------------------------------------

    def mark_stale(self) -> None:
        """Codings or themes changed in the main window: build afresh when this window is next active."""
        self._stale = True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and self._stale:
            self.refresh()
        super().changeEvent(event)

    def refresh(self) -> None:
        """Build the table afresh with the toolbar's choices: in the background, on the worker's own
        connection, when the main window's jobs are given (a co-occurrence by turn reads every text)."""
        self._stale = False
        codes = self.project.codebook.all()
        level = self._fill_levels(max((c.path.count("/") + 1 for c in codes), default=1))
        by = self._fill_attributes(attribute_names(self.project))
        kind, unit = self._kind(), str(self.unit_combo.currentData())
        speakers = self.speakers_box.isChecked()

        def build(
            own: Project, _progress: workers.Progress, _cancelled: workers.Cancelled
        ) -> Crosstab | Cooccurrence:
            if kind == "crosstab":
                return build_crosstab(own, by, level=level, speakers=speakers)
            return build_cooccurrence(own, level=level, unit=unit)  # type: ignore[arg-type]

        if self._jobs is None:
            try:
                self._built(build(self.project, lambda *_a: None, lambda: False))
            except JswError as error:
                self._failed(error)
            return
        if self._jobs.running is not None:
            self._again = self._jobs.running.title == BUILDING  # ours: build again once it has ended
            if not self._again:
                self._stale = True
                self.statusBar().showMessage(f"{self._jobs.running.title} is running: the table follows it.")
            return
        self.statusBar().showMessage("Counting…")
        self._jobs.start(
            BUILDING,
            workers.on_project(self.project, build),
            writes=False,
            on_done=self._built,
            on_error=self._failed,
        )

    def _built(self, table: Crosstab | Cooccurrence) -> None:
        if not isValid(self):
            return  # the window went meanwhile (the project locked)
        if self._again:
            self._again = False
            self.refresh()
            return
        measure = str(self.measure_combo.currentData())
        if isinstance(table, Crosstab):
            self.crosstab, self.cooccurrence = table.on(self.project), None  # its passages read here
            self.model.show_crosstab(self.crosstab, measure)
            shape = f"{len(table.themes)} themes × {len(table.values)} values"
        else:
            self.crosstab, self.cooccurrence = None, table
            self.model.show_cooccurrence(table, measure)
            shape = f"{len(table.themes)} themes × {len(table.themes)}"
        self.table.resizeColumnsToContents()
        self.passages.clear()
        self.cell_label.setText("Select a cell to see its passages.")
        self.statusBar().showMessage(f"{shape} · select a cell to list its passages · F5: refresh")
        self._draw_chart()
        if self._stale:
            self.refresh()

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, JswError):
            raise error  # a bug: the crash handler reports it
        if isValid(self):
            self._again = False
            self.statusBar().showMessage(str(error), 10000)

    def chart_of(self, project: Project, text: ExportText) -> Chart:
        """The chart of the table as shown, read through *project* and *text* (an export's)."""
        measure = str(self.measure_combo.currentData())
        if self.crosstab is not None:
            counted = "cases" if measure in ("cases", "cases_percent") else "passages"
            return frequency_chart(self.crosstab.on(project), text, counted)
        assert self.cooccurrence is not None
        return cooccurrence_chart(self.cooccurrence, text, jaccard=measure == "jaccard")

    def _draw_chart(self) -> None:
        if self.tabs.currentIndex() != 1:
            return
        try:
            self.chart_view.show_chart(self.chart_of(self.project, ExportText(self.project)))
        except JswError as error:
            self.chart_view.show_chart(None)
            self.statusBar().showMessage(str(error), 10000)

    # -- a cell's passages --------------------------------------------------------------------------

    def _cell_chosen(self, index: QModelIndex, _previous: QModelIndex) -> None:
        self.passages.clear()
        if not self.model.is_value_cell(index):
            self.cell_label.setText("Select a cell to see its passages.")
            return
        row, column = index.row(), index.column()
        found: list[tuple[str, str, int, int, str]] = []  # (label, transcript uuid, start, end, text)
        if self.crosstab is not None:
            where = f"{self.crosstab.themes[row].code.path} · {self.crosstab.values[column]}"
            for p in self.crosstab.passages_in(row, column):
                found.append((p.transcript, p.coding.transcript_uuid, p.coding.start, p.coding.end, p.text))
        else:
            table = self.cooccurrence
            assert table is not None
            first, second = table.themes[row].path, table.themes[column].path
            where = first if row == column else f"{first} with {second}"
            for q in run_query(self.project, table.query(row, column)):
                found.append((q.transcript, q.transcript_uuid, q.start, q.end, q.text))
            self.cell_label.setToolTip(f"The passages of the coding query {table.query(row, column)}")
        self.cell_label.setText(f"{where}: {len(found)} passage{'' if len(found) == 1 else 's'}")
        for label, transcript, start, end, text in found:
            item = QListWidgetItem(f"{label}\n{shorten(text)}")
            item.setData(PASSAGE_ROLE, (transcript, start, end))
            self.passages.addItem(item)

    def _passage_activated(self, item: QListWidgetItem) -> None:
        transcript, start, end = item.data(PASSAGE_ROLE)
        self._open_passage(transcript, start, end)

    # -- exports ------------------------------------------------------------------------------------

    def export(self) -> None:
        if self._actions is None:
            return
        if self.crosstab is not None:
            self._actions.export_crosstab(self.crosstab, self)
        elif self.cooccurrence is not None:
            self._actions.export_cooccurrence(self.cooccurrence, self)

    def save_chart(self) -> None:
        if self._actions is not None and (self.crosstab is not None or self.cooccurrence is not None):
            name = "Theme frequency" if self.crosstab is not None else "Themes coded together"
            self._actions.save_chart(self.chart_of, name, self)
