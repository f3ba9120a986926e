"""The memo panel: one memo per target (the project, a transcript, a theme, a coding), saved as you type.

A tired fieldworker must never lose a thought, so the memo is saved shortly after each pause in typing,
and at once when the target changes, when the editor loses focus, and when the window is locked or
closed (:meth:`MemosPanel.flush`). A grey status line says whether the text is saved yet.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from jswcoder.errors import JswError, NotFound
from jswcoder.model import MemoTarget
from jswcoder.project import Project

AUTOSAVE_MS = 800
SNIPPET_CHARS = 40

Target = tuple[MemoTarget, str | None]
PROJECT: Target = ("project", None)


class MemosPanel(QWidget):
    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._project = project
        self._target: Target | None = None  # the target whose memo the editor holds; None after clear()
        self._dirty = False
        self._loading = False
        self._targets: dict[str, str | None] = {"transcript": None, "code": None, "coding": None}

        self.target_combo = QComboBox(self)
        self.target_combo.setAccessibleName("Memo about")
        self.target_combo.setToolTip("What this memo is about")
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("Memo text")
        self.editor.setPlaceholderText("Write a memo here. It is saved as you type.")
        self.editor.installEventFilter(self)
        self.status_label = QLabel("", self)
        self.status_label.setAccessibleName("Memo save status")
        self.status_label.setForegroundRole(
            QPalette.ColorRole.PlaceholderText
        )  # quiet grey; the words carry it
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)

        about = QLabel("Memo about:", self)
        about.setBuddy(self.target_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(about)
        layout.addWidget(self.target_combo)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.status_label)
        self.setTabOrder(self.target_combo, self.editor)

        self.editor.textChanged.connect(self._edited)
        self.target_combo.currentIndexChanged.connect(self._target_chosen)
        self._rebuild_combo()
        self._load(PROJECT)

    # -- public API ----------------------------------------------------------------------------------

    def set_targets(
        self, *, transcript_uuid: str | None, code_uuid: str | None, coding_uuid: str | None
    ) -> None:
        """Offer these targets besides the project; if the current one is gone, show the project memo."""
        self.flush()
        self._targets = {"transcript": transcript_uuid, "code": code_uuid, "coding": coding_uuid}
        self._rebuild_combo()
        wanted = self._target if self._target is not None and self._index_of(self._target) >= 0 else PROJECT
        self._select(wanted)
        if wanted != self._target:
            self._load(wanted)

    def flush(self) -> None:
        """Save the pending text now (before a lock or close, or when the target changes)."""
        self._timer.stop()
        if not self._dirty or self._target is None:
            return
        kind, uuid = self._target
        try:
            self._project.memos.save(kind, uuid, self.editor.toPlainText())
        except JswError as error:
            # Keep the text and the dirty flag: the next edit, switch or flush tries again.
            self._show_status(f"Not saved: {error}")
            return
        self._dirty = False
        self._show_status("Saved")

    def clear(self) -> None:
        """Save, then drop every memo and snippet from the widgets (the idle lock shows nothing)."""
        self.flush()
        self._targets = {"transcript": None, "code": None, "coding": None}
        self._target = None
        self._loading = True
        try:
            self.editor.clear()
            self._rebuild_combo()
        finally:
            self._loading = False
        self.editor.setEnabled(False)
        self._show_status("")

    # -- behaviour -----------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)

    def _edited(self) -> None:
        if self._loading or self._target is None:
            return
        self._dirty = True
        self._show_status("Saving…")
        self._timer.start()

    def _target_chosen(self, index: int) -> None:
        if self._loading or index < 0:
            return
        target: Target = self.target_combo.itemData(index)
        if target != self._target:
            self.flush()
            self._load(target)

    def _load(self, target: Target) -> None:
        """Show a target's memo in the editor (the caller has saved the previous one)."""
        memo = self._project.memos.for_target(*target)
        self._target = target
        self._loading = True
        try:
            self.editor.setPlainText(memo.text if memo else "")
        finally:
            self._loading = False
        self._dirty = False
        self.editor.setEnabled(True)
        self._show_status("Saved" if memo else "No memo yet")

    def _show_status(self, text: str) -> None:
        self.status_label.setText(text)

    # -- the combo -----------------------------------------------------------------------------------

    def _rebuild_combo(self) -> None:
        was_loading, self._loading = self._loading, True
        try:
            self.target_combo.clear()
            self.target_combo.addItem("Project", PROJECT)
            for kind in ("transcript", "code", "coding"):
                uuid = self._targets[kind]
                label = self._label(kind, uuid) if uuid else None
                if uuid and label:
                    self.target_combo.addItem(label, (kind, uuid))
        finally:
            self._loading = was_loading

    def _label(self, kind: str, uuid: str) -> str | None:
        """The combo text for a target, or None if it no longer exists (deleted elsewhere)."""
        try:
            if kind == "transcript":
                return f"Transcript: {self._project.transcripts.get(uuid).name}"
            if kind == "code":
                return f"Theme: {self._project.codebook.get(uuid).path}"
            coding = self._project.codings.get(uuid)
        except NotFound:
            return None
        text = self._project.transcripts.text_of(coding.transcript_uuid)[coding.start : coding.end]
        words = " ".join(text.split())
        snippet = words if len(words) <= SNIPPET_CHARS else words[: SNIPPET_CHARS - 1] + "…"
        return f"Coding: “{snippet}”"

    def _index_of(self, target: Target) -> int:
        for index in range(self.target_combo.count()):
            if self.target_combo.itemData(index) == target:
                return index
        return -1

    def _select(self, target: Target) -> None:
        was_loading, self._loading = self._loading, True
        try:
            self.target_combo.setCurrentIndex(max(0, self._index_of(target)))
        finally:
            self._loading = was_loading
