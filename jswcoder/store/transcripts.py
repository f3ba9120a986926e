"""Transcripts: their fixed canonical text, speaker turns and document notes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from jswcoder.model import DocumentNote, Transcript, Turn

_COLUMNS = "uuid, name, participant_uuid, source_name, source_format, length, imported_at"


def _transcript(row: Any) -> Transcript:
    return Transcript(
        uuid=row[0],
        name=row[1],
        participant_uuid=row[2],
        source_name=row[3],
        source_format=row[4],
        length=row[5],
        imported_at=row[6],
    )


def insert(
    db: Database,
    transcript: Transcript,
    *,
    text: str,
    content_sha256: str,
    imported_by: str,
    turns: Sequence[Turn],
    notes: Sequence[DocumentNote],
    warnings: Sequence[str],
) -> None:
    """Store a transcript with its turns and notes. Call inside ``db.atomic()``."""
    db.execute(
        f"INSERT INTO transcripts ({_COLUMNS}, text, content_sha256, warnings, imported_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            transcript.uuid,
            transcript.name,
            transcript.participant_uuid,
            transcript.source_name,
            transcript.source_format,
            transcript.length,
            transcript.imported_at,
            text,
            content_sha256,
            json.dumps(list(warnings), ensure_ascii=False),
            imported_by,
        ],
    )
    db.conn.executemany(
        'INSERT INTO turns (transcript_uuid, ordinal, start, "end", speaker, timestamp) VALUES (?, ?, ?, ?, ?, ?)',
        [(transcript.uuid, i, t.start, t.end, t.speaker, t.timestamp) for i, t in enumerate(turns)],
    )
    db.conn.executemany(
        "INSERT INTO document_notes (transcript_uuid, ordinal, kind, text, anchor) VALUES (?, ?, ?, ?, ?)",
        [(transcript.uuid, i, n.kind, n.text, n.anchor) for i, n in enumerate(notes)],
    )


def all_transcripts(db: Database) -> list[Transcript]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM transcripts ORDER BY name COLLATE NOCASE").fetchall()
    return [_transcript(row) for row in rows]


def by_uuid(db: Database, uuid: str) -> Transcript | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM transcripts WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else _transcript(row)


def by_name(db: Database, name: str) -> Transcript | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM transcripts WHERE name = ?", [name]).fetchone()
    return None if row is None else _transcript(row)


def name_with_content(db: Database, content_sha256: str) -> str | None:
    row = db.execute("SELECT name FROM transcripts WHERE content_sha256 = ?", [content_sha256]).fetchone()
    return None if row is None else str(row[0])


def text(db: Database, uuid: str) -> str:
    row = db.execute("SELECT text FROM transcripts WHERE uuid = ?", [uuid]).fetchone()
    if row is None:
        raise KeyError(uuid)
    return str(row[0])


def turns(db: Database, uuid: str) -> list[Turn]:
    rows = db.execute(
        'SELECT start, "end", speaker, timestamp FROM turns WHERE transcript_uuid = ? ORDER BY ordinal',
        [uuid],
    ).fetchall()
    return [Turn(start=r[0], end=r[1], speaker=r[2], timestamp=r[3]) for r in rows]


def notes(db: Database, uuid: str) -> list[DocumentNote]:
    rows = db.execute(
        "SELECT kind, text, anchor FROM document_notes WHERE transcript_uuid = ? ORDER BY ordinal", [uuid]
    ).fetchall()
    return [DocumentNote(kind=r[0], text=r[1], anchor=r[2]) for r in rows]


def warnings(db: Database, uuid: str) -> list[str]:
    row = db.execute("SELECT warnings FROM transcripts WHERE uuid = ?", [uuid]).fetchone()
    return [] if row is None else list(json.loads(row[0]))
