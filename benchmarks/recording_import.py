"""Importing an hour of audio into the encrypted project (issue 19: within 10 s).

Run: ``.venv/bin/python -m benchmarks.recording_import --scale {tiny,study,stress} [--json OUT]``. Two
recordings are written as real WAV files: an hour of 16 kHz mono (what a voice recorder set for speech
makes, 110 MiB) and an hour of 44.1 kHz stereo (CD quality, 606 MiB). Each is imported once into a fresh
project with ``project.recordings.import_file`` (streamed into the database a MiB at a time, in one
transaction, its SHA-256 taken) and read back once with ``project.recordings.chunks`` (the hash checked),
as playback and transcription read it. The samples are noise-like, not silence, so nothing compresses
away. The tiny scale imports a minute of each: a smoke run, its figures say nothing.
"""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np

from benchmarks.build import new_project
from benchmarks.common import Figure, arguments, emit, seconds_of
from benchmarks.scale import Scale, scratch

MINUTES = {"tiny": 1, "study": 60, "stress": 60}
KINDS = (("mono16k", 16_000, 1, "16 kHz mono"), ("stereo44k", 44_100, 2, "44.1 kHz stereo"))


def write_wav(path: Path, seconds: int, rate: int, channels: int) -> None:
    """A WAV of ``seconds`` of noise-like samples, written a minute at a time."""
    generator = np.random.default_rng(19)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        for start in range(0, seconds, 60):
            frames = rate * min(60, seconds - start)
            out.writeframes(generator.integers(-8000, 8000, frames * channels, dtype="<i2").tobytes())


def run(scale: Scale) -> list[Figure]:
    minutes = MINUTES[scale.name]
    folder = scratch("recording-import-")
    figures: list[Figure] = []
    try:
        for key, rate, channels, label in KINDS:
            source = folder / f"{key}.wav"
            write_wav(source, minutes * 60, rate, channels)
            size = source.stat().st_size
            project = new_project(folder / f"project-{key}", "Recordings", "Benchmark")
            try:
                imported = seconds_of(lambda: project.recordings.import_file(source, name="Interview 1"))  # noqa: B023
                read = seconds_of(lambda: sum(len(c) for c in project.recordings.chunks("Interview 1")))  # noqa: B023
            finally:
                project.close()
            source.unlink()
            what = f"{minutes} min of {label} WAV, {size / 2**20:.0f} MiB"
            figures += [
                Figure(
                    f"recording.import.{key}",
                    f"import a recording: {what}",
                    imported,
                    "s",
                    "recording.import",
                ),
                Figure(f"recording.read.{key}", f"  read it back, its hash checked: {what}", read, "s"),
            ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
