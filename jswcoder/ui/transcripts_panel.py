"""The list of transcripts, with each participant's attributes and coding progress, filterable.

A transcript is renamed in place (F2, type, Enter) and deleted with Del, after a confirmation that
says how many codings and memos go with it; both are steps on the window's undo stack (see
:mod:`jswcoder.ui.transcript_commands`), so Ctrl+Z brings a deleted transcript back until the project
is locked or closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.ui.transcript_commands import DeleteTranscript, RenameTranscript

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4
COLUMNS = ("Transcript", "Participant", "Coded")
PARTICIPANT_WIDTH = 90  # the participant column's share of a narrow panel; its tooltip has it all
_Index = QModelIndex | QPersistentModelIndex


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


class _Model(QStandardItemModel):
    """The rows; a name typed in place asks for a rename (the row changes when the rename is done)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.rename_requested: Callable[[str, str], bool] | None = None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return super().setData(index, value, role)
        uuid = index.data(UUID_ROLE)
        if not uuid or self.rename_requested is None or str(value).strip() == index.data():
            return False
        return self.rename_requested(str(uuid), str(value))


class TranscriptsPanel(QWidget):
    transcriptActivated = Signal(str)  # transcript uuid
    transcriptsChanged = Signal()  # renamed, deleted or brought back: views that show transcripts follow

    def __init__(
        self,
        project: Project,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        may_change: Callable[[], bool] = lambda: True,
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._undo_stack = undo_stack
        self._may_change = may_change
        self.model = _Model(self)
        self.model.rename_requested = self.rename
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # any column: name, group, area, mode ...
        self.proxy.setSortRole(SORT_ROLE)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter transcripts by name or attribute…")
        self.filter_edit.setAccessibleName("Filter transcripts")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Transcripts")
        self.view.setAccessibleDescription("F2 renames the transcript; Delete deletes it")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        # All three columns fit the panel: the name takes what is left, the progress what it needs.
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSection(1, PARTICIPANT_WIDTH)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.actions_by_name: dict[str, QAction] = {}
        for key, label, shortcut, slot in (
            ("rename", "&Rename", QKeySequence("F2"), self.start_rename),
            ("delete", "&Delete…", QKeySequence(QKeySequence.StandardKey.Delete), self.delete_current),
        ):
            action = QAction(label, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
            self.actions_by_name[key] = action
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)
        self.reload()

    # -- dialogs (tests replace these) ---------------------------------------------------------------

    @classmethod
    def confirm(cls, parent: QWidget, title: str, text: str) -> bool:
        no, yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
        return QMessageBox.question(parent, title, text, yes | no, no) == yes  # Enter keeps it

    @classmethod
    def tell(cls, parent: QWidget, text: str) -> None:
        QMessageBox.warning(parent, "jswcoder", text)

    # -- the list ------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        transcripts = self._project.transcripts.all()
        counts = self._project.codings.counts_by_transcript()
        coverage = self._project.codings.coverage_by_transcript(transcripts)
        for transcript in transcripts:
            participant = self._project.transcripts.participant(transcript)
            details = []
            if participant is not None:
                details = [
                    value
                    for value in (
                        participant.attribution,
                        participant.format,
                        participant.mode,
                        participant.council_area,
                        *participant.attributes.values(),
                    )
                    if value
                ]
            name = QStandardItem(transcript.name)
            name.setData(transcript.uuid, UUID_ROLE)
            name.setToolTip(f"{transcript.source_name}, {transcript.length:,} characters")
            # A lead's merged transcripts are named by their attribution: it is not said twice.
            shown = [d for d in details if d.casefold() not in transcript.name.casefold()]
            who = QStandardItem(shown[0] if shown else "—")
            who.setToolTip("\n".join(details) or "No participant details: set them in View › Cases…")
            who.setEditable(False)
            # Filtering looks at the whole attribute line, not just the visible first part.
            who.setData(" · ".join(details), Qt.ItemDataRole.UserRole + 2)
            name.setData(transcript.name.lower(), SORT_ROLE)
            who.setData(" · ".join(details).lower(), SORT_ROLE)
            count = QStandardItem()
            count.setEditable(False)
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._show_progress(count, counts.get(transcript.uuid, 0), coverage.get(transcript.uuid, 0.0))
            self.model.appendRow([name, who, count])

    def first(self) -> str | None:
        """The UUID of the first transcript by name (as listed, whatever the view's sort), if any."""
        item = self.model.item(0, 0)
        return None if item is None else str(item.data(UUID_ROLE))

    def set_progress(self, transcript_uuid: str, count: int, coverage: float) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(UUID_ROLE) == transcript_uuid:
                self._show_progress(self.model.item(row, 2), count, coverage)
                return

    @staticmethod
    def _show_progress(item: QStandardItem, count: int, coverage: float) -> None:
        """Coding progress: the share of the text coded, with the number of codings beside it."""
        item.setText(f"{coverage:.0%} · {count}" if count else "—")
        item.setToolTip(f"{count} codings cover {coverage:.0%} of the text")
        item.setData(coverage, SORT_ROLE)
        item.setData(count, COUNT_ROLE)

    def select(self, transcript_uuid: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(UUID_ROLE) == transcript_uuid:
                self.view.setCurrentIndex(index)
                return

    def current_uuid(self) -> str | None:
        uuid = self.view.currentIndex().siblingAtColumn(0).data(UUID_ROLE)
        return str(uuid) if uuid else None

    # -- rename and delete ---------------------------------------------------------------------------

    def start_rename(self) -> None:
        index = self.view.currentIndex()
        if index.isValid() and self._may_change():
            self.view.edit(index.siblingAtColumn(0))

    def rename(self, uuid: str, name: str) -> bool:
        """Rename a transcript as one undo step; False (and the reason shown) when refused."""
        if not self._may_change():
            return False
        try:
            command = RenameTranscript(self._project, self.transcriptsChanged.emit, self._refused, uuid, name)
            command.perform()
        except JswError as error:
            self.tell(self, str(error))
            return False
        self._undo_stack.push(command)
        return True

    def delete_current(self) -> None:
        """Delete the chosen transcript, once the confirmation (with what goes with it) is accepted."""
        uuid = self.current_uuid()
        if uuid is None or not self._may_change():
            return
        transcript = self._project.transcripts.get(uuid)
        codings, memos = self._project.transcripts.removal_counts(uuid)
        text = (
            f"Delete “{transcript.name}”?\n\n"
            f"Its {_plural(codings, 'coding')} and {_plural(memos, 'memo')} go with it. "
            "Edit › Undo (Ctrl+Z) brings it all back until the project is locked or closed."
        )
        if not self.confirm(self, "Delete transcript", text):
            return
        try:
            command = DeleteTranscript(self._project, self.transcriptsChanged.emit, self._refused, uuid)
            command.perform()
        except JswError as error:
            self.tell(self, str(error))
            return
        self._undo_stack.push(command)

    def _refused(self, reason: str) -> None:
        """An undo or redo the project refuses now: the history before it no longer fits, so it goes."""
        QTimer.singleShot(0, self._undo_stack.clear)
        self.tell(self, f"{reason}. The undo history was cleared.")

    # -- events --------------------------------------------------------------------------------------

    def _context_menu(self, position: QPoint) -> None:
        if not self.view.indexAt(position).isValid():
            return
        menu = QMenu(self)
        for action in self.actions_by_name.values():
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(position))

    def _activated(self, index: QModelIndex) -> None:
        uuid = index.siblingAtColumn(0).data(UUID_ROLE)
        if uuid:
            self.transcriptActivated.emit(uuid)
