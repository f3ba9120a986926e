"""The indirect-identification review: combinations and quotes that fit fewer than k participants.

A thin window over :mod:`jswcoder.services.indirect`, laid out like the register review: the details an
export would release beyond the attribution are ticked at the top, with k beside them; each finding is
listed with the participants it fits and the suggested generalisation, editable in the list; Accept
keeps the suggestion (or the value typed over it: an edit), Dismiss lets the finding leave as it is.
The list keeps its row after each decision. Nothing here leaves the project.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.anonymise.indirect import Finding
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.egress import Egress
from jswcoder.services.indirect import MAX_K, IndirectCheck, coded_quotes
from jswcoder.store.indirect_decisions import Decision

Index = QModelIndex | QPersistentModelIndex
RELEASABLE = ("format", "mode", "council_area")
QUOTE_SHOWN = 90  # characters of a quote in its row: enough to recognise it


class FindingsModel(QAbstractTableModel):
    """Findings as rows: what, how many, the suggestion (editable) and the decision taken."""

    HEADERS = ("Details", "Participants", "Generalise to", "Decision")
    SUGGESTION = 2

    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []
        self.decisions: dict[str, Decision] = {}
        self.typed: dict[str, str] = {}  # finding id -> a value typed over the suggestion
        self.quotes: dict[str, str] = {}  # a quote finding's quote id -> the quote as it leaves

    def show(
        self, findings: list[Finding], decisions: dict[str, Decision], quotes: dict[str, str] | None = None
    ) -> None:
        self.beginResetModel()
        self.findings, self.decisions = findings, decisions
        self.quotes = quotes or {}
        self.typed = {k: v for k, v in self.typed.items() if any(f.id == k for f in findings)}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def value(self, row: int) -> str:
        finding = self.findings[row]
        return self.typed.get(finding.id, finding.suggestion)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        finding = self.findings[index.row()]
        decision = self.decisions.get(finding.id)
        column = index.column()
        if column == 0:
            details = ", ".join(f"{name}: {value}" for name, value in finding.combination)
            if finding.kind != "quote":
                return details
            quoted = " ".join(self.quotes.get(finding.quote or "", "").split())
            shown = quoted if len(quoted) <= QUOTE_SHOWN else quoted[: QUOTE_SHOWN - 1] + "…"
            return f"Quote “{shown}” ({details})" if shown else f"Quote: {details}"
        if column == 1:
            return str(finding.count)
        if column == self.SUGGESTION:
            return (
                f"{finding.attribute} → {self.value(index.row())}"
                if role == Qt.ItemDataRole.DisplayRole
                else (self.value(index.row()))
            )
        return "to decide" if decision is None else decision.decision

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == self.SUGGESTION else base

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != self.SUGGESTION or role != Qt.ItemDataRole.EditRole or not str(value).strip():
            return False
        self.typed[self.findings[index.row()].id] = str(value).strip()
        self.dataChanged.emit(index, index)
        return True


class IndirectWindow(QDialog):
    def __init__(
        self, project: Project, parent: QWidget | None = None, attributes: Sequence[str] = ()
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Indirect identification")
        self._project = project
        self._check = IndirectCheck(project.db, project.coder.uuid)
        names = [*RELEASABLE, *project.cases.attribute_names()]
        names += [name for name in attributes if name not in names]
        self.released = {name: QCheckBox(name.replace("_", " "), self) for name in names}
        for name in attributes:  # what a refused export released: its findings are the ones shown
            self.released[name].setChecked(True)
        self.k = QSpinBox(self)
        self.k.setRange(2, MAX_K)
        self.k.setValue(self._check.k)
        self.k.setAccessibleName("k")
        self.model = FindingsModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Findings")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.accept_button = QPushButton("&Accept generalisation", self)
        self.dismiss_button = QPushButton("&Dismiss: leaves as it is", self)
        for button in (self.accept_button, self.dismiss_button):
            button.setAutoDefault(False)  # Enter in the list commits a typed value; it decides nothing
        self.accept_button.clicked.connect(self.accept_current)
        self.dismiss_button.clicked.connect(self.dismiss_current)
        for box in self.released.values():
            box.toggled.connect(lambda _on: self.refresh())
        self.k.valueChanged.connect(self._set_k)

        top = QHBoxLayout()
        top.addWidget(QLabel("Released beyond the attribution:", self))
        for box in self.released.values():
            top.addWidget(box)
        top.addStretch(1)
        top.addWidget(QLabel("k:", self))
        top.addWidget(self.k)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)
        self.resize(820, 420)
        self.refresh()

    @classmethod
    def show_for(
        cls, project: Project, parent: QWidget | None = None, attributes: Sequence[str] = ()
    ) -> None:
        """Modal (a lock rejects it), with ``attributes`` ticked (what a refused export released)."""
        dialog = cls(project, parent, attributes)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()

    def done(self, result: int) -> None:
        """Closed, or rejected by a lock: the list keeps no participant's details."""
        self.model.show([], {})
        super().done(result)

    def attributes(self) -> list[str]:
        return [name for name, box in self.released.items() if box.isChecked()]

    def refresh(self) -> None:
        """Count again, keeping the current row."""
        row = self.table.currentIndex().row()
        project = self._project
        lead = project.team.role() == "lead"  # its texts arrived anonymised
        egress = Egress(project.register)
        quotes = coded_quotes(project.transcripts, project.codings, egress, anonymise=not lead)
        findings = self._check.findings(self.attributes(), quotes, project.register.entries(), lead=lead)
        named = {f.quote for f in findings if f.quote is not None}
        self.model.show(findings, self._check.decisions(), {q.id: q.text for q in quotes if q.id in named})
        undecided = len(self._check.undecided(findings))
        self.summary.setText(
            f"{len(findings)} finding(s) fit fewer than {self._check.k} participants; {undecided} to decide."
        )
        if findings:
            self.table.selectRow(min(max(row, 0), len(findings) - 1))

    def _set_k(self, value: int) -> None:
        self._check.set_k(value)
        self.refresh()

    def _current(self) -> int | None:
        row = self.table.currentIndex().row()
        return row if 0 <= row < len(self.model.findings) else None

    def accept_current(self) -> None:
        row = self._current()
        if row is None:
            return
        self._decide(lambda f: self._check.accept(self.model.findings, f.id, self.model.value(row)), row)

    def dismiss_current(self) -> None:
        row = self._current()
        if row is not None:
            self._decide(lambda f: self._check.dismiss(self.model.findings, f.id), row)

    def _decide(self, action: Callable[[Finding], object], row: int) -> None:
        try:
            action(self.model.findings[row])
        except JswError as error:
            QMessageBox.warning(self, "jswcoder", str(error))
            return
        self.refresh()
