"""Segment boundaries set on the pauses in the audio, and speakers proposed from a stereo recording.

Whisper's segment times are coarse (on synthetic speech they fall on whole seconds, up to a second from
where the talk starts). The audio itself says better: in 10 ms frames, a pause is a run of frames far
quieter than the recording's speech. Near each boundary Whisper gives, the longest pause is found, and the
segment before ends where that pause begins, the next starts where it ends. With no pause near (people
talking over each other), Whisper's time stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from jswcoder.speech.whisper import Segment

FRAME_MS = 10
_SEARCH_MS = 1200  # how far from Whisper's boundary a pause is looked for
_MIN_PAUSE_MS = 150
_RATE = 16_000
_BLOCK_FRAMES = 6000  # a minute


def frame_levels(pcm: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Root-mean-square level of each 10 ms frame of 16 kHz PCM (one channel), a minute at a time: an
    hour's float copy would be 230 MB."""
    per_frame = _RATE * FRAME_MS // 1000
    count = len(pcm) // per_frame
    levels: np.ndarray[Any, Any] = np.empty(count, dtype=np.float32)
    for first in range(0, count, _BLOCK_FRAMES):
        last = min(count, first + _BLOCK_FRAMES)
        frames = pcm[first * per_frame : last * per_frame].astype(np.float32).reshape(-1, per_frame)
        levels[first:last] = np.sqrt(np.mean(frames * frames, axis=1))
    return levels


def quiet_frames(pcm: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Which 10 ms frames of the recording are pause; computed once for a recording, not per window."""
    return _quiet(frame_levels(pcm))


def _quiet(levels: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Which frames are pause: under a tenth of the level that loud speech reaches in this recording."""
    if len(levels) == 0:
        return np.zeros(0, dtype=bool)
    speech = float(np.percentile(levels, 90))
    return levels < max(speech * 0.1, 30.0)


def _longest_pause(quiet: np.ndarray[Any, Any], lo: int, hi: int) -> tuple[int, int] | None:
    """The longest run of quiet frames within [lo, hi), as (first, past-last) frame, if long enough."""
    best: tuple[int, int] | None = None
    run_start = None
    for i in range(lo, hi + 1):
        if i < hi and quiet[i]:
            if run_start is None:
                run_start = i
            continue
        if run_start is not None:
            if best is None or i - run_start > best[1] - best[0]:
                best = (run_start, i)
            run_start = None
    if best is None or (best[1] - best[0]) * FRAME_MS < _MIN_PAUSE_MS:
        return None
    return best


def snap_to_pauses(
    segments: Sequence[Segment], pcm: np.ndarray[Any, Any], *, quiet: np.ndarray[Any, Any] | None = None
) -> list[Segment]:
    """The segments with each boundary moved onto the nearest pause, if one is near. ``quiet``: the
    recording's :func:`quiet_frames`, when they are known already (a transcription, window by window)."""
    if quiet is None:
        quiet = quiet_frames(pcm)
    total = len(quiet)
    search = _SEARCH_MS // FRAME_MS
    starts = [s.start_ms // FRAME_MS for s in segments]
    ends = [s.end_ms // FRAME_MS for s in segments]
    for i in range(len(segments) + 1):
        # boundary i lies between segment i-1's end and segment i's start
        left = ends[i - 1] if i > 0 else starts[0]
        right = starts[i] if i < len(segments) else ends[-1]
        lo = max(0, min(left, right) - search, ends[i - 2] + 1 if i > 1 else 0)
        hi = min(total, max(left, right) + search, starts[i + 1] - 1 if i + 1 < len(segments) else total)
        pause = _longest_pause(quiet, lo, hi) if lo < hi else None
        if pause is None:
            continue
        if i > 0:
            ends[i - 1] = pause[0]
        if i < len(segments):
            starts[i] = pause[1]
    snapped = []
    for segment, first, last in zip(segments, starts, ends, strict=True):
        start, end = (
            (first, last) if first < last else (segment.start_ms // FRAME_MS, segment.end_ms // FRAME_MS)
        )
        # (when the pauses swallowed a segment, Whisper's own times stand)
        snapped.append(Segment(start * FRAME_MS, max(end * FRAME_MS, start * FRAME_MS + 1), segment.text))
    return snapped


def channel_speakers(
    segments: Sequence[Segment], left: np.ndarray[Any, Any], right: np.ndarray[Any, Any]
) -> list[int | None]:
    """For a recording with one party on each channel: 1 where a segment's speech is mostly on the left
    channel, 2 where mostly on the right, None where neither is clearly louder (both talking, or the
    channels carry the same sound)."""
    left_levels, right_levels = frame_levels(left), frame_levels(right)
    proposed: list[int | None] = []
    for segment in segments:
        lo, hi = (
            segment.start_ms // FRAME_MS,
            max(segment.end_ms // FRAME_MS, segment.start_ms // FRAME_MS + 1),
        )
        energy_left = float(np.sum(left_levels[lo:hi] ** 2))
        energy_right = float(np.sum(right_levels[lo:hi] ** 2))
        if energy_left > 4 * energy_right:
            proposed.append(1)
        elif energy_right > 4 * energy_left:
            proposed.append(2)
        else:
            proposed.append(None)
    return proposed
