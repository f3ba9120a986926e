"""Decisions on indirect-identification findings, and the project's k (:mod:`jswcoder.anonymise.indirect`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.store import meta

K_KEY = "indirect_k"


@dataclass(frozen=True)
class Decision:
    finding_id: str
    decision: str  # "accepted", "edited" or "dismissed"
    attribute: str | None
    value: str | None


def decide(db: Database, decision: Decision, decided_by: str) -> None:
    db.execute(
        "INSERT INTO indirect_decisions (finding_id, decision, attribute, value, decided_by, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (finding_id) DO UPDATE SET decision = excluded.decision, "
        "attribute = excluded.attribute, value = excluded.value, decided_by = excluded.decided_by, "
        "decided_at = excluded.decided_at",
        [decision.finding_id, decision.decision, decision.attribute, decision.value, decided_by, now()],
    )


def undo(db: Database, finding_id: str) -> None:
    db.execute("DELETE FROM indirect_decisions WHERE finding_id = ?", [finding_id])


def decisions(db: Database) -> dict[str, Decision]:
    rows = db.execute("SELECT finding_id, decision, attribute, value FROM indirect_decisions").fetchall()
    return {row[0]: Decision(*row) for row in rows}


def k(db: Database) -> int | None:
    value = meta.get(db, K_KEY)
    return None if value is None else int(value)


def set_k(db: Database, value: int) -> None:
    meta.put(db, K_KEY, str(value))
