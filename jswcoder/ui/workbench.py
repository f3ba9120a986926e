"""The coding workbench for one open project: transcripts, the text, the theme tree, passages, search.

It owns the coding actions (select text, then press a pinned digit, use the quick-code box, drop it
on a theme, or press Enter or a theme's Code button; clicking a theme only browses it) and keeps the
views in step with each change incrementally. The window shell
(:mod:`jswcoder.ui.main_window`) creates one per unlocked project and destroys it on lock.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextCursor, QUndoStack
from PySide6.QtWidgets import QLabel, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.model import Coding, Transcript
from jswcoder.project import Project
from jswcoder.services.codebook import split_path
from jswcoder.services.codings import covered_length
from jswcoder.services.search import Passage
from jswcoder.ui.cases_view import CasesDialog
from jswcoder.ui.coding_commands import AddCodings, ChangeCoding, RemoveCoding, _Command
from jswcoder.ui.memos_panel import MemosPanel
from jswcoder.ui.pin_keys import PinStrip
from jswcoder.ui.place import open_text, place_of
from jswcoder.ui.preview_dialog import PreviewDialog
from jswcoder.ui.quick_code import QuickCodePalette
from jswcoder.ui.register_dialog import add_to_register
from jswcoder.ui.register_window import RegisterWindow
from jswcoder.ui.search_panel import SearchPanel
from jswcoder.ui.segments_panel import SegmentsPanel
from jswcoder.ui.similar_panel import SearchTab, SimilarPanel
from jswcoder.ui.suggestions_panel import SuggestionsPanel
from jswcoder.ui.theme_panel import ThemePanel
from jswcoder.ui.transcript_view import Highlight, TranscriptView
from jswcoder.ui.transcripts_panel import TranscriptsPanel

if TYPE_CHECKING:
    from jswcoder.ui.playback_bar import Playback

EMERGENT_PARENT = "Emergent themes"
NO_TRANSCRIPTS = (
    "No transcripts yet: File › Import transcripts… (Ctrl+Shift+I), or a recording to transcribe: "
    "File › Import recording…"
)
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
        self.read_only: str | None = None  # why changes wait (a sync is writing); None when they don't
        self._looks: dict[str, tuple[str, str]] = {}  # code uuid -> (name, colour)
        self._paths: dict[str, str] = {}  # code uuid -> path, for the tooltips
        self._coders: dict[str, str] = {}  # coder uuid -> name: who coded, for the tooltips
        self._ranges: dict[str, tuple[int, int]] = {}  # coding uuid -> range, in the open transcript
        # Counts and progress follow a coding change once the highlight is painted, coalesced, so a
        # burst of keypresses costs one refresh and the keypress itself only commits and paints.
        self._stale_transcripts: set[str] = set()
        self._stale_codes: set[str] = set()
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(50)
        self._counts_timer.timeout.connect(self._refresh_counts)
        self.playback: Playback | None = None  # made when a transcript with audio first opens

        self.transcripts = TranscriptsPanel(
            project, undo_stack, self, may_change=lambda: not self.refuses_changes()
        )
        self.view = TranscriptView(self)
        self.heading = QLabel("Choose a transcript on the left.", self)
        self.heading.setAccessibleName("Current transcript")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.themes = ThemePanel(project, undo_stack, self)
        self.segments = SegmentsPanel(project, self)
        self.search = SearchPanel(project, self)
        self.similar = SimilarPanel(project, self)
        self.search_tab = SearchTab(self.search, self.similar, self)  # words, or passages like this
        self.memos = MemosPanel(project, self)
        self.suggestions = SuggestionsPanel(project, self, self)
        self.pin_strip = PinStrip(self)  # the window puts it in its status bar
        self.destroyed.connect(self.pin_strip.deleteLater)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.segments, "Coded passages")
        self.tabs.addTab(self.search_tab, "Search")
        self.tabs.addTab(self.memos, "Memos")
        self.tabs.addTab(self.suggestions, "Suggestions")
        self.suggestions.status.connect(self.status.emit)
        self.suggestions.wanted.connect(self._show_suggestions)

        self._centre = centre = QWidget(self)
        self._centre_layout = centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 0, 6, 0)
        centre_layout.addWidget(self.heading)
        centre_layout.addWidget(self.view, 1)
        self._right = right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.themes)
        right.addWidget(self.tabs)
        right.setSizes([420, 300])
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.transcripts)
        splitter.addWidget(centre)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 730, 370])  # the transcripts list: name, case and progress in view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self.transcripts.transcriptActivated.connect(self.open_transcript)
        self.transcripts.transcriptsChanged.connect(self._transcripts_changed)
        self.themes.themeActivated.connect(self._theme_activated)
        self.themes.codeRequested.connect(self.code_selection)
        self.themes.pinsChanged.connect(self._pins_changed)
        self.view.selectionChanged.connect(
            lambda: self.themes.set_can_code(self.view.selected_range() is not None)
        )
        self.themes.selectionDropped.connect(self.code_selection)
        self.themes.currentThemeChanged.connect(self.segments.show_code)
        self.themes.currentThemeChanged.connect(lambda _uuid: self._update_memo_targets())
        self.view.selectionChanged.connect(self._update_memo_targets)
        self.themes.codebookChanged.connect(self._codebook_changed)
        self.segments.segmentActivated.connect(self.open_transcript)
        self.segments.hearRequested.connect(self.hear)
        self.view.playRequested.connect(lambda offset: self.audio("play_from", offset))
        self.search.hitActivated.connect(self.open_transcript)
        self.search.codeHitsRequested.connect(self.code_hits)
        self.similar.passageActivated.connect(self.open_transcript)
        self.similar.codeRequested.connect(lambda found, code: self.code_passages(found, code, "like this"))
        self.segments.likeThisRequested.connect(self._like_this)
        self.view.text_edit.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.text_edit.customContextMenuRequested.connect(self._text_menu)
        self.view.highlightActivated.connect(self._highlight_activated)
        self.themes.status.connect(self.status.emit)
        self._install_shortcuts()
        self._refresh_looks()
        first = self.transcripts.first()  # the panel has listed them already
        if first is not None:
            self.open_transcript(first)
        else:
            self._show_nothing()

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
            # The selection goes while the text it is in is still shown: dropped by the new text, it would
            # be reported against the old one's offsets.
            self.view.text_edit.moveCursor(QTextCursor.MoveOperation.Start)
            self.current = self.project.transcripts.get(transcript_uuid)
            text = self.project.transcripts.text_of(transcript_uuid)
            turns = self.project.transcripts.turns(transcript_uuid)
            codings = self.project.codings.of_transcript(transcript_uuid)
            self._ranges = {c.uuid: (c.start, c.end) for c in codings}
            self.view.set_document(text, turns, [self._highlight(c) for c in codings])
            self.heading.setText(self._heading_for(self.current))
            self._show_playback(transcript_uuid)
            self.transcripts.select(transcript_uuid)
            self._update_memo_targets()
            self.suggestions.transcript_opened(transcript_uuid)
        if start >= 0 and end > start:
            self.view.select_range(start, end)
        self.view.text_edit.setFocus()

    def _show_playback(self, transcript_uuid: str) -> None:
        """The playback bar under a transcript with audio (Qt Multimedia loads with the first one)."""
        timeline = self.project.transcription.timeline(transcript_uuid)
        if timeline and self.playback is None:
            from jswcoder.ui.playback_bar import Playback  # noqa: PLC0415

            self.playback = Playback(self.project, self.view, self.status.emit, self._centre)
            self._centre_layout.addWidget(self.playback.bar)
        if self.playback is not None:
            self.playback.show(transcript_uuid, timeline)

    def audio(self, command: str, *args: int) -> None:
        """The Audio menu (``toggle``, ``back``, ``forward``, ``slower``, ``faster``, ``here``) and
        Ctrl+click (``play_from``), for the open transcript's recording."""
        if self.playback is None or not self.playback.has_audio():
            self.status.emit("This transcript has no recording to play.")
        else:
            getattr(self.playback, command)(*args)

    def hear(self, transcript_uuid: str, start: int, end: int) -> None:
        """Open a passage and hear it (a coding in Coded passages)."""
        self.open_transcript(transcript_uuid, start, end)
        if self.playback is not None and self.playback.has_audio():
            self.playback.play_range(start, end)

    def _heading_for(self, transcript: Transcript) -> str:
        """The name in bold, then the case. A lead's merged transcripts are named by their case's
        attribution already, so it is not said twice."""
        participant = self.project.transcripts.participant(transcript)
        label = participant.attribution if participant else None
        name = f"<b>{html.escape(transcript.name)}</b>"
        if label is None:
            return f"{name} &nbsp;·&nbsp; no participant details (View › Cases…)"
        return (
            name
            if label.casefold() in transcript.name.casefold()
            else f"{name} &nbsp;·&nbsp; {html.escape(label)}"
        )

    def _show_nothing(self) -> None:
        """No transcript open: the empty text pane says how to get one."""
        self.heading.setText("")
        if self.playback is not None:
            self.playback.show("", [])  # stopped, and the bar hidden
        self.view.text_edit.setPlaceholderText(
            NO_TRANSCRIPTS if self.transcripts.first() is None else "Choose a transcript on the left."
        )

    def _transcripts_changed(self) -> None:
        """A transcript was renamed, deleted or brought back (an undo step): every view follows."""
        self.refresh()
        if self.current is None:
            self._ranges.clear()
            self.view.clear()
            self._show_nothing()

    def show_cases(self) -> None:
        """The cases (participants) and their details, editable; the transcripts list follows them."""
        if self.refuses_changes():
            return
        dialog = CasesDialog(self.project, self)
        dialog.finished.connect(lambda _result: self._cases_closed(dialog))
        dialog.open()

    def _cases_closed(self, dialog: CasesDialog) -> None:
        dialog.deleteLater()
        if dialog.changed:
            self.refresh()  # the details show in the transcripts list, the heading and the passages

    # -- coding ------------------------------------------------------------------------------------

    def code_selection(self, code_uuid: str, key: int | None = None) -> bool:
        """Code the selected passage with a theme (by its pinned *key*, if so); False (and a status
        message) when nothing is selected."""
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
            how = f" (key {key})" if key is not None else ""
            message = (
                f"Coded {end - start:,} characters as “{name}”{how}."
                if command.created
                else "Already coded so."
            )
            self.status.emit(message + " Ctrl+Z undoes it.")
        return True

    def code_with_pin(self, digit: int) -> None:
        code_uuid = self.project.pins.all().get(digit)
        if code_uuid is None:
            self.status.emit(f"No theme is pinned to {digit}: right-click a theme › Pin to key.")
            return
        self.code_selection(code_uuid, key=digit)

    def quick_code(self) -> None:
        if self.similar.results.hasFocus():  # the passages like this, ticked
            self.similar.quick_code()
            return
        if self.view.selected_range() is None:
            self.status.emit("Select a passage in the transcript first.")
            return
        code_uuid = QuickCodePalette.choose(self.project.codebook.all(), self)
        self._back_to_text()
        if code_uuid is not None:
            self.code_selection(code_uuid)

    def _back_to_text(self) -> None:
        """After a box over the window: the window active again and the keys in the text, to go on."""
        self.window().activateWindow()
        self.view.text_edit.setFocus()

    def code_with_current_theme(self) -> None:
        code_uuid = self.themes.current_code_uuid()
        if code_uuid is None:
            self.status.emit("Choose a theme in the tree first.")
            return
        self.code_selection(code_uuid)

    def in_vivo(self) -> None:
        """A new emergent theme named from the selected words, applied to them (one undo step)."""
        if self.refuses_changes():
            return
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
        if self.refuses_changes():
            return
        selected = self.view.selected_range()
        if self.current is None or selected is None:
            self.status.emit("Select the identifying words first.")
            return
        words = self.project.transcripts.text_of(self.current.uuid)[selected[0] : selected[1]]
        said = add_to_register(self.project.register, words, self)
        if said is not None:
            self.status.emit(said)

    def show_register(self) -> None:
        if self.refuses_changes():
            return
        place = RegisterWindow.review(self.project, self)  # opens where it was left
        if place is not None and place.transcript_uuid is not None:
            self.open_transcript(place.transcript_uuid, place.start, place.end)
            self.status.emit("Ctrl+Shift+R goes back to the register review where you left it.")

    def show_preview(self) -> None:
        """The open transcript as it would leave this computer, beside the original."""
        if self.current is None:
            self.status.emit("Open a transcript first.")
            return
        PreviewDialog.show_preview(
            self.current.name, self.project.anonymiser.preview(self.current.uuid), self
        )

    def code_hits(self, found: list[Passage], code_uuid: str) -> None:
        """Code the passages search found (hits grown to the unit picked in the preview), as one step."""
        passages = [(passage.transcript_uuid, passage.start, passage.end) for passage in found]
        self.code_passages(passages, code_uuid, "found by search")

    def code_passages(self, passages: list[tuple[str, int, int]], code_uuid: str, found: str) -> None:
        """Code passages (transcript, start, end) found by search or like this with a theme, as one step."""
        name = self._looks.get(code_uuid, ("theme", ""))[0]
        text = f"Code {len(passages)} passages {found} as “{name}”"
        command = AddCodings(self.project, self, passages, code_uuid, text)
        if self._run(command):
            coded = len(command.created)
            self.status.emit(
                f"Coded {coded} passage{'s' if coded != 1 else ''} {found} as “{name}”. Ctrl+Z undoes it."
            )

    def find_like_this(self) -> None:
        """Passages like the chosen coded passage (when that list has the keys) or the selection; with
        neither, the Search tab's box for words."""
        self.tabs.setCurrentWidget(self.search_tab)
        self.search_tab.show_like()
        chosen = self.segments.chosen() if self.segments.view.hasFocus() else None
        selected = self.view.selected_range()
        if chosen is not None:
            self.similar.like_passage(*chosen)
        elif self.current is not None and selected is not None:
            self.similar.like_passage(self.current.uuid, *selected)
        else:
            self.similar.focus_words()

    def _like_this(self, transcript_uuid: str, start: int, end: int) -> None:
        self.tabs.setCurrentWidget(self.search_tab)
        self.search_tab.show_like()
        self.similar.like_passage(transcript_uuid, start, end)

    def _text_menu(self, point: QPoint) -> None:
        """The text's context menu: the usual entries, then passages like the selection."""
        edit = self.view.text_edit
        menu = edit.createStandardContextMenu(point)
        menu.addSeparator()
        like = menu.addAction("Find passages &like this\tCtrl+Shift+F", self.find_like_this)
        like.setEnabled(self.view.selected_range() is not None)
        menu.exec(edit.viewport().mapToGlobal(point))
        menu.deleteLater()

    def code_as_new_theme(self, path: str, passages: list[tuple[str, int, int]]) -> int:
        """Add a theme and code these passages with it, as one undo step (a coding query's results);
        returns how many codings were made. JswError if the theme cannot be added (nothing is done)."""
        if self.refuses_changes():
            return 0
        path = "/".join(split_path(path))  # checked before the step opens: a refusal leaves no empty step
        if any(code.path.casefold() == path.casefold() for code in self.project.codebook.all()):
            raise InvalidInput(f"there is already a theme “{path}”; give the new theme another name")
        text = f"Code {len(passages)} passages found by a query as “{path}”"
        self.undo_stack.beginMacro(text)
        try:
            code = self.themes.add_theme(path, origin="emergent")
            command = AddCodings(self.project, self, passages, code.uuid, text)
            command.perform()
            self.undo_stack.push(command)
        finally:
            self.undo_stack.endMacro()
        self.status.emit(f"Coded {len(command.created)} passages as “{path}”. Ctrl+Z undoes it.")
        return len(command.created)

    def _update_memo_targets(self) -> None:
        """Memos can be about the open transcript, the chosen theme and the coding under the cursor."""
        at_cursor = self.view.coding_at_cursor() if self.current is not None else None
        self.memos.set_targets(
            transcript_uuid=self.current.uuid if self.current else None,
            code_uuid=self.themes.current_code_uuid(),
            coding_uuid=at_cursor.coding_uuid if at_cursor else None,
        )

    def remove_coding_at_cursor(self) -> None:
        target = self.view.coding_at_cursor()
        if target is None:
            self.status.emit("There is no coding here to remove.")
            return
        if self._run(RemoveCoding(self.project, self, target.coding_uuid)):
            self.status.emit(f"Removed the coding “{target.code_name}”. Ctrl+Z brings it back.")

    def change_theme_at_cursor(self) -> None:
        """Give the coding under the cursor another theme, chosen in the quick-code palette."""
        target = self.view.coding_at_cursor()
        if target is None:
            self.status.emit("Put the cursor in a coded passage first.")
            return
        code_uuid = QuickCodePalette.choose(self.project.codebook.all(), self, recoding=target.code_name)
        self._back_to_text()
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

    def run_command(self, command: _Command) -> bool:
        """Perform an undoable step and push it (not while a job writes; a refusal is said)."""
        return self._run(command)

    def _run(self, command: _Command) -> bool:
        if self.refuses_changes():
            return False
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
        self.suggestions.coding_added(coding)

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
        self.suggestions.codings_changed()

    def _refresh_counts(self) -> None:
        for transcript_uuid in self._stale_transcripts:
            if self.current is not None and transcript_uuid == self.current.uuid:
                spans = list(self._ranges.values())
                length = self.current.length
            else:
                try:  # gone meanwhile (a withdrawal or a sync purged it): nothing to count
                    length = self.project.transcripts.get(transcript_uuid).length
                except NotFound:
                    continue
                spans = [(c.start, c.end) for c in self.project.codings.of_transcript(transcript_uuid)]
            self.transcripts.set_progress(transcript_uuid, len(spans), covered_length(spans) / max(length, 1))
        self.themes.refresh_counts()
        if self.themes.current_code_uuid() in self._stale_codes:
            self.segments.refresh()
        self._stale_transcripts.clear()
        self._stale_codes.clear()

    # -- themes ------------------------------------------------------------------------------------

    def _show_suggestions(self) -> None:
        """The Suggestions tab in front, with room for a few of them (the theme tree gives some up)."""
        self.tabs.setCurrentWidget(self.suggestions)
        themes, tabs = self._right.sizes()
        if tabs < 0.55 * (themes + tabs):
            self._right.setSizes([int(0.4 * (themes + tabs)), int(0.6 * (themes + tabs))])

    def _theme_activated(self, code_uuid: str) -> None:
        """A double-click opens a theme's coded passages; like a click, it never codes."""
        self.segments.show_code(code_uuid)
        self.tabs.setCurrentWidget(self.segments)

    def pinned_names(self) -> list[tuple[int, str]]:
        """Each digit key and the name of the theme it codes, in key order."""
        pins = self.project.pins.all()
        return [(digit, self._looks.get(uuid, ("?", ""))[0]) for digit, uuid in sorted(pins.items())]

    def _pins_changed(self, pins: dict[int, str]) -> None:
        self.pin_strip.set_pins([(d, self._looks.get(u, ("?", ""))[0]) for d, u in sorted(pins.items())])

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
        self.similar.refresh_choices()
        self.suggestions.codebook_changed()

    def _refresh_looks(self) -> None:
        """Each code's display name and colour (inherited from the nearest coloured ancestor)."""
        codes = self.project.codebook.all()
        colours: dict[str, str] = {}
        for code in codes:  # tree order: parents come before their children
            colours[code.uuid] = code.colour or colours.get(code.parent_uuid or "", "#888888")
        self._looks = {code.uuid: (code.name, colours[code.uuid]) for code in codes}
        self._paths = {code.uuid: code.path for code in codes}
        self.view.set_label_names(name for name, _colour in self._looks.values())
        self.themes.refresh_pins()  # the status bar names the pinned themes as they are now

    def look(self, code_uuid: str) -> tuple[str, str]:
        """A theme's name and colour as the views draw it."""
        return self._looks.get(code_uuid, ("?", "#888888"))

    def highlight(self, coding: Coding) -> Highlight:
        """A coding as the views draw it: its theme's name, colour and path, and who coded it (the survey
        grid draws its answers' codings so too)."""
        return self._highlight(coding)

    def _highlight(self, coding: Coding) -> Highlight:
        name, colour = self._looks.get(coding.code_uuid, ("?", "#888888"))
        if coding.coder_uuid not in self._coders:
            self._coders.update(self.project.codings.coder_names([coding.coder_uuid]))
        return Highlight(
            coding.uuid,
            coding.start,
            coding.end,
            coding.code_uuid,
            name,
            colour,
            coder=self._coders[coding.coder_uuid],
            path=self._paths.get(coding.code_uuid, name),
        )

    # -- while a job writes, and after it (see jswcoder.ui.workers) --------------------------------

    def set_read_only(self, why: str | None) -> None:
        """While a sync writes, changes wait: the theme tree and memos are greyed, coding says *why*."""
        if why is not None:
            self.memos.flush()  # typed text is saved before the job starts writing
        self.read_only = why
        self.themes.setEnabled(why is None)
        self.memos.setEnabled(why is None)

    def refuses_changes(self) -> bool:
        if self.read_only is not None:
            self.status.emit(self.read_only)
            return True
        return False

    def refresh(self) -> None:
        """Show what changed behind the views (a sync, an edit elsewhere), in place: the same transcript,
        scroll position, selection, tabs, theme and search; the undo history is left alone (its steps
        hold this workbench and name records by UUID)."""
        for step in self.refresh_steps():
            step()

    def refresh_steps(self, changed: frozenset[str] | None = None) -> list[Callable[[], None]]:
        """The same refresh in short steps, for a caller to run an event-loop turn apart (after a sync,
        so the window never stalls for long): the theme tree and what follows it, the transcripts list,
        the open transcript, the search. Each keeps what it shows where it is at that moment. *changed*
        (the records a sync changed; None when not known) spares reopening a transcript that did not
        change itself: only its highlights are drawn again."""
        return [
            self._refresh_codebook,
            self._refresh_transcripts,
            lambda: self._refresh_text(changed),
            self._refresh_search,
        ]

    def _refresh_codebook(self) -> None:
        self.memos.flush()
        theme = self.themes.current_code_uuid()
        self._refresh_looks()
        self.themes.model.reload(self.project.codebook.all(), self.project.codebook.coding_counts())
        self.themes.view.expandAll()
        if theme is not None:
            self.themes.select_code(theme)
        self.segments.refresh()
        self.search.refresh_codes()

    def _refresh_transcripts(self) -> None:
        self.transcripts.reload()
        self.similar.refresh_choices()
        if self.current is not None:
            self.transcripts.select(self.current.uuid)

    def _refresh_text(self, changed: frozenset[str] | None) -> None:
        current = self.current
        if current is not None and changed is not None and current.uuid not in changed:
            codings = self.project.codings.of_transcript(current.uuid)
            self._ranges = {c.uuid: (c.start, c.end) for c in codings}
            self.view.set_highlights([self._highlight(c) for c in codings])
        else:  # its text, name or case may have changed: open it afresh, where it was
            place = place_of(self)
            self.view.text_edit.moveCursor(QTextCursor.MoveOperation.Start)  # no selection meanwhile
            self.current = None
            open_text(self, place)
            first = self.transcripts.first()
            if self.current is None and first is not None:
                self.open_transcript(first)
        self._update_memo_targets()

    def _refresh_search(self) -> None:
        """Hits shown are searched again: a sync may have brought more, or taken some away."""
        if self.search.model.rowCount() and self.search.query_edit.text():
            self.search.search(self.search.query_edit.text())

    def clear(self) -> None:
        """Drop every piece of transcript text from the widgets (before the project is closed)."""
        self.memos.flush()  # typed text is saved before anything is torn down
        self.memos.clear()
        self.suggestions.clear()
        self._counts_timer.stop()
        self._stale_transcripts.clear()
        self._stale_codes.clear()
        self._ranges.clear()
        if self.playback is not None:
            self.playback.unload()  # the decrypted audio goes too
        RegisterWindow.forget(self)
        self.view.clear()
        self.segments.clear()
        self.search.clear()
        self.similar.clear()
        self.pin_strip.set_pins([])  # theme names leave the status bar too
        self.heading.setText("")
        self.current = None
