"""Names that arrive in files (join requests, team files), made safe to show on a terminal or in a
window: control characters, which could clear a terminal, retitle it or hide text, and the Unicode
controls that reorder what is displayed (a name that reads backwards), are removed. And the one test of
a spreadsheet cell that a spreadsheet program would take for a formula, for every file jswcoder writes
with cells (reports, the case sheet)."""

from __future__ import annotations

import unicodedata

# Bidirectional embeddings, overrides and isolates, and the marks that flip a run's direction.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def without_controls(text: str) -> str:
    """``text`` without C0 and C1 control characters, DEL and bidirectional controls."""
    return "".join(c for c in text if unicodedata.category(c) != "Cc" and c not in _BIDI_CONTROLS)


# A cell starting with one of these is taken for a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)
