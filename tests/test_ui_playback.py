"""Playback: the player follows the clock offscreen (no sound device needed), seeks, spans, skips and
speeds; the transcript view plays in step with its recording, by keys and from Coded passages; the idle
lock drops the audio."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import wave
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from jswcoder.project import Project
from jswcoder.store.transcription import TimedSpan
from jswcoder.ui import audio_player
from jswcoder.ui.audio_player import AudioPlayer
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.playback_bar import Playback, passage_times, span_from
from jswcoder.ui.settings import Settings
from jswcoder.ui.workbench import Workbench
from tests import ui_drive as drive
from tests.conftest import REPO, write_txt

SECONDS = 20
RATE = 16_000


def tone_wav(path: Path, seconds: int = SECONDS) -> Path:
    """A quiet tone, its pitch rising each second (so any stretch differs from any other)."""
    t = np.arange(seconds * RATE) / RATE
    samples = (3000 * np.sin(2 * np.pi * (220 + 20 * np.floor(t)) * t)).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


@pytest.fixture
def recording(project: Project, tmp_path: Path) -> str:
    return project.recordings.import_file(tone_wav(tmp_path / "interview_3.wav")).uuid


@pytest.fixture
def player(qtbot, project: Project, recording: str) -> Iterator[AudioPlayer]:  # type: ignore[no-untyped-def]
    audio = AudioPlayer()
    audio.load(project, recording)
    qtbot.waitUntil(lambda: audio.duration() == SECONDS * 1000)
    yield audio
    audio.unload()


def _playing_from(qtbot, player: AudioPlayer) -> float:  # type: ignore[no-untyped-def]
    """Start playing; the wall-clock time it started."""
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on):
        player.play()
    return time.monotonic()


def behind_the_clock(
    reported: list[tuple[float, int]], started: float, origin: int, rate: float = 1.0
) -> list[float]:
    """For each position reported, how many ms of audio it is behind the wall clock since ``started``
    (from ``origin``, at ``rate``): Qt reports every 50-100 ms, so 0 to about 100 when it keeps time."""
    return [(t - started) * 1000 * rate - (ms - origin) for t, ms in reported if ms > origin]


# -- the player -------------------------------------------------------------------------------------


def test_positions_follow_the_clock(qtbot, player: AudioPlayer, recording: str) -> None:  # type: ignore[no-untyped-def]
    assert (player.loaded_uuid, player.position(), player.is_playing()) == (recording, 0, False)
    reported: list[tuple[float, int]] = []
    player.position_changed.connect(lambda ms: reported.append((time.monotonic(), ms)))
    started = _playing_from(qtbot, player)
    qtbot.waitUntil(lambda: player.position() >= 1500, timeout=5000)
    behind = behind_the_clock(reported, started, 0)
    assert min(behind) >= -30 and max(behind) <= 250, "a second of audio takes a second"
    # Reported as it plays, often enough for a highlight to follow, and always forwards.
    positions = [ms for _t, ms in reported]
    assert len(positions) >= 10
    assert positions == sorted(positions)
    gaps = [b[0] - a[0] for a, b in pairwise(reported)]
    assert max(gaps) < 0.2
    assert player.is_playing()


def test_a_seek_then_play_starts_at_the_seek_point(qtbot, player: AudioPlayer) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(player.position_changed, check_params_cb=lambda ms: ms == 12_000):
        player.seek(12_000)
    assert player.position() == 12_000
    _playing_from(qtbot, player)
    qtbot.waitUntil(lambda: player.position() > 12_000)
    assert 12_000 < player.position() < 12_400
    # Seeking while playing goes on playing from the new place.
    player.seek(3_000)
    qtbot.waitUntil(lambda: 3_000 < player.position() < 3_400)
    assert player.is_playing()


def test_a_span_plays_and_pauses_at_its_end(qtbot, player: AudioPlayer) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: not on, timeout=3000):
        player.play_span(5_000, 5_700)
    assert 0.6 <= time.monotonic() - started <= 1.0
    assert not player.is_playing()
    assert player.position() == 5_700
    qtbot.wait(200)
    assert player.position() == 5_700  # it stays where it stopped


def test_skips_are_clamped_and_speed_changes_the_pace(qtbot, player: AudioPlayer) -> None:  # type: ignore[no-untyped-def]
    player.seek(2_000)
    player.skip(-3_000)
    assert player.position() == 0
    player.seek(9_000)
    player.skip(-3_000)
    assert player.position() == 6_000
    player.skip(60_000)
    assert player.position() == SECONDS * 1000
    player.set_rate(5.0)
    assert player.rate() == 2.0
    player.set_rate(0.1)
    assert player.rate() == 0.5
    player.set_rate(2.0)
    player.seek(1_000)
    reported: list[tuple[float, int]] = []
    player.position_changed.connect(lambda ms: reported.append((time.monotonic(), ms)))
    started = _playing_from(qtbot, player)
    qtbot.waitUntil(lambda: player.position() >= 3_000, timeout=5000)
    behind = behind_the_clock(reported, started, 1_000, rate=2.0)
    assert len(behind) >= 5 and min(behind) >= -60 and max(behind) <= 400, "two seconds of audio in one"


def test_unload_stops_and_drops_the_audio(qtbot, player: AudioPlayer) -> None:  # type: ignore[no-untyped-def]
    _playing_from(qtbot, player)
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: not on):
        player.unload()
    assert (player.loaded_uuid, player.position(), player.duration(), player.is_playing()) == (
        None,
        0,
        0,
        False,
    )
    assert player._buffer is None
    player.play()  # nothing loaded: nothing happens
    qtbot.wait(100)
    assert not player.is_playing()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the GIL is released for these calls on Linux"
)
def test_unload_calls_qt_with_the_gil_released(qtbot, player: AudioPlayer) -> None:  # type: ignore[no-untyped-def]
    """unload() stops and clears the player through the exported C++ methods, with Python's lock released:
    held, it deadlocked against Qt's FFmpeg threads deleting their objects (the window froze on closing a
    transcript with audio, about 1 run in 5 of this file). Timing-dependent, so this checks the path is
    taken here (the library and its symbols found): were it not, unload would fall back to the calls that
    froze, silently."""
    _playing_from(qtbot, player)
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: not on):
        assert audio_player._without_the_gil(player._player, audio_player._STOP)
    assert audio_player._without_the_gil(player._player, audio_player._SET_SOURCE, QUrl())
    assert player._player.source().isEmpty() and player._player.sourceDevice() is None
    assert not audio_player._without_the_gil(player._player, "_ZN12QMediaPlayer8noSuchMethodEv")


def test_a_recording_that_will_not_play_says_so_in_one_line(qtbot, project: Project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    damaged = tmp_path / "damaged.ogg"
    damaged.write_bytes(b"OggS" + bytes(range(256)) * 400)  # an Ogg file by its first bytes, and nothing more
    uuid = project.recordings.import_file(damaged).uuid
    audio = AudioPlayer()
    messages: list[str] = []
    audio.failed.connect(messages.append)
    audio.load(project, "no such recording")
    assert audio.loaded_uuid is None
    assert len(messages) == 1 and "\n" not in messages[0]
    audio.load(project, uuid)
    qtbot.waitUntil(lambda: len(messages) == 2)
    assert messages[1].startswith("the recording could not be played")
    audio.unload()


# -- the transcript view, in the workbench ----------------------------------------------------------

TURNS = 40  # one a second, over a recording a little longer
SAY = (
    "we talked about the hostel and the reports for the court, and about the weeks when nothing seemed "
    "to move at all, which were most of them, and then about the support that came later"
)


def stamped_text() -> str:
    speakers = ("Interviewer", "Participant")
    return "\n\n".join(f"[00:00:{n:02d}] {speakers[n % 2]}: Turn {n}, {SAY}." for n in range(TURNS)) + "\n"


@pytest.fixture
def window(qtbot: QtBot, project: Project, tmp_path: Path) -> Iterator[MainWindow]:
    """A project with a stamped transcript tied to its recording (interview_1) and one without audio."""
    recording = project.recordings.import_file(tone_wav(tmp_path / "interview_1.wav", seconds=TURNS + 5))
    heard, _ = project.transcripts.import_file(
        write_txt(tmp_path / "inbox", "interview_1.txt", stamped_text())
    )
    project.transcription.link(heard.uuid, recording.uuid)
    project.transcripts.import_file(
        write_txt(tmp_path / "inbox", "interview_2.txt", "Interviewer: No tape.\n")
    )
    code = project.codebook.add("Court reports")
    text = stamped_text()  # a coding from turn 7 into turn 8
    project.codings.add(heard.uuid, text.index("Turn 7,"), text.index("Turn 8,") + 10, code.uuid)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    shown = drive.shown(qtbot, MainWindow(project, settings))
    shown.resize(1400, 860)
    yield shown
    shown.close_project()


def bench(window: MainWindow) -> Workbench:
    assert window.workbench is not None
    return window.workbench


def playback(window: MainWindow) -> Playback:
    assert bench(window).playback is not None
    return bench(window).playback  # type: ignore[return-value]


def wheel_up(edit: QPlainTextEdit) -> None:
    """One notch of the mouse wheel over the text, as the platform delivers it."""
    viewport = edit.viewport()
    at = QPointF(viewport.rect().center())
    QApplication.sendEvent(
        viewport,
        QWheelEvent(
            at,
            QPointF(viewport.mapToGlobal(at.toPoint())),
            QPoint(0, 0),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )


def turn_span(n: int) -> tuple[int, int]:
    text = stamped_text()
    start = text.index(f"[00:00:{n:02d}]")
    return start, text.index("\n", start)


def open_by_name(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Choose a transcript in the list and press Enter, as a person would."""
    view = bench(window).transcripts.view
    model = view.model()
    row = next(model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(row).center())
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bench(window).current is not None and bench(window).current.name == name)


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A key pressed while the transcript's text has the keys."""
    edit = bench(window).view.text_edit
    edit.setFocus()
    qtbot.keyClick(edit, key, modifiers)


CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)


def test_the_bar_is_there_only_for_a_transcript_with_audio(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    assert bench(window).current is not None and bench(window).current.name == "interview_1"
    bar = playback(window).bar
    assert bar.isVisible()
    assert bar.time_label.text() == "0:00 / 0:45"
    assert playback(window).player.loaded_uuid is None, "the audio is read out only when it is played"
    window.grab().save(str(tmp_path / "bar.png"))
    open_by_name(qtbot, window, "interview_2")
    assert not bar.isVisible()
    press(qtbot, window, Qt.Key.Key_Space, CTRL)
    assert window.statusBar().currentMessage() == "This transcript has no recording to play."
    open_by_name(qtbot, window, "interview_1")
    assert bar.isVisible()
    # A stamped turn's label is bold up to the name's colon, not the stamp's.
    assert bench(window).view._formatter.labels[0] == (0, len("[00:00:00] Interviewer:"), False)


def test_ctrl_space_plays_and_pauses_and_the_passage_playing_is_marked(
    qtbot: QtBot, window: MainWindow
) -> None:
    player = playback(window).player
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on):
        press(qtbot, window, Qt.Key.Key_Space, CTRL)
    edit = bench(window).view.text_edit
    qtbot.waitUntil(lambda: player.position() >= 1_100, timeout=4000)
    # The passage under the position is marked: a wash beneath the text, not a coding's colour.
    marked = [
        s for s in edit.extraSelections() if s.format.underlineStyle() != s.format.UnderlineStyle.NoUnderline
    ]
    assert len(marked) == 1
    second = player.position() // 1000
    start, end = turn_span(second)
    assert (marked[0].cursor.selectionStart(), marked[0].cursor.selectionEnd()) == (start, end)
    assert "Play" not in playback(window).bar.play_button.accessibleName()  # it says Pause now
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: not on):
        press(qtbot, window, Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier)
    assert playback(window).bar.play_button.accessibleName() == "Play"


def test_the_mark_follows_the_position_and_the_view_follows_the_mark(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    edit = bench(window).view.text_edit
    assert edit.verticalScrollBar().value() == 0
    playback(window).bar.slider.setValue(30_500)  # as a drag of the slider does
    player = playback(window).player
    assert player.position() == 30_500
    press(qtbot, window, Qt.Key.Key_Space, CTRL)
    qtbot.waitUntil(lambda: player.position() >= 31_050, timeout=4000)
    marked = [
        s for s in edit.extraSelections() if s.format.underlineStyle() != s.format.UnderlineStyle.NoUnderline
    ]
    assert marked and marked[0].cursor.selectionStart() == turn_span(31)[0]
    start, end = turn_span(31)
    top, bottom = (edit.cursorRect(bench(window).view._layer.cursor(at, at)) for at in (start, end))
    assert top.top() >= 0 and bottom.bottom() < edit.viewport().height(), "the passage playing is in sight"
    assert not edit.textCursor().hasSelection() and edit.textCursor().position() == 0, "the caret stayed"
    window.grab().save(str(tmp_path / "playing.png"))
    # The reader turns the wheel to look back up: the view stops following for a while.
    bar = edit.verticalScrollBar()
    while bar.value() > 0:
        wheel_up(edit)
    qtbot.waitUntil(lambda: player.position() >= 32_100, timeout=4000)
    assert bar.value() == 0
    player.pause()


def test_rewind_forward_and_speed_keys(qtbot: QtBot, window: MainWindow) -> None:
    player = playback(window).player
    playback(window).bar.slider.setValue(10_000)
    press(qtbot, window, Qt.Key.Key_Left, CTRL | ALT)
    assert player.position() == 7_000
    press(qtbot, window, Qt.Key.Key_F7, Qt.KeyboardModifier.NoModifier)
    assert player.position() == 4_000
    press(qtbot, window, Qt.Key.Key_Right, CTRL | ALT)
    assert player.position() == 7_000
    press(qtbot, window, Qt.Key.Key_Down, CTRL | ALT)
    assert player.rate() == 0.75
    assert playback(window).bar.speed.currentText() == "0.75×"
    press(qtbot, window, Qt.Key.Key_Down, CTRL | ALT)
    press(qtbot, window, Qt.Key.Key_Down, CTRL | ALT)
    assert player.rate() == 0.5
    for _ in range(5):
        press(qtbot, window, Qt.Key.Key_Up, CTRL | ALT)
    assert player.rate() == 1.5
    assert window.statusBar().currentMessage() == "Playing at 1.5× speed."


def test_ctrl_click_plays_from_the_passage_clicked(qtbot: QtBot, window: MainWindow) -> None:
    edit = bench(window).view.text_edit
    text = stamped_text()
    point = drive.point_of(edit, text, text.index("Turn 3,") + 2)
    player = playback(window).player
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on):
        qtbot.mouseClick(edit.viewport(), Qt.MouseButton.LeftButton, CTRL, point)
    qtbot.waitUntil(lambda: player.position() > 3_000)
    assert 3_000 < player.position() < 3_500
    player.pause()


def test_the_selection_plays_its_span_and_stops(qtbot: QtBot, window: MainWindow) -> None:
    text = stamped_text()
    drive.select(window, text, text[text.index("hostel", turn_span(5)[0]) : text.index("Turn 6,")])
    player = playback(window).player
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: not on, timeout=4000):
        press(qtbot, window, Qt.Key.Key_Space, CTRL | SHIFT)
    assert player.position() == 7_000  # turns 5 and 6: from 0:05 to 0:07


def test_a_coding_in_coded_passages_is_heard(
    qtbot: QtBot, window: MainWindow, project: Project, tmp_path: Path
) -> None:
    open_by_name(qtbot, window, "interview_2")
    segments = bench(window).segments
    bench(window).themes.select_code(project.codebook.find("Court reports").uuid)
    bench(window).tabs.setCurrentWidget(segments)
    qtbot.waitUntil(lambda: segments.model.rowCount() == 1)
    assert not segments.hear_button.isEnabled()
    view = segments.view
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(segments.model.index(0, 0)).center()
    )
    assert segments.hear_button.isEnabled()
    player = playback(window).player  # made with the window, which opened interview_1 first
    started = time.monotonic()
    QTimer.singleShot(700, lambda: window.grab().save(str(tmp_path / "coded.png")))
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: not on, timeout=5000):
        qtbot.mouseClick(segments.hear_button, Qt.MouseButton.LeftButton)
    # Turn 7 to the end of turn 8, which the coding runs into: two seconds.
    assert 1.9 <= time.monotonic() - started <= 2.6
    assert bench(window).current is not None and bench(window).current.name == "interview_1"
    assert player.position() == 9_000
    # Space in the list does the same.
    view.setFocus()
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on):
        qtbot.keyClick(view, Qt.Key.Key_Space)
    assert player.position() < 7_300
    player.pause()


def test_the_lock_stops_and_drops_the_audio(qtbot: QtBot, window: MainWindow) -> None:
    player = playback(window).player
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on):
        press(qtbot, window, Qt.Key.Key_Space, CTRL)
    assert player.loaded_uuid is not None
    press(qtbot, window, Qt.Key.Key_L, CTRL)
    assert window.workbench is None
    assert player.loaded_uuid is None and not player.is_playing()
    assert player._buffer is None


LAZY = """
import sys
import wave
from pathlib import Path
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from tests.conftest import make_project, write_txt
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings

app = QApplication([])
folder = Path(sys.argv[1])
project, _ = make_project(folder / "study")
project.transcripts.import_file(write_txt(folder / "inbox", "interview_2.txt", "Interviewer: No tape.\\n"))
window = MainWindow(project, Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)))
window.show()
app.processEvents()
print("PySide6.QtMultimedia" in sys.modules)
with wave.open(str(folder / "interview_1.wav"), "wb") as out:
    out.setnchannels(1)
    out.setsampwidth(2)
    out.setframerate(16000)
    out.writeframes(bytes(4 * 16000 * 2))
recording = project.recordings.import_file(folder / "interview_1.wav")
stamped = "[00:00:00] Interviewer: Hello.\\n\\n[00:00:02] Participant: Hi.\\n"
heard, _ = project.transcripts.import_file(write_txt(folder / "inbox", "interview_1.txt", stamped))
project.transcription.link(heard.uuid, recording.uuid)
window.workbench.open_transcript(heard.uuid)
print("PySide6.QtMultimedia" in sys.modules)
window.close_project()
"""


def test_qt_multimedia_loads_only_with_a_transcript_with_audio(tmp_path: Path) -> None:
    """The app starts (and the Windows build's self-test runs) without Qt Multimedia."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", LAZY, str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "True"]


def test_a_passage_is_heard_from_the_segment_it_starts_in_to_the_end_of_the_one_it_ends_in() -> None:
    # A draft's transcript: "Name: " labels between the timed segments, which are not heard.
    timeline = [
        TimedSpan(13, 40, "r1", 0, 2_400),
        TimedSpan(41, 90, "r1", 2_400, 5_100),
        TimedSpan(105, 150, "r1", 5_600, 9_000),
        TimedSpan(150, 170, "r2", 0, 1_000),  # a second recording, after the first
    ]
    assert passage_times(timeline, 20, 30) == ("r1", 0, 2_400)
    assert passage_times(timeline, 20, 60) == ("r1", 0, 5_100)
    assert passage_times(timeline, 0, 13) is None  # the first label only
    assert passage_times(timeline, 92, 110) == ("r1", 5_600, 9_000)  # from a label into a segment
    assert passage_times(timeline, 100, 165) == ("r1", 5_600, 9_000)  # the first recording's part
    assert span_from(timeline, 0) == timeline[0]
    assert span_from(timeline, 95) == timeline[2]  # a click on a label plays the turn it opens
    assert span_from(timeline, 170) is None


def test_closing_the_project_stops_and_drops_the_audio(qtbot: QtBot, window: MainWindow) -> None:
    player = playback(window).player
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda on: on):
        press(qtbot, window, Qt.Key.Key_Space, CTRL)
    window.close_project()
    assert player.loaded_uuid is None and not player.is_playing() and player._buffer is None
