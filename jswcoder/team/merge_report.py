"""What one lead's merge did (:mod:`jswcoder.team.merge`): counts by kind, plain reasons, notes.

Kept apart from the merge so that the command line and the app's report read it without the merge's
machinery; every line in it is plain and never quotes a transcript's words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("transcripts", "codings", "codes", "memos", "participants")


def _tally() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


@dataclass(frozen=True)
class MergeReport:
    """What one merge did: JSON-ready through :func:`dataclasses.asdict`, and saved in ``merge_reports``."""

    member_id: str
    member_name: str
    sequence: int
    added: dict[str, int] = field(default_factory=_tally)
    replaced: dict[str, int] = field(default_factory=_tally)
    removed: dict[str, int] = field(default_factory=_tally)
    refused: list[str] = field(default_factory=list)  # plain reasons, never transcript text
    name_collisions: list[dict[str, str]] = field(default_factory=list)  # path, team_uuid, incoming_uuid
    notes: list[str] = field(default_factory=list)  # plain lines for the lead, nothing refused

    @property
    def changed(self) -> bool:
        return any(sum(t.values()) for t in (self.added, self.replaced, self.removed))
