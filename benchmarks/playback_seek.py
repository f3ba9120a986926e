"""Seeking to a passage and hearing it start (issue 19: within 200 ms), in an hour-long recording.

Run: ``.venv/bin/python -m benchmarks.playback_seek --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). An hour of 16 kHz mono WAV (as a voice recorder set for speech makes it;
:func:`benchmarks.recording_import.write_wav`) is imported into a fresh encrypted project. Timed:

- loading it into :class:`jswcoder.ui.audio_player.AudioPlayer` (read out of the database, its hash
  checked, handed to Qt's player) and playing it, until the player reports playing on from the start:
  the wait at a transcript's first Play, since the recording is read out only then;
- 20 seeks to places spread over the hour (a fixed seed), each ``seek()`` then ``play()`` from paused, as
  a click on a passage does, until the player reports playing on from the new place (a position past
  the one asked for, less than a second on); and 20 more while it plays (Ctrl+click on another passage).
  Qt reports the position only every 50-100 ms, so this is an upper bound: each report also says how
  much has played since the seek, which dates when the sound began (``playback.seek.began``).

Where there is no sound device (CI, this machine) Qt plays against the clock, so the figure is the
player's own latency; a sound card adds its output buffer (typically 20-50 ms) to what is heard. The
tiny scale uses a minute of audio and 5 seeks of each kind: a smoke run, its figures say nothing.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtWidgets import QApplication

from benchmarks.build import new_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.recording_import import write_wav
from benchmarks.scale import Scale, scratch
from jswcoder.ui.audio_player import AudioPlayer

MINUTES = {"tiny": 1, "study": 60, "stress": 60}
SEEKS = {"tiny": 5, "study": 20, "stress": 20}
RATE = 16_000
TIMEOUT_S = 10.0


def wait_for(done: Callable[[], bool]) -> None:
    """Run the event loop until ``done()``; a stall is an error, not a slow figure."""
    deadline = time.perf_counter() + TIMEOUT_S
    while not done():
        if time.perf_counter() > deadline:
            raise SystemExit("the player did not answer within 10 s")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)


def time_seek(player: AudioPlayer, target: int) -> tuple[float, float]:
    """From seek(target) and play(): ms until the player reports playing on from ``target``, and when,
    by that report, the sound began (the report's time less the audio it says has played since)."""
    heard: list[tuple[float, int]] = []

    def note(ms: int) -> None:
        heard.append((ms_since(began), ms))

    player.position_changed.connect(note)
    try:
        began = time.perf_counter()
        player.seek(target)
        player.play()
        wait_for(lambda: player.is_playing() and any(target < ms < target + 1000 for _t, ms in heard))
        at, ms = next((t, ms) for t, ms in heard if target < ms < target + 1000)
        return at, max(0.0, at - (ms - target))
    finally:
        player.position_changed.disconnect(note)


def run(scale: Scale) -> list[Figure]:
    QApplication.instance() or QApplication([])
    minutes, seeks = MINUTES[scale.name], SEEKS[scale.name]
    folder = scratch("playback-seek-")
    try:
        source = folder / "hour.wav"
        write_wav(source, minutes * 60, RATE, 1)
        project = new_project(folder / "project", "Playback", "Benchmark")
        player = AudioPlayer()
        try:
            recording = project.recordings.import_file(source, name="Interview 1")
            source.unlink()
            began = time.perf_counter()
            player.load(project, recording.uuid)
            player.play()
            wait_for(lambda: player.is_playing() and player.position() > 0)
            loaded = ms_since(began)
            length = minutes * 60_000
            rng = random.Random(19)
            places = [rng.randrange(1_000, length - 2_000) for _ in range(2 * seeks)]
            from_paused = []
            for target in places[:seeks]:
                player.pause()
                wait_for(lambda: not player.is_playing())
                from_paused.append(time_seek(player, target))
            playing = []
            for target in places[seeks:]:
                wait_for(player.is_playing)
                playing.append(time_seek(player, target))
        finally:
            player.unload()
            project.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    what = f"{minutes} min of 16 kHz mono WAV"
    reported, began = [r for r, _b in from_paused], [b for _r, b in from_paused]
    while_playing = [r for r, _b in playing]
    return [
        Figure("playback.load", f"load a recording into the player and start it: {what}", loaded, "ms"),
        Figure(
            "playback.seek",
            f"seek to a passage and hear it start, from paused: {what}, median of {seeks}",
            median(reported),
            "ms",
            "playback.seek",
        ),
        Figure("playback.seek.max", f"  the slowest of those {seeks}", max(reported), "ms"),
        Figure(
            "playback.seek.began", "  when the sound began, by those reports: median", median(began), "ms"
        ),
        Figure(
            "playback.seek.playing",
            f"  seeking while playing, median of {seeks}",
            median(while_playing),
            "ms",
        ),
        Figure("playback.seek.playing.max", f"  the slowest of those {seeks}", max(while_playing), "ms"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
