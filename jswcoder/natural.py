"""The order people expect for names with numbers in them: "respondent 2" before "respondent 10"."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key comparing runs of digits as numbers and the rest case-insensitively."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold()) for part in _DIGITS.split(text) if part
    )
