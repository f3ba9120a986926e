"""Transcriptions in progress (their draft segments) and the times of transcripts that have recordings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class TranscriptionRow:
    recording_uuid: str
    model: str
    language: str
    reached_ms: int
    state: str  # "transcribing" or "correcting"
    speakers: tuple[str, ...]  # names, speaker 1 first
    started_by: str
    started_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class SegmentRow:
    ordinal: int
    start_ms: int
    end_ms: int
    text: str
    speaker: int | None  # 1-9, into the transcription's speakers
    edited: bool


@dataclass(frozen=True, slots=True)
class TimedSpan:
    """``text[start:end]`` of a transcript plays from ``start_ms`` to ``end_ms`` of a recording."""

    start: int
    end: int
    recording_uuid: str
    start_ms: int
    end_ms: int


_T_COLUMNS = (
    "recording_uuid, model, language, reached_ms, state, speakers, started_by, started_at, updated_at"
)


def _transcription(row: Sequence[object]) -> TranscriptionRow:
    values = list(row)
    values[5] = tuple(json.loads(str(values[5])))
    return TranscriptionRow(*values)  # type: ignore[arg-type]


def transcription(db: Database, recording_uuid: str) -> TranscriptionRow | None:
    row = db.execute(
        f"SELECT {_T_COLUMNS} FROM transcriptions WHERE recording_uuid = ?", [recording_uuid]
    ).fetchone()
    return None if row is None else _transcription(row)


def start(db: Database, row: TranscriptionRow) -> None:
    """A new transcription (an earlier one of the same recording, and its segments, go first)."""
    db.execute("DELETE FROM transcriptions WHERE recording_uuid = ?", [row.recording_uuid])
    db.execute(
        f"INSERT INTO transcriptions ({_T_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.recording_uuid,
            row.model,
            row.language,
            row.reached_ms,
            row.state,
            json.dumps(list(row.speakers)),
            row.started_by,
            row.started_at,
            row.updated_at,
        ],
    )


def discard(db: Database, recording_uuid: str) -> None:
    db.execute("DELETE FROM transcriptions WHERE recording_uuid = ?", [recording_uuid])


def add_segments(
    db: Database,
    recording_uuid: str,
    segments: Iterable[tuple[int, int, str]],
    reached_ms: int,
    when: str,
    prompt: bytes | None = None,
) -> None:
    """Append a window's segments (start, end, text) and move the mark of how far it has reached, with
    the decoder's prompt for the next window (see the schema's ``transcription prompt``)."""
    first = db.execute(
        "SELECT coalesce(max(ordinal) + 1, 0) FROM recording_segments WHERE recording_uuid = ?",
        [recording_uuid],
    ).fetchone()[0]
    db.conn.executemany(
        "INSERT INTO recording_segments (recording_uuid, ordinal, start_ms, end_ms, text) VALUES (?, ?, ?, ?, ?)",
        [(recording_uuid, first + i, start, end, text) for i, (start, end, text) in enumerate(segments)],
    )
    db.execute(
        "UPDATE transcriptions SET reached_ms = ?, updated_at = ?, prompt = ? WHERE recording_uuid = ?",
        [reached_ms, when, prompt, recording_uuid],
    )


def prompt(db: Database, recording_uuid: str) -> bytes | None:
    """The decoder's prompt stored with the last window, if any (None for a draft from before it was kept)."""
    found = db.execute(
        "SELECT prompt FROM transcriptions WHERE recording_uuid = ?", [recording_uuid]
    ).fetchone()
    return None if found is None or found[0] is None else bytes(found[0])


def set_state(db: Database, recording_uuid: str, state: str, when: str) -> None:
    db.execute(
        "UPDATE transcriptions SET state = ?, updated_at = ? WHERE recording_uuid = ?",
        [state, when, recording_uuid],
    )


def set_speakers(db: Database, recording_uuid: str, names: Sequence[str], when: str) -> None:
    db.execute(
        "UPDATE transcriptions SET speakers = ?, updated_at = ? WHERE recording_uuid = ?",
        [json.dumps(list(names)), when, recording_uuid],
    )


def segments(db: Database, recording_uuid: str) -> list[SegmentRow]:
    rows = db.execute(
        "SELECT ordinal, start_ms, end_ms, text, speaker, edited FROM recording_segments "
        "WHERE recording_uuid = ? ORDER BY ordinal",
        [recording_uuid],
    ).fetchall()
    return [SegmentRow(row[0], row[1], row[2], row[3], row[4], bool(row[5])) for row in rows]


def edit_text(db: Database, recording_uuid: str, ordinal: int, text: str) -> None:
    db.execute(
        "UPDATE recording_segments SET text = ?, edited = 1 WHERE recording_uuid = ? AND ordinal = ?",
        [text, recording_uuid, ordinal],
    )


def set_speaker(db: Database, recording_uuid: str, ordinals: Iterable[int], speaker: int | None) -> None:
    db.conn.executemany(
        "UPDATE recording_segments SET speaker = ? WHERE recording_uuid = ? AND ordinal = ?",
        [(speaker, recording_uuid, ordinal) for ordinal in ordinals],
    )


def add_times(db: Database, transcript_uuid: str, spans: Iterable[TimedSpan]) -> None:
    db.conn.executemany(
        'INSERT INTO transcript_times (transcript_uuid, ordinal, start, "end", recording_uuid, start_ms, end_ms) '
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (transcript_uuid, i, span.start, span.end, span.recording_uuid, span.start_ms, span.end_ms)
            for i, span in enumerate(spans)
        ],
    )


def remove_times(db: Database, transcript_uuid: str) -> None:
    db.execute("DELETE FROM transcript_times WHERE transcript_uuid = ?", [transcript_uuid])


def times(db: Database, transcript_uuid: str) -> list[TimedSpan]:
    rows = db.execute(
        'SELECT start, "end", recording_uuid, start_ms, end_ms FROM transcript_times '
        "WHERE transcript_uuid = ? ORDER BY ordinal",
        [transcript_uuid],
    ).fetchall()
    return [TimedSpan(*row) for row in rows]


def transcripts_of_recording(db: Database, recording_uuid: str) -> list[str]:
    rows = db.execute(
        "SELECT DISTINCT transcript_uuid FROM transcript_times WHERE recording_uuid = ? ORDER BY 1",
        [recording_uuid],
    ).fetchall()
    return [str(row[0]) for row in rows]


def recordings_of_transcripts(db: Database, transcript_uuids: Sequence[str]) -> list[str]:
    """The recordings the given transcripts play from."""
    marks = ", ".join("?" for _ in transcript_uuids)
    rows = db.execute(
        f"SELECT DISTINCT recording_uuid FROM transcript_times WHERE transcript_uuid IN ({marks})",
        list(transcript_uuids),
    ).fetchall()
    return [str(row[0]) for row in rows]
