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


def of_target(db: Database, target_kind: str, target_uuid: str | None) -> Memo | None:
    """The most recently edited memo of a target (older projects may hold several).

    Two memos added in the same millisecond tie on the timestamps; rowid breaks the tie by insertion.
    """
    row = db.execute(
        f"SELECT {_COLUMNS} FROM memos WHERE target_kind = ? AND target_uuid IS ? "
        "ORDER BY updated_at DESC, created_at DESC, rowid DESC LIMIT 1",
        [target_kind, target_uuid],
    ).fetchone()
    return None if row is None else Memo(*row)


def by_uuid(db: Database, uuid: str) -> Memo | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM memos WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else Memo(*row)


def update_text(db: Database, uuid: str, text: str, updated_at: str) -> None:
    db.execute("UPDATE memos SET text = ?, updated_at = ? WHERE uuid = ?", [text, updated_at, uuid])


def delete(db: Database, uuid: str) -> bool:
    return int(db.execute("DELETE FROM memos WHERE uuid = ?", [uuid]).rowcount) > 0
