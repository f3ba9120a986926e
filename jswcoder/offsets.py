"""Convert coding offsets between the stored convention and those of Qt and other QDA tools.

Codings are stored as offsets into a transcript's canonical text (``\\n`` line ends only), ``end``
exclusive. Other parts of the product count positions differently, and a wrong count moves every
highlight after the first emoji or line end. The conventions, for a canonical text ``t``:

* ``CODEPOINTS``: Unicode code points, i.e. Python ``str`` indices. Ours, and REFI-QDA's (section 10.2).
* ``UTF16``: UTF-16 code units; a character outside the BMP (U+10000 and above) counts 2, everything
  else, ``\\n`` included, counts 1. Qt's ``QTextDocument``/``QTextCursor`` after ``setPlainText(t)``.
* ``UTF16_CRLF``: UTF-16 code units of ``t.replace("\\n", "\\r\\n")``: as ``UTF16`` but each ``\\n``
  counts 2. NVivo for Windows (the BOM is not counted).

Build one :class:`OffsetMap` per text (O(n) once) and reuse it: each conversion is then a ``bisect``
over the positions of the characters that count 2, or nothing at all when there are none.

A units position can fall inside a character (between the halves of a surrogate pair, or between the
``\\r`` and ``\\n`` of a CRLF). :meth:`OffsetMap.from_units` never returns a position inside a
character; its ``snap`` keyword says what happens instead:

* ``"before"`` (default): the start of that character; ``"after"``: the position just past it.
  Importers of real-world files, whose positions are often off, want these. To keep a whole character
  in a range, snap a range's start ``"before"`` and its end ``"after"``.
* ``"raise"``: raise :class:`MidCharacterError`. Use it where an exact round trip is expected.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left
from operator import add
from typing import Final, Literal

__all__ = ["Convention", "MidCharacterError", "OffsetMap", "Snap"]

Snap = Literal["before", "after", "raise"]

_SNAPS: Final = frozenset(("before", "after", "raise"))
_ASTRAL: Final = re.compile("[\U00010000-\U0010ffff]")
_LF: Final = re.compile("\n")


class Convention(enum.Enum):
    """How positions in a text are counted (see the module docstring for the exact rules)."""

    CODEPOINTS = "codepoints"  # Python str indices; REFI-QDA
    UTF16 = "utf16"  # UTF-16 code units; Qt
    UTF16_CRLF = "utf16-crlf"  # UTF-16 code units with each \n counted as CRLF; NVivo for Windows


class MidCharacterError(ValueError):
    """A units position falls inside a character that counts 2 units (raised with ``snap="raise"``)."""


class OffsetMap:
    """Immutable offset converter for one text. Build once per text, then convert as often as needed.

    Every character counts 1 or 2 units in every convention. For each convention the map keeps the
    sorted code point indices of the characters that count 2 (``_wide``) and the units position at
    which each of them starts (``_wide_units``); both are empty for the common pure-BMP case.
    """

    __slots__ = ("_len", "_wide", "_wide_units")

    _len: int
    _wide: dict[Convention, tuple[int, ...]]
    _wide_units: dict[Convention, tuple[int, ...]]

    def __init__(self, text: str) -> None:
        # One O(n) scan per kind of wide character; an ASCII text has no astral characters to look for.
        astral = () if text.isascii() else tuple(map(re.Match.start, _ASTRAL.finditer(text)))
        lf = tuple(map(re.Match.start, _LF.finditer(text))) if "\n" in text else ()
        crlf = tuple(sorted(astral + lf)) if astral and lf else astral or lf  # sorted() merges two runs
        wide = {Convention.CODEPOINTS: (), Convention.UTF16: astral, Convention.UTF16_CRLF: crlf}
        object.__setattr__(self, "_len", len(text))
        object.__setattr__(self, "_wide", wide)
        # The k-th wide character (0-based) has k wide characters before it, so it starts at index + k.
        units = {c: tuple(map(add, w, range(len(w)))) for c, w in wide.items()}
        object.__setattr__(self, "_wide_units", units)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"OffsetMap(length={self._len}, astral={len(self._wide[Convention.UTF16])})"

    def length(self, convention: Convention) -> int:
        """The text's length in ``convention``'s units."""
        return self._len + len(self._wide[convention])

    def to_units(self, offset: int, convention: Convention) -> int:
        """Convert a code point ``offset`` (0 to the text's length, inclusive) to ``convention``'s units.

        Raises ``ValueError`` if ``offset`` is outside the text.
        """
        if not 0 <= offset <= self._len:
            raise ValueError(f"code point offset {offset} is outside the text (0 to {self._len})")
        wide = self._wide[convention]
        if not wide:
            return offset
        return offset + bisect_left(wide, offset)  # plus one for each wide character before offset

    def from_units(self, units: int, convention: Convention, *, snap: Snap = "before") -> int:
        """Convert a position in ``convention``'s units to a code point offset.

        A position inside a character that counts 2 units is resolved by ``snap``: ``"before"`` gives
        that character's start, ``"after"`` the position just past it, and ``"raise"`` raises
        :class:`MidCharacterError`. Raises ``ValueError`` if ``units`` is outside the text.
        """
        if snap not in _SNAPS:
            raise ValueError(f"snap must be 'before', 'after' or 'raise', not {snap!r}")
        wide_units = self._wide_units[convention]
        total = self._len + len(wide_units)
        if not 0 <= units <= total:
            raise ValueError(
                f"position {units} is outside the text (0 to {total} in {convention.value} units)"
            )
        if not wide_units:
            return units
        k = bisect_left(wide_units, units)  # wide characters starting strictly before units
        if k and units == wide_units[k - 1] + 1:  # between the two units of wide character k - 1
            start = self._wide[convention][k - 1]
            if snap == "before":
                return start
            if snap == "after":
                return start + 1
            raise MidCharacterError(
                f"position {units} ({convention.value} units) falls inside the character "
                f"at code point offset {start}"
            )
        return units - k
