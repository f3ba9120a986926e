"""Project-wide settings (name, UUID, current coder) and record counts."""

from __future__ import annotations

from sqlite_utils import Database


def get(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM project_meta WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def put(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO project_meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def delete(db: Database, key: str) -> None:
    db.execute("DELETE FROM project_meta WHERE key = ?", [key])


COUNTED_TABLES = ("transcripts", "participants", "codes", "codings", "memos")


def counts(db: Database) -> dict[str, int]:
    return {table: int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for table in COUNTED_TABLES}
