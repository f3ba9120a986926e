"""Starting in a team with a new project: a fieldworker's project made by joining, from the team file.

A project meant for a team is best made this way: it starts with the team's codebook under the team's
UUIDs and nothing of its own, so every theme the fieldworker codes with is one the lead already has.
The team file is checked against the lead's fingerprint before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from jswcoder.project import Project
from jswcoder.security import keyfile
from jswcoder.team.membership import Joined, checked_team_file


def join_as_new_project(
    path: Path | str,
    team_file: bytes,
    *,
    fingerprint: str,
    coder: str,
    passphrase: str,
    use_keychain: bool = True,
    kdf: keyfile.KdfParams = keyfile.DEFAULT_KDF,
) -> tuple[Project, str, Joined]:
    """Create the project at *path*, named after the team, and join the team; returns it open, with its
    recovery key (to show once) and what joining brought."""
    incoming = checked_team_file(team_file, fingerprint)
    project, recovery_key = Project.create(
        path, name=incoming.name, coder=coder, passphrase=passphrase, use_keychain=use_keychain, kdf=kdf
    )
    try:
        joined = project.team.join(team_file, fingerprint=fingerprint)
    except BaseException:
        project.close()
        raise
    return project, recovery_key, joined
