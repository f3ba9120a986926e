"""What the lead's merge reads and writes beyond the ordinary records: members, provenance, aliases, reports.

``contributions`` says which team member brought each transcript, participant, code, coding and memo,
so that a member's next package can replace exactly that member's earlier work and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.model import Coding, DocumentNote, Turn
from jswcoder.store.database import storage_errors
from jswcoder.store.params import batches, marks

# -- provenance ----------------------------------------------------------------------------------------


def contributor(db: Database, kind: str, uuid: str) -> str | None:
    row = db.execute(
        "SELECT member_id FROM contributions WHERE record_kind = ? AND record_uuid = ?", [kind, uuid]
    ).fetchone()
    return None if row is None else str(row[0])


def contributed(db: Database, member_id: str, kind: str) -> set[str]:
    rows = db.execute(
        "SELECT record_uuid FROM contributions WHERE member_id = ? AND record_kind = ?", [member_id, kind]
    ).fetchall()
    return {str(row[0]) for row in rows}


_CONTRIBUTE = (
    "INSERT INTO contributions (record_kind, record_uuid, member_id, sequence) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (record_kind, record_uuid) DO UPDATE SET member_id = excluded.member_id, "
    "sequence = excluded.sequence WHERE sequence IS NOT excluded.sequence "
    "OR member_id IS NOT excluded.member_id"
)


def record_contribution(db: Database, kind: str, uuid: str, member_id: str, sequence: int) -> None:
    db.execute(_CONTRIBUTE, [kind, uuid, member_id, sequence])


def record_contributions(
    db: Database, kind: str, uuids: Iterable[str], member_id: str, sequence: int
) -> None:
    """:func:`record_contribution` for many records of one kind, in one statement, in the index's order."""
    with storage_errors():
        db.conn.executemany(_CONTRIBUTE, [(kind, uuid, member_id, sequence) for uuid in sorted(uuids)])


def forget_contributions(db: Database, kind: str, uuids: Sequence[str]) -> None:
    for batch in batches(uuids):
        db.execute(
            f"DELETE FROM contributions WHERE record_kind = ? AND record_uuid IN ({marks(batch)})",
            [kind, *batch],
        )


_CODING = 'c.uuid, c.transcript_uuid, c.code_uuid, c.start, c."end", c.coder_uuid, c.created_at'


def member_codings_on(db: Database, member_id: str, transcript_uuids: Sequence[str]) -> list[Coding]:
    """The member's codings (by provenance) on the given transcripts."""
    if not transcript_uuids:
        return []
    rows = db.execute(
        f"SELECT {_CODING} FROM codings c JOIN contributions k ON k.record_kind = 'coding' "
        f"AND k.record_uuid = c.uuid WHERE k.member_id = ? AND c.transcript_uuid IN ({marks(transcript_uuids)})",
        [member_id, *transcript_uuids],
    ).fetchall()
    return [Coding(*row) for row in rows]


def coders_on(db: Database, transcript_uuid: str) -> set[str]:
    """The provenance of every coding on a transcript: member ids, and "" for work not contributed."""
    rows = db.execute(
        "SELECT DISTINCT coalesce(k.member_id, '') FROM codings c LEFT JOIN contributions k "
        "ON k.record_kind = 'coding' AND k.record_uuid = c.uuid WHERE c.transcript_uuid = ?",
        [transcript_uuid],
    ).fetchall()
    return {str(row[0]) for row in rows}


# -- records the merge writes in ways the ordinary services do not ---------------------------------------


def insert_coder(db: Database, uuid: str, name: str) -> None:
    db.execute("INSERT INTO coders (uuid, name, created_at) VALUES (?, ?, ?)", [uuid, name, now()])


def coder_source(db: Database, coder_uuid: str) -> str | None:
    """The member a coder was first seen from, if any."""
    row = db.execute("SELECT member_id FROM coder_sources WHERE coder_uuid = ?", [coder_uuid]).fetchone()
    return None if row is None else str(row[0])


def record_coder_source(db: Database, coder_uuid: str, member_id: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO coder_sources (coder_uuid, member_id) VALUES (?, ?)", [coder_uuid, member_id]
    )


def coder_name_taken(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM coders WHERE name = ?", [name]).fetchone() is not None


def transcript_digest(db: Database, uuid: str) -> str | None:
    row = db.execute("SELECT content_sha256 FROM transcripts WHERE uuid = ?", [uuid]).fetchone()
    return None if row is None else str(row[0])


def transcript_name_taken(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM transcripts WHERE name = ?", [name]).fetchone() is not None


def replace_text(
    db: Database,
    uuid: str,
    *,
    text: str,
    content_sha256: str,
    turns: Sequence[Turn],
    notes: Sequence[DocumentNote],
) -> None:
    """Give a transcript a new anonymised text (its codings must be re-placed by the caller)."""
    db.execute(
        "UPDATE transcripts SET text = ?, length = ?, content_sha256 = ? WHERE uuid = ?",
        [text, len(text), content_sha256, uuid],
    )
    db.execute("DELETE FROM turns WHERE transcript_uuid = ?", [uuid])
    db.execute("DELETE FROM document_notes WHERE transcript_uuid = ?", [uuid])
    db.conn.executemany(
        'INSERT INTO turns (transcript_uuid, ordinal, start, "end", speaker, timestamp) VALUES (?, ?, ?, ?, ?, ?)',
        [(uuid, i, t.start, t.end, t.speaker, t.timestamp) for i, t in enumerate(turns)],
    )
    db.conn.executemany(
        "INSERT INTO document_notes (transcript_uuid, ordinal, kind, text, anchor) VALUES (?, ?, ?, ?, ?)",
        [(uuid, i, n.kind, n.text, n.anchor) for i, n in enumerate(notes)],
    )


def code_path(db: Database, uuid: str) -> str | None:
    rows = db.execute(
        "WITH RECURSIVE up(uuid, parent_uuid, name, depth) AS ("
        "SELECT uuid, parent_uuid, name, 0 FROM codes WHERE uuid = ? UNION ALL "
        "SELECT c.uuid, c.parent_uuid, c.name, up.depth + 1 FROM codes c JOIN up ON c.uuid = up.parent_uuid) "
        "SELECT name FROM up ORDER BY depth DESC",
        [uuid],
    ).fetchall()
    return "/".join(str(row[0]) for row in rows) if rows else None


# -- theme aliases -----------------------------------------------------------------------------------------


def alias_target(db: Database, alias_uuid: str) -> str | None:
    row = db.execute("SELECT code_uuid FROM code_aliases WHERE alias_uuid = ?", [alias_uuid]).fetchone()
    return None if row is None else str(row[0])


def add_alias(db: Database, alias_uuid: str, code_uuid: str) -> None:
    """Record that *alias_uuid* now means *code_uuid*; aliases of the alias follow it."""
    db.execute("UPDATE code_aliases SET code_uuid = ? WHERE code_uuid = ?", [code_uuid, alias_uuid])
    db.execute(
        "INSERT INTO code_aliases (alias_uuid, code_uuid, created_at) VALUES (?, ?, ?) "
        "ON CONFLICT (alias_uuid) DO UPDATE SET code_uuid = excluded.code_uuid",
        [alias_uuid, code_uuid, now()],
    )


def aliases_of(db: Database, code_uuid: str) -> list[str]:
    rows = db.execute(
        "SELECT alias_uuid FROM code_aliases WHERE code_uuid = ? ORDER BY alias_uuid", [code_uuid]
    )
    return [str(row[0]) for row in rows.fetchall()]


def remove_alias(db: Database, alias_uuid: str) -> None:
    db.execute("DELETE FROM code_aliases WHERE alias_uuid = ?", [alias_uuid])


def point_aliases(db: Database, alias_uuids: Sequence[str], code_uuid: str) -> None:
    db.conn.executemany(
        "UPDATE code_aliases SET code_uuid = ? WHERE alias_uuid = ?", [(code_uuid, a) for a in alias_uuids]
    )


# -- reports ------------------------------------------------------------------------------------------------


def save_report(db: Database, uuid: str, member_id: str, sequence: int, report: dict[str, Any]) -> None:
    db.execute(
        "INSERT INTO merge_reports (uuid, member_id, sequence, created_at, report) VALUES (?, ?, ?, ?, ?)",
        [uuid, member_id, sequence, now(), json.dumps(report, ensure_ascii=False, sort_keys=True)],
    )


def reports(db: Database, member_id: str | None = None) -> list[dict[str, Any]]:
    """Saved merge reports, oldest first."""
    where, params = ("WHERE member_id = ?", [member_id]) if member_id is not None else ("", [])
    rows = db.execute(
        f"SELECT report FROM merge_reports {where} ORDER BY created_at, rowid", params
    ).fetchall()
    return [dict(json.loads(row[0])) for row in rows]


def existing_uuids(db: Database, table: str, uuids: Iterable[str]) -> set[str]:
    """Which of *uuids* are already rows of *table* (one of the record tables)."""
    if table not in {"transcripts", "participants", "codes", "codings", "memos"}:
        raise ValueError(table)
    wanted = sorted(uuids)  # in index order: each page of the index is read once
    found: set[str] = set()
    for chunk in batches(wanted):
        rows = db.execute(f"SELECT uuid FROM {table} WHERE uuid IN ({marks(chunk)})", chunk).fetchall()
        found.update(str(row[0]) for row in rows)
    return found
