"""Which themes, codings and transcripts a piece of work changed behind the window's back.

A sync writes to the project while the window keeps its undo history: a lead's merge adds, changes and
removes a member's codings; a fieldworker's newer team codebook folds local themes into the team's
(their codings move, duplicates go). An undo step that names such a record would undo into a project
that is no longer as it left it, so the window drops exactly those steps (:mod:`jswcoder.ui.undo_history`);
and it reopens the transcript on show only if the transcript itself changed. The states are taken
before and after the work, on the same connection (a worker's, off the UI thread).
"""

from __future__ import annotations

from sqlite_utils import Database

from jswcoder.store import record_states as store

RecordStates = dict[str, tuple[object, ...]]


def record_states(db: Database) -> RecordStates:
    return store.states(db)


def changed(before: RecordStates, after: RecordStates) -> frozenset[str]:
    """UUIDs of the records added, removed or changed between *before* and *after*."""
    return frozenset(uuid for uuid in before.keys() | after.keys() if before.get(uuid) != after.get(uuid))
