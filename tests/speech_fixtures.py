"""Test speech made here, with known scripts: espeak-ng reads an interview in two voices.

``interview_wav`` writes a mono WAV of the turns in alternating voices, with a pause between turns, and
returns where each turn starts and ends; ``stereo=True`` puts each speaker on a channel of their own, as a
telephone interview recorded per line would be. The script is ordinary research-interview talk, so word
error can be measured against it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 22_050  # espeak-ng's rate
PAUSE_SECONDS = 0.8
VOICES = ("en-gb", "en-us+f3")

SCRIPT: tuple[tuple[int, str], ...] = (
    (0, "Thanks for agreeing to talk to me today. Could you start by telling me about your role?"),
    (1, "I have been a justice social worker for six years. Most of my work is writing court reports."),
    (0, "What does a good week look like for you?"),
    (1, "A good week is when I have time to sit with people and listen, rather than filling in forms."),
    (0, "And what gets in the way of that?"),
    (1, "Mostly the caseload. When the numbers go up, the paperwork goes up, and the visits get shorter."),
    (0, "How do you work with other services in the area?"),
    (1, "We meet the housing team every month, and the health visitors when a family is involved."),
)


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: int
    text: str
    start: float  # seconds
    end: float


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def _speak(text: str, voice: str) -> np.ndarray:
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", "160", "--stdout", text], check=True, capture_output=True
    ).stdout
    with wave.open(io.BytesIO(wav)) as read:
        assert read.getframerate() == RATE and read.getnchannels() == 1
        return np.frombuffer(read.readframes(read.getnframes()), dtype="<i2").copy()


def interview_wav(
    path: Path, *, script: tuple[tuple[int, str], ...] = SCRIPT, stereo: bool = False, repeat: int = 1
) -> list[Turn]:
    """Write the interview to ``path`` (16-bit PCM WAV at 22.05 kHz) and return its turns' times."""
    pause = np.zeros(round(PAUSE_SECONDS * RATE), dtype="<i2")
    pieces: list[tuple[int, np.ndarray]] = [(0, pause)]
    turns: list[Turn] = []
    at = len(pause)
    for _ in range(repeat):
        for speaker, text in script:
            voice = _speak(text, VOICES[speaker])
            # espeak's own leading and trailing silence belongs to the pause, not the turn
            loud = np.flatnonzero(np.abs(voice) > 300)
            voice = voice[loud[0] : loud[-1] + 1] if len(loud) else voice
            turns.append(Turn(speaker, text, at / RATE, (at + len(voice)) / RATE))
            pieces += [(speaker, voice), (speaker, pause)]
            at += len(voice) + len(pause)
    if stereo:
        frames = np.zeros((at, 2), dtype="<i2")
        position = 0
        for speaker, piece in pieces:
            frames[position : position + len(piece), speaker] = piece
            position += len(piece)
        data, channels = frames.tobytes(), 2
    else:
        data, channels = np.concatenate([piece for _, piece in pieces]).tobytes(), 1
    with wave.open(str(path), "wb") as write:
        write.setnchannels(channels)
        write.setsampwidth(2)
        write.setframerate(RATE)
        write.writeframes(data)
    return turns


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference's length (substitutions, insertions, deletions)."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, other in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != other))
    return row[len(hyp)] / max(1, len(ref))
