"""Where a theme sits, as the team compares it.

Two people who start from the same template, or type the same theme, rarely agree on every capital,
space and dash: "Risk-taking" and "risk – taking" are one theme to them. Paths are compared after
folding case, treating every kind of dash as a space and collapsing spaces, level by level.

The lead keeps what arrived from members and is not yet the team's under one folder,
:data:`EMERGENT`; that folder is the lead's working space, never part of the team codebook.
"""

from __future__ import annotations

import re
import unicodedata

EMERGENT = "Emergent themes"
_DASHES = re.compile(r"[-\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")


def normalised(path: str) -> str:
    """*path* ("Parent/Child") as the team compares it: case, spacing and dashes folded."""
    return "/".join(_level(name) for name in path.split("/"))


def _level(name: str) -> str:
    text = _DASHES.sub(" ", unicodedata.normalize("NFKC", name)).casefold()
    return " ".join(text.split())


def is_emergent(path: str) -> bool:
    """True for the lead's folder of members' emergent themes and everything in it."""
    return path == EMERGENT or path.startswith(f"{EMERGENT}/")
