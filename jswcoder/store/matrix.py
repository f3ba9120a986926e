"""The Framework matrix's cell summaries and coding counts, and who brought each transcript into the project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database

from jswcoder.store.params import marks


def summaries(db: Database) -> dict[tuple[str, str], str]:
    """Every cell summary, keyed by (case UUID, theme UUID)."""
    rows = db.execute("SELECT case_uuid, code_uuid, text FROM matrix_summaries").fetchall()
    return {(case, code): text for case, code, text in rows}


def summary(db: Database, case_uuid: str, code_uuid: str) -> str | None:
    row = db.execute(
        "SELECT text FROM matrix_summaries WHERE case_uuid = ? AND code_uuid = ?", [case_uuid, code_uuid]
    ).fetchone()
    return None if row is None else str(row[0])


def put_summary(
    db: Database, case_uuid: str, code_uuid: str, text: str, coder_uuid: str, updated_at: str
) -> None:
    db.execute(
        """INSERT INTO matrix_summaries (case_uuid, code_uuid, text, coder_uuid, updated_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (case_uuid, code_uuid)
           DO UPDATE SET text = excluded.text, coder_uuid = excluded.coder_uuid, updated_at = excluded.updated_at""",
        [case_uuid, code_uuid, text, coder_uuid, updated_at],
    )


def delete_summary(db: Database, case_uuid: str, code_uuid: str) -> None:
    db.execute("DELETE FROM matrix_summaries WHERE case_uuid = ? AND code_uuid = ?", [case_uuid, code_uuid])


def coding_counts(db: Database) -> list[tuple[str, str, str, int]]:
    """``(transcript, theme, coder, codings)`` for every theme a coder used in a transcript: what the
    matrix counts its cells from. Read from an index alone, grouped by SQLite (at 200,000 codings, a
    tenth of the time of reading the codings themselves)."""
    found: list[tuple[str, str, str, int]] = db.execute(
        "SELECT transcript_uuid, code_uuid, coder_uuid, count(*) FROM codings "
        "GROUP BY code_uuid, transcript_uuid, coder_uuid"
    ).fetchall()
    return found


def importers(db: Database) -> dict[str, tuple[str, str]]:
    """Transcript UUID -> the UUID and name of the coder who imported it (at a lead: who sent it)."""
    rows = db.execute(
        "SELECT t.uuid, c.uuid, c.name FROM transcripts AS t JOIN coders AS c ON c.uuid = t.imported_by"
    ).fetchall()
    return {uuid: (coder, name) for uuid, coder, name in rows}


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """A cell summary exactly as stored, so a deleted or merged theme can get its summaries back."""

    case_uuid: str
    code_uuid: str
    text: str
    coder_uuid: str
    updated_at: str


def summaries_on(db: Database, code_uuids: Sequence[str]) -> list[SummaryRow]:
    if not code_uuids:
        return []
    rows = db.execute(
        "SELECT case_uuid, code_uuid, text, coder_uuid, updated_at FROM matrix_summaries "
        f"WHERE code_uuid IN ({marks(code_uuids)}) ORDER BY code_uuid, case_uuid",
        list(code_uuids),
    ).fetchall()
    return [SummaryRow(*row) for row in rows]


def put_row(db: Database, row: SummaryRow) -> None:
    put_summary(db, row.case_uuid, row.code_uuid, row.text, row.coder_uuid, row.updated_at)
