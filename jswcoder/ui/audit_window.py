"""File › Audit trail…: who exported, deposited, changed the register, admitted, withdrew, and when.

A thin window over :mod:`jswcoder.services.audit` for the lead who hands the trail to an ethics
committee: newest first, in words (When, Who, What, Details), a filter by action, a line saying
whether the trail checks out (nothing changed or removed since it was recorded), and Export… to
.xlsx or .csv (:mod:`jswcoder.reports.audit_export`). Nothing in it is transcript text or a register
entry; the rows are read again each time the window opens or exports.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.audit import ACTIONS, Event

Index = QModelIndex | QPersistentModelIndex
ALL = "All actions"


def when(at: str) -> str:
    """ "2026-12-07 14:03 UTC" from the stored ISO time (seconds and milliseconds left out)."""
    return f"{at[:10]} {at[11:16]} UTC"


class AuditModel(QAbstractTableModel):
    """The events as rows, newest first: When, Who, What, Details."""

    HEADERS = ("When", "Who", "What", "Details")

    def __init__(self) -> None:
        super().__init__()
        self.events: list[Event] = []

    def show(self, events: list[Event]) -> None:
        self.beginResetModel()
        self.events = events
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        event = self.events[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Event {event.seq}, {event.at}" if column == 0 else None
        return (when(event.at), event.actor, event.what, event.in_words)[column]


class AuditWindow(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Audit trail")
        self._project = project
        self.model = AuditModel()
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Events")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.filter = QComboBox(self)
        self.filter.setAccessibleName("Show")
        self.filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.checked = QLabel(self)
        self.checked.setTextFormat(Qt.TextFormat.PlainText)
        self.export_button = QPushButton("&Export…", self)
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self.export)
        close = QPushButton("Close", self)
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)

        top = QHBoxLayout()
        show = QLabel("&Show:", self)
        show.setBuddy(self.filter)
        top.addWidget(show)
        top.addWidget(self.filter)
        top.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.checked, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        about = QLabel(
            "Every export, deposit, register change, admission and withdrawal in this project, newest "
            "first. No transcript text or register entry is kept here.",
            self,
        )
        about.setWordWrap(True)
        layout.addWidget(about)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(bottom)
        self.resize(900, 460)
        self._fill_filter()
        self.refresh()

    @classmethod
    def show_for(cls, project: Project, parent: QWidget | None = None) -> None:
        """Modal, as the other review windows are (a lock rejects it)."""
        dialog = cls(project, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.exec()

    @classmethod
    def choose_save_file(cls, parent: QWidget) -> Path | None:
        """Where the export goes (tests replace this with a path)."""
        chosen, _ = QFileDialog.getSaveFileName(
            parent, "Export the audit trail", "audit trail.xlsx", "Excel workbook (*.xlsx);;CSV (*.csv)"
        )
        return Path(chosen) if chosen else None

    def _fill_filter(self) -> None:
        """All actions, then each action recorded so far, in words; the choice kept if still there."""
        chosen = self.action()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem(ALL, None)
        for action in self._project.audit.actions():
            self.filter.addItem(ACTIONS.get(action, action), action)
        found = self.filter.findData(chosen)
        self.filter.setCurrentIndex(max(found, 0))
        self.filter.blockSignals(False)

    def action(self) -> str | None:
        value = self.filter.currentData()
        return value if isinstance(value, str) else None

    def refresh(self) -> None:
        self.model.show(self._project.audit.events(action=self.action()))
        verified = self._project.audit.verify()
        self.checked.setText(
            f"{verified.events} event(s); the trail checks out: none changed or removed."
            if verified.ok
            else f"The trail does not check out: {verified.why}."
        )

    def export(self) -> None:
        target = self.choose_save_file(self)
        if target is None:
            return
        from jswcoder.reports.audit_export import write_audit_trail  # noqa: PLC0415 (openpyxl: when asked)

        try:
            count = write_audit_trail(self._project, target, action=self.action())
        except JswError as error:
            QMessageBox.warning(self, "Audit trail not exported", str(error))
            return
        self._fill_filter()  # the export is an event of its own
        self.refresh()
        self.checked.setText(f"Exported {count} event(s) to {target.name}.")
