"""Playback: the player follows the clock offscreen (no sound device needed), seeks, spans, skips and
speeds; the transcript view plays in step with its recording, by keys and from Coded passages; the idle
lock drops the audio."""

from __future__ import annotations

import time
import wave
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from jswcoder.project import Project
from jswcoder.ui.audio_player import AudioPlayer

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


# -- the player -------------------------------------------------------------------------------------


def test_positions_follow_the_clock(qtbot, player: AudioPlayer, recording: str) -> None:  # type: ignore[no-untyped-def]
    assert (player.loaded_uuid, player.position(), player.is_playing()) == (recording, 0, False)
    reported: list[tuple[float, int]] = []
    player.position_changed.connect(lambda ms: reported.append((time.monotonic(), ms)))
    started = _playing_from(qtbot, player)
    qtbot.waitUntil(lambda: player.position() >= 1500, timeout=5000)
    elapsed_ms = (time.monotonic() - started) * 1000
    assert 1500 <= elapsed_ms <= 1900, "a second and a half of audio takes a second and a half"
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
    started = _playing_from(qtbot, player)
    qtbot.waitUntil(lambda: player.position() >= 3_000, timeout=5000)
    assert 0.9 <= time.monotonic() - started <= 1.3, "two seconds of audio in one at double speed"


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
