"""Coded segments: every passage of the selected theme across all transcripts, and who coded it;
activate one to jump to it, or hear it (the Hear button, or Space) where its transcript has audio, or
find passages like it (its context menu, or Ctrl+Shift+F)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QStyle,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.project import Project

TARGET_ROLE = Qt.ItemDataRole.UserRole + 1
AUDIO_ROLE = Qt.ItemDataRole.UserRole + 2  # its transcript plays from a recording
SNIPPET_CHARS = 160


class SegmentsPanel(QWidget):
    segmentActivated = Signal(str, int, int)  # transcript uuid, start, end
    hearRequested = Signal(str, int, int)  # the same, to be heard
    likeThisRequested = Signal(str, int, int)  # the same: find passages like it

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
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.hear_button = QToolButton(self)
        self.hear_button.setText("Hear")
        self.hear_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.hear_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.hear_button.setAccessibleName("Hear the passage")
        self.hear_button.setToolTip("Hear the chosen passage (Space), where its transcript has a recording")
        self.hear_button.setEnabled(False)
        self.hear_button.clicked.connect(self.hear_current)
        hear_key = QShortcut(
            QKeySequence(Qt.Key.Key_Space), self.view, context=Qt.ShortcutContext.WidgetShortcut
        )
        hear_key.activated.connect(self.hear_current)
        self.view.selectionModel().currentChanged.connect(lambda _now, _before: self._update_hear())
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.hear_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
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
        audio = {
            uuid
            for uuid in {c.transcript_uuid for c in codings}
            if self._project.transcription.recordings_of(uuid)
        }
        volume = self.style().standardIcon(QStyle.StandardPixmap.SP_MediaVolume)
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
            if transcript.uuid in audio:
                passage.setData(True, AUDIO_ROLE)
                passage.setIcon(volume)
            coder = coders[coding.coder_uuid]
            passage.setToolTip(f"{words[:1000]}\n\nCoded by {coder}")
            group = participant.participant_group if participant and participant.participant_group else "—"
            row = [passage, QStandardItem(coder), QStandardItem(transcript.name), QStandardItem(group)]
            self.model.appendRow(row)
        count = len(codings)
        self.heading.setText(f"{code.path}: {count} passage{'s' if count != 1 else ''}")
        self.view.setColumnWidth(0, 300)
        self.view.resizeColumnToContents(1)
        self._update_hear()

    def hear_current(self) -> None:
        index = self.view.currentIndex().siblingAtColumn(0)
        if index.data(AUDIO_ROLE):
            self.hearRequested.emit(*index.data(TARGET_ROLE))

    def _update_hear(self) -> None:
        self.hear_button.setEnabled(bool(self.view.currentIndex().siblingAtColumn(0).data(AUDIO_ROLE)))

    def clear(self) -> None:
        """Drop every snippet (the idle lock must leave no transcript text on screen)."""
        self._code_uuid = None
        self.refresh()

    def chosen(self) -> tuple[str, int, int] | None:
        """The chosen passage: (transcript UUID, start, end), or None."""
        target = self.view.currentIndex().siblingAtColumn(0).data(TARGET_ROLE)
        return (str(target[0]), int(target[1]), int(target[2])) if target else None

    def _context_menu(self, point: QPoint) -> None:
        target = self.view.indexAt(point).siblingAtColumn(0).data(TARGET_ROLE)
        if not target:
            return
        menu = QMenu(self)
        menu.addAction("&Open it in the text", lambda: self.segmentActivated.emit(*target))
        menu.addAction("Find passages &like this\tCtrl+Shift+F", lambda: self.likeThisRequested.emit(*target))
        menu.exec(self.view.viewport().mapToGlobal(point))
        menu.deleteLater()

    def _activated(self, index: QModelIndex) -> None:
        target = index.siblingAtColumn(0).data(TARGET_ROLE)
        if target:
            self.segmentActivated.emit(*target)
