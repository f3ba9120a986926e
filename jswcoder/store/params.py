"""Lists of values bound into SQL: their placeholders, and batches small enough for SQLite.

SQLite refuses a statement with more than 32,766 bound values, so a write over a list that can grow
with the study (the codings a merge removes, the codings of a merged theme) runs in batches.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

BATCH = 500


def marks(values: Sequence[object]) -> str:
    """``?, ?, ?`` for ``IN (...)``: one placeholder per value."""
    return ", ".join("?" for _ in values)


def batches(values: Sequence[str], size: int = BATCH) -> Iterator[list[str]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])
