"""Transcribing an hour of interview on this computer (issue 19: real-time factor ≤ 0.15 for Whisper base,
peak memory ≤ 1 GB).

Run: ``.venv/bin/python -m benchmarks.transcription --scale {tiny,study,stress} [--minutes N] [--json OUT]``.
The speech is espeak-ng reading the two-voice test interview (tests/speech_fixtures.py) over and over, as
a mono WAV at espeak's 22.05 kHz; it is made once and cached under the benchmarks' cache folder. For each
model (base, then draft) it is imported into a fresh encrypted project, and then ``jswcoder transcribe``
runs in a process of its own, as a user runs it: the recording decoded in memory, the model loaded and
checked, every window transcribed and stored. Its wall time over the recording's length is the real-time
factor (loading and decoding included); its peak resident memory (``ru_maxrss`` of that process, from
``wait4``) is the memory figure; word error is measured against the script. The study scale is an hour
(``--minutes`` to choose another length); tiny is the 40-second script once: a smoke run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.build import new_project
from benchmarks.common import Figure, emit
from benchmarks.scale import PASSPHRASE, SCALES, cache_root, scratch
from jswcoder.clock import clock
from tests.speech_fixtures import SCRIPT, interview_wav, word_error_rate

MINUTES = {"tiny": 40 / 60, "study": 60.0, "stress": 60.0}
SCRIPT_SECONDS = 40  # the script read once, with its pauses
REPO = Path(__file__).resolve().parent.parent


def speech(minutes: float) -> tuple[Path, int]:
    """The cached WAV of the interview read over ``minutes`` (whole readings), and how many readings."""
    repeat = max(1, math.ceil(minutes * 60 / SCRIPT_SECONDS))
    folder = cache_root() / "speech"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"interview-x{repeat}.wav"
    if not path.is_file():
        partial = path.with_suffix(".part.wav")
        interview_wav(partial, repeat=repeat)
        partial.replace(path)
    return path, repeat


def transcribe(project: Path, model: str) -> tuple[float, float, dict[str, object]]:
    """Run ``jswcoder transcribe`` on the project's recording: wall seconds, peak RSS in MB, its JSON."""
    env = dict(os.environ, JSWCODER_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    command = [sys.executable, "-m", "jswcoder", "--no-keychain", "transcribe", str(project), "Interview 1"]
    began = time.perf_counter()
    child = subprocess.Popen(
        [*command, "--model", model, "--json"], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(
            f"jswcoder transcribe failed with the {model} model (exit status {child.returncode})"
        )
    peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    [result] = json.loads(out)
    return seconds, peak_mb, result


def run(minutes: float) -> list[Figure]:
    wav, repeat = speech(minutes)
    reference = " ".join(text for _, text in SCRIPT * repeat)
    folder = scratch("transcription-")
    figures: list[Figure] = []
    try:
        for model in ("base", "draft"):
            project_folder = folder / model
            project = new_project(project_folder, "Transcription", "Benchmark")
            try:
                duration_ms = project.recordings.import_file(wav, name="Interview 1").duration_ms or 0
            finally:
                project.close()
            seconds, peak_mb, result = transcribe(project_folder, model)
            segments = result["segments"]
            assert isinstance(segments, list)
            said = " ".join(str(s["text"]) for s in segments)
            what = f"Whisper {model}, {clock(duration_ms)} of two-voice speech"
            rtf = seconds / (duration_ms / 1000)
            figures += [
                Figure(
                    f"transcribe.rtf.{model}",
                    f"transcribe on this computer: {what} (real-time factor, loading and decoding included)",
                    rtf,
                    "RTF",
                    "transcribe.rtf" if model == "base" else None,
                ),
                Figure(f"transcribe.seconds.{model}", f"  {what}: wall time", seconds, "s"),
                Figure(
                    f"transcribe.memory.{model}",
                    f"  {what}: peak memory (RSS)",
                    peak_mb,
                    "MB",
                    "transcribe.memory",
                ),
                Figure(
                    f"transcribe.wer.{model}",
                    f"  {what}: word error",
                    100 * word_error_rate(reference, said),
                    "%",
                ),
                Figure(f"transcribe.segments.{model}", f"  {what}: segments", len(segments), "count"),
            ]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", choices=SCALES, default="study", help="tiny: 40 s; study and stress: an hour"
    )
    parser.add_argument("--minutes", type=float, help="transcribe this many minutes instead (whole readings)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args()
    emit(run(args.minutes or MINUTES[args.scale]), args.json)


if __name__ == "__main__":
    main()
