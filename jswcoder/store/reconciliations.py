"""Settling disagreements: the lead's stored decisions, the agreed coder's codings, and the progress.

The decisions are stored (not only their codings) because "neither" writes no coding and must still be
told apart from "not yet decided". A decision names its disagreement by transcript, theme and stretch;
``versions`` holds both coders' stretches there as offsets (never text), so a decision whose
disagreement changed since (a coder's codings moved in a sync) no longer counts as deciding it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.model import Coding
from jswcoder.store import codings as coding_rows
from jswcoder.store.database import storage_errors

# The coder whose codings are the settled version of a double-coded transcript.
AGREED_CODER = "Agreed"

Key = tuple[str, int, int]  # code_uuid, start, end


def decisions(db: Database, transcript_uuid: str) -> dict[Key, tuple[str, str]]:
    """The decisions on a transcript: (theme, start, end) -> (versions, choice)."""
    rows = db.execute(
        'SELECT code_uuid, start, "end", versions, choice FROM reconciliation_decisions '
        "WHERE transcript_uuid = ?",
        [transcript_uuid],
    ).fetchall()
    return {(str(r[0]), int(r[1]), int(r[2])): (str(r[3]), str(r[4])) for r in rows}


def decide(db: Database, transcript_uuid: str, key: Key, versions: str, choice: str, decided_by: str) -> None:
    """Store (or replace) the decision on one disagreement."""
    db.execute(
        'INSERT OR REPLACE INTO reconciliation_decisions (transcript_uuid, code_uuid, start, "end", '
        "versions, choice, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [transcript_uuid, *key, versions, choice, decided_by, now()],
    )


def forget(db: Database, transcript_uuid: str, key: Key) -> None:
    """Make one disagreement undecided again."""
    db.execute(
        "DELETE FROM reconciliation_decisions WHERE transcript_uuid = ? AND code_uuid = ? AND start = ? "
        'AND "end" = ?',
        [transcript_uuid, *key],
    )


def replace_agreed(db: Database, transcript_uuid: str, coder_uuid: str, codings: Iterable[Coding]) -> None:
    """The agreed coder's codings of a transcript become exactly *codings*."""
    with storage_errors():
        db.execute(
            "DELETE FROM codings WHERE transcript_uuid = ? AND coder_uuid = ?", [transcript_uuid, coder_uuid]
        )
    coding_rows.insert_many(db, codings)


def set_progress(db: Database, transcript_uuid: str, coder_uuid: str, decided: int, total: int) -> None:
    """Record how far a transcript's reconciliation is; with nothing decided, it has not started."""
    if decided == 0:
        db.execute("DELETE FROM reconciliations WHERE transcript_uuid = ?", [transcript_uuid])
        return
    db.execute(
        "INSERT OR REPLACE INTO reconciliations (transcript_uuid, agreed_coder_uuid, decided, total, "
        "updated_at) VALUES (?, ?, ?, ?, ?)",
        [transcript_uuid, coder_uuid, decided, total, now()],
    )


def complete(db: Database) -> dict[str, str]:
    """The transcripts whose every disagreement is decided -> their agreed coder."""
    rows = db.execute(
        "SELECT transcript_uuid, agreed_coder_uuid FROM reconciliations WHERE decided >= total"
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}
