"""The anonymisation register in the app: what is registered, and candidates still to review.

Candidates are found offline in every transcript and its notes. Accepting one adds it with the
suggested descriptor (editable in the table first); dismissing one marks it reviewed, so it is not
suggested again. Nothing here leaves the project.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.project import Project

UUID_ROLE = Qt.ItemDataRole.UserRole + 1


def _table(headers: list[str], name: str, parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _cell(text: str, editable: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if not editable:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class RegisterWindow(QDialog):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Anonymisation register")
        self.resize(820, 560)
        self._project = project
        self.entries = _table(["Text", "Category", "Replaced by", "Only in"], "Register entries", self)
        self.candidates = _table(
            ["Text", "Category", "Occurrences", "Replace by (editable)"], "Candidates", self
        )
        remove = QPushButton("&Remove", self)
        remove.clicked.connect(self.remove_selected)
        accept = QPushButton("&Add to register", self)
        accept.clicked.connect(self.accept_selected)
        dismiss = QPushButton("&Dismiss: not identifying", self)
        dismiss.clicked.connect(self.dismiss_selected)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._page(self.candidates, [accept, dismiss]), "To review")
        self.tabs.addTab(self._page(self.entries, [remove]), "Register")
        self.summary = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.refresh()

    def _page(self, table: QTableWidget, buttons: list[QPushButton]) -> QWidget:
        page = QWidget(self)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        column = QVBoxLayout(page)
        column.addWidget(table)
        column.addLayout(row)
        return page

    def refresh(self) -> None:
        names = {t.uuid: t.name for t in self._project.transcripts.all()}
        entries = self._project.register.entries()
        self.entries.setRowCount(0)
        for e in entries:
            row = self.entries.rowCount()
            self.entries.insertRow(row)
            first = _cell(e.text)
            first.setData(UUID_ROLE, e.uuid)
            scope = names.get(e.transcript_uuid, "") if e.transcript_uuid else "all transcripts"
            for column, item in enumerate([first, _cell(e.category), _cell(e.replacement), _cell(scope)]):
                self.entries.setItem(row, column, item)
        candidates = self._project.register.suggestions()
        self.candidates.setRowCount(0)
        for c in candidates:
            row = self.candidates.rowCount()
            self.candidates.insertRow(row)
            cells = [
                _cell(c.text),
                _cell(c.category),
                _cell(str(c.occurrences)),
                _cell(c.replacement, editable=True),
            ]
            for column, item in enumerate(cells):
                self.candidates.setItem(row, column, item)
        self.summary.setText(
            f"{len(entries)} in the register · {len(candidates)} candidate{'s' if len(candidates) != 1 else ''} "
            "to review. An export is refused while any candidate is left unreviewed."
        )

    def _rows(self, table: QTableWidget) -> list[int]:
        return sorted({index.row() for index in table.selectionModel().selectedRows()})

    @staticmethod
    def _text(table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return "" if item is None else item.text()

    def accept_selected(self) -> None:
        for row in self._rows(self.candidates):
            text, category, replacement = (self._text(self.candidates, row, c) for c in (0, 1, 3))
            try:
                self._project.register.add(text, replacement, category)
            except JswError as error:
                QMessageBox.warning(self, "Register", str(error))
                break
        self.refresh()

    def dismiss_selected(self) -> None:
        self._project.register.dismiss(
            [self._text(self.candidates, r, 0) for r in self._rows(self.candidates)]
        )
        self.refresh()

    def remove_selected(self) -> None:
        for row in self._rows(self.entries):
            item = self.entries.item(row, 0)
            if item is not None:
                self._project.register.remove(str(item.data(UUID_ROLE)))
        self.refresh()

    def clear(self) -> None:
        self.entries.setRowCount(0)
        self.candidates.setRowCount(0)
