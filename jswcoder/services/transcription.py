"""From a recording to a transcript (issue 19): transcribe on the laptop, label speakers, correct, finish.

The steps, and what each keeps in the encrypted project:

1. :meth:`Transcription.run` transcribes 16 kHz mono PCM (decoded in memory by the caller) window by
   window. Each window's segments are stored with how far the transcription has reached, in one
   transaction, so a transcription that is cancelled, or stopped by a crash or a closed lid, resumes
   where it stopped (:meth:`run` again) or is discarded (:meth:`discard`).
2. Speakers: Whisper gives none. Segments get a speaker by number (1-9, into the transcription's
   names), singly, as a run, until the next long pause, or as proposed from a stereo recording's channels.
3. Correcting: a segment's text is edited with its times kept.
4. :meth:`finish` makes the draft a transcript: one turn for each run of a speaker's segments
   (``Name: text``), imported like any other (the register, search and coding apply), with each
   segment's stretch of text tied to its stretch of audio in ``transcript_times``. From then on the text
   is fixed (codings point into it), and the draft goes.

A transcript imported from a file with time stamps (``[00:12:31]``) is tied to a recording with
:meth:`link`: each turn plays from its stamp to the next one's.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from jswcoder.clock import clock, stamp, stamp_ms
from jswcoder.errors import InvalidInput, JswError, NotFound
from jswcoder.ids import now
from jswcoder.importing.base import ImportedDocument
from jswcoder.model import Coder, Transcript, Turn
from jswcoder.services.recordings import Recordings
from jswcoder.services.transcripts import ParticipantFields, Transcripts
from jswcoder.store import recordings as recording_rows
from jswcoder.store import transcription as rows
from jswcoder.store import transcripts as transcript_rows
from jswcoder.store.recordings import RecordingRow
from jswcoder.store.transcription import SegmentRow, TimedSpan, TranscriptionRow

Progress = Callable[[int, int, str], None]  # (done ms, total ms, label)
MAX_SPEAKERS = 9
DEFAULT_SPEAKERS = ("Interviewer", "Participant")


def _packed(tokens: Sequence[int]) -> bytes:
    """The decoder's prompt as stored: int32, little-endian."""
    return struct.pack(f"<{len(tokens)}i", *tokens)


def _unpacked(blob: bytes | None) -> list[int] | None:
    """A stored prompt back as token ids; None (rebuild it from the segments) if absent or malformed."""
    if blob is None or len(blob) % 4:
        return None
    tokens = list(struct.unpack(f"<{len(blob) // 4}i", blob))
    return tokens if all(token >= 0 for token in tokens) else None


@dataclass(frozen=True, slots=True)
class Draft:
    """A recording's transcription in progress, or ready for correcting."""

    recording: RecordingRow
    state: TranscriptionRow
    segments: tuple[SegmentRow, ...]

    @property
    def finished_transcribing(self) -> bool:
        return self.state.state == "correcting"


def _names(speakers: Sequence[str]) -> tuple[str, ...]:
    names = tuple(" ".join(name.split()) for name in speakers)
    if not 1 <= len(names) <= MAX_SPEAKERS:
        raise InvalidInput(f"an interview has between 1 and {MAX_SPEAKERS} speakers")
    for name in names:
        if not name or ":" in name or len(name) > 40:
            raise InvalidInput("a speaker's name is 1 to 40 characters, with no colon")
    if len({name.casefold() for name in names}) < len(names):
        raise InvalidInput("two speakers have the same name")
    return names


class Transcription:
    def __init__(self, db: Database, coder: Coder, recordings: Recordings, transcripts: Transcripts) -> None:
        self._db = db
        self._coder = coder
        self._recordings = recordings
        self._transcripts = transcripts

    # -- the draft ---------------------------------------------------------------------------------

    def draft(self, recording_ref: str) -> Draft | None:
        recording = self._recordings.find(recording_ref)
        state = rows.transcription(self._db, recording.uuid)
        if state is None:
            return None
        return Draft(recording, state, tuple(rows.segments(self._db, recording.uuid)))

    def _draft(self, recording_ref: str) -> Draft:
        found = self.draft(recording_ref)
        if found is None:
            raise NotFound(f"the recording {recording_ref!r} has no transcription in progress")
        return found

    def start(
        self,
        recording_ref: str,
        *,
        model: str = "base",
        language: str = "en",
        speakers: int | Sequence[str] = 2,
    ) -> Draft:
        """Begin (or begin again) a recording's transcription; an earlier draft of it goes."""
        recording = self._recordings.find(recording_ref)
        names = (
            _names([*DEFAULT_SPEAKERS, *(f"Speaker {n}" for n in range(3, MAX_SPEAKERS + 1))][:speakers])
            if isinstance(speakers, int)
            else _names(speakers)
        )
        when = now()
        with self._db.atomic():
            rows.start(
                self._db,
                TranscriptionRow(
                    recording.uuid, model, language, 0, "transcribing", names, self._coder.uuid, when, when
                ),
            )
        return self._draft(recording.uuid)

    def run(
        self,
        recording_ref: str,
        pcm: bytes | bytearray,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Draft:
        """Transcribe (or go on transcribing) a started draft from ``pcm``: 16 kHz mono signed 16-bit
        little-endian samples (:func:`jswcoder.ui.audio_source.decode_pcm` gives them).

        Each window is stored as it is done; on cancel the draft keeps what is done and resumes from
        there. Returns the draft, ``finished_transcribing`` once the whole recording is done."""
        import numpy as np  # noqa: PLC0415 (the optional part)

        from jswcoder.speech.timing import quiet_frames, snap_to_pauses  # noqa: PLC0415
        from jswcoder.speech.whisper import Segment, Transcriber  # noqa: PLC0415

        draft = self._draft(recording_ref)
        uuid, state = draft.recording.uuid, draft.state
        samples = np.frombuffer(pcm, dtype="<i2")
        total_ms = len(samples) * 1000 // 16_000
        if draft.recording.duration_ms is None:
            self._recordings.set_duration(uuid, total_ms)
        if state.state == "correcting":
            return draft
        if progress is not None:
            progress(state.reached_ms, total_ms, "Loading the speech model")
        engine = Transcriber(state.model)
        quiet = quiet_frames(samples)  # the pauses of the whole recording, found once
        previous = [Segment(s.start_ms, s.end_ms, s.text) for s in draft.segments]
        kept = rows.prompt(self._db, uuid) if state.reached_ms else None
        for window in engine.windows(
            samples,
            language=state.language,
            start_ms=state.reached_ms,
            previous=previous,
            prompt=_unpacked(kept),
            cancelled=cancelled,
        ):
            segments = snap_to_pauses(window.segments, samples, quiet=quiet)
            with self._db.atomic():
                rows.add_segments(
                    self._db,
                    uuid,
                    [(s.start_ms, s.end_ms, s.text) for s in segments],
                    window.reached_ms,
                    now(),
                    prompt=_packed(window.prompt),
                )
            if progress is not None:
                progress(
                    window.reached_ms,
                    total_ms,
                    f"Transcribed {clock(window.reached_ms)} of {clock(total_ms)}",
                )
        reached = rows.transcription(self._db, uuid)
        # Done once every window is stored, even if Cancel came during the last one.
        if reached is not None and reached.reached_ms >= total_ms - 10:
            with self._db.atomic():
                rows.set_state(self._db, uuid, "correcting", now())
        return self._draft(uuid)

    def discard(self, recording_ref: str) -> None:
        """Throw a draft away (the recording stays)."""
        recording = self._recordings.find(recording_ref)
        with self._db.atomic():
            rows.discard(self._db, recording.uuid)

    # -- speakers and corrections ------------------------------------------------------------------

    def _ordinals(self, draft: Draft, ordinals: Sequence[int]) -> list[int]:
        known = {segment.ordinal for segment in draft.segments}
        unknown = [o for o in ordinals if o not in known]
        if unknown:
            raise InvalidInput(f"there is no segment {unknown[0]} in this transcription")
        return list(ordinals)

    def set_speaker_names(self, recording_ref: str, names: Sequence[str]) -> Draft:
        draft = self._draft(recording_ref)
        checked = _names(names)
        used = max((s.speaker or 0 for s in draft.segments), default=0)
        if used > len(checked):
            raise InvalidInput(f"speaker {used} still has segments; give them another speaker first")
        with self._db.atomic():
            rows.set_speakers(self._db, draft.recording.uuid, checked, now())
        return self._draft(recording_ref)

    def set_speaker(self, recording_ref: str, ordinals: Sequence[int], speaker: int | None) -> Draft:
        """Give segments a speaker by number (1 for the first name), or none."""
        draft = self._draft(recording_ref)
        if speaker is not None and not 1 <= speaker <= len(draft.state.speakers):
            raise InvalidInput(
                f"there is no speaker {speaker}; this interview has {len(draft.state.speakers)}"
            )
        with self._db.atomic():
            rows.set_speaker(self._db, draft.recording.uuid, self._ordinals(draft, ordinals), speaker)
        return self._draft(recording_ref)

    def until_pause(self, recording_ref: str, ordinal: int, pause_ms: int) -> list[int]:
        """The segment ``ordinal`` and those after it up to the next pause longer than ``pause_ms``."""
        draft = self._draft(recording_ref)
        self._ordinals(draft, [ordinal])
        run: list[int] = []
        previous_end: int | None = None
        for segment in draft.segments:
            if segment.ordinal < ordinal:
                continue
            if previous_end is not None and segment.start_ms - previous_end > pause_ms:
                break
            run.append(segment.ordinal)
            previous_end = segment.end_ms
        return run

    def propose_from_channels(self, recording_ref: str, stereo: bytes | bytearray) -> Draft:
        """For a stereo recording with one party a channel (``stereo``: 16 kHz signed 16-bit, two channels
        interleaved): speaker 1 where the left channel carries the speech, 2 where the right does;
        segments where neither clearly does keep what they had."""
        import numpy as np  # noqa: PLC0415 (the optional part)

        from jswcoder.speech.timing import channel_speakers  # noqa: PLC0415
        from jswcoder.speech.whisper import Segment  # noqa: PLC0415

        frames = np.frombuffer(stereo, dtype="<i2")
        frames = frames[: len(frames) // 2 * 2].reshape(-1, 2)
        left, right = frames[:, 0], frames[:, 1]
        draft = self._draft(recording_ref)
        if len(draft.state.speakers) < 2:
            raise InvalidInput("proposing speakers from the channels needs two speakers")
        proposed = channel_speakers(
            [Segment(s.start_ms, s.end_ms, s.text) for s in draft.segments], left, right
        )
        with self._db.atomic():
            for speaker in (1, 2):
                chosen = [s.ordinal for s, p in zip(draft.segments, proposed, strict=True) if p == speaker]
                rows.set_speaker(self._db, draft.recording.uuid, chosen, speaker)
        return self._draft(recording_ref)

    def correct(self, recording_ref: str, ordinal: int, text: str) -> Draft:
        """A segment's corrected text; its times stay."""
        draft = self._draft(recording_ref)
        self._ordinals(draft, [ordinal])
        cleaned = " ".join(text.split())
        if not cleaned:
            raise InvalidInput("a segment needs some text; to leave it out, give it no words by discarding")
        with self._db.atomic():
            rows.edit_text(self._db, draft.recording.uuid, ordinal, cleaned)
        return self._draft(recording_ref)

    # -- the transcript ----------------------------------------------------------------------------

    def finish(
        self,
        recording_ref: str,
        *,
        name: str | None = None,
        fields: ParticipantFields | None = None,
        unlabelled_ok: bool = False,
    ) -> Transcript:
        """Make the corrected draft a transcript (its text fixed from now on) and drop the draft.

        Segments with no speaker are refused unless ``unlabelled_ok`` (the command line's ``--finish``):
        then each run of them is a turn of "Unknown speaker"."""
        draft = self._draft(recording_ref)
        if draft.state.state != "correcting":
            raise JswError("the transcription is not finished yet; let it run to the end first")
        if not draft.segments:
            raise JswError("the transcription found no speech in this recording")
        unlabelled = sum(1 for s in draft.segments if s.speaker is None)
        if unlabelled and len(draft.state.speakers) > 1 and not unlabelled_ok:
            raise JswError(f"{unlabelled} segment(s) have no speaker yet; label them before finishing")
        text, turns, spans = _document(draft)
        document = ImportedDocument(text, tuple(turns), (), (), "recording")
        with self._db.atomic():
            transcript, _ = self._transcripts.store_document(
                Path(draft.recording.name),
                document,
                fields or ParticipantFields(),
                name=name or draft.recording.name,
            )
            rows.add_times(self._db, transcript.uuid, spans)
            rows.discard(self._db, draft.recording.uuid)
        return transcript

    def link(self, transcript_ref: str, recording_ref: str) -> list[TimedSpan]:
        """Tie a transcript imported with time stamps to its recording: each stamped turn plays from its
        stamp to the next one's (the last to the recording's end)."""
        transcript = self._transcripts.find(transcript_ref)
        recording = self._recordings.find(recording_ref)
        turns = transcript_rows.turns(self._db, transcript.uuid)
        stamped: list[tuple[Turn, int]] = []
        for turn in turns:
            ms = stamp_ms(turn.timestamp) if turn.timestamp else None
            if ms is not None:
                stamped.append((turn, ms))
        if not stamped:
            raise InvalidInput(
                f"{transcript.name!r} has no time stamps like [00:12:31] at its turns to tie to the recording"
            )
        end_of_recording = recording.duration_ms or stamped[-1][1] + 60_000
        spans = []
        for i, (turn, start_ms) in enumerate(stamped):
            end_ms = stamped[i + 1][1] if i + 1 < len(stamped) else max(end_of_recording, start_ms + 1)
            if end_ms <= start_ms:
                raise InvalidInput(
                    f"the time stamps of {transcript.name!r} do not go forward at {stamp(start_ms)}"
                )
            spans.append(TimedSpan(turn.start, turn.end, recording.uuid, start_ms, end_ms))
        with self._db.atomic():
            rows.remove_times(self._db, transcript.uuid)
            rows.add_times(self._db, transcript.uuid, spans)
        return spans

    def link_namesakes(self) -> list[tuple[str, str]]:
        """Tie each transcript imported with time stamps to the recording imported beside it: the one of
        the same name ("Interview 3.docx" and "Interview 3.mp3"), when the transcript has no recording
        yet. Called after every import, of either. Returns (transcript, recording) names tied."""
        tied = []
        for recording in self._recordings.all():
            transcript = transcript_rows.by_name(self._db, recording.name)
            if transcript is None or rows.times(self._db, transcript.uuid):
                continue
            if not any(
                turn.timestamp and stamp_ms(turn.timestamp) is not None
                for turn in transcript_rows.turns(self._db, transcript.uuid)
            ):
                continue
            try:
                self.link(transcript.uuid, recording.uuid)
            except InvalidInput:  # stamps that go backwards: left for the user to see to
                continue
            tied.append((transcript.name, recording.name))
        return tied

    def timeline(self, transcript_uuid: str) -> list[TimedSpan]:
        """Which stretch of the transcript plays from which stretch of audio; empty with no recording."""
        return rows.times(self._db, transcript_uuid)

    def transcripts_of(self, recording_ref: str) -> list[str]:
        """The UUIDs of the transcripts that play from a recording (one, once its draft is finished)."""
        return rows.transcripts_of_recording(self._db, self._recordings.find(recording_ref).uuid)

    def recordings_of(self, transcript_uuid: str) -> list[RecordingRow]:
        found = [
            recording_rows.by_uuid(self._db, uuid)
            for uuid in rows.recordings_of_transcripts(self._db, [transcript_uuid])
        ]
        return [recording for recording in found if recording is not None]


def _document(draft: Draft) -> tuple[str, list[Turn], list[TimedSpan]]:
    """The transcript's text (a paragraph per speaker's run, ``Name: text``), its turns and times."""
    names = draft.state.speakers
    parts: list[str] = []
    turns: list[Turn] = []
    spans: list[TimedSpan] = []
    at = 0
    current: int | None = -1
    turn_start = 0
    turn_speaker = ""
    turn_stamp = ""
    for segment in draft.segments:
        speaker = segment.speaker if len(names) > 1 else 1
        if speaker != current:
            if parts:
                turns.append(Turn(turn_start, at, turn_speaker, turn_stamp))
                parts.append("\n\n")
                at += 2
            current = speaker
            turn_speaker = names[speaker - 1] if speaker else "Unknown speaker"
            turn_stamp = stamp(segment.start_ms)
            turn_start = at
            label = f"{turn_speaker}: "
            parts.append(label)
            at += len(label)
        else:
            parts.append(" ")
            at += 1
        spans.append(
            TimedSpan(at, at + len(segment.text), draft.recording.uuid, segment.start_ms, segment.end_ms)
        )
        parts.append(segment.text)
        at += len(segment.text)
    turns.append(Turn(turn_start, at, turn_speaker, turn_stamp))
    return "".join(parts), turns, spans
