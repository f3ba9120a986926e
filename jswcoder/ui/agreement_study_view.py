"""Agreement across the study, in the agreement dialog: all coders per theme, then one pair of coders.

The figures come from :func:`jswcoder.analysis.agreement_study.study_agreement`, computed in the
background through the one worker helper (:mod:`jswcoder.ui.workers`) on the worker's own connection:
over a whole study it reads every double-coded transcript and cuts it into sentences, which takes
seconds, and the dialog must not freeze meanwhile. The worker returns plain data; only this widget
fills the tables. Changing the unit or the option while a computation runs asks for a new one when
it ends, so the tables never show figures for options no longer chosen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jswcoder.analysis.agreement import Figures
from jswcoder.analysis.agreement_study import GroupFigures, StudyAgreement, study_agreement
from jswcoder.analysis.agreement_text import number, percent
from jswcoder.analysis.agreement_units import AgreementUnit
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.ui import workers

ALL_HEADERS = ["Theme", "Units", "Agreement", "Fleiss' kappa", "Alpha"]
PAIR_HEADERS = ["Theme", "Units", "Agreement", "Kappa", "Alpha", "Both", "A only", "B only", "Neither"]
UNIT_NAMES = {
    AgreementUnit.CHARACTER: "Character",
    AgreementUnit.SENTENCE: "Sentence",
    AgreementUnit.PARAGRAPH: "Paragraph",
    AgreementUnit.TURN: "Speaker turn",
}
UNIT_TIP = (
    "What one unit of comparison is. A sentence, paragraph or speaker turn counts as coded with a theme "
    "by a coder when any of that coder's codings of the theme touches it."
)


def table_cell(text: str, *, number_column: bool = False, tooltip: str | None = None) -> QTableWidgetItem:
    """A read-only cell of an agreement table, numbers right-aligned (the dialog's tables use it too)."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if number_column:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(headers: list[str], name: str, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.verticalHeader().setVisible(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    first = QTableWidgetItem(headers[0])
    first.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setHorizontalHeaderItem(0, first)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[list[QTableWidgetItem]]) -> None:
    table.setRowCount(len(rows))
    bold = QFont(table.font())
    bold.setBold(True)
    for row, cells in enumerate(rows):
        for column, item in enumerate(cells):
            if row == len(rows) - 1:  # the pooled row
                item.setFont(bold)
            table.setItem(row, column, item)


def _group_cells(row: GroupFigures) -> list[QTableWidgetItem]:
    why = f"n/a: {row.undefined}" if row.undefined else None
    return [
        table_cell(row.label),
        table_cell(f"{row.units:,}", number_column=True),
        table_cell(f"{row.percent:.1f}%", number_column=True),
        table_cell(number(row.fleiss_kappa), number_column=True, tooltip=why),
        table_cell(number(row.alpha), number_column=True, tooltip=why),
    ]


def _pair_cells(row: Figures, units: int) -> list[QTableWidgetItem]:
    t, why = row.table, f"n/a: {row.undefined}" if row.undefined else None
    return [
        table_cell(row.label),
        table_cell(f"{units:,}", number_column=True),
        table_cell(percent(row), number_column=True),
        table_cell(number(row.kappa), number_column=True, tooltip=why),
        table_cell(number(row.alpha), number_column=True, tooltip=why),
        *(table_cell(f"{count:,}", number_column=True) for count in (t.both, t.only_a, t.only_b, t.neither)),
    ]


class StudyAgreementView(QWidget):
    """The study-wide figures, with the unit and whether to leave out the text nobody coded."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.study: StudyAgreement | None = None
        self._task: workers.Task | None = None
        self._again = False  # the options changed while a computation ran

        self.unit = QComboBox(self)
        self.unit.setAccessibleName("Unit")
        self.unit.setToolTip(UNIT_TIP)
        for unit, name in UNIT_NAMES.items():
            self.unit.addItem(name, unit)
        self.skip_uncoded = QCheckBox("&Leave out text nobody coded", self)
        self.skip_uncoded.setToolTip(
            "Units that no coder of the transcript coded with any theme are left out, so long uncoded "
            "stretches do not count as agreement."
        )
        self.busy = QProgressBar(self)
        self.busy.setAccessibleName("Computing")
        self.busy.setMaximumWidth(220)
        self.busy.setFormat("%v of %m transcripts")
        self.busy.hide()
        options = QHBoxLayout()
        caption = QLabel("&Unit:", self)
        caption.setBuddy(self.unit)
        options.addWidget(caption)
        options.addWidget(self.unit)
        options.addSpacing(16)
        options.addWidget(self.skip_uncoded)
        options.addStretch(1)
        options.addWidget(self.busy)

        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.everyone = _table(ALL_HEADERS, "Agreement of all coders by theme", self)
        self.pair = QComboBox(self)
        self.pair.setAccessibleName("Pair of coders")
        self.pairs = _table(PAIR_HEADERS, "Agreement of the pair by theme", self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setEnabled(False)  # greyed: a footnote
        choose_pair = QHBoxLayout()
        pair_caption = QLabel("Coder &pair:", self)
        pair_caption.setBuddy(self.pair)
        choose_pair.addWidget(pair_caption)
        choose_pair.addWidget(self.pair, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.description)
        layout.addWidget(
            QLabel("<b>All coders</b>: mean agreement per unit, Fleiss' kappa, Krippendorff's alpha", self)
        )
        layout.addWidget(self.everyone, 1)
        layout.addLayout(choose_pair)
        layout.addWidget(self.pairs, 1)
        layout.addWidget(self.note)

        self.unit.currentIndexChanged.connect(self.refresh)
        self.skip_uncoded.toggled.connect(self.refresh)
        self.pair.currentIndexChanged.connect(self._show_pair)

    # -- computing in the background ----------------------------------------------------------------

    @property
    def computing(self) -> bool:
        return self._task is not None

    def refresh(self) -> None:
        """Compute the figures for the chosen options (after the running computation, if any)."""
        if self._task is not None:
            self._again = True
            return
        unit, skip = self.unit.currentData(), self.skip_uncoded.isChecked()

        def body(own: Project, progress: workers.Progress, _cancelled: workers.Cancelled) -> StudyAgreement:
            return study_agreement(
                own, unit, skip_uncoded=skip, progress=lambda done, total: progress(done, total, "")
            )

        self.busy.setRange(0, 0)
        self.busy.show()
        self.description.setText("Computing agreement across the study…")
        self._task = workers.start(
            workers.on_project(self._project, body),
            on_done=self._done,
            on_error=self._failed,
            on_progress=self._progress,
        )

    def _progress(self, done: int, total: int, _label: str) -> None:
        self.busy.setRange(0, total)
        self.busy.setValue(done)

    def _ended(self) -> bool:
        """The computation is over; True if another was asked for meanwhile (and is now started)."""
        self._task = None
        self.busy.hide()
        if self._again:
            self._again = False
            self.refresh()
            return True
        return False

    def _done(self, study: StudyAgreement) -> None:
        if self._ended():
            return
        self.study = study
        self.description.setText(study.description)
        _fill(self.everyone, [_group_cells(row) for row in (*study.themes, study.pooled)])
        chosen = self.pair.currentIndex()
        self.pair.blockSignals(True)
        self.pair.clear()
        for pair in study.pairs:
            count = f"{pair.transcripts} transcript{'s' if pair.transcripts != 1 else ''}"
            self.pair.addItem(f"A: {pair.coder_a.name}  and  B: {pair.coder_b.name}  ({count} coded by both)")
        self.pair.setCurrentIndex(chosen if 0 <= chosen < len(study.pairs) else 0)
        self.pair.blockSignals(False)
        self._show_pair()

    def _failed(self, error: BaseException) -> None:
        if self._ended():
            return
        if not isinstance(error, JswError):
            raise error  # a bug: the crash handler reports it
        self.study = None
        self.description.setText(str(error))
        for table in (self.everyone, self.pairs):
            table.setRowCount(0)
        self.pair.clear()
        self.note.clear()

    def _show_pair(self) -> None:
        study, index = self.study, self.pair.currentIndex()
        if study is None or not 0 <= index < len(study.pairs):
            self.pairs.setRowCount(0)
            return
        pair = study.pairs[index]
        _fill(self.pairs, [_pair_cells(row, pair.units) for row in (*pair.themes, pair.pooled)])
        undefined = [r.undefined for r in (*study.themes, study.pooled)]
        undefined += [r.undefined for r in (*pair.themes, pair.pooled)]
        reasons = sorted({reason for reason in undefined if reason})
        self.note.setText(" ".join(f"n/a: {reason}." for reason in reasons))
        self.note.setVisible(bool(reasons))

    def wait(self) -> None:
        """Wait for a running computation (the dialog is closing)."""
        if self._task is not None:
            self._again = False
            self._task.wait()
