"""The place gazetteer, stop list and name lists that ship in the ``gazetteer`` resources (see its README).

Loaded once per process; every lookup is case-sensitive, as the corpus's matching rules are.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jswcoder.resources import GAZETTEER, resource

# file stem -> (category, replacement)
FILES: dict[str, tuple[str, str]] = {
    "council_areas": ("PLACE", "[NAME OF AREA]"),
    "areas": ("PLACE", "[NAME OF AREA]"),
    "cities": ("PLACE", "[NAME OF CITY]"),
    "towns": ("PLACE", "[NAME OF TOWN]"),
    "villages": ("PLACE", "[NAME OF VILLAGE]"),
    "islands": ("PLACE", "[NAME OF ISLAND]"),
    "prisons": ("PRISON", "[NAME OF PRISON]"),
    "councils": ("ORG", "[NAME OF COUNCIL]"),
    "nhs_boards": ("ORG", "[PARTNER ORGANISATION]"),
}
STOP_FILE = "not_identifiers"
# Built by packaging/gazetteer/make_names.py from public lists (see the README): never entries to suggest
# on their own, only evidence that a capitalised word in a name's position is one.
FIRST_NAMES_FILE = "first_names"
SURNAMES_FILE = "surnames"


@dataclass(frozen=True, slots=True)
class Gazetteer:
    entries: dict[str, tuple[str, str]]  # exact text -> (category, replacement); first file wins
    stop: frozenset[str]
    first_names: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()


def gazetteer_dir() -> Path:
    return resource(GAZETTEER)


def read_list(path: Path) -> list[str]:
    """Entries of one list file: one per line, blank lines and ``#`` comments skipped."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


@cache
def load_gazetteer() -> Gazetteer:
    folder = gazetteer_dir()
    entries: dict[str, tuple[str, str]] = {}
    for stem, value in FILES.items():
        for entry in read_list(folder / f"{stem}.txt"):
            entries.setdefault(entry, value)
    return Gazetteer(
        entries=entries,
        stop=frozenset(read_list(folder / f"{STOP_FILE}.txt")),
        first_names=frozenset(read_list(folder / f"{FIRST_NAMES_FILE}.txt")),
        surnames=frozenset(read_list(folder / f"{SURNAMES_FILE}.txt")),
    )
