"""What a coding query reads (codings of some themes, who coded where, the stored turns) and the saved
queries: a name and the query's text, kept in the project (migration "saved queries")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.model import Turn
from jswcoder.store.params import batches, marks


def coded_spans(db: Database, code_uuids: Sequence[str]) -> list[tuple[str, str, int, int]]:
    """``(transcript_uuid, coder_uuid, start, end)`` of every coding with one of these codes, in no order."""
    if not code_uuids:
        return []
    rows: list[tuple[str, str, int, int]] = db.execute(
        f'SELECT transcript_uuid, coder_uuid, start, "end" FROM codings WHERE code_uuid IN ({marks(code_uuids)})',
        list(code_uuids),
    ).fetchall()
    return rows


def turn_bounds(db: Database, transcript_uuids: Sequence[str]) -> dict[str, tuple[list[int], list[int]]]:
    """Each transcript's stored turns, their starts and their ends, in order: where NEAR/TURN need look
    closer. Gathered into two lists per transcript by SQLite (at 1,000 transcripts, 250,000 turns)."""
    found: dict[str, tuple[list[int], list[int]]] = {uuid: ([], []) for uuid in transcript_uuids}
    for batch in batches(list(transcript_uuids)):
        rows = db.execute(
            'SELECT transcript_uuid, json_group_array(start), json_group_array("end") '
            f'FROM (SELECT transcript_uuid, start, "end" FROM turns WHERE transcript_uuid IN ({marks(batch)}) '
            "ORDER BY transcript_uuid, ordinal) GROUP BY transcript_uuid",
            batch,
        ).fetchall()
        for uuid, starts, ends in rows:
            found[uuid] = (json.loads(starts), json.loads(ends))
    return found


def turns_at(db: Database, transcript_uuid: str, indices: Sequence[int]) -> list[Turn]:
    """The transcript's stored turns at these places in reading order (0 the first): what NEAR/TURN
    cuts into units near its passages, picked out by SQLite rather than every turn read."""
    if not indices:
        return []
    rows = db.execute(
        'SELECT start, "end", speaker, timestamp FROM (SELECT row_number() OVER (ORDER BY ordinal) - 1 AS i, '
        'start, "end", speaker, timestamp FROM turns WHERE transcript_uuid = ?) '
        f"WHERE i IN ({marks(indices)}) ORDER BY i",
        [transcript_uuid, *indices],
    ).fetchall()
    return [Turn(start=r[0], end=r[1], speaker=r[2], timestamp=r[3]) for r in rows]


def coded_pairs(db: Database) -> list[tuple[str, str]]:
    """Each ``(transcript_uuid, coder_uuid)`` where that coder has coded something in that transcript."""
    rows: list[tuple[str, str]] = db.execute(
        "SELECT DISTINCT transcript_uuid, coder_uuid FROM codings"
    ).fetchall()
    return rows


def coder_names(db: Database) -> dict[str, str]:
    return {uuid: name for uuid, name in db.execute("SELECT uuid, name FROM coders").fetchall()}


# -- saved queries -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedQuery:
    uuid: str
    name: str
    expression: str
    created_by: str | None
    created_at: str
    updated_at: str


_COLUMNS = "uuid, name, expression, created_by, created_at, updated_at"


def saved(db: Database) -> list[SavedQuery]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM saved_queries ORDER BY name COLLATE NOCASE").fetchall()
    return [SavedQuery(*row) for row in rows]


def saved_by_name(db: Database, name: str) -> SavedQuery | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM saved_queries WHERE name = ? COLLATE NOCASE", [name]).fetchone()
    return None if row is None else SavedQuery(*row)


def put_saved(db: Database, query: SavedQuery) -> None:
    """Insert a saved query, or give the one of that name (in any case) its new text."""
    db.execute(
        f"""INSERT INTO saved_queries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (name COLLATE NOCASE) DO UPDATE SET
            expression = excluded.expression, updated_at = excluded.updated_at""",
        [query.uuid, query.name, query.expression, query.created_by, query.created_at, query.updated_at],
    )


def delete_saved(db: Database, name: str) -> bool:
    done = db.execute("DELETE FROM saved_queries WHERE name = ? COLLATE NOCASE", [name])
    return int(done.rowcount) > 0
