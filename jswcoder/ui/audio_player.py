"""Playing a recording from the encrypted project: one :class:`QMediaPlayer` fed from memory.

The recording is read whole into memory (:func:`jswcoder.ui.audio_source.recording_buffer`, its SHA-256
checked) and played through a :class:`QBuffer`; nothing is written to disk. :meth:`AudioPlayer.unload`
stops and drops those bytes (freed, as Python and Qt free memory: not overwritten): the idle lock and
closing the project call it.

Qt Multimedia is loaded only with this module, which the transcript view imports when a transcript with
audio (or a recording) is opened: the app starts, and passes its self-test, without it.

With no sound device (a test machine, CI, a laptop whose sound server is down) Qt's FFmpeg backend
plays against the system clock, so positions still advance in real time and a test can check them
offscreen. Qt then says once, in its default log category, that it found no device (PulseAudio on
Linux); the tests' ``qt_log_ignore`` lists those lines. Measured with Qt 6.11 offscreen and no device:
positions are reported every 50-100 ms, advancing in steps of 64 ms, and a seek is reported at once;
playing starts about 40 ms after ``seek()`` and ``play()`` (``benchmarks/playback_seek.py``).
"""

from __future__ import annotations

import ctypes
import os
import sys

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QObject, Qt, QTimer, QUrl, Signal

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.ui.audio_source import recording_buffer  # first: it quiets Qt Multimedia's log

from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer  # isort: skip

MIN_RATE, MAX_RATE = 0.5, 2.0
_COULD_NOT_PLAY = {
    QMediaPlayer.Error.FormatError: "the recording could not be played (a format this version cannot play)",
    QMediaPlayer.Error.ResourceError: "the recording could not be played (it seems damaged)",
    QMediaPlayer.Error.AccessDeniedError: "the recording could not be played (the sound device refused it)",
}


# QMediaPlayer::stop() and ::setSource(const QUrl &), Itanium-mangled (Linux): see _without_the_gil.
_STOP = "_ZN12QMediaPlayer4stopEv"
_SET_SOURCE = "_ZN12QMediaPlayer9setSourceERK4QUrl"


def _without_the_gil(player: QMediaPlayer, symbol: str, *arguments: shiboken6.Object) -> bool:
    """Call a QMediaPlayer method with Python's lock (the GIL) released; False where this cannot be done.

    PySide calls ``stop()`` and ``setSource()`` holding the GIL, and they wait for a mutex of Qt's. Qt's
    FFmpeg threads meanwhile delete their own objects (deferred deletes); disconnecting those from our
    player and audio output (Python-made objects) asks PySide whether Python overrides
    ``disconnectNotify``, which needs the GIL, while holding that mutex: each waits for the other, and
    the window froze on closing a transcript with audio (about 1 run in 5 of tests/test_ui_playback.py
    on 2 busy cores; the stacks showed both threads). ctypes releases the GIL for the call, as a
    PySide method marked "allow-thread" would. Linux only: the library is the one already loaded
    (RTLD_NOLOAD), found by its exported symbol; elsewhere the caller calls the method as usual.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        library = ctypes.CDLL("libQt6Multimedia.so.6", mode=os.RTLD_NOLOAD | os.RTLD_LAZY)
        function = getattr(library, symbol)
    except (OSError, AttributeError):
        return False
    function.argtypes = [ctypes.c_void_p] * (1 + len(arguments))
    function.restype = None
    pointers = [shiboken6.getCppPointer(player)[0]] + [shiboken6.getCppPointer(a)[0] for a in arguments]
    function(*pointers)  # a ctypes.CDLL function runs with the GIL released
    return True


class AudioPlayer(QObject):
    """Plays one recording at a time; positions and durations in milliseconds."""

    position_changed = Signal(int)  # while playing (every 50-100 ms) and after each seek
    playing_changed = Signal(bool)
    failed = Signal(str)  # one plain line, never the recording's content or tags

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        self._output = QAudioOutput(self)
        self._player.setAudioOutput(self._output)
        self._buffer: QBuffer | None = None
        self._uuid: str | None = None
        self._duration = 0  # from the project, until the player knows better
        self._rate = 1.0
        self._pending_seek: int | None = None  # a seek asked for before the recording was loaded
        self._stop_at: int | None = None  # play_span's end
        # play_span's end comes between two position reports: a timer stops it there, not up to 64 ms late.
        self._stop_timer = QTimer(self)
        self._stop_timer.setSingleShot(True)
        self._stop_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._stop_timer.timeout.connect(self._reached_stop)
        self._player.positionChanged.connect(self._moved)
        self._player.playbackStateChanged.connect(self._state_changed)
        self._player.mediaStatusChanged.connect(self._status_changed)
        self._player.errorOccurred.connect(self._error)

    # -- the recording -----------------------------------------------------------------------------

    def load(self, project: Project, recording_ref: str) -> None:
        """Read a recording out of the project and get it ready to play (paused at 0). A recording that
        cannot be read says so through ``failed``, with nothing loaded."""
        self.unload()
        try:
            recording = project.recordings.find(recording_ref)
            buffer = recording_buffer(project, recording.uuid)
        except JswError as error:
            self.failed.emit(str(error))
            return
        self._buffer = buffer
        self._uuid = recording.uuid
        self._duration = recording.duration_ms or 0
        # The name only tells FFmpeg what kind of file to expect; the recording's own name stays out.
        self._player.setSourceDevice(buffer, QUrl(f"recording.{recording.container}"))
        self._player.setPlaybackRate(self._rate)

    def unload(self) -> None:
        """Stop and drop the decrypted bytes (the idle lock and closing the project call this)."""
        self._stop_timer.stop()
        self._stop_at = None
        self._pending_seek = None
        if not _without_the_gil(self._player, _STOP):
            self._player.stop()
        empty = QUrl()
        if not _without_the_gil(self._player, _SET_SOURCE, empty):
            self._player.setSource(empty)
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.setData(QByteArray())
            self._buffer = None
        self._uuid = None
        self._duration = 0

    @property
    def loaded_uuid(self) -> str | None:
        return self._uuid

    # -- control -----------------------------------------------------------------------------------

    def play(self) -> None:
        if self._uuid is not None:
            self._player.play()

    def pause(self) -> None:
        self._stop_timer.stop()
        self._stop_at = None
        self._player.pause()

    def toggle(self) -> None:
        if self.is_playing():
            self.pause()
        else:
            self.play()

    def seek(self, ms: int) -> None:
        """Go to ``ms`` (clamped to the recording), playing on if it was playing. A seek made while the
        recording is still loading is applied once it has loaded."""
        if self._uuid is None:
            return
        ms = max(0, ms if self.duration() <= 0 else min(ms, self.duration()))
        if self._player.mediaStatus() in (
            QMediaPlayer.MediaStatus.NoMedia,
            QMediaPlayer.MediaStatus.LoadingMedia,
        ):
            self._pending_seek = ms
            self.position_changed.emit(ms)
            return
        self._player.setPosition(ms)

    def play_span(self, start_ms: int, end_ms: int) -> None:
        """Play ``start_ms`` to ``end_ms`` and pause there by itself."""
        if self._uuid is None or end_ms <= start_ms:
            return
        self._stop_timer.stop()
        self.seek(start_ms)
        self._stop_at = end_ms
        self.play()
        self._arm_stop(start_ms)

    def skip(self, delta_ms: int) -> None:
        """Move by ``delta_ms`` (-3000 goes back 3 s), never before the start."""
        self.seek(self.position() + delta_ms)

    def set_rate(self, rate: float) -> None:
        """Playing speed, 0.5 (a transcriber's slow) to 2.0; kept for the next recording too."""
        self._rate = min(max(rate, MIN_RATE), MAX_RATE)
        self._player.setPlaybackRate(self._rate)
        if self._stop_at is not None:
            self._arm_stop(self.position())

    # -- state -------------------------------------------------------------------------------------

    def rate(self) -> float:
        return self._rate

    def position(self) -> int:
        if self._pending_seek is not None:
            return self._pending_seek
        return self._player.position() if self._uuid is not None else 0

    def duration(self) -> int:
        if self._uuid is None:
            return 0
        return self._player.duration() or self._duration

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    # -- from Qt -----------------------------------------------------------------------------------

    def _moved(self, ms: int) -> None:
        if self._pending_seek is not None:
            return  # the player's own 0 before a seek asked for while loading
        if self._stop_at is not None and self.is_playing():
            if ms >= self._stop_at:
                self._reached_stop()
                return
            self._arm_stop(ms)
        self.position_changed.emit(ms)

    def _arm_stop(self, ms: int) -> None:
        if self._stop_at is not None:
            self._stop_timer.start(max(0, round((self._stop_at - ms) / self._rate)))

    def _reached_stop(self) -> None:
        end = self._stop_at
        self.pause()
        if end is not None:
            self._player.setPosition(end)  # so the view shows the span's end, not a few ms short of it

    def _status_changed(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._pending_seek is not None:
            ms, self._pending_seek = self._pending_seek, None
            self._player.setPosition(ms)
            if self._stop_at is not None:
                self._arm_stop(ms)

    def _state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        self.playing_changed.emit(state == QMediaPlayer.PlaybackState.PlayingState)

    def _error(self, error: QMediaPlayer.Error, _message: str) -> None:
        # Qt's message can quote the file's tags (a title naming the participant): a plain line instead.
        if error != QMediaPlayer.Error.NoError:
            self.failed.emit(_COULD_NOT_PLAY.get(error, "the recording could not be played"))
