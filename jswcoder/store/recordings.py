"""Recordings kept in the encrypted database: their details, and their bytes in ordered chunks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class RecordingRow:
    uuid: str
    name: str
    container: str  # "wav", "mp3", "mp4" or "ogg"
    size: int  # bytes
    sha256: str
    duration_ms: int | None
    transcript_uuid: str | None
    imported_by: str
    imported_at: str


_COLUMNS = "uuid, name, container, size, sha256, duration_ms, transcript_uuid, imported_by, imported_at"


def insert(db: Database, row: RecordingRow) -> None:
    """A recording's details; its chunks follow with :func:`add_chunk`. Call inside ``db.atomic()``."""
    db.execute(
        f"INSERT INTO recordings ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row.uuid,
            row.name,
            row.container,
            row.size,
            row.sha256,
            row.duration_ms,
            row.transcript_uuid,
            row.imported_by,
            row.imported_at,
        ],
    )


def add_chunk(db: Database, recording_uuid: str, ordinal: int, data: bytes) -> None:
    db.execute(
        "INSERT INTO recording_chunks (recording_uuid, ordinal, data) VALUES (?, ?, ?)",
        [recording_uuid, ordinal, data],
    )


def all_recordings(db: Database) -> list[RecordingRow]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM recordings ORDER BY name COLLATE NOCASE").fetchall()
    return [RecordingRow(*row) for row in rows]


def by_name(db: Database, name: str) -> RecordingRow | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM recordings WHERE name = ?", [name]).fetchone()
    return None if row is None else RecordingRow(*row)


def chunks(db: Database, recording_uuid: str) -> Iterator[bytes]:
    """A recording's bytes, chunk by chunk in order (one chunk in memory at a time)."""
    ordinal = 0
    while True:
        row = db.execute(
            "SELECT data FROM recording_chunks WHERE recording_uuid = ? AND ordinal = ?",
            [recording_uuid, ordinal],
        ).fetchone()
        if row is None:
            return
        yield bytes(row[0])
        ordinal += 1


def remove(db: Database, recording_uuid: str) -> None:
    db.execute("DELETE FROM recordings WHERE uuid = ?", [recording_uuid])


def finish(db: Database, recording_uuid: str, size: int, sha256: str) -> None:
    """The size and hash of a recording whose chunks are all stored. Call inside ``db.atomic()``."""
    db.execute("UPDATE recordings SET size = ?, sha256 = ? WHERE uuid = ?", [size, sha256, recording_uuid])


def by_uuid(db: Database, uuid: str) -> RecordingRow | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM recordings WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else RecordingRow(*row)


def set_duration(db: Database, recording_uuid: str, duration_ms: int) -> None:
    db.execute("UPDATE recordings SET duration_ms = ? WHERE uuid = ?", [duration_ms, recording_uuid])
