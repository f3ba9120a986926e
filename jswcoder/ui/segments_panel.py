"""Coded segments: every passage of the selected theme across all transcripts, and who coded it;
activate one to jump to it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QVBoxLayout, QWidget

from jswcoder.project import Project

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_CHARS = 160


class SegmentsPanel(QWidget):
    segmentActivated = Signal(str, int, int)  # transcript uuid, start, end

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._code_uuid: str | None = None
        self.heading = QLabel("Select a theme to see its coded passages.", self)
        self.heading.setWordWrap(True)
        self.model = QStandardItemModel(0, 4, self)
        # Who coded comes next to the words: at a lead, passages from several coders sit together.
        self.model.setHorizontalHeaderLabels(["Passage", "Coded by", "Transcript", "Participant group"])
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Coded passages of the selected theme")
        self.view.setRootIsDecorated(False)
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.activated.connect(self._activated)
        self.view.doubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.view)

    def show_code(self, code_uuid: str | None) -> None:
        self._code_uuid = code_uuid or None
        self.refresh()

    def refresh(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        if self._code_uuid is None:
            self.heading.setText("Select a theme to see its coded passages.")
            return
        code = next((c for c in self._project.codebook.all() if c.uuid == self._code_uuid), None)
        if code is None:
            self.show_code(None)
            return
        transcripts = {t.uuid: t for t in self._project.transcripts.all()}
        codings = self._project.codings.of_code(code.uuid)
        coders = self._project.codings.coder_names(c.coder_uuid for c in codings)
        texts: dict[str, str] = {}
        for coding in codings:
            transcript = transcripts[coding.transcript_uuid]
            if transcript.uuid not in texts:
                texts[transcript.uuid] = self._project.transcripts.text_of(transcript.uuid)
            words = " ".join(texts[transcript.uuid][coding.start : coding.end].split())
            snippet = words if len(words) <= SNIPPET_CHARS else words[: SNIPPET_CHARS - 1] + "…"
            participant = self._project.transcripts.participant(transcript)
            passage = QStandardItem(snippet)
            passage.setData((transcript.uuid, coding.start, coding.end), TARGET_ROLE)
            coder = coders[coding.coder_uuid]
            passage.setToolTip(f"{words[:1000]}\n\nCoded by {coder}")
            group = participant.participant_group if participant and participant.participant_group else "—"
            row = [passage, QStandardItem(coder), QStandardItem(transcript.name), QStandardItem(group)]
            self.model.appendRow(row)
        count = len(codings)
        self.heading.setText(f"{code.path}: {count} passage{'s' if count != 1 else ''}")
        self.view.setColumnWidth(0, 300)
        self.view.resizeColumnToContents(1)

    def clear(self) -> None:
        """Drop every snippet (the idle lock must leave no transcript text on screen)."""
        self._code_uuid = None
        self.refresh()

    def _activated(self, index: QModelIndex) -> None:
        target = index.siblingAtColumn(0).data(TARGET_ROLE)
        if target:
            self.segmentActivated.emit(*target)
