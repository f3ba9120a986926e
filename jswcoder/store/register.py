"""The anonymisation register: identifying strings, their descriptors, and candidates dismissed as harmless."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from jswcoder.ids import now, text_sha256
from jswcoder.model import RegisterEntry
from jswcoder.store import meta

_COLUMNS = "uuid, text, category, replacement, transcript_uuid, variants"


def _entry(row: Any) -> RegisterEntry:
    return RegisterEntry(row[0], row[1], row[2], row[3], row[4], tuple(json.loads(row[5])))


def insert(db: Database, entry: RegisterEntry, created_by: str) -> None:
    db.execute(
        f"INSERT INTO register_entries ({_COLUMNS}, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            entry.uuid,
            entry.text,
            entry.category,
            entry.replacement,
            entry.transcript_uuid,
            json.dumps(list(entry.variants), ensure_ascii=False),
            created_by,
            now(),
        ],
    )


def set_variants(db: Database, uuid: str, variants: Iterable[str]) -> bool:
    """Replace an entry's other forms; False if there is no such entry."""
    cursor = db.execute(
        "UPDATE register_entries SET variants = ? WHERE uuid = ?",
        [json.dumps(list(variants), ensure_ascii=False), uuid],
    )
    return int(cursor.rowcount) > 0


def by_uuid(db: Database, uuid: str) -> RegisterEntry | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM register_entries WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else _entry(row)


def find(db: Database, text: str, transcript_uuid: str | None) -> RegisterEntry | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM register_entries WHERE text = ? AND transcript_uuid IS ?",
        [text, transcript_uuid],
    ).fetchone()
    return None if row is None else _entry(row)


def entries(db: Database) -> list[RegisterEntry]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM register_entries ORDER BY category, text COLLATE NOCASE, transcript_uuid"
    ).fetchall()
    return [_entry(row) for row in rows]


def delete(db: Database, uuid: str) -> bool:
    return int(db.execute("DELETE FROM register_entries WHERE uuid = ?", [uuid]).rowcount) > 0


def dismiss(db: Database, text: str, dismissed_by: str) -> None:
    db.execute(
        "INSERT INTO register_dismissed (text, dismissed_by, dismissed_at) VALUES (?, ?, ?) "
        "ON CONFLICT (text) DO NOTHING",
        [text, dismissed_by, now()],
    )


def dismissed(db: Database) -> list[str]:
    return [row[0] for row in db.execute("SELECT text FROM register_dismissed ORDER BY text").fetchall()]


def cached_candidates(db: Database, texts_sha256: str) -> list[list[Any]] | None:
    """The detector's findings saved for exactly these texts, or ``None``."""
    row = db.execute("SELECT texts_sha256, candidates FROM detector_cache WHERE id = 1").fetchone()
    if row is None or row[0] != texts_sha256:
        return None
    found: list[list[Any]] = json.loads(row[1])
    return found


def cache_candidates(db: Database, texts_sha256: str, candidates: list[list[Any]]) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO detector_cache (id, texts_sha256, candidates) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET texts_sha256 = excluded.texts_sha256, candidates = excluded.candidates",
            [texts_sha256, json.dumps(candidates, ensure_ascii=False)],
        )


def findings(db: Database, detector_version: int, keys: Iterable[str]) -> dict[str, str]:
    """The detector's findings kept for these texts (by their hash), as saved."""
    rows = db.execute(
        "SELECT text_sha256, candidates FROM detector_findings WHERE detector_version = ? "
        "AND text_sha256 IN (SELECT value FROM json_each(?))",
        [detector_version, json.dumps(list(keys))],
    ).fetchall()
    return {str(key): str(value) for key, value in rows}


def keep_findings(
    db: Database, detector_version: int, changed: Mapping[str, str], keys: Iterable[str]
) -> None:
    """Save the findings made or remade, and drop every other text's (a text edited, deleted or no
    longer read, an older detector's): the table holds findings of the project's current texts only."""
    with db.atomic():
        db.execute(
            "DELETE FROM detector_findings WHERE detector_version <> ? "
            "OR text_sha256 NOT IN (SELECT value FROM json_each(?))",
            [detector_version, json.dumps(list(keys))],
        )
        db.conn.executemany(
            "INSERT INTO detector_findings (text_sha256, detector_version, candidates) VALUES (?, ?, ?) "
            "ON CONFLICT (text_sha256, detector_version) DO UPDATE SET candidates = excluded.candidates",
            [(key, detector_version, value) for key, value in changed.items()],
        )


def forget_findings(db: Database, texts: Iterable[str]) -> None:
    """Drop the detector's findings for these texts (they quote them), with the whole answer that
    reads them all. Call inside ``db.atomic()``."""
    db.conn.executemany(
        "DELETE FROM detector_findings WHERE text_sha256 = ?", [(text_sha256(text),) for text in texts]
    )
    db.execute("DELETE FROM detector_cache")


# project_meta key: the register entries found typed in lower case, keyed by a hash of the texts and the
# register (see Register.suggestions); kept like the detector's findings, inside the encrypted project.
_SPARED = "register_spared_cache"


def cached_spared(db: Database, key: str) -> list[list[Any]] | None:
    """The lower-case hits saved for exactly this key, or ``None``."""
    value = meta.get(db, _SPARED)
    if value is None:
        return None
    saved = json.loads(value)
    if not isinstance(saved, dict) or saved.get("key") != key:
        return None
    found: list[list[Any]] = saved["found"]
    return found


def cache_spared(db: Database, key: str, found: list[list[Any]]) -> None:
    with db.atomic():
        meta.put(db, _SPARED, json.dumps({"key": key, "found": found}, ensure_ascii=False))
