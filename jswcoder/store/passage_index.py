"""The passage index's rows (one a transcript: spans and vectors as blobs) and the decisions on suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class IndexState:
    """What a transcript's row was made from, without its blobs."""

    transcript_uuid: str
    model: str
    text_sha256: str
    count: int
    spans_bytes: int  # the blobs' lengths, read without reading the blobs: a damaged row is told apart
    vectors_bytes: int


@dataclass(frozen=True, slots=True)
class IndexRow:
    transcript_uuid: str
    model: str
    text_sha256: str
    count: int
    spans: bytes
    vectors: bytes
    indexed_at: str


@dataclass(frozen=True, slots=True)
class Decision:
    transcript_uuid: str
    start: int
    end: int
    code_uuid: str
    coder_uuid: str
    decision: str  # "accepted" or "rejected"
    coding_uuid: str | None
    score: float
    decided_at: str


def states(db: Database) -> dict[str, IndexState]:
    """Every indexed transcript's state, by transcript UUID."""
    cursor = db.execute(
        "SELECT transcript_uuid, model, text_sha256, count, length(spans), length(vectors) FROM passage_index"
    )
    return {
        row[0]: IndexState(row[0], row[1], row[2], int(row[3]), int(row[4]), int(row[5]))
        for row in cursor.fetchall()
    }


def put(db: Database, row: IndexRow) -> None:
    db.execute(
        "INSERT OR REPLACE INTO passage_index "
        "(transcript_uuid, model, text_sha256, count, spans, vectors, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [row.transcript_uuid, row.model, row.text_sha256, row.count, row.spans, row.vectors, row.indexed_at],
    )


def remove(db: Database, transcript_uuid: str) -> None:
    db.execute("DELETE FROM passage_index WHERE transcript_uuid = ?", [transcript_uuid])


def rows(db: Database, model: str) -> Iterator[IndexRow]:
    """The rows made with ``model``, in a fixed order (by transcript UUID)."""
    cursor = db.execute(
        "SELECT transcript_uuid, model, text_sha256, count, spans, vectors, indexed_at FROM passage_index "
        "WHERE model = ? ORDER BY transcript_uuid",
        [model],
    )
    for r in cursor:
        yield IndexRow(r[0], r[1], r[2], int(r[3]), bytes(r[4]), bytes(r[5]), r[6])


def passage_count(db: Database) -> int:
    return int(db.execute("SELECT coalesce(sum(count), 0) FROM passage_index").fetchone()[0])


_D_COLUMNS = 'transcript_uuid, start, "end", code_uuid, coder_uuid, decision, coding_uuid, score, decided_at'


def decide(db: Database, decision: Decision) -> None:
    d = decision
    db.execute(
        f"INSERT OR REPLACE INTO suggestion_decisions ({_D_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            d.transcript_uuid,
            d.start,
            d.end,
            d.code_uuid,
            d.coder_uuid,
            d.decision,
            d.coding_uuid,
            d.score,
            d.decided_at,
        ],
    )


def undecide(
    db: Database, transcript_uuid: str, start: int, end: int, code_uuid: str, coder_uuid: str
) -> None:
    db.execute(
        'DELETE FROM suggestion_decisions WHERE transcript_uuid = ? AND start = ? AND "end" = ? '
        "AND code_uuid = ? AND coder_uuid = ?",
        [transcript_uuid, start, end, code_uuid, coder_uuid],
    )


def decisions(
    db: Database, transcript_uuid: str | None = None, coder_uuid: str | None = None
) -> list[Decision]:
    """The decisions on a transcript's suggestions (all transcripts' if None), by one coder (any if None)."""
    where, params = [], []
    if transcript_uuid is not None:
        where.append("transcript_uuid = ?")
        params.append(transcript_uuid)
    if coder_uuid is not None:
        where.append("coder_uuid = ?")
        params.append(coder_uuid)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    cursor = db.execute(
        f"SELECT {_D_COLUMNS} FROM suggestion_decisions{clause} ORDER BY decided_at, start", params
    )
    return [
        Decision(r[0], int(r[1]), int(r[2]), r[3], r[4], r[5], r[6], float(r[7]), r[8])
        for r in cursor.fetchall()
    ]
