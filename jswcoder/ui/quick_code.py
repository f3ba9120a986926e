"""The quick-code palette: type a few letters of a theme, press Enter, and the selection is coded."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from jswcoder.model import Code

UUID_ROLE = Qt.ItemDataRole.UserRole + 1


def matches(query: str, path: str) -> bool:
    """Every word of the query starts a word of the path, in any order ("fund train" finds "Funding…/Training")."""
    words = path.lower().replace("/", " ").split()
    return all(any(word.startswith(part) for word in words) for part in query.lower().split())


class QuickCodePalette(QDialog):
    """A small box over the window: a line to type into and the themes that match it.

    Enter in the line (or on a theme in the list) takes the highlighted theme. With *recoding* (the
    name of the coding's theme now) the box gives a coding another theme, and its title says so.
    """

    def __init__(
        self, codes: Sequence[Code], parent: QWidget | None = None, *, recoding: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Recode “{recoding}” as…" if recoding else "Code the selection as…")
        self.setModal(True)
        self.resize(520, 420)
        self._codes = list(codes)
        self._verb = "recode" if recoding else "code"
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Type part of a theme's name, then Enter")
        self.query.setAccessibleName("Theme to apply")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Matching themes")
        self.hint = QLabel(self)
        self.hint.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.query.textChanged.connect(self._filter)
        self.query.installEventFilter(self)
        # A line edit passes Enter on to the dialog, which has no default button to press: take it here.
        self.query.returnPressed.connect(self._take_current)
        self.list.itemActivated.connect(lambda _item: self._take_current())
        self._filter("")

    def _take_current(self) -> None:
        if self.list.currentItem() is not None:
            self.accept()

    def _filter(self, text: str) -> None:
        self.list.clear()
        for code in self._codes:
            if matches(text, code.path):
                item = QListWidgetItem(code.path.replace("/", "  ›  "))
                item.setData(UUID_ROLE, code.uuid)
                self.list.addItem(item)
        self.list.setCurrentRow(0)
        if self.list.count():
            self.hint.setText(f"↑ ↓ to choose · Enter to {self._verb} · Esc to cancel")
        else:
            self.hint.setText("No theme matches these letters. Esc to cancel.")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Arrow keys in the query line move through the list, so the hands stay on the keyboard.
        arrow = (Qt.Key.Key_Down, Qt.Key.Key_Up)
        if watched is self.query and isinstance(event, QKeyEvent) and event.key() in arrow:
            if event.type() == QEvent.Type.KeyPress:
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                self.list.setCurrentRow(max(0, min(self.list.count() - 1, self.list.currentRow() + step)))
            return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(UUID_ROLE))

    @classmethod
    def choose(
        cls, codes: Sequence[Code], parent: QWidget | None = None, *, recoding: str | None = None
    ) -> str | None:
        """The chosen theme's UUID, or None when cancelled."""
        palette = cls(codes, parent, recoding=recoding)
        try:
            return palette.chosen() if palette.exec() == QDialog.DialogCode.Accepted else None
        finally:
            palette.deleteLater()  # each box is made afresh; none lingers with the theme names
