"""The front door: recent projects, "New project…", "Join a team…" and "Open…".

It only asks; the controller opens or creates. A project is a folder, so the list shows the folder's
name with its full path beneath, which is what a fieldworker recognises and what they copy to a USB
stick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QPainter, QPalette, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from jswcoder.ui.settings import Settings

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
EXPLANATION = (
    "Each project is an encrypted folder on this computer. Open one you have worked on, or start a new one."
)
NO_RECENT = "No projects opened yet on this computer."


class _RecentDelegate(QStyledItemDelegate):
    """Two lines per project: the folder name, and its full path smaller and grey beneath."""

    _PAD = 6

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        style_option = QStyleOptionViewItem(option)
        self.initStyleOption(style_option, index)
        style_option.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, style_option, painter, widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = option.palette
        rect = option.rect.adjusted(self._PAD * 2, self._PAD, -self._PAD, -self._PAD)
        name_font = QFont(option.font)
        name_font.setBold(True)
        path_font = self._path_font(option.font)
        name_height = QFontMetrics(name_font).height()
        painter.save()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(palette.color(role))
        painter.setFont(name_font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(index.data()))
        if not selected:
            painter.setPen(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        painter.setFont(path_font)
        path_rect = rect.adjusted(0, name_height + 2, 0, 0)
        path = QFontMetrics(path_font).elidedText(
            str(index.data(PATH_ROLE)), Qt.TextElideMode.ElideMiddle, path_rect.width()
        )
        painter.drawText(path_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, path)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        font: QFont = option.font
        height = QFontMetrics(font).height() + QFontMetrics(self._path_font(font)).height()
        return QSize(200, height + 2 + self._PAD * 2)

    @staticmethod
    def _path_font(base: QFont) -> QFont:
        font = QFont(base)
        font.setPointSizeF(max(7.0, base.pointSizeF() * 0.85))
        return font


class StartScreen(QWidget):
    openRequested = Signal(str)  # a project folder
    newRequested = Signal()
    importRequested = Signal()  # a new project from a REFI-QDA .qdpx
    joinRequested = Signal()  # a new project made by joining a team, from its team file

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setAccessibleName("jswcoder start screen")
        title = QLabel("jswcoder", self)
        title_font = title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title.setFont(title_font)
        explanation = QLabel(EXPLANATION, self)
        explanation.setWordWrap(True)
        heading = QLabel("&Recent projects", self)
        self.recent = QListWidget(self)
        self.recent.setAccessibleName("Recent projects")
        self.recent.setItemDelegate(_RecentDelegate(self.recent))
        self.recent.setUniformItemSizes(True)
        heading.setBuddy(self.recent)
        self.empty_note = QLabel(NO_RECENT, self)
        self.empty_note.setEnabled(False)
        self.new_button = QPushButton("&New project…", self)
        self.new_button.setAccessibleName("New project")
        self.new_button.setToolTip("Create an encrypted project (Ctrl+N)")
        self.join_button = QPushButton("&Join a team…", self)
        self.join_button.setAccessibleName("Join a team")
        self.join_button.setToolTip("A new project with the team's codebook, from the lead's team file")
        self.open_button = QPushButton("&Open…", self)
        self.open_button.setAccessibleName("Open a project folder")
        self.open_button.setToolTip("Open a project folder (Ctrl+O)")
        self.import_button = QPushButton("&Import from NVivo, ATLAS.ti, MAXQDA (.qdpx)…", self)
        self.import_button.setAccessibleName("Import a REFI-QDA project")
        self.import_button.setToolTip("A new project from an NVivo, ATLAS.ti, MAXQDA, ... export (.qdpx)")

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.join_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(explanation)
        layout.addSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.recent, 1)
        layout.addWidget(self.empty_note)
        layout.addLayout(buttons)

        self.new_button.clicked.connect(self.newRequested.emit)
        self.join_button.clicked.connect(self.joinRequested.emit)
        self.open_button.clicked.connect(self.choose_and_open)
        self.import_button.clicked.connect(self.importRequested.emit)
        self.recent.itemActivated.connect(self._activated)
        QShortcut(QKeySequence.StandardKey.New, self, self.newRequested.emit)
        QShortcut(QKeySequence.StandardKey.Open, self, self.choose_and_open)
        self.resize(620, 460)
        self.refresh()

    def refresh(self) -> None:
        """Reload the recent list (the controller calls this when the screen is shown again)."""
        self.recent.clear()
        for folder in self.settings.recent_projects():
            item = QListWidgetItem(folder.name)
            item.setData(PATH_ROLE, str(folder))
            item.setToolTip(str(folder))
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, str(folder))
            self.recent.addItem(item)
        has_recent = self.recent.count() > 0
        self.recent.setVisible(has_recent)
        self.empty_note.setVisible(not has_recent)
        if has_recent:
            self.recent.setCurrentRow(0)
            self.recent.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)

    def _activated(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(str(item.data(PATH_ROLE)))

    def choose_and_open(self) -> None:
        folder = self.choose_folder(self)
        if folder:
            self.openRequested.emit(folder)

    @classmethod
    def choose_folder(cls, parent: QWidget | None) -> str | None:
        """The project folder the user picked, or None when cancelled. Tests replace this."""
        folder = QFileDialog.getExistingDirectory(parent, "Open a jswcoder project folder", str(Path.home()))
        return folder or None
