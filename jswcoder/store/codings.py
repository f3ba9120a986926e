"""Codings: a code applied by a coder to ``text[start:end]`` of a transcript."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from jswcoder.model import Coding
from jswcoder.store.database import storage_errors

_COLUMNS = 'uuid, transcript_uuid, code_uuid, start, "end", coder_uuid, created_at'


def _coding(row: Any) -> Coding:
    return Coding(*row)


_INSERT = f"INSERT INTO codings ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_UPDATE = 'UPDATE codings SET code_uuid = ?, start = ?, "end" = ? WHERE uuid = ?'


def _row(coding: Coding) -> tuple[str, str, str, int, int, str, str]:
    c = coding
    return (c.uuid, c.transcript_uuid, c.code_uuid, c.start, c.end, c.coder_uuid, c.created_at)


def insert(db: Database, coding: Coding) -> None:
    db.execute(_INSERT, _row(coding))


def insert_many(db: Database, codings: Iterable[Coding]) -> None:
    """Insert many codings in one statement (a package's, in the lead's merge)."""
    with storage_errors():
        db.conn.executemany(_INSERT, [_row(c) for c in codings])


def delete(db: Database, uuid: str) -> bool:
    return int(db.execute("DELETE FROM codings WHERE uuid = ?", [uuid]).rowcount) > 0


def existing(
    db: Database, transcript_uuid: str, code_uuid: str, start: int, end: int, coder_uuid: str
) -> Coding | None:
    """This coder's coding of exactly this range with this code, if any (another coder's is their own)."""
    row = db.execute(
        f"SELECT {_COLUMNS} FROM codings WHERE transcript_uuid = ? AND code_uuid = ? AND start = ? "
        'AND "end" = ? AND coder_uuid = ?',
        [transcript_uuid, code_uuid, start, end, coder_uuid],
    ).fetchone()
    return None if row is None else _coding(row)


def listing(db: Database, transcript_uuid: str | None = None) -> list[Coding]:
    """Codings in reading order: by transcript name, then position."""
    where = "" if transcript_uuid is None else "WHERE c.transcript_uuid = ?"
    params = [] if transcript_uuid is None else [transcript_uuid]
    rows = db.execute(
        f"SELECT {', '.join('c.' + col.strip() for col in _COLUMNS.split(','))} FROM codings c "
        f"JOIN transcripts t ON t.uuid = c.transcript_uuid {where} "
        'ORDER BY t.name COLLATE NOCASE, c.start, c."end", c.created_at',
        params,
    ).fetchall()
    return [_coding(row) for row in rows]


def by_uuid(db: Database, uuid: str) -> Coding | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM codings WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else _coding(row)


def update(db: Database, uuid: str, *, code_uuid: str, start: int, end: int) -> None:
    db.execute(_UPDATE, [code_uuid, start, end, uuid])


def update_many(db: Database, codings: Iterable[Coding]) -> None:
    """Give each coding (by UUID) its code and range from *codings*, in one statement."""
    with storage_errors():
        db.conn.executemany(_UPDATE, [(c.code_uuid, c.start, c.end, c.uuid) for c in codings])


def counts_by_transcript(db: Database) -> dict[str, int]:
    rows = db.execute("SELECT transcript_uuid, count(*) FROM codings GROUP BY transcript_uuid").fetchall()
    return {row[0]: int(row[1]) for row in rows}


def spans(db: Database) -> list[tuple[str, int, int]]:
    """``(transcript_uuid, start, end)`` of every coding, in no order: all that coverage needs.

    Unsorted and unconverted on purpose: at 200,000 codings, sorting by transcript through the index
    and building objects cost more than grouping the plain rows afterwards.
    """
    rows: list[tuple[str, int, int]] = db.execute(
        'SELECT transcript_uuid, start, "end" FROM codings'
    ).fetchall()
    return rows


def theme_spans(db: Database) -> list[tuple[str, str, int, int]]:
    """``(code_uuid, transcript_uuid, start, end)`` of every coding, in a fixed order: what theme
    suggestions learn from."""
    rows: list[tuple[str, str, int, int]] = db.execute(
        'SELECT code_uuid, transcript_uuid, start, "end" FROM codings ORDER BY rowid'
    ).fetchall()
    return rows


def of_shared_transcripts(db: Database) -> list[tuple[str, str, str, int, int]]:
    """``(transcript_uuid, coder_uuid, code_uuid, start, end)`` of every coding on a transcript that two
    or more coders coded, in no order: all that agreement across the study reads (plain rows: at
    200,000 codings, building objects costs more than the query)."""
    rows: list[tuple[str, str, str, int, int]] = db.execute(
        'SELECT transcript_uuid, coder_uuid, code_uuid, start, "end" FROM codings WHERE transcript_uuid IN '
        "(SELECT transcript_uuid FROM codings GROUP BY transcript_uuid HAVING count(DISTINCT coder_uuid) > 1)"
    ).fetchall()
    return rows


def of_code(db: Database, code_uuid: str) -> list[Coding]:
    rows = db.execute(
        f'SELECT {_COLUMNS} FROM codings WHERE code_uuid = ? ORDER BY transcript_uuid, start, "end"',
        [code_uuid],
    ).fetchall()
    return [_coding(row) for row in rows]
