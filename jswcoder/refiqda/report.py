"""What a REFI-QDA import did: counts, the positions reading chosen, and every repair or loss.

The standard (section 7) asks an importer to tell the user what it could not carry over. Every
lenient repair and every dropped element goes into one :class:`ImportReport`, which the command line
prints and the app shows. Entries name elements, files and codes, never transcript text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PositionsChoice:
    """Which counting of selection positions was used, and how many selections each put on word edges."""

    convention: str
    on_word_boundaries: dict[str, int]
    selections: int

    def describe(self) -> str:
        counts = ", ".join(f"{name} {count}" for name, count in self.on_word_boundaries.items())
        return (
            f"positions read as {self.convention} "
            f"(selections on word boundaries out of {self.selections}: {counts})"
        )


@dataclass
class ImportReport:
    """The outcome of one import. ``repaired``: read leniently; ``dropped``: not imported at all."""

    source: str
    counts: dict[str, int] = field(default_factory=dict)
    repaired: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    positions: PositionsChoice | None = None

    def repair(self, message: str) -> None:
        if message not in self.repaired:
            self.repaired.append(message)

    def drop(self, message: str) -> None:
        if message not in self.dropped:
            self.dropped.append(message)

    def count(self, what: str, added: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + added

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "counts": dict(self.counts),
            "positions": None
            if self.positions is None
            else {
                "convention": self.positions.convention,
                "on_word_boundaries": dict(self.positions.on_word_boundaries),
                "selections": self.positions.selections,
            },
            "repaired": list(self.repaired),
            "dropped": list(self.dropped),
        }

    def lines(self) -> list[str]:
        """The report as plain lines for a terminal or a message box."""
        out = [f"Imported from {self.source}:"]
        out += [f"  {what}: {number}" for what, number in self.counts.items()]
        if self.positions is not None:
            out.append(f"  {self.positions.describe()}")
        if self.repaired:
            out.append("Read leniently:")
            out += [f"  - {message}" for message in self.repaired]
        if self.dropped:
            out.append("Not imported:")
            out += [f"  - {message}" for message in self.dropped]
        if not self.repaired and not self.dropped:
            out.append("Nothing needed repair and nothing was left out.")
        return out
