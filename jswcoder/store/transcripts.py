"""Transcripts: their fixed canonical text, speaker turns and document notes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from jswcoder.model import DocumentNote, Transcript, Turn
from jswcoder.store import register

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


def names_of_participant(db: Database, participant_uuid: str) -> list[str]:
    rows = db.execute(
        "SELECT name FROM transcripts WHERE participant_uuid = ? ORDER BY name COLLATE NOCASE",
        [participant_uuid],
    ).fetchall()
    return [str(row[0]) for row in rows]


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


def rename(db: Database, uuid: str, name: str) -> None:
    db.execute("UPDATE transcripts SET name = ? WHERE uuid = ?", [name, uuid])


# -- removing a transcript, and putting it back -------------------------------------------------------

# Everything that belongs to one transcript, in the order it is put back (a row after the rows it
# refers to). ``:t`` is the transcript's UUID. Turns, notes, codings, the register entries scoped to it
# and its double-coding assignments go with the transcript by ON DELETE CASCADE; memos, matrix
# summaries (a transcript without a participant is a case of its own) and the record of an assignment
# received refer to it without a foreign key, so they are removed by name.
_SPEAKERS = "SELECT participant_uuid FROM speaker_cases WHERE transcript_uuid = :t"
_BELONGINGS: tuple[tuple[str, str], ...] = (
    ("transcripts", "uuid = :t"),
    ("turns", "transcript_uuid = :t"),
    ("document_notes", "transcript_uuid = :t"),
    ("codings", "transcript_uuid = :t"),
    (
        "memos",
        "(target_kind = 'transcript' AND target_uuid = :t) OR (target_kind = 'coding' AND target_uuid IN "
        "(SELECT uuid FROM codings WHERE transcript_uuid = :t))",
    ),
    ("register_entries", "transcript_uuid = :t"),
    ("coding_assignments", "transcript_uuid = :t"),
    ("assignments_received", "transcript_uuid = :t"),
    ("matrix_summaries", "case_uuid = :t"),
    # A focus group's speaker cases are the transcript's: their summaries, participants and links go
    # with it (in this order: the links name the participants whose summaries are found through them).
    ("matrix_summaries", f"case_uuid IN ({_SPEAKERS})"),
    ("participants", f"uuid IN ({_SPEAKERS})"),
    ("speaker_cases", "transcript_uuid = :t"),
    ("transcript_times", "transcript_uuid = :t"),  # which stretch plays from which recording
    ("passage_index", "transcript_uuid = :t"),  # its passages' vectors (issue 20)
    ("suggestion_decisions", "transcript_uuid = :t"),  # suggestions accepted or rejected on it
)
# The participant goes with their last transcript (a case without an interview has no row anywhere),
# and with it their matrix summaries. ``:p`` is the participant's UUID.
_PARTICIPANT: tuple[tuple[str, str], ...] = (
    ("participants", "uuid = :p"),
    ("matrix_summaries", "case_uuid = :p"),
)
_NO_FOREIGN_KEY = ("memos", "assignments_received", "matrix_summaries", "participants")


@dataclass(frozen=True)
class TableRows:
    table: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True)
class RemovedRows:
    """Every row a transcript's removal took, exactly as stored, to put back on undo. Held in memory
    only: once the snapshot is dropped (the project closed), the removal is final."""

    transcript_uuid: str
    tables: tuple[TableRows, ...]

    def value(self, table: str, column: str) -> Any:
        """A column of the first row taken from *table* (None when none was taken)."""
        for taken in self.tables:
            if taken.table == table and taken.rows:
                return taken.rows[0][taken.columns.index(column)]
        return None


def _select(db: Database, table: str, where: str, params: dict[str, str]) -> TableRows:
    cursor = db.execute(f"SELECT * FROM {table} WHERE {where}", params)
    columns = tuple(d[0] for d in cursor.description)
    return TableRows(table, columns, tuple(tuple(row) for row in cursor.fetchall()))


def belongings_count(db: Database, uuid: str) -> tuple[int, int]:
    """How many codings and memos go with a transcript."""
    codings = db.execute("SELECT count(*) FROM codings WHERE transcript_uuid = ?", [uuid]).fetchone()[0]
    memos_where = dict(_BELONGINGS)["memos"]
    memos = db.execute(f"SELECT count(*) FROM memos WHERE {memos_where}", {"t": uuid}).fetchone()[0]
    return int(codings), int(memos)


def contributors(db: Database, uuid: str) -> list[str]:
    """The team members (at a lead) whose merged work lies in a transcript: it, or codings or memos on it."""
    memos_where = dict(_BELONGINGS)["memos"]
    rows = db.execute(
        "SELECT DISTINCT m.name FROM contributions AS c JOIN team_members AS m ON m.member_id = c.member_id "
        "WHERE (c.record_kind = 'transcript' AND c.record_uuid = :t) "
        "OR (c.record_kind = 'coding' AND c.record_uuid IN (SELECT uuid FROM codings WHERE transcript_uuid = :t)) "
        f"OR (c.record_kind = 'memo' AND c.record_uuid IN (SELECT uuid FROM memos WHERE {memos_where})) "
        "ORDER BY m.name",
        {"t": uuid},
    ).fetchall()
    return [str(row[0]) for row in rows]


def remove(db: Database, uuid: str) -> RemovedRows:
    """Delete a transcript and everything that belongs to it; returns the rows taken. Call inside
    ``db.atomic()``. The detector's findings for its text and notes go too: they quote them."""
    params = {"t": uuid}
    quoted = [row[0] for row in db.execute("SELECT text FROM transcripts WHERE uuid = ?", [uuid]).fetchall()]
    quoted += [note.text for note in notes(db, uuid)]
    taken = [_select(db, table, where, params) for table, where in _BELONGINGS]
    transcript = by_uuid(db, uuid)
    participant_uuid = transcript.participant_uuid if transcript is not None else None
    others = db.execute(
        "SELECT count(*) FROM transcripts WHERE participant_uuid = ? AND uuid <> ?", [participant_uuid, uuid]
    ).fetchone()[0]
    last_of_participant = participant_uuid is not None and others == 0
    if last_of_participant:
        assert participant_uuid is not None
        taken[:0] = [_select(db, table, where, {"p": participant_uuid}) for table, where in _PARTICIPANT]
    for table, where in _BELONGINGS:
        if table in _NO_FOREIGN_KEY:
            db.execute(f"DELETE FROM {table} WHERE {where}", params)
    db.execute("DELETE FROM transcripts WHERE uuid = ?", [uuid])
    if last_of_participant:
        for table, where in reversed(_PARTICIPANT):
            db.execute(f"DELETE FROM {table} WHERE {where}", {"p": participant_uuid})
    register.forget_findings(db, quoted)
    # A contentless index only marks the text's words deleted; merging its segments drops them.
    db.execute("INSERT INTO transcript_search (transcript_search) VALUES ('optimize')")
    return RemovedRows(uuid, tuple(t for t in taken if t.rows))


def put_back(db: Database, removed: RemovedRows) -> None:
    """Insert the rows :func:`remove` took, as they were. Call inside ``db.atomic()``."""
    for taken in removed.tables:
        names = ", ".join(f'"{c}"' for c in taken.columns)
        marks = ", ".join("?" for _ in taken.columns)
        db.conn.executemany(f"INSERT INTO {taken.table} ({names}) VALUES ({marks})", taken.rows)
