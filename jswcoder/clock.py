"""Times in recordings as people write them: ``12:31`` (minutes and seconds) or ``1:02:03``."""

from __future__ import annotations

import re

_STAMP = re.compile(r"\[?\(?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,](\d{1,3}))?\s*\)?\]?")


def stamp_ms(stamp: str) -> int | None:
    """Milliseconds from a transcript's time stamp (``00:12:31``, ``[12:31]``, ``1:02:03.5``), or None."""
    m = _STAMP.fullmatch(stamp.strip())
    if m is None:
        return None
    first, second, third, fraction = m.groups()
    if third is None:
        hours, minutes, seconds = 0, int(first), int(second)
    else:
        hours, minutes, seconds = int(first), int(second), int(third)
    if minutes > 59 or seconds > 59:
        return None
    millis = int((fraction or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def clock(ms: int) -> str:
    """``12:31`` under an hour, ``1:02:03`` from an hour on (whole seconds, rounded down)."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def stamp(ms: int) -> str:
    """A turn's time stamp as transcribers write it: ``00:12:31``."""
    seconds = max(0, ms) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"
