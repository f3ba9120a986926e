"""A fieldworker's codebook takes the team's, keeping the team's UUIDs so the lead sees one codebook.

Each team file brings the lead's team codebook. On this laptop:

* Team themes this project lacks are added under the team's UUIDs, parents first.
* A local theme the team already has becomes that team theme: its codings, memos, summaries and
  sub-themes move there and its UUID is kept as an alias (so anything still naming it lands on the
  team theme). "Already has" means the lead folded it into a team theme (the team theme lists its
  UUID among its aliases), or it sits at the same path, compared as :mod:`jswcoder.team.theme_paths`
  does: "risk – taking" under "Risk" is the team's "Risk/Risk-taking".
* Every other local theme stays this project's own, where it is, and is listed.

Local themes are folded deepest first, so a folded parent's remaining sub-themes move under the team
theme without meeting a same-named sibling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from jswcoder.errors import InvalidInput
from jswcoder.services.codebook import Codebook
from jswcoder.store import codes
from jswcoder.store import team as rows
from jswcoder.team.teamfile import TeamCode
from jswcoder.team.theme_paths import normalised


@dataclass(frozen=True)
class Adoption:
    """What taking a team codebook did here (theme paths as they read on this laptop)."""

    added: list[str] = field(default_factory=list)  # team themes this project did not have
    adopted: list[str] = field(default_factory=list)  # local themes that became team themes
    local: list[str] = field(default_factory=list)  # local themes that stay this project's own
    conflicts: list[str] = field(default_factory=list)  # team themes that could not be placed


def take_codebook(db: Database, codebook: Codebook, incoming: Sequence[TeamCode]) -> Adoption:
    """Bring the team codebook *incoming* (parents before children) into this project's tree.

    The caller holds the transaction.
    """
    result = Adoption()
    team = {code.uuid: code for code in incoming}
    before = {code.uuid: code for code in codebook.all()}
    team_paths: dict[str, str] = {}
    for code in incoming:
        parent_path = team_paths.get(code.parent_uuid) if code.parent_uuid else None
        team_paths[code.uuid] = f"{parent_path}/{code.name}" if parent_path else code.name

    inserted: list[str] = []
    for code in incoming:
        if rows.code_exists(db, code.uuid):
            continue
        same_name = codes.child_by_name(db, code.parent_uuid, code.name)
        if same_name is not None and same_name in team:
            result.conflicts.append(team_paths[code.uuid])  # a team theme moved here by hand
            continue
        if same_name is not None:  # a local theme at the team theme's place: it is folded in below
            codes.update(db, same_name, name=_aside(db, code.parent_uuid, code.name, same_name))
        rows.insert_team_code(
            db,
            uuid=code.uuid,
            parent_uuid=code.parent_uuid,
            name=code.name,
            description=code.description,
            colour=code.colour,
            position=code.position,
            origin=code.origin,
        )
        inserted.append(code.uuid)

    targets: dict[str, str] = {}  # local theme -> the team theme it becomes
    for code in incoming:
        for alias in code.aliases:
            if alias in before and alias not in team:
                targets[alias] = code.uuid
    by_path = {normalised(path): uuid for uuid, path in team_paths.items()}
    for uuid, mine in before.items():
        if uuid not in team and uuid not in targets and normalised(mine.path) in by_path:
            targets[uuid] = by_path[normalised(mine.path)]

    for uuid in sorted(targets, key=lambda u: (-before[u].path.count("/"), before[u].path)):
        try:
            codebook.merge(uuid, targets[uuid])
        except InvalidInput:  # a team theme moved under its own local twin, or the like: leave both
            result.local.append(before[uuid].path)
            continue
        result.adopted.append(before[uuid].path)
    adopted_into = {targets[uuid] for uuid in targets if before[uuid].path in result.adopted}
    result.added.extend(team_paths[uuid] for uuid in inserted if uuid not in adopted_into)
    result.local.extend(
        mine.path for uuid, mine in before.items() if uuid not in team and uuid not in targets
    )
    return result


def _aside(db: Database, parent_uuid: str | None, name: str, uuid: str) -> str:
    """A sibling name for a local theme that gives its place to a team theme of the same name."""
    candidate, n = f"{name} (local)", 1
    while codes.child_by_name(db, parent_uuid, candidate) not in (None, uuid):
        n += 1
        candidate = f"{name} (local {n})"
    return candidate
