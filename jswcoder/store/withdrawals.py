"""Withdrawn consent: the record of each withdrawal, and the purge of everything a participant left.

The purge runs with SQLite's secure delete on (freed pages are overwritten with zeros), then the file
is rebuilt (VACUUM) and the write-ahead log folded in and truncated, so no page of the participant's
text survives in the database file, its free list or its log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from jswcoder.store import transcription, transcripts
from jswcoder.store.database import storage_errors

_COLUMNS = "participant_uuid, attribution, reason, withdrawn_on, recorded_by, recorded_at, purged"
# project_meta keys that may quote a text: the register's lower-case hits (with their words) and the
# window's place at a lock (it may hold a search). Both are rebuilt when next needed.
_META_QUOTING = ("register_spared_cache", "window_place_at_lock")


@dataclass(frozen=True)
class WithdrawalRow:
    participant_uuid: str
    attribution: str | None
    reason: str
    withdrawn_on: str
    recorded_by: str
    recorded_at: str
    purged: int = 0  # transcripts purged when it was first recorded here (0: the participant was not held)


@dataclass(frozen=True)
class ReceiptRow:
    """At the lead: a member's signed confirmation that they applied a withdrawal order."""

    participant_uuid: str
    member_id: str
    held: bool
    applied_at: str
    received_at: str


def _row(row: Any) -> WithdrawalRow:
    return WithdrawalRow(*(row[i] for i in range(7)))


def record(db: Database, withdrawal: WithdrawalRow) -> None:
    """Keep the withdrawal (a second one for the same participant keeps the first). Inside ``atomic``."""
    db.execute(
        f"INSERT OR IGNORE INTO withdrawals ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            withdrawal.participant_uuid,
            withdrawal.attribution,
            withdrawal.reason,
            withdrawal.withdrawn_on,
            withdrawal.recorded_by,
            withdrawal.recorded_at,
            withdrawal.purged,
        ],
    )


def set_purged(db: Database, participant_uuid: str, purged: int) -> None:
    db.execute("UPDATE withdrawals SET purged = ? WHERE participant_uuid = ?", [purged, participant_uuid])


def record_receipt(db: Database, receipt: ReceiptRow) -> bool:
    """Keep a member's confirmation (the first one stays); True when it is new. Inside ``atomic``."""
    cursor = db.execute(
        "INSERT OR IGNORE INTO withdrawal_receipts (participant_uuid, member_id, held, applied_at, received_at) "
        "VALUES (?, ?, ?, ?, ?)",
        [
            receipt.participant_uuid,
            receipt.member_id,
            int(receipt.held),
            receipt.applied_at,
            receipt.received_at,
        ],
    )
    return cursor.rowcount > 0


def receipts(db: Database) -> list[ReceiptRow]:
    rows = db.execute(
        "SELECT participant_uuid, member_id, held, applied_at, received_at FROM withdrawal_receipts "
        "ORDER BY participant_uuid, applied_at, member_id"
    ).fetchall()
    return [ReceiptRow(str(r[0]), str(r[1]), bool(r[2]), str(r[3]), str(r[4])) for r in rows]


def all_withdrawals(db: Database) -> list[WithdrawalRow]:
    rows = db.execute(f"SELECT {_COLUMNS} FROM withdrawals ORDER BY recorded_at, participant_uuid").fetchall()
    return [_row(row) for row in rows]


def by_participant(db: Database, participant_uuid: str) -> WithdrawalRow | None:
    row = db.execute(
        f"SELECT {_COLUMNS} FROM withdrawals WHERE participant_uuid = ?", [participant_uuid]
    ).fetchone()
    return None if row is None else _row(row)


def withdrawn_uuids(db: Database) -> set[str]:
    return {str(row[0]) for row in db.execute("SELECT participant_uuid FROM withdrawals").fetchall()}


def transcripts_of(db: Database, participant_uuid: str) -> list[str]:
    rows = db.execute(
        "SELECT uuid FROM transcripts WHERE participant_uuid = ? ORDER BY uuid", [participant_uuid]
    ).fetchall()
    return [str(row[0]) for row in rows]


def purge(db: Database, participant_uuid: str) -> int:
    """Delete the participant and all that is theirs: the recordings their transcripts play from,
    transcripts (turns, notes, search index entries),
    codings, memos on those, register entries scoped to them (and project-wide entries and dismissed
    candidates found only in their texts), matrix summaries, assignments, the provenance of each, and
    the caches that may quote them. Call inside ``db.atomic()``, with
    :func:`secure_delete_on` set before. Returns how many transcripts went."""
    uuids = transcripts_of(db, participant_uuid)
    texts = [transcripts.text(db, uuid).casefold() for uuid in uuids]
    # Their recordings go first, whole: the voice is the most identifying thing a project holds.
    db.conn.executemany(
        "DELETE FROM recordings WHERE uuid = ?",
        [(uuid,) for uuid in transcription.recordings_of_transcripts(db, uuids)],
    )
    records: list[tuple[str, str]] = [("participant", participant_uuid)]
    for uuid in uuids:
        records.append(("transcript", uuid))
        codings = db.execute("SELECT uuid FROM codings WHERE transcript_uuid = ?", [uuid]).fetchall()
        records += [("coding", str(row[0])) for row in codings]
        memos = db.execute(
            "SELECT uuid FROM memos WHERE (target_kind = 'transcript' AND target_uuid = :t) OR "
            "(target_kind = 'coding' AND target_uuid IN (SELECT uuid FROM codings WHERE transcript_uuid = :t))",
            {"t": uuid},
        ).fetchall()
        records += [("memo", str(row[0])) for row in memos]
        transcripts.remove(db, uuid)
    db.conn.executemany("DELETE FROM contributions WHERE record_kind = ? AND record_uuid = ?", records)
    _forget_their_words(db, texts)
    db.execute("DELETE FROM matrix_summaries WHERE case_uuid = ?", [participant_uuid])
    db.execute("DELETE FROM participants WHERE uuid = ?", [participant_uuid])
    db.execute("DELETE FROM detector_cache")
    db.conn.executemany("DELETE FROM project_meta WHERE key = ?", [(key,) for key in _META_QUOTING])
    db.execute("INSERT INTO transcript_search (transcript_search) VALUES ('optimize')")
    return len(uuids)


def _forget_their_words(db: Database, texts: list[str]) -> None:
    """The project-wide register entries and dismissed candidates found in the withdrawn texts and in no
    text left: their names, places and the like, which would otherwise outlive them. An entry another
    text still needs (by its text or one of its other forms) stays, without the forms only they held."""
    if not texts:
        return
    entries = db.execute(
        "SELECT uuid, text, variants FROM register_entries WHERE transcript_uuid IS NULL"
    ).fetchall()
    dismissed = db.execute("SELECT text FROM register_dismissed").fetchall()

    def in_withdrawn(form: str) -> bool:
        return any(form.casefold() in text for text in texts)

    theirs = [(str(row[0]), str(row[1]), json.loads(row[2])) for row in entries]
    theirs = [row for row in theirs if any(in_withdrawn(form) for form in [row[1], *row[2]])]
    their_dismissed = [str(row[0]) for row in dismissed if in_withdrawn(str(row[0]))]
    if not theirs and not their_dismissed:
        return
    left = [str(row[0]).casefold() for row in db.execute("SELECT text FROM transcripts").fetchall()]

    def only_theirs(form: str) -> bool:
        return in_withdrawn(form) and not any(form.casefold() in other for other in left)

    for key, text, variants in theirs:
        kept = [form for form in variants if not only_theirs(form)]
        if only_theirs(text) and not kept:
            db.execute("DELETE FROM register_entries WHERE uuid = ?", [key])
        elif len(kept) < len(variants):
            db.execute("UPDATE register_entries SET variants = ? WHERE uuid = ?", [json.dumps(kept), key])
    gone = [text for text in their_dismissed if only_theirs(text)]
    db.conn.executemany("DELETE FROM register_dismissed WHERE text = ?", [(text,) for text in gone])


def secure_delete_on(db: Database) -> None:
    """Overwrite freed content with zeros from now on, on this connection."""
    with storage_errors():
        db.execute("PRAGMA secure_delete = ON")


def compact(db: Database) -> None:
    """Rebuild the file without its free pages, then fold the log into it and truncate the log.
    Outside any transaction."""
    with storage_errors():
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


# -- a study's retention period ended ------------------------------------------------------------------

_RETENTION_ENDED = "retention_ended_at"


def retention_ended_at(db: Database) -> str | None:
    row = db.execute("SELECT value FROM project_meta WHERE key = ?", [_RETENTION_ENDED]).fetchone()
    return None if row is None else str(row[0])


def end_retention(db: Database, at: str) -> None:
    db.execute("INSERT OR IGNORE INTO project_meta (key, value) VALUES (?, ?)", [_RETENTION_ENDED, at])


def record_retention_receipt(db: Database, member_id: str, destroyed_at: str, received_at: str) -> bool:
    cursor = db.execute(
        "INSERT OR IGNORE INTO retention_receipts (member_id, destroyed_at, received_at) VALUES (?, ?, ?)",
        [member_id, destroyed_at, received_at],
    )
    return cursor.rowcount > 0


def retention_receipts(db: Database) -> dict[str, str]:
    """member id -> when they said their project was destroyed."""
    rows = db.execute("SELECT member_id, destroyed_at FROM retention_receipts").fetchall()
    return {str(row[0]): str(row[1]) for row in rows}
