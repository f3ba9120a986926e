"""Full-text search: which transcripts match, from the FTS5 index of migration 2.

The index only narrows the field; the service finds the exact passages in the canonical text. User
input never reaches ``MATCH`` as written: callers pass words (runs of letters and digits) and this
module quotes each one, so FTS5's own syntax (``AND``, ``NEAR/2``, ``*``, brackets, quotes) is
always searched as plain words or dropped, and can never make the query fail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlite_utils import Database


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must occur in this order (one word, or a phrase); ``prefix``: the last may go on."""

    words: tuple[str, ...]
    prefix: bool = False


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_expression(terms: Sequence[Term]) -> str:
    """An FTS5 expression requiring every term: ``"court order" AND "rur" *``."""
    if not terms or any(not term.words for term in terms):
        raise ValueError("a search needs at least one word in every term")
    parts = []
    for term in terms:
        # One quoted string holding several words is an FTS5 phrase; the words hold no quotes, and
        # _quoted doubles any that a caller might still pass.
        phrase = _quoted(" ".join(term.words))
        parts.append(f"{phrase} *" if term.prefix else phrase)
    return " AND ".join(parts)


def matching_transcripts(db: Database, terms: Sequence[Term]) -> list[tuple[str, str]]:
    """``(uuid, name)`` of each transcript the index says holds every term, in name order."""
    rows = db.execute(
        # Only rowids come out of the index, and only uuid and name (stored before the text) out of
        # transcripts: nothing here decrypts a transcript's text.
        "SELECT t.uuid, t.name FROM transcript_search AS s "
        "JOIN transcript_search_rows AS r ON r.id = s.rowid JOIN transcripts AS t ON t.uuid = r.transcript_uuid "
        "WHERE transcript_search MATCH ? ORDER BY t.name COLLATE NOCASE, t.name",
        [match_expression(terms)],
    ).fetchall()
    return [(str(row[0]), str(row[1])) for row in rows]
