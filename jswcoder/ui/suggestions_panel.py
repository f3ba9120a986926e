"""Theme suggestions for the open transcript: hollow bars in the margin, a list to go through, and why.

Asked for (Analysis › Suggest themes, Ctrl+Shift+T), or for every transcript opened while "Keep
suggesting themes" is on. They are worked out off the UI thread (:mod:`jswcoder.ui.workers`: the
passage index and the sentence model, on the worker's own connection) and shown at once. The
assistant's agreement with this coder per theme (:func:`jswcoder.analysis.assistant.theme_agreement`)
suggests for every transcript they coded, seconds over a big project, so it is a job of its own that
follows, the first time and whenever a coding has changed since; the figures kept meanwhile are shown.
When they come, a weak theme's rows go to the end if the person has not begun on the list yet;
otherwise the figures change in place: rows never move under the keys.

Nothing is coded without a person's act. In the list, Up and Down go through the suggestions and
select each passage in the text; Enter or A accepts (codes it as you; the fact that it was suggested
is kept), R or Delete rejects (it is not offered again), Esc goes back to the text, and Ctrl+Z undoes
either (:mod:`jswcoder.ui.suggestion_commands`). Below the list, the coded passages the suggestion
resembles, with who said them: why it was suggested.
"""

from __future__ import annotations

import html
from typing import Protocol

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from jswcoder.analysis.assistant import ThemeAgreements
from jswcoder.errors import JswError
from jswcoder.model import Coding, Transcript
from jswcoder.project import Project
from jswcoder.services.assistance import Suggestion
from jswcoder.services.loaded_index import LoadedIndex
from jswcoder.ui import workers
from jswcoder.ui.coding_commands import _Command
from jswcoder.ui.suggestion_commands import AcceptSuggestion, RejectSuggestion
from jswcoder.ui.suggestions_model import Row, SuggestionsModel, suggestion_key, why_html
from jswcoder.ui.suggestions_work import Found, Measured, NotIndexed, measure_body, suggest_body
from jswcoder.ui.transcript_view import SuggestedSpan, TranscriptView

KEYS_HINT = "Enter or A accepts · R or Del rejects · Esc: to the text · Ctrl+Z undoes"
ASK = "Analysis › Suggest themes (Ctrl+Shift+T)"


class Host(Protocol):
    """What the panel needs of the workbench: the open transcript and its view, the themes' looks, the
    undo stack (through ``run_command``), and to hear of codings made or removed."""

    current: Transcript | None
    view: TranscriptView

    def look(self, code_uuid: str) -> tuple[str, str]: ...

    def run_command(self, command: _Command) -> bool: ...

    def coding_added(self, coding: Coding) -> None: ...

    def coding_removed(self, coding: Coding) -> None: ...

    def coding_changed(self, before: Coding, after: Coding) -> None: ...


class _SuggestionList(QListView):
    """The list's own keys: accept, reject, leave."""

    def __init__(self, panel: SuggestionsPanel) -> None:
        super().__init__(panel)
        self._panel = panel

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._panel.begun = True
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self._panel.begun = True
        key = event.key()
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_A):
            self._panel.accept_current()
        elif plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_R):
            self._panel.reject_current()
        elif plain and key == Qt.Key.Key_Escape:
            self._panel.leave()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class SuggestionsPanel(QWidget):
    """The "Suggestions" tab beside the transcript, and the hollow bars it puts in the margin."""

    status = Signal(str)
    wanted = Signal()  # bring the tab to the front

    def __init__(self, project: Project, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self._host = host
        self.keep_suggesting = (
            False  # every transcript opened gets its suggestions (the Analysis menu's toggle)
        )
        self.shown_for: str | None = None  # the transcript whose suggestions are shown
        self.agreement: ThemeAgreements | None = None  # kept until a coding changes
        self._agreement_stale = True
        # Every suggestion shown since the project was opened, by key, with its examples: an undone
        # decision brings one back though a later answer (which leaves out decided ones) lacks it.
        self._seen: dict[str, Suggestion] = {}
        self._task: workers.Task | None = None
        self._index: LoadedIndex | None = None  # the last job's, for the next (see suggestions_work)
        self._measuring: workers.Task | None = None  # the agreement measured again, after a change
        self._pending: tuple[str, bool] | None = None  # asked for while the last one was running
        self._deciding = False  # an accept is coding the passage
        self.begun = False  # the person has begun on the suggestions shown (keys, clicks, decisions)
        self._waiting: str | None = None  # a transcript not indexed yet: asked again once indexing ends
        self._indexing = False  # as the index keeper last said
        self._asked_again = False  # (once: the keeper may have ended just before the answer came)
        self._focus_when_done = False

        self.heading = QLabel(f"Theme suggestions for the open transcript: {ASK}.", self)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)  # names in bold; the rest escaped
        self.heading.setAccessibleName("Suggestions status")
        self.hint = QLabel(KEYS_HINT, self)
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # greyed: a footnote
        self.model = SuggestionsModel(self)
        self.list = _SuggestionList(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName("Theme suggestions")
        self.list.setAlternatingRowColors(True)
        self.list.setUniformItemSizes(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setWordWrap(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # elided instead
        self.list.setToolTip(KEYS_HINT)
        self.list.selectionModel().currentChanged.connect(self._current_changed)
        self.why = QTextBrowser(self)
        self.why.setAccessibleName("Why it was suggested")
        self.why.setOpenLinks(False)
        self.accept_button = QPushButton(
            "Accept", self
        )  # no Alt key (Alt+A, Alt+H open menus): the list has keys
        self.accept_button.setToolTip("Code the passage with this theme, as you (Enter or A in the list)")
        self.reject_button = QPushButton("Reject", self)
        self.reject_button.setToolTip("Not this theme here; it is not offered again (R or Del in the list)")
        self.hide_button = QPushButton("Hide suggestions", self)
        self.accept_button.clicked.connect(self.accept_current)
        self.reject_button.clicked.connect(self.reject_current)
        self.hide_button.clicked.connect(self.hide_suggestions)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.hide_button)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(self.why)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        self._show_buttons()
        host.view.suggestionActivated.connect(self.go_to)

    # -- asking ------------------------------------------------------------------------------------

    @property
    def computing(self) -> bool:
        return self._task is not None or self._measuring is not None

    def suggest(self) -> None:
        """Suggest themes for the open transcript (the menu's action): the list gets the keys."""
        current = self._host.current
        if current is None:
            self.status.emit("Open a transcript first: themes are suggested for its passages.")
            return
        self.wanted.emit()
        self._asked_again = False
        self._start(current.uuid, focus=True)

    def set_keep_suggesting(self, on: bool) -> None:
        self.keep_suggesting = on
        current = self._host.current
        if on and current is not None and self.shown_for != current.uuid:
            self._start(current.uuid, focus=False)

    def transcript_opened(self, transcript_uuid: str) -> None:
        """Another transcript is open: the suggestions shown were for the one before."""
        if self.shown_for is not None and self.shown_for != transcript_uuid:
            self._show_none(f"Theme suggestions for the open transcript: {ASK}.")
        if self.keep_suggesting and self.shown_for != transcript_uuid:
            self._start(transcript_uuid, focus=False)

    def index_changed(self, indexing: bool) -> None:
        """The index keeper (:mod:`jswcoder.ui.index_keeper`) started, progressed or ended: once it ends,
        suggestions asked for before the transcript was indexed are worked out."""
        self._indexing = indexing
        current = self._host.current
        if not indexing and self._waiting is not None and current is not None:
            if self._waiting == current.uuid:
                self._start(current.uuid, focus=self._focus_when_done)
            self._waiting = None

    def codings_changed(self) -> None:
        """A coding was made, changed or removed: the agreement is measured afresh when next asked."""
        self._agreement_stale = True

    def codebook_changed(self) -> None:
        """Themes renamed, recoloured or deleted: the rows and bars follow; a deleted theme's go."""
        known = {code.uuid for code in self.project.codebook.all()}
        for row in list(self.model.rows):
            if row.suggestion.code_uuid not in known:
                self._drop(row.key, advance=False)
        self.model.set_looks(self._host.look)
        self._paint_margin()

    def coding_added(self, coding: Coding) -> None:
        """Coded by hand (a digit key, a drop…) as a suggestion had it: the suggestion goes, as the
        assistance leaves it out when asked again. The text's selection stays where the person is."""
        if (
            self._deciding
            or coding.transcript_uuid != self.shown_for
            or coding.coder_uuid != self.project.coder.uuid
        ):
            return
        for row in list(self.model.rows):
            s = row.suggestion
            overlap = min(s.end, coding.end) - max(s.start, coding.start)
            if s.code_uuid == coding.code_uuid and 2 * overlap > s.end - s.start:
                self._drop(row.key, advance=self.list.hasFocus())

    def _start(self, transcript_uuid: str, *, focus: bool) -> None:
        if self._task is not None:
            self._pending = (transcript_uuid, focus)
            return
        self._focus_when_done = focus
        name = html.escape(self._host.current.name if self._host.current is not None else "the transcript")
        self.heading.setText(f"Looking for theme suggestions in {name}…")
        self._task = workers.start(
            workers.on_project(self.project, suggest_body(transcript_uuid, self._index)),
            on_done=self._found_some,
            on_error=self._failed,
        )

    def _ended(self) -> bool:
        """The computation is over; True if another was asked for meanwhile (and is now started)."""
        self._task = None
        if self._pending is not None:
            uuid, focus = self._pending
            self._pending = None
            self._start(uuid, focus=focus)
            return True
        return False

    def _failed(self, error: BaseException) -> None:
        if self._ended():
            return
        if not isinstance(error, JswError):
            raise error  # a bug: the crash handler reports it
        self._show_none(str(error))
        self.status.emit(str(error))

    def _found_some(self, answer: object) -> None:
        if self._ended():
            return
        current = self._host.current
        if current is None or not isinstance(answer, Found | NotIndexed):
            return
        if answer.transcript_uuid != current.uuid:  # another was opened meanwhile
            if self.keep_suggesting:
                self._start(current.uuid, focus=False)
            return
        self._waiting = None
        if isinstance(answer, NotIndexed):
            self._waiting = current.uuid
            line = (
                f"The passage index is being built: {answer.indexed} of {answer.transcripts} transcripts. "
                f"The suggestions come once {current.name} is in it."
            )
            self._show_none(line)
            self.status.emit(line)
            if not self._indexing and not self._asked_again:
                self._asked_again = True
                self._start(current.uuid, focus=self._focus_when_done)
            return
        self.shown_for = current.uuid
        self._index = answer.index
        self._seen.update((suggestion_key(s), s) for s in answer.suggestions)
        self.begun = False
        if self._agreement_stale or self.agreement is None:
            self._measure_again()  # first, so that the rows say it is being measured
        self.model.set_rows([self._row(s) for s in answer.suggestions])
        self._paint_margin()
        self._say_count(current.name)
        self._show_buttons()
        if self.model.rowCount() and self._focus_when_done:
            self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self._set_current(0)
        elif not self.model.rowCount():
            self.why.clear()

    def _measure_again(self) -> None:
        if self._measuring is not None:
            return
        self._agreement_stale = False
        self._measuring = workers.start(
            workers.on_project(self.project, measure_body(self._index)),
            on_done=self._measured,
            on_error=self._not_measured,
        )

    def _measured(self, answer: object) -> None:
        self._measuring = None
        if isinstance(answer, Measured):
            self._index = answer.index
            agreement = self.agreement = answer.agreement
            if self.begun:  # in place: the rows keep their order until asked for again
                self.model.set_agreement(agreement)
            else:  # not begun on yet: a weak theme's rows go to the end, the first one current again
                self.model.set_rows([self._row(r.suggestion) for r in self.model.rows])
                if self.model.rowCount() and self.list.hasFocus():  # (else the text is the person's)
                    self._set_current(0)
            self._paint_margin()
            if (row := self.current_row()) is not None:
                self.why.setHtml(why_html(row))
            if self._host.current is not None and self.shown_for == self._host.current.uuid:
                self._say_count(self._host.current.name)

    def _not_measured(self, error: BaseException) -> None:
        self._measuring = None
        self._agreement_stale = True
        if not isinstance(error, JswError):
            raise error  # a bug: the crash handler reports it
        self.model.set_agreement(self.agreement)  # the figures kept, or "not measured yet"
        self.status.emit(f"The assistant's agreement could not be measured: {error}")

    def _row(self, suggestion: Suggestion) -> Row:
        name, colour = self._host.look(suggestion.code_uuid)
        if self.agreement is None:  # never measured: being so now, or it could not be
            return Row(suggestion, name, colour, None, measuring=self._measuring is not None)
        return Row(suggestion, name, colour, self.agreement.get(suggestion.code_uuid))

    # -- showing -----------------------------------------------------------------------------------

    def _say_count(self, name: str) -> None:
        count = self.model.rowCount()
        name = html.escape(name)
        if count == 0:
            self.heading.setText(
                f"No theme suggestions for <b>{name}</b>: none of its passages is close enough to a "
                "theme's coded passages, or you have decided on each."
            )
            return
        weak = sum(1 for r in self.model.rows if r.weak)
        if weak == count:
            weak_note = "; the assistant seldom agrees with you on their themes (greyed)"
        elif weak:
            weak_note = f"; {weak} on themes where the assistant seldom agrees with you (greyed, last)"
        else:
            weak_note = ""
        self.heading.setText(
            f"<b>{count} suggestion{'s' if count != 1 else ''}</b> for <b>{name}</b>{weak_note}. "
            "Nothing is coded until you accept."
        )

    def _paint_margin(self) -> None:
        spans = [
            SuggestedSpan(
                r.key,
                r.suggestion.start,
                r.suggestion.end,
                r.name,
                r.colour,
                f"Suggested (not coded): {r.suggestion.path.replace('/', ' › ')} · {r.agreement_text()}",
                weak=r.weak,
            )
            for r in self.model.rows
        ]
        self._host.view.set_suggestions(spans, self._current_key())

    def _show_none(self, line: str) -> None:
        self.shown_for = None
        self.model.set_rows([])
        self._host.view.set_suggestions([])
        self.heading.setText(html.escape(line))
        self.why.clear()
        self._show_buttons()

    def _show_buttons(self) -> None:
        some = self.model.rowCount() > 0
        self.accept_button.setEnabled(some)
        self.reject_button.setEnabled(some)
        self.hide_button.setEnabled(self.shown_for is not None)

    def hide_suggestions(self) -> None:
        self._show_none(f"Suggestions hidden. {ASK} shows them again.")
        self.leave()

    def _current_key(self) -> str | None:
        index = self.list.currentIndex()
        return self.model.rows[index.row()].key if index.isValid() else None

    def current_row(self) -> Row | None:
        index = self.list.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _set_current(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.why.clear()
            self._host.view.set_current_suggestion(None)
            return
        row = self.model.rows[current.row()]
        self._host.view.select_range(row.suggestion.start, row.suggestion.end)
        self._host.view.set_current_suggestion(row.key)
        self.why.setHtml(why_html(row))

    def go_to(self, key: str) -> None:
        """A suggestion's bar was double-clicked in the margin: it becomes the list's current one."""
        at = self.model.row_of(key)
        if at is not None:
            self.begun = True
            self.wanted.emit()
            self.list.setFocus(Qt.FocusReason.MouseFocusReason)
            self._set_current(at)

    def leave(self) -> None:
        self._host.view.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- deciding ----------------------------------------------------------------------------------

    def accept_current(self) -> None:
        self.begun = True
        row = self._current_row()
        if row is None:
            return
        command = AcceptSuggestion(self.project, self._host, self, row.suggestion, row.name)
        self._deciding = True  # its coding is the acceptance itself, not a coding by hand
        try:
            accepted = self._host.run_command(command)
        finally:
            self._deciding = False
        if accepted:
            self.status.emit(f"Accepted: coded as “{row.name}”. Ctrl+Z undoes it.")

    def reject_current(self) -> None:
        self.begun = True
        row = self._current_row()
        if row is None:
            return
        if self._host.run_command(RejectSuggestion(self.project, self._host, self, row.suggestion, row.name)):
            self.status.emit(f"“{row.name}” will not be suggested there again. Ctrl+Z undoes it.")

    def _current_row(self) -> Row | None:
        row = self.current_row()
        if row is None:
            self.status.emit(f"Choose a suggestion in the list first ({ASK}).")
        return row

    def decided(self, suggestion: Suggestion) -> None:
        """Accepted or rejected: it leaves the list and the margin; the next one becomes current."""
        self._drop(suggestion_key(suggestion), advance=True)

    def _drop(self, key: str, *, advance: bool) -> None:
        """A suggestion leaves the list and the margin; with *advance*, the next one becomes current
        (its passage selected in the text), else none is (the text's selection is left alone)."""
        at = self.model.row_of(key)
        if at is None:
            return
        if not advance and self._current_key() == key:
            self.list.selectionModel().clearCurrentIndex()  # Qt would go on to the next, and select it
        self.model.take(key)
        self._paint_margin()
        self._show_buttons()
        if self.model.rowCount() and advance:
            self._set_current(min(at, self.model.rowCount() - 1))
        if not self.model.rowCount():
            self.why.clear()
            self._host.view.set_current_suggestion(None)
        current = self._host.current
        if current is not None:
            self._say_count(current.name)

    def undecided(self, suggestion: Suggestion) -> None:
        """A decision undone: the suggestion is offered again, and current (if it is this transcript's)."""
        if self.shown_for != suggestion.transcript_uuid:
            return
        at = self.model.put(self._row(self._seen.get(suggestion_key(suggestion), suggestion)))
        self._paint_margin()
        self._show_buttons()
        self._set_current(at)
        current = self._host.current
        if current is not None:
            self._say_count(current.name)

    # -- closing -----------------------------------------------------------------------------------

    def clear(self) -> None:
        """Drop every passage shown (the project is closing or locking); a running job's answer is
        not wanted any more."""
        for task in (self._task, self._measuring):
            if task is not None:
                task.cancel()
                task.signals.finished.disconnect()
                task.signals.failed.disconnect()
        self._task = self._measuring = None
        self._pending = None
        self._index = None  # the vectors go with the lock
        self._waiting = None
        self._seen.clear()
        self._show_none("")
        self.agreement = None
        self._agreement_stale = True


__all__ = ["SuggestionsPanel"]
