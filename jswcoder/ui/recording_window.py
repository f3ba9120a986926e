"""Label the speakers and correct the text of a transcribed recording, listening; then finish.

The draft's segments are listed one a row: when it is said, who says it (coloured), and what. It is all
keys, with the recording playing beside it (:class:`~jswcoder.ui.audio_player.AudioPlayer`):

* **1-9** give the selected segments that speaker (0: no speaker), and move on to the next segment;
  **U** gives the current segment's speaker to those after it until the next pause longer than the
  seconds set beside it. For a stereo recording with a channel per party, one button proposes them all.
* **Enter** (or F2) edits a segment's text while it plays; Enter keeps the correction, Escape drops it.
  The segment's times stay as they were. **Space** plays the current segment; **F9** plays or pauses,
  **F7** goes back 3 seconds, **F8** slows to three-quarter speed and back.
* **Finish and start coding…** makes the draft a transcript, after saying plainly that its text is then
  fixed (codings point into it).

Every change is stored at once (the draft lives in the encrypted project), so closing the window loses
nothing. A refusal ("there is no speaker 3") is one line under the list.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from jswcoder.clock import clock
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.transcription import Draft
from jswcoder.ui import workers
from jswcoder.ui.audio_player import AudioPlayer
from jswcoder.ui.segments_model import PLAY, SPEAKER, TEXT, TIME, SegmentsModel, speaker_colour

REWIND_MS = 3000
SLOW_RATE = 0.75
DEFAULT_PAUSE_S = 1.5
LEGEND = (
    "<b>1</b>–<b>9</b> speaker · <b>0</b> no speaker · <b>U</b> same speaker until the pause · "
    "<b>Enter</b>/<b>F2</b> correct the text · <b>Esc</b> drop the correction · <b>Space</b> play the segment · "
    "<b>F9</b> play/pause · <b>F7</b> back 3 s · <b>F8</b> slower/normal · <b>Ctrl+Z</b> undo"
)
FINISH_TEXT = (
    "Finish “{name}” and start coding?\n\n"
    "The text will then be fixed: codings point into it. You can still listen to it, "
    "but not correct it here."
)
_Index = QModelIndex | QPersistentModelIndex
_Step = tuple[str, Callable[[], Draft], int | None]  # what was done, how to take it back, where


def stereo_channels(project: Project, recording_uuid: str) -> int | None:
    """A WAV's number of channels from its header; None for the others (known only once decoded)."""
    header = project.recordings.wav_format(recording_uuid)
    return None if header is None else header[1]


def propose_body(recording_uuid: str) -> Callable[[Project, workers.Progress, workers.Cancelled], bool]:
    """Worker body: decode both channels and propose speakers from them; False when the two channels
    carry the same sound (a mono recording), with nothing changed."""
    from jswcoder.ui.audio_source import decode_pcm, recording_buffer  # noqa: PLC0415

    def body(own: Project, progress: workers.Progress, cancelled: workers.Cancelled) -> bool:
        buffer = recording_buffer(own, recording_uuid)
        try:
            stereo = decode_pcm(buffer, channels=2, cancelled=cancelled)
        finally:
            buffer.close()
        if stereo[0::4] == stereo[2::4] and stereo[1::4] == stereo[3::4]:
            return False
        own.transcription.propose_from_channels(recording_uuid, stereo)
        return True

    return body


class SegmentTable(QTableView):
    """The segments; Enter edits the current segment's text (F2 and a double click too)."""

    editingStarted = Signal(int)  # the row whose text is being edited

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            current = self.currentIndex()
            if current.isValid():
                self.setCurrentIndex(current.siblingAtColumn(TEXT))
                self.edit(current.siblingAtColumn(TEXT))
                return
        super().keyPressEvent(event)

    def edit(self, *args: Any) -> Any:
        """Both of Qt's: the slot ``edit(index)``, which calls the virtual ``edit(index, trigger, event)``
        that the view's own triggers (F2, a double click) call too; an editor opened on a text says so."""
        opened = super().edit(*args)
        if len(args) == 3 and opened and args[0].column() == TEXT:
            self.editingStarted.emit(args[0].row())
        return opened


class RecordingWindow(QWidget):
    closed = Signal()

    def __init__(
        self,
        project: Project,
        recording_uuid: str,
        jobs: workers.Jobs,
        finished: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self._project = project
        self._uuid = recording_uuid
        self._jobs = jobs
        self._finished = finished
        self._undo: list[_Step] = []  # this window's speaker changes and corrections, to take back
        self.draft: Draft = self._read()
        self.setWindowTitle(f"{self.draft.recording.name} — speakers and corrections")
        self.player = AudioPlayer(self)
        self.player.failed.connect(lambda line: self._say(f"{line[:1].upper()}{line[1:]}.", refused=True))
        self.player.position_changed.connect(self._position)
        self.player.playing_changed.connect(lambda _playing: self._position(self.player.position()))

        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.speakers_row = QHBoxLayout()
        self.name_edits: list[QLineEdit] = []
        self.pause_spin = QDoubleSpinBox(self)
        self.pause_spin.setAccessibleName("Pause that ends a run of the same speaker, in seconds")
        self.pause_spin.setRange(0.1, 30.0)
        self.pause_spin.setSingleStep(0.1)
        self.pause_spin.setDecimals(1)
        self.pause_spin.setValue(DEFAULT_PAUSE_S)
        self.pause_spin.setSuffix(" s")
        self.stereo_button = QPushButton("Propose speakers from the stereo &channels", self)
        self.stereo_button.setToolTip(
            "For a recording with each party on a channel of its own (a telephone interview recorded per "
            "line): the left channel's speech becomes speaker 1, the right's speaker 2."
        )
        self.stereo_button.clicked.connect(self.propose_from_channels)
        self.stereo_button.setVisible(stereo_channels(project, recording_uuid) in (2, None))
        tools = QHBoxLayout()
        pause_label = QLabel("<b>U</b> gives the speaker on until a pause longer than", self)
        pause_label.setBuddy(self.pause_spin)
        tools.addWidget(pause_label)
        tools.addWidget(self.pause_spin)
        tools.addStretch(1)
        tools.addWidget(self.stereo_button)

        self.model = SegmentsModel(self._correct, self)
        self.table = SegmentTable(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Segments of the recording")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        # Rows as tall as their text, measured when shown and when a text changes: not on every change
        # (ResizeToContents measured all 900 rows of an hour's draft at each key, 230 ms).
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.table.horizontalHeader()
        # Fixed widths: a column sized to its contents is measured over every row at each change.
        digits = self.table.fontMetrics().horizontalAdvance("0:00:00") + 16
        for column, width in ((PLAY, self.table.fontMetrics().horizontalAdvance("■") + 16), (TIME, digits)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        header.setSectionResizeMode(SPEAKER, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SPEAKER, 130)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.table.clicked.connect(self._clicked)
        self.table.editingStarted.connect(self._editing)
        # Row heights follow the text column's width (wrapping), measured once the width has settled.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(50)
        self._fit_timer.timeout.connect(self.table.resizeRowsToContents)
        self.model.modelReset.connect(self._resize_rows)
        header.sectionResized.connect(self._column_resized)

        self.message = QLabel(self)
        self.message.setAccessibleName("Message")
        self.message.setWordWrap(True)
        legend = QLabel(LEGEND, self)
        legend.setWordWrap(True)
        legend.setStyleSheet("color: #4a5a6a;")
        legend.setAccessibleName("Keys")
        self.finish_button = QPushButton("&Finish and start coding…", self)
        self.finish_button.clicked.connect(self.finish)
        bottom = QHBoxLayout()
        bottom.addWidget(legend, 1)
        bottom.addWidget(self.finish_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.speakers_row)
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        self._install_keys()
        self._build_speakers()
        self._show(self.draft)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, TEXT))
        self.table.setFocus()
        self.resize(980, 680)
        self.player.load(project, recording_uuid)  # last: a recording that cannot be read says so below

    # -- keys ----------------------------------------------------------------------------------------

    def _install_keys(self) -> None:
        def on_table(key: str, slot: Callable[[], object]) -> None:
            shortcut = QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

        for digit in range(1, 10):
            on_table(str(digit), functools.partial(self.give_speaker, digit))
        on_table("0", lambda: self.give_speaker(None))
        on_table("U", self.until_pause)
        on_table("Space", self.play_current)
        # These work while a segment's text is being edited too.
        on_table("Ctrl+Z", self.undo)
        # The main window's Audio keys do the same here (F9 or Ctrl+Space, F7 or Ctrl+Alt+Left).
        keys: tuple[tuple[str, Callable[[], object]], ...] = (
            ("F9", self.player.toggle),
            ("Ctrl+Space", self.player.toggle),
            ("F7", lambda: self.player.skip(-REWIND_MS)),
            ("Ctrl+Alt+Left", lambda: self.player.skip(-REWIND_MS)),
            ("F8", self.toggle_slow),
        )
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self, context=Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

    # -- speakers ------------------------------------------------------------------------------------

    def _build_speakers(self) -> None:
        self.speakers_row.addWidget(QLabel("Speakers:", self))
        for number, name in enumerate(self.draft.state.speakers, start=1):
            badge = QLabel(f" {number} ", self)
            badge.setStyleSheet(
                f"background: {speaker_colour(number).name()}; border-radius: 3px; font-weight: bold;"
            )
            edit = QLineEdit(name, self)
            edit.setAccessibleName(f"Name of speaker {number}")
            edit.setMaxLength(40)
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("M" * 11))
            edit.editingFinished.connect(self._rename_speakers)
            self.name_edits.append(edit)
            self.speakers_row.addWidget(badge)
            self.speakers_row.addWidget(edit)
        self.speakers_row.addStretch(1)

    def _rename_speakers(self) -> None:
        names = [edit.text() for edit in self.name_edits]
        if tuple(names) == self.draft.state.speakers:
            return
        try:
            self._show(self._project.transcription.set_speaker_names(self._uuid, names))
        except JswError as error:
            self._refused(error)
            for edit, name in zip(self.name_edits, self.draft.state.speakers, strict=True):
                edit.setText(name)

    def _selected_rows(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return rows

    def give_speaker(self, speaker: int | None) -> None:
        """The selected segments are said by *speaker* (None: by no one yet); on to the next segment."""
        rows = self._selected_rows()
        if not rows:
            return
        ordinals = [self.model.segments[row].ordinal for row in rows]
        undo = self._speakers_back("Speaker given")
        try:
            self._show(self._project.transcription.set_speaker(self._uuid, ordinals, speaker))
        except JswError as error:
            self._refused(error)
            return
        self._undo.append(undo)
        self._go_to(rows[-1] + 1)

    def until_pause(self) -> None:
        """The current segment's speaker to those after it, up to the next pause longer than set."""
        current = self.table.currentIndex()
        if not current.isValid():
            return
        segment = self.model.segments[current.row()]
        if segment.speaker is None:
            self._say(
                "Give this segment a speaker first (1–9); U then carries it on to the next pause.",
                refused=True,
            )
            return
        pause_ms = round(self.pause_spin.value() * 1000)
        try:
            run = self._project.transcription.until_pause(self._uuid, segment.ordinal, pause_ms)
            undo = self._speakers_back("Speaker given on to the pause")
            self._show(self._project.transcription.set_speaker(self._uuid, run, segment.speaker))
            self._undo.append(undo)
        except JswError as error:
            self._refused(error)
            return
        rows = {s.ordinal: row for row, s in enumerate(self.model.segments)}
        self._go_to(rows[run[-1]] + 1)
        self._say(f"{len(run)} segment(s) given to {self.draft.state.speakers[segment.speaker - 1]}.")

    def propose_from_channels(self) -> None:
        """Speakers from the stereo channels' energy, in the background (an hour takes seconds)."""
        running = self._jobs.running
        if running is not None:
            self._say(
                f"{running.title} is still running: propose the speakers when it has finished.", refused=True
            )
            return

        def done(proposed: bool) -> None:
            self.stereo_button.setEnabled(True)
            if not proposed:
                self._say("Both channels carry the same sound: there is nothing to propose from them.")
                return
            self._undo.append(before)
            self._show(self._read())
            speakers = self.draft.state.speakers
            self._say(
                f"Proposed: the left channel is {speakers[0]}, the right {speakers[1]}. "
                "Check them as you listen; 1–9 changes any."
            )

        def failed(error: BaseException) -> None:
            self.stereo_button.setEnabled(True)
            self._say(
                f"{str(error)[:1].upper()}{str(error)[1:]}."
                if isinstance(error, JswError)
                else f"That stopped because of a bug ({type(error).__name__}).",
                refused=True,
            )

        before = self._speakers_back("Speakers proposed from the channels")
        job = self._jobs.start(
            "Proposing speakers",
            workers.on_project(self._project, propose_body(self._uuid)),
            writes=True,
            on_done=done,
            on_error=failed,
        )
        if job is not None:
            self.stereo_button.setEnabled(False)
            self._say("Listening to the two channels…")

    # -- undo ----------------------------------------------------------------------------------------

    def _speakers_back(self, what: str) -> _Step:
        """How to give every segment back the speaker it has now."""
        before = {s.ordinal: s.speaker for s in self.draft.segments}
        first = self.model.segments[self._selected_rows()[0]].ordinal if self._selected_rows() else None

        def back() -> Draft:
            groups: dict[int | None, list[int]] = {}
            for ordinal, speaker in before.items():
                groups.setdefault(speaker, []).append(ordinal)
            draft = self.draft
            for speaker, ordinals in groups.items():
                draft = self._project.transcription.set_speaker(self._uuid, ordinals, speaker)
            return draft

        return (what, back, first)

    def undo(self) -> None:
        """Take back the last speaker change or correction (Ctrl+Z), as many as were made here."""
        if not self._undo:
            self._say("Nothing to undo in this window.")
            return
        what, back, ordinal = self._undo.pop()
        try:
            self._show(back())
        except JswError as error:
            self._refused(error)
            return
        if ordinal is not None:
            rows = {s.ordinal: row for row, s in enumerate(self.model.segments)}
            self._fit_row(ordinal)  # a correction taken back
            self._go_to(rows.get(ordinal, 0))
        self._say(f"Undone: {what.lower()}.")

    # -- corrections and playing ---------------------------------------------------------------------

    def _correct(self, ordinal: int, text: str) -> bool:
        old = next(s.text for s in self.draft.segments if s.ordinal == ordinal)
        try:
            draft = self._project.transcription.correct(self._uuid, ordinal, text)
        except JswError as error:
            self._refused(error)
            return False
        self._undo.append(
            ("Correction", lambda: self._project.transcription.correct(self._uuid, ordinal, old), ordinal)
        )
        # After the edit has closed: the model's rows repaint, the editor's commit is done.
        self._show(draft)
        self._fit_row(ordinal)
        return True

    def _editing(self, row: int) -> None:
        segment = self.model.segments[row]
        self.player.play_span(segment.start_ms, segment.end_ms)

    def play_current(self) -> None:
        current = self.table.currentIndex()
        if current.isValid():
            segment = self.model.segments[current.row()]
            self.player.play_span(segment.start_ms, segment.end_ms)

    def toggle_slow(self) -> None:
        self.player.set_rate(1.0 if self.player.rate() < 1.0 else SLOW_RATE)
        self._say(f"Playing at {'normal speed' if self.player.rate() == 1.0 else 'three-quarter speed'}.")

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == PLAY:
            segment = self.model.segments[index.row()]
            if self.model.playing == index.row() and self.player.is_playing():
                self.player.pause()
            else:
                self.player.play_span(segment.start_ms, segment.end_ms)

    def _position(self, ms: int) -> None:
        row = None
        if self.player.is_playing():
            row = next(
                (i for i, s in enumerate(self.model.segments) if s.start_ms <= ms < s.end_ms),
                self.model.playing,
            )
        self.model.set_playing(row)

    # -- finishing -----------------------------------------------------------------------------------

    @classmethod
    def confirm(cls, parent: QWidget, text: str) -> bool:
        no, yes = QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes
        box = QMessageBox(QMessageBox.Icon.Question, "Finish and start coding", text, yes | no, parent)
        box.button(yes).setText("&Finish")
        box.button(no).setText("&Keep correcting")
        box.setDefaultButton(no)
        return box.exec() == yes

    def finish(self) -> None:
        """The draft becomes a transcript (after the confirmation); the window closes and it opens."""
        name = self.draft.recording.name
        unlabelled = [row for row, s in enumerate(self.model.segments) if s.speaker is None]
        if unlabelled and len(self.draft.state.speakers) > 1:
            self._go_to(unlabelled[0])
            self._say(
                f"{len(unlabelled)} segment(s) have no speaker yet: give each one (1–9) before finishing.",
                refused=True,
            )
            return
        if not self.confirm(self, FINISH_TEXT.format(name=name)):
            return
        try:
            transcript = self._project.transcription.finish(self._uuid)
        except JswError as error:
            self._refused(error)
            return
        self.close()
        self._finished(transcript.uuid)

    # -- helpers -------------------------------------------------------------------------------------

    def _read(self) -> Draft:
        draft = self._project.transcription.draft(self._uuid)
        if draft is None:
            raise JswError("this recording has no transcription to correct")
        return draft

    def _show(self, draft: Draft) -> None:
        self.draft = draft
        self.model.show(draft.segments, draft.state.speakers)
        recording = draft.recording
        unlabelled = sum(1 for s in draft.segments if s.speaker is None)
        length = f", {clock(recording.duration_ms)}" if recording.duration_ms else ""
        todo = (
            f"{unlabelled} without a speaker yet."
            if unlabelled and len(draft.state.speakers) > 1
            else "Every segment has its speaker."
        )
        self.heading.setText(
            f"<b>{html.escape(recording.name)}</b>{length}, {len(draft.segments)} segments. {todo} "
            "Label the speakers and correct the text as you listen, then finish."
        )

    def _resize_rows(self) -> None:
        self._fit_timer.start()

    def _column_resized(self, column: int, _old: int, _new: int) -> None:
        if column == TEXT:
            self._resize_rows()

    def _fit_row(self, ordinal: int) -> None:
        """The row's height for its text, once the editor has closed (an open editor sets the height)."""

        def fit() -> None:
            rows = {s.ordinal: row for row, s in enumerate(self.model.segments)}
            if ordinal in rows:
                self.table.resizeRowToContents(rows[ordinal])

        QTimer.singleShot(0, fit)

    def _go_to(self, row: int) -> None:
        row = min(row, self.model.rowCount() - 1)
        if row < 0:
            return
        index = self.model.index(row, TEXT)
        self.table.selectionModel().clearSelection()
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()

    def _say(self, line: str, *, refused: bool = False) -> None:
        """One line under the list: what was done, or (in brown) why not."""
        self.message.setStyleSheet("color: #7a3b00;" if refused else "color: #2f4a3a;")
        self.message.setText(line)

    def _refused(self, error: JswError) -> None:
        self._say(f"{str(error)[:1].upper()}{str(error)[1:]}.", refused=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.player.unload()
        self.model.show((), ())
        self.closed.emit()
        super().closeEvent(event)
