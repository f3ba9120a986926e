"""The list of transcripts, with each participant's attributes and coding progress, filterable."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from jswcoder.project import Project

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Transcript", "Participant", "Codings")


class TranscriptsPanel(QWidget):
    transcriptActivated = Signal(str)  # transcript uuid

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # any column: name, group, area, mode ...
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter transcripts by name or attribute…")
        self.filter_edit.setAccessibleName("Filter transcripts")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Transcripts")
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._activated)
        self.view.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view)
        self.reload()

    def reload(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        counts = self._project.codings.counts_by_transcript()
        for transcript in self._project.transcripts.all():
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
            who = QStandardItem(details[0] if details else "—")
            who.setToolTip("\n".join(details) or "No participant details")
            # Filtering looks at the whole attribute line, not just the visible first part.
            who.setData(" · ".join(details), Qt.ItemDataRole.UserRole + 2)
            count = QStandardItem()
            count.setData(counts.get(transcript.uuid, 0), Qt.ItemDataRole.DisplayRole)
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.model.appendRow([name, who, count])
        self.view.resizeColumnToContents(0)

    def set_count(self, transcript_uuid: str, count: int) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item(row, 0).data(UUID_ROLE) == transcript_uuid:
                self.model.item(row, 2).setData(count, Qt.ItemDataRole.DisplayRole)
                return

    def select(self, transcript_uuid: str) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(UUID_ROLE) == transcript_uuid:
                self.view.setCurrentIndex(index)
                return

    def _activated(self, index: QModelIndex) -> None:
        uuid = index.siblingAtColumn(0).data(UUID_ROLE)
        if uuid:
            self.transcriptActivated.emit(uuid)
