"""The audit trail's rows (``audit_events``): appended, read in order, never changed.

The table refuses UPDATE and DELETE (triggers in :mod:`jswcoder.store.schema`); the chain of hashes
that makes an edit detectable is computed by :mod:`jswcoder.services.audit`. The last row's sequence
number and chain are also kept in ``project_meta``, so that a row deleted from the end (which leaves
the rest of the chain intact) is noticed too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.store import meta

_HEAD = "audit_head"  # "<seq> <chain>" of the last event appended


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: str
    actor: str
    action: str
    details: str  # canonical JSON
    chain: str


def last(db: Database) -> AuditRow | None:
    row = db.execute(
        "SELECT seq, at, actor, action, details, chain FROM audit_events ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return None if row is None else AuditRow(*row)


def append(db: Database, row: AuditRow) -> None:
    """Insert ``row`` and note it as the head; call inside a transaction with :func:`last`."""
    db.execute(
        "INSERT INTO audit_events (seq, at, actor, action, details, chain) VALUES (?, ?, ?, ?, ?, ?)",
        [row.seq, row.at, row.actor, row.action, row.details, row.chain],
    )
    meta.put(db, _HEAD, f"{row.seq} {row.chain}")


def head(db: Database) -> tuple[int, str] | None:
    """The sequence number and chain of the last event appended, as noted beside the table."""
    value = meta.get(db, _HEAD)
    if value is None:
        return None
    seq, _, chain = value.partition(" ")
    return int(seq), chain


def rows(db: Database, *, newest_first: bool = False, action: str | None = None) -> list[AuditRow]:
    order = "DESC" if newest_first else "ASC"
    where, parameters = ("WHERE action = ?", [action]) if action is not None else ("", [])
    return [
        AuditRow(*row)
        for row in db.execute(
            f"SELECT seq, at, actor, action, details, chain FROM audit_events {where} ORDER BY seq {order}",
            parameters,
        ).fetchall()
    ]


def actions(db: Database) -> list[str]:
    """The actions recorded so far (for a filter), in alphabetical order."""
    return [str(r[0]) for r in db.execute("SELECT DISTINCT action FROM audit_events ORDER BY action")]
