"""``jswcoder recording``, ``transcribe`` and ``audio``: recordings kept in the project, transcribed on
this computer, and (for the user's own checks) written out as a WAV.

Decoding is Qt's (its LGPL FFmpeg, through :mod:`jswcoder.ui.audio_source`), in memory: the command
makes a :class:`QCoreApplication` and loads Qt Multimedia only when it decodes. Transcription is the
optional part (``jswcoder[transcribe]``); without it ``transcribe`` says so in one line. Ctrl+C stops a
transcription after the window it is on; what is done is kept, and the same command goes on from there.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import hashlib
import io
import signal
import sys
import time
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from jswcoder.atomic_file import write_atomically
from jswcoder.cli.commands import _print_json, opened
from jswcoder.clock import clock, stamp
from jswcoder.errors import ImportRejected, InvalidInput, JswError, NotFound
from jswcoder.project import Project
from jswcoder.services.recordings import CONTAINERS
from jswcoder.services.transcription import MAX_SPEAKERS, Draft
from jswcoder.store.recordings import RecordingRow

Command = Callable[[str, str], argparse.ArgumentParser]
EXIT_INTERRUPTED = 130
EXPORT_WARNING = (
    "{name} holds the participant's voice, in the clear and not anonymised. It is for your own checks "
    "only: keep it off shared folders and delete it once you have checked it."
)


def add_commands(command: Command) -> None:
    p = command("recording", "import, list, delete or link the recordings kept (encrypted) in the project")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "import",
        help="import recordings (.wav, .mp3, .m4a, .ogg/.opus, .mp4 audio) into the encrypted project",
        description="Import recordings into the encrypted project, each all or nothing. The audio is kept "
        "inside the project's encrypted database; nothing of it is written elsewhere. You may delete "
        "the original once it is imported.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("files", metavar="FILE", nargs="+", help="the recordings")
    a.add_argument("--name", help="the recording's name (one file at a time; default: the file's name)")
    a.set_defaults(handler=import_recordings)
    a = actions.add_parser(
        "list",
        help="each recording with its length and how far its transcription is",
        description="List the recordings: name, kind, length, size, and its transcription in progress.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("--json", action="store_true", help="print as JSON")
    a.set_defaults(handler=list_recordings)
    a = actions.add_parser(
        "delete",
        help="delete a recording with its transcription in progress (asks first)",
        description="Delete a recording, with its transcription in progress and the ties of transcripts' "
        "text to its audio; the transcripts themselves stay. The freed space is overwritten.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("recording", metavar="NAME", help="the recording's name or UUID")
    a.add_argument("--yes", action="store_true", help="do not ask (needed where there is no terminal)")
    a.set_defaults(handler=delete_recording)
    a = actions.add_parser(
        "link",
        help="tie a transcript with time stamps ([00:12:31]) to its recording, to play in sync",
        description="Tie a transcript imported with time stamps like [00:12:31] at its turns to a recording "
        "in the project: each stamped turn plays from its stamp to the next one's.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    a.add_argument("recording", metavar="RECORDING", help="the recording's name or UUID")
    a.set_defaults(handler=link)

    p = command("transcribe", "transcribe recordings on this computer (offline) into transcripts")
    p.description = (
        "Transcribe recordings on this computer, with nothing sent anywhere. AUDIO is a recording in the "
        "project (its name) or a file, which is imported first. Progress goes to stderr. When every "
        "segment has a speaker (one speaker, or two on a stereo recording with a channel each) the "
        "transcript is made and its name printed; otherwise the draft waits in the app for its speakers "
        "and corrections, unless --finish. Ctrl+C stops after the current 30 seconds; the same command "
        "goes on from there."
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("audio", metavar="AUDIO", nargs="+", help="a recording's name, or an audio file")
    p.add_argument(
        "--model",
        choices=("base", "draft"),
        default="base",
        help="base (Whisper base, the default) or draft (Whisper tiny.en: English only, faster, rougher)",
    )
    p.add_argument("--language", default="en", metavar="CODE", help="the language spoken (default en)")
    p.add_argument(
        "--speakers",
        type=int,
        default=2,
        metavar="N",
        help=f"how many people speak, 1 to {MAX_SPEAKERS} (default 2: interviewer and participant)",
    )
    p.add_argument(
        "--finish",
        action="store_true",
        help="make the transcript even if some segments have no speaker (they read 'Unknown speaker')",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON (with the segments)")
    p.set_defaults(handler=transcribe)

    p = command("audio", "write a transcript's recording out as a WAV file, for your own checks (warned)")
    p.description = (
        "Write a transcript's recording, decoded, as a 16-bit PCM WAV file. The file is the participant's "
        "voice in the clear and not anonymised: check it and delete it. The export is noted in the "
        "project's audit trail."
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    p.add_argument("--export", required=True, metavar="FILE.wav", help="the WAV file to write")
    p.set_defaults(handler=export_audio)


# -- recording ---------------------------------------------------------------------------------------


def _imported(project: Project, path: Path, name: str | None = None) -> RecordingRow:
    """The file imported; one whose length its header did not give is decoded once, to be sure it
    plays, and taken out again if it does not."""
    recording = project.recordings.import_file(path, name=name)
    if recording.duration_ms is not None:
        return recording
    from jswcoder.ui import audio_source

    audio_source.core_application()
    try:
        audio_source.check_decodable(project, recording.uuid)
    except ImportRejected as refused:
        project.recordings.delete(recording.uuid)
        raise ImportRejected(path, refused.reason) from None
    return project.recordings.find(recording.uuid)


def import_recordings(args: argparse.Namespace) -> int:
    if args.name and len(args.files) > 1:
        raise InvalidInput("--name is for one file at a time")
    with opened(args) as project:
        for file in args.files:
            recording = _imported(project, Path(file), args.name)
            print(f"imported {recording.name!r} ({_length(recording)}, {_size(recording.size)})")
        for transcript, recording_name in project.transcription.link_namesakes():
            print(
                f"tied the transcript {transcript!r} to the recording {recording_name!r} by its time stamps"
            )
    return 0


def _length(recording: RecordingRow) -> str:
    return clock(recording.duration_ms) if recording.duration_ms is not None else "length not known yet"


def _size(size: int) -> str:
    return f"{size / 1024**2:.1f} MB" if size >= 100 * 1024 else f"{max(1, size // 1024)} kB"


def _progress_words(draft: Draft | None) -> str | None:
    if draft is None:
        return None
    if draft.finished_transcribing:
        return f"transcribed, {len(draft.segments)} segments waiting for speakers and corrections"
    return f"transcription stopped at {clock(draft.state.reached_ms)}"


def list_recordings(args: argparse.Namespace) -> int:
    with opened(args) as project:
        recordings = [(r, project.transcription.draft(r.uuid)) for r in project.recordings.all()]
        names = {t.uuid: t.name for t in project.transcripts.all()}
        plays = {
            r.uuid: [names[u] for u in project.transcription.transcripts_of(r.uuid)] for r, _ in recordings
        }
        if args.json:
            _print_json(
                [
                    {
                        "uuid": r.uuid,
                        "name": r.name,
                        "kind": CONTAINERS.get(r.container, r.container),
                        "duration_ms": r.duration_ms,
                        "bytes": r.size,
                        "imported_at": r.imported_at,
                        "transcripts": plays[r.uuid],
                        "transcription": None
                        if draft is None
                        else {
                            "state": draft.state.state,
                            "reached_ms": draft.state.reached_ms,
                            "model": draft.state.model,
                            "segments": len(draft.segments),
                        },
                    }
                    for r, draft in recordings
                ]
            )
            return 0
        if not recordings:
            print("no recordings yet; import some with: jswcoder recording import PROJECT FILE...")
        width = max((len(r.name) for r, _ in recordings), default=0)
        for r, draft in recordings:
            kind = CONTAINERS.get(r.container, r.container)
            words = _progress_words(draft) or ", ".join(f"transcript {n!r}" for n in plays[r.uuid])
            line = f"{r.name:<{width}}  {kind}, {_length(r)}, {_size(r.size)}"
            print(line + (f"  ({words})" if words else ""))
    return 0


def delete_recording(args: argparse.Namespace) -> int:
    with opened(args) as project:
        recording = project.recordings.find(args.recording)
        if not args.yes:
            if not (sys.stdin is not None and sys.stdin.isatty()):
                raise JswError("not deleted: confirm with --yes (there is no terminal to ask on)")
            print(f"{recording.name!r} ({_length(recording)}) and its transcription in progress go.")
            if input("Delete it for good? Type yes: ").strip().lower() != "yes":
                raise JswError("not deleted")
        project.recordings.delete(recording.uuid)
        print(f"deleted the recording {recording.name!r}")
    return 0


def link(args: argparse.Namespace) -> int:
    with opened(args) as project:
        transcript = project.transcripts.find(args.transcript)
        recording = project.recordings.find(args.recording)
        spans = project.transcription.link(transcript.uuid, recording.uuid)
        print(
            f"tied {len(spans)} turns of {transcript.name!r} to the recording {recording.name!r} "
            f"(from {stamp(spans[0].start_ms)} to {stamp(spans[-1].end_ms)})"
        )
    return 0


# -- transcribe --------------------------------------------------------------------------------------


@dataclass
class Stop:
    """Ctrl+C asks the transcription to stop after its current window (a second Ctrl+C is the same)."""

    asked: bool = False

    def __call__(self) -> bool:
        return self.asked


@contextmanager
def _stop_on_interrupt() -> Iterator[Stop]:
    stop = Stop()

    def interrupted(_signal: int, _frame: FrameType | None) -> None:
        if not stop.asked:
            print("\njswcoder: stopping after the current part…", file=sys.stderr)
        stop.asked = True

    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        for chunk in iter(lambda: source.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _recording_for(project: Project, audio: str) -> RecordingRow:
    """The recording named ``audio``, or the file ``audio`` imported (or found imported before by its
    bytes, under any name, so the same command resumes a stopped transcription)."""
    path = Path(audio)
    if not path.is_file():
        try:
            return project.recordings.find(audio)
        except NotFound:
            if path.exists() or path.suffix or "/" in audio or "\\" in audio:
                project.recordings.import_file(path)  # says in one line why the file is not taken
            raise NotFound(
                f"there is no recording {audio!r} in the project, nor a file of that name"
            ) from None
    digest = _sha256(path)
    for known in project.recordings.all():
        if known.sha256 == digest:  # imported before, under whatever name
            return known
    return _imported(project, path)


class _Progress:
    """Progress on stderr: "Interview 3: 12:30 of 41:05, about 3 min left", rewritten in place at a
    terminal, a line each otherwise."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tty = sys.stderr.isatty()
        self.began: tuple[float, int] | None = None  # when the first window started, and from where

    def say(self, text: str, *, final: bool = False) -> None:
        if self.tty:
            end = "\n" if final else ""
            print(f"\r\033[K{self.name}: {text}", end=end, file=sys.stderr, flush=True)
        else:
            print(f"{self.name}: {text}", file=sys.stderr, flush=True)

    def __call__(self, done: int, total: int, label: str) -> None:
        if self.began is None:
            self.began = (time.monotonic(), done)
            self.say("loading the speech model" if done == 0 else f"going on from {clock(done)}")
            return
        start, from_ms = self.began
        rate = (time.monotonic() - start) / max(1, done - from_ms)  # seconds per ms of audio
        left = rate * max(0, total - done)
        if done >= total - 10:  # as the transcription itself counts the end
            self.say(f"transcribed all {clock(total)}", final=True)
            return
        when = "less than a minute left" if left < 60 else f"about {round(left / 60)} min left"
        self.say(f"{clock(done)} of {clock(total)}, {when}")


@dataclass(frozen=True)
class Outcome:
    recording: RecordingRow
    transcript: str | None
    draft: Draft | None
    segments: list[dict[str, Any]]
    seconds: float
    model: str


def _decode(project: Project, recording: RecordingRow, channels: int, stop: Stop) -> bytearray:
    from jswcoder.ui import audio_source

    buffer = audio_source.recording_buffer(project, recording.uuid)
    try:
        return audio_source.decode_pcm(buffer, channels=channels, cancelled=stop)
    finally:
        buffer.close()


def _pcm(
    project: Project, recording: RecordingRow, stereo: bool, stop: Stop
) -> tuple[bytearray, bytearray | None]:
    """The recording as 16 kHz mono PCM (as the app hears it), and its two channels when wanted and
    the recording has two that differ. (A mono recording decoded to two channels is not itself: the
    decoder spreads it at -3 dB on each.)"""
    import numpy as np

    mono = _decode(project, recording, 1, stop)
    header = project.recordings.wav_format(recording.uuid)
    if not stereo or (header is not None and header[1] < 2) or stop():
        return mono, None
    both = _decode(project, recording, 2, stop)
    frames = np.frombuffer(both, dtype="<i2")
    frames = frames[: len(frames) // 2 * 2].reshape(-1, 2)
    return mono, None if np.array_equal(frames[:, 0], frames[:, 1]) else both


def _transcript_named(project: Project, name: str) -> bool:
    try:
        return project.transcripts.find(name).name == name
    except NotFound:
        return False


def _transcribe_one(project: Project, audio: str, args: argparse.Namespace, stop: Stop) -> Outcome | None:
    began = time.monotonic()
    recording = _recording_for(project, audio)
    if _transcript_named(project, recording.name):
        raise JswError(
            f"a transcript named {recording.name!r} is already in the project; "
            "rename it first (jswcoder transcripts PROJECT rename)"
        )
    draft = project.transcription.draft(recording.uuid)
    if draft is None:
        draft = project.transcription.start(
            recording.uuid, model=args.model, language=args.language, speakers=args.speakers
        )
    elif not draft.finished_transcribing and draft.state.model != args.model:
        print(
            f"{recording.name}: going on with the {draft.state.model} model it was begun with",
            file=sys.stderr,
        )
    speakers = len(draft.state.speakers)
    progress = _Progress(recording.name)
    if not draft.finished_transcribing:
        progress.say("decoding the audio")
        try:
            mono, stereo = _pcm(project, recording, speakers == 2, stop)
        except JswError:
            if not stop():
                raise
        if stop():  # Ctrl+C while decoding: nothing new to keep
            progress.say("stopped before transcribing; the same command begins again", final=True)
            return None
        try:
            draft = project.transcription.run(recording.uuid, mono, progress=progress, cancelled=stop)
        except InvalidInput:
            if not draft.segments and draft.state.reached_ms == 0:  # nothing begun worth resuming
                project.transcription.discard(recording.uuid)
            raise
        del mono
        if not draft.finished_transcribing:
            progress.say(
                f"stopped at {clock(draft.state.reached_ms)}; what is done is kept, and the same command "
                "goes on from there",
                final=True,
            )
            return None
        if stereo is not None:
            draft = project.transcription.propose_from_channels(recording.uuid, stereo)
    if speakers == 1:
        draft = project.transcription.set_speaker(recording.uuid, [s.ordinal for s in draft.segments], 1)
    labelled = all(s.speaker is not None for s in draft.segments)
    segments = [
        {
            "start_ms": s.start_ms,
            "end_ms": s.end_ms,
            "text": s.text,
            "speaker": draft.state.speakers[s.speaker - 1] if s.speaker else None,
        }
        for s in draft.segments
    ]
    transcript = None
    if draft.segments and (labelled or args.finish):
        transcript = project.transcription.finish(recording.uuid, unlabelled_ok=args.finish).name
        draft = None
    done = project.recordings.find(recording.uuid)
    return Outcome(done, transcript, draft, segments, time.monotonic() - began, args.model)


def transcribe(args: argparse.Namespace) -> int:
    from jswcoder.speech import models

    files = models.check_available(args.model)
    if files.english_only and args.language != "en":
        raise InvalidInput(f"{files.label} knows English only")
    if not 1 <= args.speakers <= MAX_SPEAKERS:
        raise InvalidInput(f"--speakers is from 1 to {MAX_SPEAKERS}")
    from jswcoder.ui import audio_source

    audio_source.core_application()
    outcomes: list[Outcome] = []
    with opened(args) as project, _stop_on_interrupt() as stop:
        for audio in args.audio:
            outcome = _transcribe_one(project, audio, args, stop)
            if outcome is None:
                return EXIT_INTERRUPTED
            outcomes.append(outcome)
            if not args.json:
                _say(outcome)
    if args.json:
        _print_json(
            [
                {
                    "recording": o.recording.name,
                    "transcript": o.transcript,
                    "state": "finished" if o.transcript else "draft",
                    "duration_ms": o.recording.duration_ms,
                    "model": o.model,
                    "seconds": round(o.seconds, 1),
                    "segments": o.segments,
                }
                for o in outcomes
            ]
        )
    return 0


def _say(outcome: Outcome) -> None:
    if outcome.transcript is not None:
        print(outcome.transcript)
    elif not outcome.segments:
        print(f"{outcome.recording.name}: no speech was found in the recording")
    else:
        unlabelled = sum(1 for s in outcome.segments if s["speaker"] is None)
        print(
            f"{outcome.recording.name}: transcribed into {len(outcome.segments)} segments, {unlabelled} "
            "without a speaker; label the speakers and correct it in the app (or run again with --finish)"
        )


# -- audio --export ----------------------------------------------------------------------------------


def export_audio(args: argparse.Namespace) -> int:
    target = Path(args.export)
    if target.suffix.lower() != ".wav":
        raise InvalidInput("the export is a WAV file: give a name ending in .wav")
    if target.is_dir():
        raise InvalidInput(f"{target.name} is a folder; give the WAV file's name")
    from jswcoder.services.audit import file_name
    from jswcoder.ui import audio_source

    audio_source.core_application()
    with opened(args) as project:
        transcript = project.transcripts.find(args.transcript)
        recordings = project.transcription.recordings_of(transcript.uuid)
        if not recordings:
            raise NotFound(f"{transcript.name!r} has no recording; tie one with: jswcoder recording link")
        if len(recordings) > 1:
            raise JswError(f"{transcript.name!r} plays from {len(recordings)} recordings; this exports one")
        [recording] = recordings
        header = project.recordings.wav_format(recording.uuid)
        rate, channels = (header[0], min(2, header[1])) if header else (16_000, 1)  # a WAV's own, or 16 kHz
        buffer = audio_source.recording_buffer(project, recording.uuid)
        try:
            pcm = audio_source.decode_pcm(buffer, channels=channels, sample_rate=rate)
        finally:
            buffer.close()
        out = io.BytesIO()
        with wave.open(out, "wb") as write:
            write.setnchannels(channels)
            write.setsampwidth(2)
            write.setframerate(rate)
            write.writeframes(pcm)
        write_atomically(target, out.getvalue())
        # The file's name only: a recording's name may name the participant.
        project.audit.record("export", what="recording (audio)", file=file_name(target), anonymised=False)
    print(f"jswcoder: {EXPORT_WARNING.format(name=target.name)}", file=sys.stderr)
    print(f"wrote {recording.name!r} ({clock(len(pcm) * 1000 // (2 * channels * rate))}) to {target}")
    return 0
