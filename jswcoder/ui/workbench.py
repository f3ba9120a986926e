"""The coding workbench for one open project: transcripts, the text, the theme tree, passages, search.

It owns the coding actions (select text, then click a theme, drop on it, press a pinned digit, or use
the quick-code palette) and keeps the views in step with each change incrementally. The window shell
(:mod:`jswcoder.ui.main_window`) creates one per unlocked project and destroys it on lock.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QLabel, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from jswcoder.errors import JswError
from jswcoder.model import Coding, Transcript
from jswcoder.project import Project
from jswcoder.services.codings import covered_length
from jswcoder.services.search import SearchHit
from jswcoder.ui.coding_commands import AddCodings, ChangeCoding, RemoveCoding, _Command
from jswcoder.ui.memos_panel import MemosPanel
from jswcoder.ui.preview_dialog import PreviewDialog
from jswcoder.ui.quick_code import QuickCodePalette
from jswcoder.ui.register_dialog import AddToRegisterDialog
from jswcoder.ui.register_window import RegisterWindow
from jswcoder.ui.search_panel import SearchPanel
from jswcoder.ui.segments_panel import SegmentsPanel
from jswcoder.ui.theme_model import UUID_ROLE as THEME_UUID_ROLE
from jswcoder.ui.theme_panel import ThemePanel
from jswcoder.ui.transcript_view import Highlight, TranscriptView
from jswcoder.ui.transcripts_panel import TranscriptsPanel

EMERGENT_PARENT = "Emergent themes"
_IN_VIVO_WORDS = 6


def in_vivo_name(text: str) -> str:
    """A theme name from the participant's own words: the first few words, without edge punctuation."""
    words = re.sub(r"\s+", " ", text).strip().split(" ")[:_IN_VIVO_WORDS]
    name = " ".join(words).strip(" \"'“”‘’.,;:!?…-–—()[]").replace("/", "-")
    return name[:60] or "In-vivo theme"


class Workbench(QWidget):
    status = Signal(str)  # a short message for the status bar

    def __init__(self, project: Project, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.current: Transcript | None = None
        self._looks: dict[str, tuple[str, str]] = {}  # code uuid -> (name, colour)
        self._ranges: dict[str, tuple[int, int]] = {}  # coding uuid -> range, in the open transcript
        # Counts and progress follow a coding change once the highlight is painted, coalesced, so a
        # burst of keypresses costs one refresh and the keypress itself only commits and paints.
        self._stale_transcripts: set[str] = set()
        self._stale_codes: set[str] = set()
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(50)
        self._counts_timer.timeout.connect(self._refresh_counts)

        self.transcripts = TranscriptsPanel(project, self)
        self.view = TranscriptView(self)
        self.heading = QLabel("Choose a transcript on the left.", self)
        self.heading.setAccessibleName("Current transcript")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.themes = ThemePanel(project, undo_stack, self)
        self.segments = SegmentsPanel(project, self)
        self.search = SearchPanel(project, self)
        self.memos = MemosPanel(project, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.segments, "Coded passages")
        self.tabs.addTab(self.search, "Search")
        self.tabs.addTab(self.memos, "Memos")

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 0, 6, 0)
        centre_layout.addWidget(self.heading)
        centre_layout.addWidget(self.view, 1)
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.themes)
        right.addWidget(self.tabs)
        right.setSizes([420, 300])
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.transcripts)
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 760, 380])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.transcripts.transcriptActivated.connect(self.open_transcript)
        self.themes.themeActivated.connect(self._theme_activated)
        self.themes.view.clicked.connect(self._theme_clicked)
        self.themes.selectionDropped.connect(self.code_selection)
        self.themes.currentThemeChanged.connect(self.segments.show_code)
        self.themes.currentThemeChanged.connect(lambda _uuid: self._update_memo_targets())
        self.view.selectionChanged.connect(self._update_memo_targets)
        self.themes.codebookChanged.connect(self._codebook_changed)
        self.segments.segmentActivated.connect(self.open_transcript)
        self.search.hitActivated.connect(self.open_transcript)
        self.search.codeHitsRequested.connect(self.code_hits)
        self.view.highlightActivated.connect(self._highlight_activated)
        self.themes.status.connect(self.status.emit)
        self._install_shortcuts()
        self._refresh_looks()
        first = self.transcripts.first()  # the panel has listed them already
        if first is not None:
            self.open_transcript(first)

    # -- keyboard ----------------------------------------------------------------------------------

    def _install_shortcuts(self) -> None:
        text = self.view.text_edit
        for digit in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(digit)), text, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda d=digit: self.code_with_pin(d))
        remove = QShortcut(QKeySequence.StandardKey.Delete, text, context=Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(self.remove_coding_at_cursor)

    # -- opening -----------------------------------------------------------------------------------

    def open_transcript(self, transcript_uuid: str, start: int = -1, end: int = -1) -> None:
        if self.current is None or self.current.uuid != transcript_uuid:
            self.current = self.project.transcripts.get(transcript_uuid)
            text = self.project.transcripts.text_of(transcript_uuid)
            turns = self.project.transcripts.turns(transcript_uuid)
            codings = self.project.codings.of_transcript(transcript_uuid)
            self._ranges = {c.uuid: (c.start, c.end) for c in codings}
            self.view.set_document(text, turns, [self._highlight(c) for c in codings])
            participant = self.project.transcripts.participant(self.current)
            label = (
                participant.attribution
                if participant and participant.attribution
                else "no participant details"
            )
            self.heading.setText(f"<b>{self.current.name}</b> &nbsp;·&nbsp; {label}")
            self.transcripts.select(transcript_uuid)
            self._update_memo_targets()
        if start >= 0 and end > start:
            self.view.select_range(start, end)
        self.view.text_edit.setFocus()

    # -- coding ------------------------------------------------------------------------------------

    def code_selection(self, code_uuid: str) -> bool:
        """Code the selected passage with a theme; False (and a status message) when nothing is selected."""
        selected = self.view.selected_range()
        if self.current is None or selected is None:
            self.status.emit("Select a passage in the transcript first.")
            return False
        start, end = selected
        name = self._looks.get(code_uuid, ("theme", ""))[0]
        command = AddCodings(
            self.project, self, [(self.current.uuid, start, end)], code_uuid, f"Code as “{name}”"
        )
        if self._run(command):
            message = (
                f"Coded {end - start:,} characters as “{name}”." if command.created else "Already coded so."
            )
            self.status.emit(message + " Ctrl+Z undoes it.")
        return True

    def code_with_pin(self, digit: int) -> None:
        code_uuid = self.project.pins.all().get(digit)
        if code_uuid is None:
            self.status.emit(f"No theme is pinned to {digit}.")
            return
        self.code_selection(code_uuid)

    def quick_code(self) -> None:
        if self.view.selected_range() is None:
            self.status.emit("Select a passage in the transcript first.")
            return
        code_uuid = QuickCodePalette.choose(self.project.codebook.all(), self)
        if code_uuid is not None:
            self.code_selection(code_uuid)
        self.view.text_edit.setFocus()

    def code_with_current_theme(self) -> None:
        code_uuid = self.themes.current_code_uuid()
        if code_uuid is None:
            self.status.emit("Choose a theme in the tree first.")
            return
        self.code_selection(code_uuid)

    def in_vivo(self) -> None:
        """A new emergent theme named from the selected words, applied to them (one undo step)."""
        selected = self.view.selected_range()
        if self.current is None or selected is None:
            self.status.emit("Select the words to name the new theme after.")
            return
        words = self.project.transcripts.text_of(self.current.uuid)[selected[0] : selected[1]]
        parents = {c.path for c in self.project.codebook.all()}
        base = f"{EMERGENT_PARENT}/" if EMERGENT_PARENT in parents else ""
        name, suffix = in_vivo_name(words), 2
        while f"{base}{name}" in parents:
            name, suffix = f"{in_vivo_name(words)} ({suffix})", suffix + 1
        self.undo_stack.beginMacro(f"In-vivo theme “{name}”")
        try:
            code = self.themes.add_theme(f"{base}{name}", origin="emergent")
            self._refresh_looks()
            self.code_selection(code.uuid)
        finally:
            self.undo_stack.endMacro()

    def add_selection_to_register(self) -> None:
        """Register the selected words as identifying, with a descriptor, for anonymised exports."""
        selected = self.view.selected_range()
        if self.current is None or selected is None:
            self.status.emit("Select the identifying words first.")
            return
        words = self.project.transcripts.text_of(self.current.uuid)[selected[0] : selected[1]]
        known = sorted({e.replacement for e in self.project.register.entries()})
        answer = AddToRegisterDialog.ask(" ".join(words.split()), known, self)
        if answer is None:
            return
        text, replacement, category = answer
        try:
            entry = self.project.register.add(text, replacement, category)
        except JswError as error:
            QMessageBox.warning(self, "jswcoder", str(error))
            return
        self.status.emit(f"Added to the register: replaced by {entry.replacement} in anonymised exports.")

    def show_register(self) -> None:
        window = RegisterWindow(self.project, self)
        window.exec()
        window.clear()
        window.deleteLater()

    def show_preview(self) -> None:
        """The open transcript as it would leave this computer, beside the original."""
        if self.current is None:
            self.status.emit("Open a transcript first.")
            return
        PreviewDialog.show_preview(
            self.current.name, self.project.anonymiser.preview(self.current.uuid), self
        )

    def code_hits(self, hits: list[SearchHit], code_uuid: str) -> None:
        passages = [(hit.transcript_uuid, hit.start, hit.end) for hit in hits]
        name = self._looks.get(code_uuid, ("theme", ""))[0]
        command = AddCodings(
            self.project, self, passages, code_uuid, f"Code {len(passages)} search hits as “{name}”"
        )
        if self._run(command):
            self.status.emit(f"Coded {len(command.created)} search hits as “{name}”. Ctrl+Z undoes it.")

    def _update_memo_targets(self) -> None:
        """Memos can be about the open transcript, the chosen theme and the coding under the cursor."""
        at_cursor = self._coding_at_cursor() if self.current is not None else None
        self.memos.set_targets(
            transcript_uuid=self.current.uuid if self.current else None,
            code_uuid=self.themes.current_code_uuid(),
            coding_uuid=at_cursor.coding_uuid if at_cursor else None,
        )

    def _coding_at_cursor(self) -> Highlight | None:
        """The innermost coding at the cursor (or at the start of the selection)."""
        selected = self.view.selected_range()
        found = self.view.highlights_at(selected[0] if selected else self.view.cursor_offset())
        return min(found, key=lambda h: h.end - h.start) if found else None

    def remove_coding_at_cursor(self) -> None:
        target = self._coding_at_cursor()
        if target is None:
            self.status.emit("There is no coding here to remove.")
            return
        if self._run(RemoveCoding(self.project, self, target.coding_uuid)):
            self.status.emit(f"Removed the coding “{target.code_name}”. Ctrl+Z brings it back.")

    def change_theme_at_cursor(self) -> None:
        """Give the coding under the cursor another theme, chosen in the quick-code palette."""
        target = self._coding_at_cursor()
        if target is None:
            self.status.emit("Put the cursor in a coded passage first.")
            return
        code_uuid = QuickCodePalette.choose(self.project.codebook.all(), self)
        if code_uuid is not None and code_uuid != target.code_uuid:
            name = self._looks.get(code_uuid, ("theme", ""))[0]
            command = ChangeCoding(
                self.project, self, target.coding_uuid, code_uuid=code_uuid, text=f"Recode as “{name}”"
            )
            if self._run(command):
                self.status.emit(f"The passage is now coded “{name}”. Ctrl+Z undoes it.")

    def fit_coding_to_selection(self) -> None:
        """Move the boundaries of the coding that overlaps the selection most to the selection."""
        selected = self.view.selected_range()
        if self.current is None or selected is None:
            self.status.emit("Select the passage the coding should cover, overlapping it.")
            return
        start, end = selected
        codings = self.project.codings.of_transcript(self.current.uuid)
        overlapping = [self._highlight(c) for c in codings if c.start < end and c.end > start]
        if not overlapping:
            self.status.emit("The selection overlaps no coding.")
            return
        target = max(overlapping, key=lambda h: min(h.end, end) - max(h.start, start))
        command = ChangeCoding(
            self.project, self, target.coding_uuid, start=start, end=end, text="Adjust coding"
        )
        if self._run(command):
            self.status.emit(f"“{target.code_name}” now covers the selection. Ctrl+Z undoes it.")

    def change_coding(self, coding_uuid: str, **change: object) -> None:
        self._run(ChangeCoding(self.project, self, coding_uuid, **change))  # type: ignore[arg-type]

    def _run(self, command: _Command) -> bool:
        try:
            command.perform()
        except JswError as error:
            QMessageBox.warning(self, "jswcoder", str(error))
            return False
        self.undo_stack.push(command)
        return True

    # -- what the commands report (coding_commands.Workbench) --------------------------------------

    def coding_added(self, coding: Coding) -> None:
        if self.current is not None and coding.transcript_uuid == self.current.uuid:
            self._ranges[coding.uuid] = (coding.start, coding.end)
            self.view.add_highlight(self._highlight(coding))
        self._counts_changed(coding)

    def coding_removed(self, coding: Coding) -> None:
        if self.current is not None and coding.transcript_uuid == self.current.uuid:
            self._ranges.pop(coding.uuid, None)
            self.view.remove_highlight(coding.uuid)
        self._counts_changed(coding)

    def coding_changed(self, before: Coding, after: Coding) -> None:
        self.coding_removed(before)
        self.coding_added(after)

    def _counts_changed(self, coding: Coding) -> None:
        self._stale_transcripts.add(coding.transcript_uuid)
        self._stale_codes.add(coding.code_uuid)
        self._counts_timer.start()

    def _refresh_counts(self) -> None:
        for transcript_uuid in self._stale_transcripts:
            if self.current is not None and transcript_uuid == self.current.uuid:
                spans = list(self._ranges.values())
                length = self.current.length
            else:
                spans = [(c.start, c.end) for c in self.project.codings.of_transcript(transcript_uuid)]
                length = self.project.transcripts.get(transcript_uuid).length
            self.transcripts.set_progress(transcript_uuid, len(spans), covered_length(spans) / max(length, 1))
        self.themes.refresh_counts()
        if self.themes.current_code_uuid() in self._stale_codes:
            self.segments.refresh()
        self._stale_transcripts.clear()
        self._stale_codes.clear()

    # -- themes ------------------------------------------------------------------------------------

    def _theme_clicked(self, index: QModelIndex) -> None:
        """A click on a theme codes the selected passage, if there is one (Ctrl+Z undoes it)."""
        code_uuid = index.siblingAtColumn(0).data(THEME_UUID_ROLE)
        if code_uuid and self.view.selected_range() is not None:
            self.code_selection(str(code_uuid))

    def _theme_activated(self, code_uuid: str) -> None:
        if self.view.selected_range() is not None:
            self.code_selection(code_uuid)
        else:
            self.segments.show_code(code_uuid)

    def _highlight_activated(self, coding_uuid: str) -> None:
        coding = self.project.codings.get(coding_uuid)
        self.themes.select_code(coding.code_uuid)
        self.view.select_range(coding.start, coding.end)

    def _codebook_changed(self) -> None:
        self._refresh_looks()
        if self.current is not None:
            self.view.set_highlights(
                [self._highlight(c) for c in self.project.codings.of_transcript(self.current.uuid)]
            )
        self.segments.refresh()
        self.search.refresh_codes()

    def _refresh_looks(self) -> None:
        """Each code's display name and colour (inherited from the nearest coloured ancestor)."""
        codes = self.project.codebook.all()
        colours: dict[str, str] = {}
        for code in codes:  # tree order: parents come before their children
            colours[code.uuid] = code.colour or colours.get(code.parent_uuid or "", "#888888")
        self._looks = {code.uuid: (code.name, colours[code.uuid]) for code in codes}

    def _highlight(self, coding: Coding) -> Highlight:
        name, colour = self._looks.get(coding.code_uuid, ("?", "#888888"))
        return Highlight(coding.uuid, coding.start, coding.end, coding.code_uuid, name, colour)

    def clear(self) -> None:
        """Drop every piece of transcript text from the widgets (before the project is closed)."""
        self.memos.flush()  # typed text is saved before anything is torn down
        self.memos.clear()
        self._counts_timer.stop()
        self._stale_transcripts.clear()
        self._stale_codes.clear()
        self._ranges.clear()
        self.view.clear()
        self.segments.clear()
        self.search.clear()
        self.heading.setText("")
        self.current = None
