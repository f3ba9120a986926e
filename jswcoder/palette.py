"""Default code colours: the Okabe-Ito palette, distinguishable with the common colour-vision deficiencies.

Colour is never the only cue in the app (code names are always shown too); this keeps it a good cue.
"""

from __future__ import annotations

import re

from jswcoder.errors import InvalidInput

OKABE_ITO: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def default_colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def normalise_colour(colour: str) -> str:
    """``#RRGGBB`` in capitals, from ``#rrggbb``, ``rrggbb`` or ``#rgb``."""
    match = _HEX.fullmatch(colour.strip())
    if match is None:
        raise InvalidInput(f"{colour!r} is not a colour; write it as #RRGGBB, for example #0072B2")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return f"#{digits.upper()}"
