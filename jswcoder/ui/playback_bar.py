"""Hearing a transcript: a playback bar under the text, and the passage playing marked as it plays.

:class:`Playback` ties the transcript view to its recording through the transcript's timeline
(``project.transcription.timeline``: which stretch of text plays from which stretch of audio). The
workbench makes one when the first transcript with audio is opened, so Qt Multimedia loads only then;
for a transcript without audio the bar is hidden. The recording is read out of the project at the first
play, not on opening: a coder who only reads keeps no decrypted audio in memory.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from jswcoder.clock import clock
from jswcoder.project import Project
from jswcoder.store.transcription import TimedSpan
from jswcoder.ui.audio_player import AudioPlayer
from jswcoder.ui.transcript_view import TranscriptView

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5)
SKIP_MS = 3000


def passage_times(timeline: Sequence[TimedSpan], start: int, end: int) -> tuple[str, int, int] | None:
    """Where the passage ``start..end`` (code points) is heard: from the timed span covering its start to
    the end of the span covering its end (in the first span's recording); None where it has no audio."""
    inside = [span for span in timeline if span.start < end and span.end > start]
    if not inside:
        return None
    first = inside[0]
    last = [span for span in inside if span.recording_uuid == first.recording_uuid][-1]
    return first.recording_uuid, first.start_ms, max(last.end_ms, first.start_ms + 1)


def span_from(timeline: Sequence[TimedSpan], offset: int) -> TimedSpan | None:
    """The timed span at ``offset``, or the next one after it (a click between two)."""
    return next((span for span in timeline if span.end > offset), None)


class PlaybackBar(QFrame):
    """Play/pause, back 3 s, the time, a seek slider and the speed: a quiet strip under the text."""

    toggleRequested = Signal()
    backRequested = Signal()
    seekRequested = Signal(int)  # ms
    rateChosen = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Playback")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setObjectName("playbackBar")
        self.setStyleSheet("#playbackBar { background: #f3f1ec; border-top: 1px solid #dedad2; }")
        style = self.style()
        self._play_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        self._pause_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPause)
        self.play_button = QToolButton(self)
        self.play_button.setIcon(self._play_icon)
        self.play_button.setAutoRaise(True)
        self.play_button.clicked.connect(self.toggleRequested)
        self.back_button = QToolButton(self)
        self.back_button.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward))
        self.back_button.setAutoRaise(True)
        self.back_button.setAccessibleName("Back 3 seconds")
        self.back_button.setToolTip("Back 3 seconds (Ctrl+Alt+Left or F7)")
        self.back_button.clicked.connect(self.backRequested)
        self.time_label = QLabel(self)
        self.time_label.setAccessibleName("Time")
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setAccessibleName("Position in the recording")
        self.slider.setSingleStep(SKIP_MS)
        self.slider.setPageStep(30_000)
        self.slider.valueChanged.connect(self._slider_moved)
        self.speed = QComboBox(self)
        self.speed.setAccessibleName("Speed")
        self.speed.setToolTip("Speed (Ctrl+Alt+Up and Ctrl+Alt+Down)")
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}×", rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.activated.connect(lambda index: self.rateChosen.emit(self.speed.itemData(index)))
        for widget in (self.play_button, self.back_button, self.slider, self.speed):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a click leaves the keys in the text
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.play_button)
        layout.addWidget(self.back_button)
        layout.addWidget(self.time_label)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.speed)
        self._showing = False  # the slider is being set from the player, not by the reader
        self.set_playing(False)
        self.show_time(0, 0)

    def set_playing(self, playing: bool) -> None:
        self.play_button.setIcon(self._pause_icon if playing else self._play_icon)
        what = "Pause" if playing else "Play"
        self.play_button.setAccessibleName(what)
        self.play_button.setToolTip(f"{what} (Ctrl+Space or F9; Ctrl+click in the text plays from there)")

    def show_time(self, position: int, duration: int) -> None:
        total = clock(duration) if duration else "–:––"
        if self.slider.maximum() != duration:  # room for the longest time, so the slider keeps still
            widest = self.time_label.fontMetrics().horizontalAdvance(f"{total} / {total}")
            self.time_label.setMinimumWidth(widest + 4)
        self.time_label.setText(f"{clock(position)} / {total}")
        if self.slider.isSliderDown():
            return  # the reader is dragging it
        self._showing = True
        self.slider.setRange(0, max(duration, 0))
        self.slider.setValue(position)
        self._showing = False

    def show_rate(self, rate: float) -> None:
        index = self.speed.findData(rate)
        if index >= 0:
            self.speed.setCurrentIndex(index)

    def _slider_moved(self, value: int) -> None:
        if not self._showing:
            self.seekRequested.emit(value)


class Playback(QObject):
    """The open transcript's recording: played, followed in the text, and driven by the Audio menu."""

    def __init__(
        self, project: Project, view: TranscriptView, say: Callable[[str], None], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._project = project
        self._view = view
        self._say = say
        self.player = AudioPlayer(self)
        self.bar = PlaybackBar(parent)
        self._transcript_uuid: str | None = None
        self._timeline: list[TimedSpan] = []
        self._spans: list[TimedSpan] = []  # the loaded recording's, by time
        self._starts: list[int] = []
        self._playing_span: TimedSpan | None = None
        self.player.position_changed.connect(self._moved)
        self.player.playing_changed.connect(self.bar.set_playing)
        self.player.failed.connect(lambda line: say(f"{line[:1].upper()}{line[1:]}."))
        self.bar.toggleRequested.connect(self.toggle)
        self.bar.backRequested.connect(self.back)
        self.bar.seekRequested.connect(self._seek)
        self.bar.rateChosen.connect(self._set_rate)

    def show(self, transcript_uuid: str, timeline: list[TimedSpan]) -> None:
        """A transcript was opened: its timeline, the bar shown only if it has audio. The same one
        opened afresh (after a sync) plays on."""
        if transcript_uuid == self._transcript_uuid and timeline == self._timeline:
            span, self._playing_span = self._playing_span, None
            if span is not None:
                self._moved(self.player.position())
            return
        self.unload()
        self._transcript_uuid = transcript_uuid
        self._timeline = timeline
        self.bar.setVisible(bool(timeline))
        if timeline:
            first = self._project.recordings.find(timeline[0].recording_uuid)
            self.bar.show_time(0, first.duration_ms or 0)

    def has_audio(self) -> bool:
        return bool(self._timeline)

    def unload(self) -> None:
        """Stop and drop the decrypted audio (a lock, closing, another transcript)."""
        self.player.unload()
        self._transcript_uuid = None
        self._spans, self._starts = [], []
        self._playing_span = None
        self._view.set_playing(None)
        self.bar.set_playing(False)

    # -- the Audio menu ----------------------------------------------------------------------------

    def toggle(self) -> None:
        if self.player.loaded_uuid is None and not self._load(self._timeline[0].recording_uuid):
            return
        self.player.toggle()

    def back(self) -> None:
        self.player.skip(-SKIP_MS)

    def forward(self) -> None:
        self.player.skip(SKIP_MS)

    def slower(self) -> None:
        self._step_rate(-1)

    def faster(self) -> None:
        self._step_rate(1)

    def here(self) -> None:
        """Play the selected passage, or from the caret on."""
        selected = self._view.selected_range()
        if selected is not None:
            self.play_range(*selected)
        else:
            self.play_from(self._view.cursor_offset())

    def play_range(self, start: int, end: int) -> None:
        """Hear a passage (a selection, a coding): from the timed span at its start to the end of the
        one at its end, then pause."""
        times = passage_times(self._timeline, start, end)
        if times is None:
            self._say("This passage has no audio.")
            return
        recording, start_ms, end_ms = times
        if self._load(recording):
            self.player.play_span(start_ms, end_ms)

    def play_from(self, offset: int) -> None:
        """Hear the recording on from the passage at ``offset``."""
        span = span_from(self._timeline, offset)
        if span is None:
            self._say("There is no audio after this point.")
            return
        if self._load(span.recording_uuid):
            self.player.seek(span.start_ms)
            self.player.play()

    # -- inside ------------------------------------------------------------------------------------

    def _load(self, recording_uuid: str) -> bool:
        if self.player.loaded_uuid == recording_uuid:
            return True
        # Read out of the database whole, its hash checked: half a second for an hour of 16 kHz mono.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.player.load(self._project, recording_uuid)
        finally:
            QApplication.restoreOverrideCursor()
        if self.player.loaded_uuid is None:
            return False
        self._spans = sorted(
            (span for span in self._timeline if span.recording_uuid == recording_uuid),
            key=lambda span: span.start_ms,
        )
        self._starts = [span.start_ms for span in self._spans]
        return True

    def _seek(self, ms: int) -> None:
        if self.player.loaded_uuid is None and not self._load(self._timeline[0].recording_uuid):
            return
        self.player.seek(ms)

    def _set_rate(self, rate: float) -> None:
        self.player.set_rate(rate)
        self.bar.show_rate(self.player.rate())

    def _step_rate(self, step: int) -> None:
        at = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - self.player.rate()))
        rate = SPEEDS[min(max(at + step, 0), len(SPEEDS) - 1)]
        self._set_rate(rate)
        self._say(f"Playing at {rate:g}× speed.")

    def _moved(self, ms: int) -> None:
        self.bar.show_time(ms, self.player.duration())
        index = bisect_right(self._starts, ms) - 1
        span = self._spans[index] if index >= 0 and ms < self._spans[index].end_ms else None
        if span != self._playing_span:
            self._playing_span = span
            self._view.set_playing(None if span is None else (span.start, span.end))
            if span is not None:
                self._view.follow(span.start, span.end)
