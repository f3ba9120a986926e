"""The list of transcripts, with each participant's attributes and coding progress, filterable."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from jswcoder.project import Project

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 3
COUNT_ROLE = Qt.ItemDataRole.UserRole + 4
COLUMNS = ("Transcript", "Participant", "Coded")


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
        self.proxy.setSortRole(SORT_ROLE)
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
            who = QStandardItem(details[0] if details else "—")
            who.setToolTip("\n".join(details) or "No participant details")
            # Filtering looks at the whole attribute line, not just the visible first part.
            who.setData(" · ".join(details), Qt.ItemDataRole.UserRole + 2)
            name.setData(transcript.name.lower(), SORT_ROLE)
            who.setData(" · ".join(details).lower(), SORT_ROLE)
            count = QStandardItem()
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self._show_progress(count, counts.get(transcript.uuid, 0), coverage.get(transcript.uuid, 0.0))
            self.model.appendRow([name, who, count])
        self.view.resizeColumnToContents(0)

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

    def _activated(self, index: QModelIndex) -> None:
        uuid = index.siblingAtColumn(0).data(UUID_ROLE)
        if uuid:
            self.transcriptActivated.emit(uuid)
