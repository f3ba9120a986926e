"""Coder agreement: on one double-coded transcript (the per-theme table and the disagreements side by
side), and across the study (a second tab, :mod:`jswcoder.ui.agreement_study_view`).

The numbers come from :mod:`jswcoder.analysis.agreement`; this dialog only chooses the transcript and
the two coders and shows the report. Computing it takes milliseconds, so it runs on the UI thread; the
study's figures take seconds and are computed in the background, when their tab is first opened.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from jswcoder.analysis.agreement import (
    AgreementReport,
    Disagreement,
    Figures,
    Passage,
    Side,
    agreement,
    coders_of,
    double_coded,
)
from jswcoder.analysis.agreement_text import number, percent
from jswcoder.analysis.reconcile import reconciliation
from jswcoder.errors import JswError
from jswcoder.model import Coder, Transcript
from jswcoder.project import Project
from jswcoder.ui.agreement_study_view import StudyAgreementView, table_cell
from jswcoder.ui.reconcile_window import ReconcileWindow

HEADERS = ["Theme", "Agreement", "Kappa", "Alpha", "Both", "A only", "B only", "Neither"]
ONLY_ONE_CODER = "#FBE3C8"  # where only this coder coded the theme: warm, and bold (not colour alone)
NOTHING_TO_SHOW = (
    "No transcript has codings from two coders yet. Agreement needs a transcript that two coders "
    "coded independently (double coding)."
)


def _row_cells(figures: Figures) -> list[QTableWidgetItem]:
    t = figures.table
    why = f"n/a: {figures.undefined}" if figures.undefined else None
    return [
        table_cell(figures.label),
        table_cell(percent(figures), number_column=True),
        table_cell(number(figures.kappa), number_column=True, tooltip=why),
        table_cell(number(figures.alpha), number_column=True, tooltip=why),
        *(table_cell(f"{count:,}", number_column=True) for count in (t.both, t.only_a, t.only_b, t.neither)),
    ]


def _passage_html(passage: Passage, item: Disagreement, side: Side) -> str:
    """The passage's words, with the characters only this coder coded emphasised."""
    parts, at = [], passage.start
    for run in item.runs:
        if run.coded_by != side or run.end <= passage.start or run.start >= passage.end:
            continue
        parts.append(html.escape(passage.text[at - passage.start : run.start - passage.start]))
        parts.append(
            f'<b style="background-color:{ONLY_ONE_CODER}">'
            f"{html.escape(passage.text[run.start - passage.start : run.end - passage.start])}</b>"
        )
        at = run.end
    parts.append(html.escape(passage.text[at - passage.start :]))
    words = "".join(parts).replace("\n", "<br>")
    return f'<span style="color:#666">[{passage.start}–{passage.end}]</span> {words}'


def _side_html(passages: tuple[Passage, ...], item: Disagreement, side: Side) -> str:
    if not passages:
        return '<i style="color:#666">(not coded)</i>'
    return "<br><br>".join(_passage_html(p, item, side) for p in passages)


def disagreements_html(report: AgreementReport) -> str:
    """The disagreements as a two-column table: what coder A coded | what coder B coded."""
    if not report.disagreements:
        return "<p>No disagreements: the coders coded every theme on exactly the same characters.</p>"
    a, b = html.escape(report.coder_a.name), html.escape(report.coder_b.name)
    rows = [
        '<table width="100%" cellspacing="0" cellpadding="6" style="border-collapse:collapse">',
        f'<tr><th width="50%" align="left">A: {a}</th><th width="50%" align="left">B: {b}</th></tr>',
    ]
    theme = None
    for item in report.disagreements:
        if item.theme != theme:
            theme = item.theme
            rows.append(
                f'<tr><td colspan="2" style="background-color:#EEF1F4"><b>{html.escape(theme)}</b></td></tr>'
            )
        rows.append(
            '<tr style="border-bottom:1px solid #ddd">'
            f'<td valign="top">{_side_html(item.coder_a, item, "A")}</td>'
            f'<td valign="top">{_side_html(item.coder_b, item, "B")}</td></tr>'
        )
    rows.append("</table>")
    return "".join(rows)


class AgreementDialog(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Coder agreement")
        self.resize(1000, 720)
        self._project = project
        self.report: AgreementReport | None = None
        self._transcripts: list[Transcript] = double_coded(project)
        self._coders: list[Coder] = []

        self.transcript = QComboBox(self)
        self.transcript.setAccessibleName("Transcript")
        self.transcript.addItems([t.name for t in self._transcripts])
        self.coder_a = QComboBox(self)
        self.coder_a.setAccessibleName("Coder A")
        self.coder_b = QComboBox(self)
        self.coder_b.setAccessibleName("Coder B")
        choose = QHBoxLayout()
        for label, combo, stretch in (
            ("&Transcript:", self.transcript, 2),
            ("Coder &A:", self.coder_a, 1),
            ("Coder &B:", self.coder_b, 1),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(combo)
            choose.addWidget(caption)
            choose.addWidget(combo, stretch)
        self.reconcile = QPushButton("&Reconcile…", self)
        self.reconcile.setToolTip(
            "Walk through the disagreements of this transcript and keep A's version, B's, both or "
            "neither into the agreed coding"
        )
        self.reconcile.clicked.connect(self._reconcile)
        choose.addWidget(self.reconcile)

        self.unit = QLabel(self)
        self.unit.setWordWrap(True)
        self.themes = QTableWidget(0, len(HEADERS), self)
        self.themes.setHorizontalHeaderLabels(HEADERS)
        self.themes.setAccessibleName("Agreement by theme")
        self.themes.verticalHeader().setVisible(False)
        self.themes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.themes.setAlternatingRowColors(True)
        theme_header = QTableWidgetItem(HEADERS[0])
        theme_header.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.themes.setHorizontalHeaderItem(0, theme_header)
        header = self.themes.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setEnabled(False)  # greyed: a footnote

        self.disagreements = QTextBrowser(self)
        self.disagreements.setAccessibleName("Disagreements")
        self.disagreements.setOpenLinks(False)
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.themes)
        upper_layout.addWidget(self.note)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(
            QLabel("<b>Disagreements</b> (the characters only one coder coded are in bold)", self)
        )
        lower_layout.addWidget(self.disagreements)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([260, 420])

        one = QWidget(self)
        one_layout = QVBoxLayout(one)
        one_layout.addLayout(choose)
        one_layout.addWidget(self.unit)
        one_layout.addWidget(splitter, 1)
        self.study_view = StudyAgreementView(project, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(one, "One transcript")
        self.tabs.addTab(self.study_view, "Across the study")
        self.tabs.currentChanged.connect(self._tab_changed)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self.transcript.currentIndexChanged.connect(self._transcript_changed)
        self.coder_a.currentIndexChanged.connect(self.refresh)
        self.coder_b.currentIndexChanged.connect(self.refresh)
        if self._transcripts:
            self._transcript_changed(self.transcript.currentIndex())
        else:
            for widget in (self.transcript, self.coder_a, self.coder_b, splitter, self.reconcile):
                widget.setEnabled(False)
            self.unit.setText(NOTHING_TO_SHOW)

    def _tab_changed(self, index: int) -> None:
        view = self.study_view
        if self.tabs.widget(index) is view and view.study is None and not view.computing:
            view.refresh()

    def done(self, result: int) -> None:
        self.study_view.wait()  # no computation outlives the dialog
        super().done(result)

    def _transcript_changed(self, index: int) -> None:
        self._coders = coders_of(self._project, self._transcripts[index].uuid)
        for combo, chosen in ((self.coder_a, 0), (self.coder_b, 1)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([c.name for c in self._coders])
            combo.setCurrentIndex(chosen)
            combo.blockSignals(False)
        self.refresh()

    def _reconcile(self) -> None:
        transcript = self._transcripts[self.transcript.currentIndex()]
        try:
            ReconcileWindow.show_for(self._project, transcript.uuid, self)
        except JswError as error:
            self.unit.setText(str(error))
        self._show_progress()

    def _show_progress(self) -> None:
        """The button says how far this transcript's reconciliation is, once it has started."""
        self.reconcile.setText("&Reconcile…")
        if len(self._coders) != 2:
            return
        try:
            state = reconciliation(self._project, self._transcripts[self.transcript.currentIndex()].uuid)
        except JswError:
            return
        if state.decided:
            self.reconcile.setText(f"&Reconcile… ({state.progress})")

    def refresh(self) -> None:
        """Compute the report for the chosen transcript and coders, and show it."""
        self.report = None
        self.reconcile.setEnabled(len(self._coders) == 2)  # the two coders of the transcript, no more
        self._show_progress()
        self.themes.setRowCount(0)
        self.note.clear()
        self.disagreements.clear()
        a, b = self.coder_a.currentIndex(), self.coder_b.currentIndex()
        if a == b:
            self.unit.setText("Choose two different coders.")
            return
        transcript = self._transcripts[self.transcript.currentIndex()]
        try:
            report = agreement(self._project, transcript.uuid, (self._coders[a].uuid, self._coders[b].uuid))
        except JswError as error:
            self.unit.setText(str(error))
            return
        self.report = report
        self.unit.setText(report.unit)
        rows = (*report.themes, report.pooled)
        self.themes.setRowCount(len(rows))
        bold = QFont(self.themes.font())
        bold.setBold(True)
        for row, figures in enumerate(rows):
            for column, item in enumerate(_row_cells(figures)):
                if figures is report.pooled:
                    item.setFont(bold)
                self.themes.setItem(row, column, item)
        reasons = sorted({f.undefined for f in rows if f.undefined})
        self.note.setText(" ".join(f"n/a: {reason}." for reason in reasons))
        self.note.setVisible(bool(reasons))
        self.disagreements.setHtml(disagreements_html(report))

    @classmethod
    def show_for(cls, project: Project, parent: QWidget | None = None) -> None:
        """Modal; tests replace this."""
        dialog = cls(project, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()
