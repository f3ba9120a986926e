"""Whisper through CTranslate2, window by window, with segment times (no PyAV, no hub, no download).

The decoding follows the model's own recipe: each 30-second window is decoded with time-stamp tokens;
the segments between pairs of time stamps are kept, and the next window starts where the last complete
segment ended (or after the window, if it ended in silence). The text decoded so far is the prompt of
the next window, as Whisper was trained. A window that decodes into repetition (a sign of the model
looping) is decoded again with a little sampling; a window that is mostly silence is skipped.

Memory stays small: the audio stays 16-bit PCM (an hour is 115 MB), and only one window's spectrogram
exists at a time.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from jswcoder.errors import InvalidInput
from jswcoder.speech import mel
from jswcoder.speech.models import load, model_files

# No library this module loads may reach a network; these are their switches, set before anything loads.
for _switch in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ[_switch] = "1"

TIME_STEP = 0.02  # seconds per time-stamp token
_MAX_PROMPT = 223  # tokens of previous text, as in Whisper's own decoding
_NO_SPEECH = 0.6
_LOGPROB_FLOOR = -1.0
_COMPRESSION_LIMIT = 2.4
_TEMPERATURES = (0.0, 0.2, 0.4, 0.6)


@dataclass(frozen=True, slots=True)
class Segment:
    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True, slots=True)
class Window:
    """One decoded window: its segments, and how far into the audio the transcription has reached."""

    reached_ms: int
    segments: tuple[Segment, ...]
    prompt: tuple[int, ...] = ()
    """The previous text's tokens the next window is decoded with (kept to resume exactly)."""


def _compression_ratio(text: str) -> float:
    data = text.encode("utf-8")
    return len(data) / max(1, len(zlib.compress(data)))


class Transcriber:
    """A loaded model: ``Transcriber("base")`` reads and checks the weights, then converts them to 8-bit
    integers for the CPU (a few seconds, once per transcription run)."""

    def __init__(self, model: str = "base", *, threads: int | None = None) -> None:
        import ctranslate2  # noqa: PLC0415 (the optional part loads only when a transcription starts)
        import tokenizers  # noqa: PLC0415

        self.files = model_files(model)
        loaded = load(model)
        self._model = ctranslate2.models.Whisper(
            f"jswcoder-{model}",
            device="cpu",
            compute_type="int8",
            intra_threads=threads or os.cpu_count() or 1,
            files={
                "model.bin": loaded.model,
                "config.json": loaded.config,
                "vocabulary.txt": loaded.vocabulary,
            },
        )
        self._tokenizer = tokenizers.Tokenizer.from_str(loaded.tokenizer.decode("utf-8"))
        token = self._tokenizer.token_to_id
        self._eot = _id(token("<|endoftext|>"))
        self._sot = _id(token("<|startoftranscript|>"))
        self._prev = _id(token("<|startofprev|>"))
        self._transcribe = token("<|transcribe|>")
        self._timestamp_begin = _id(token("<|notimestamps|>")) + 1
        self.multilingual = not self.files.english_only
        self._n_mels = int(self._model.n_mels) if hasattr(self._model, "n_mels") else 80

    def _sot_sequence(self, language: str) -> list[int]:
        if not self.multilingual:
            return [self._sot]
        language_id = self._tokenizer.token_to_id(f"<|{language}|>")
        if language_id is None:
            raise InvalidInput(f"Whisper knows no language {language!r}")
        return [self._sot, language_id, _id(self._transcribe)]

    def _text(self, tokens: list[int]) -> str:
        return str(self._tokenizer.decode([t for t in tokens if t < self._eot])).strip()

    def _decode(self, features: Any, prompt: list[int]) -> tuple[list[int], float, float]:
        """Tokens, average log-probability and no-speech probability of the best decoding."""
        import ctranslate2  # noqa: PLC0415

        view = ctranslate2.StorageView.from_array(features[np.newaxis])
        encoded = self._model.encode(view, to_cpu=False)
        best: tuple[list[int], float, float] | None = None
        for temperature in _TEMPERATURES:
            options: dict[str, Any] = (
                {"beam_size": 5}
                if temperature == 0
                else {
                    "beam_size": 1,
                    "sampling_topk": 0,
                    "sampling_temperature": temperature,
                }
            )
            result = self._model.generate(
                encoded,
                [prompt],
                max_length=448,
                return_scores=True,
                return_no_speech_prob=True,
                suppress_blank=True,
                suppress_tokens=[-1],
                **options,
            )[0]
            tokens = list(result.sequences_ids[0])
            logprob = float(result.scores[0]) if result.scores else 0.0
            best = (tokens, logprob, float(result.no_speech_prob))
            text = self._text(tokens)
            if _compression_ratio(text) <= _COMPRESSION_LIMIT and logprob >= _LOGPROB_FLOOR:
                break
            if best[2] > _NO_SPEECH:  # silence: no temperature will make sense of it
                break
        assert best is not None
        return best

    def windows(
        self,
        pcm: np.ndarray[Any, Any],
        *,
        language: str = "en",
        start_ms: int = 0,
        previous: Sequence[Segment] = (),
        prompt: Sequence[int] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[Window]:
        """Transcribe 16 kHz mono 16-bit ``pcm`` from ``start_ms``, one window at a time.

        When resuming, ``prompt`` (a :attr:`Window.prompt` kept from the run that stopped) is the first
        window's prompt exactly as it would have been had the run not stopped; without it, one is
        rebuilt from ``previous`` (the segments transcribed before ``start_ms``), which is close but
        not the same. Stops between windows when ``cancelled()`` says so.
        """
        if self.files.english_only and language != "en":
            raise InvalidInput(f"{self.files.label} knows English only")
        sot = self._sot_sequence(language)
        total_frames = len(pcm) // mel.HOP
        seek = start_ms * mel.FRAMES_PER_SECOND // 1000
        history = list(prompt) if prompt is not None else self._history(previous, start_ms)
        while seek < total_frames:
            if cancelled is not None and cancelled():
                return
            frames = min(mel.WINDOW_FRAMES, total_frames - seek)
            samples = pcm[seek * mel.HOP : (seek + frames) * mel.HOP].astype(np.float32) / 32768.0
            features = mel.log_mel(samples, self._n_mels)
            prompt = ([self._prev, *history[-_MAX_PROMPT:]] if history else []) + sot
            tokens, logprob, no_speech = self._decode(features, prompt)
            offset = seek / mel.FRAMES_PER_SECOND
            if no_speech > _NO_SPEECH and logprob < _LOGPROB_FLOOR:
                seek += frames
                yield Window(round(1000 * seek / mel.FRAMES_PER_SECOND), (), tuple(history[-_MAX_PROMPT:]))
                continue
            segments, kept, advance = self._segments(tokens, offset, frames)
            seek += advance
            history.extend(kept)  # as Whisper was trained: the previous text with its time stamps
            yield Window(
                min(round(1000 * seek / mel.FRAMES_PER_SECOND), len(pcm) * 1000 // mel.SAMPLE_RATE),
                tuple(segments),
                tuple(history[-_MAX_PROMPT:]),
            )

    def _history(self, previous: Sequence[Segment], start_ms: int) -> list[int]:
        """The prompt of a resumed run: the earlier segments' text between their time stamps, as the
        uninterrupted run's prompt holds them. Plain text alone is not enough: with a prompt without
        time stamps the model gives the rest of the recording as one segment. (No special tokens from
        the tokenizer either: a <|startoftranscript|> inside the prompt makes the model repeat it.)"""
        offset = max(0, start_ms - mel.WINDOW_FRAMES * 1000 // mel.FRAMES_PER_SECOND)
        last = round(mel.WINDOW_FRAMES / mel.FRAMES_PER_SECOND / TIME_STEP)

        def time_token(ms: int) -> int:
            return self._timestamp_begin + min(last, max(0, round((ms - offset) / 1000 / TIME_STEP)))

        history: list[int] = []
        for segment in previous:
            text = self._tokenizer.encode(" " + segment.text.strip(), add_special_tokens=False).ids
            history += [time_token(segment.start_ms), *text, time_token(segment.end_ms)]
        return history

    def _segments(
        self, tokens: list[int], offset: float, frames: int
    ) -> tuple[list[Segment], list[int], int]:
        """The segments between time-stamp pairs, their tokens, and how many frames the window advances."""
        begin = self._timestamp_begin
        tokens = [t for t in tokens if t != self._eot]
        is_time = [t >= begin for t in tokens]
        single_ending = len(tokens) >= 2 and is_time[-1] and not is_time[-2]
        pairs = [i for i in range(1, len(tokens)) if is_time[i] and is_time[i - 1]]
        segments: list[Segment] = []
        kept: list[int] = []
        if pairs:
            cuts = [*pairs, len(tokens)] if single_ending else pairs
            last = 0
            for cut in cuts:
                piece = tokens[last:cut]
                last = cut
                times = [t - begin for t in piece if t >= begin]
                text = self._text(piece)
                if not times or not text:
                    continue
                kept.extend(piece)
                start, end = times[0], times[-1]
                segments.append(
                    _segment(offset + start * TIME_STEP, offset + max(end, start) * TIME_STEP, text)
                )
            if single_ending:
                advance = frames
            else:
                last_time = tokens[pairs[-1] - 1] - begin
                advance = max(1, round(last_time * TIME_STEP * mel.FRAMES_PER_SECOND))
        else:
            times = [t - begin for t in tokens if t >= begin]
            duration = times[-1] * TIME_STEP if times and times[-1] > 0 else frames / mel.FRAMES_PER_SECOND
            text = self._text(tokens)
            if text:
                segments.append(_segment(offset, offset + duration, text))
                kept = tokens
            advance = frames
        return segments, kept, advance


def _segment(start: float, end: float, text: str) -> Segment:
    return Segment(round(start * 1000), max(round(end * 1000), round(start * 1000) + 1), text)


def _id(token: int | None) -> int:
    if token is None:
        raise ValueError("the tokenizer lacks one of Whisper's special tokens")
    return token
