"""Memos on the project, a transcript, a code or a coding."""

from __future__ import annotations

from sqlite_utils import Database

from jswcoder.model import Memo

_COLUMNS = "uuid, target_kind, target_uuid, text, coder_uuid, created_at, updated_at"


def insert(db: Database, memo: Memo) -> None:
    db.execute(
        f"INSERT INTO memos ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            memo.uuid,
            memo.target_kind,
            memo.target_uuid,
            memo.text,
            memo.coder_uuid,
            memo.created_at,
            memo.updated_at,
        ],
    )


def listing(db: Database) -> list[Memo]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM memos ORDER BY created_at").fetchall()
    return [Memo(*row) for row in rows]
