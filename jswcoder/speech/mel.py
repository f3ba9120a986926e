"""Whisper's input: the log-Mel spectrogram of 16 kHz mono audio, 80 bands, 100 frames a second.

The same computation as the model was trained on (a 400-point periodic Hann window, hop 160, Slaney
Mel filters from 0 to 8 kHz, log10 clipped to 8 below the maximum and scaled), in numpy, one 30-second
window at a time so that an hour of audio is never a spectrogram in memory.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np

SAMPLE_RATE = 16_000
N_FFT = 400
HOP = 160
FRAMES_PER_SECOND = SAMPLE_RATE // HOP  # 100
WINDOW_SECONDS = 30
WINDOW_SAMPLES = WINDOW_SECONDS * SAMPLE_RATE
WINDOW_FRAMES = WINDOW_SAMPLES // HOP  # 3000

Array = np.ndarray[Any, Any]


def _hz_to_mel(hz: Array) -> Array:
    """Slaney's Mel scale: linear below 1 kHz, logarithmic above."""
    f_sp = 200.0 / 3
    mels = hz / f_sp
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(
        hz >= min_log_hz, min_log_mel + np.log(np.maximum(hz, 1e-10) / min_log_hz) / logstep, mels
    )


def _mel_to_hz(mels: Array) -> Array:
    f_sp = 200.0 / 3
    min_log_hz, min_log_mel, logstep = 1000.0, 1000.0 / f_sp, np.log(6.4) / 27.0
    return np.where(mels >= min_log_mel, min_log_hz * np.exp(logstep * (mels - min_log_mel)), f_sp * mels)


@cache
def mel_filters(n_mels: int = 80) -> Array:
    """Triangular filters over the FFT bins, normalised by their width (Slaney), shape (n_mels, 201)."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    mel_points = _mel_to_hz(
        np.linspace(_hz_to_mel(np.array(0.0)), _hz_to_mel(np.array(SAMPLE_RATE / 2.0)), n_mels + 2)
    )
    widths = np.diff(mel_points)
    ramps = mel_points[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_points[2 : n_mels + 2] - mel_points[:n_mels]))[:, None]
    return weights.astype(np.float32)


@cache
def _window() -> Array:
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


def log_mel(samples: Array, n_mels: int = 80) -> Array:
    """The log-Mel spectrogram of up to 30 s of float32 samples in [-1, 1], padded with silence to
    exactly :data:`WINDOW_FRAMES` frames: shape (n_mels, 3000), float32."""
    audio = np.zeros(WINDOW_SAMPLES, dtype=np.float32)
    audio[: min(len(samples), WINDOW_SAMPLES)] = samples[:WINDOW_SAMPLES]
    padded = np.pad(audio, N_FFT // 2, mode="reflect")
    frames = np.lib.stride_tricks.sliding_window_view(padded, N_FFT)[::HOP][:WINDOW_FRAMES]
    power = np.abs(np.fft.rfft(frames * _window(), axis=1)) ** 2
    mel = mel_filters(n_mels) @ power.T.astype(np.float32)
    spec = np.log10(np.maximum(mel, 1e-10))
    spec = np.maximum(spec, spec.max() - 8.0)
    features: Array = ((spec + 4.0) / 4.0).astype(np.float32)
    return features
