"""Choosing the matrix's columns by hand: a checkable list of every theme, in tree order."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from jswcoder.model import Code
from jswcoder.ui.matrix_model import EMERGENT_MARK

PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class ThemesDialog(QDialog):
    def __init__(self, codes: Sequence[Code], chosen: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Matrix columns")
        self.resize(420, 520)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Themes to show as columns")
        wanted = {path.casefold() for path in chosen}
        for code in codes:
            depth = code.path.count("/")
            mark = f" {EMERGENT_MARK}" if code.origin == "emergent" else ""
            item = QListWidgetItem("    " * depth + code.name + mark, self.list)
            item.setData(PATH_ROLE, code.path)
            item.setToolTip(code.path)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = code.path.casefold() in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Reset,
            self,
        )
        reset = buttons.button(QDialogButtonBox.StandardButton.Reset)
        reset.setText("Clear: use a level")
        reset.clicked.connect(self._clear)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        note = QLabel("Tick the themes to show as columns, in this order. Space ticks the current one.", self)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def chosen(self) -> list[str]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [str(i.data(PATH_ROLE)) for i in items if i.checkState() == Qt.CheckState.Checked]

    def _clear(self) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(Qt.CheckState.Unchecked)

    @classmethod
    def choose(cls, codes: Sequence[Code], chosen: Sequence[str], parent: QWidget) -> list[str] | None:
        """The theme paths ticked (empty: back to a level), or None when cancelled. Tests replace this."""
        dialog = cls(codes, chosen, parent)
        try:
            return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()
