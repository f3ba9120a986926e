"""Undoable changes to the list of transcripts: rename one, delete one.

As in :mod:`jswcoder.ui.coding_commands`, each command does its work once in :meth:`perform` before it
is pushed, so a change the core refuses (a name taken, a lead's merged transcript) raises a
:class:`JswError` and never reaches the stack. A delete is committed at once; what it took is kept in
the command (:class:`jswcoder.services.transcripts.Removed`), in memory only, so Ctrl+Z puts it all
back until the undo stack is cleared: when the project is locked or closed, the delete is final.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.transcripts import Removed

Changed = Callable[[], None]
Refused = Callable[[str], None]  # an undo or redo the project refuses now: say why, drop the history


class _TranscriptCommand(QUndoCommand):
    def __init__(self, project: Project, changed: Changed, refused: Refused, text: str) -> None:
        super().__init__(text)
        self._project = project
        self._changed = changed
        self._refused = refused
        self._performed = False

    def redo(self) -> None:
        if not self._performed:  # the first redo comes from push(): perform() already did the work
            self._performed = True
            return
        self._replay(self._redo)

    def undo(self) -> None:
        self._replay(self._undo)

    def _replay(self, step: Callable[[], None]) -> None:
        """Run an undo or redo. One the project refuses now (a transcript imported since took the name)
        leaves the project as it is and is reported, and the history that led to it is dropped."""
        try:
            step()
        except JswError as error:
            self._refused(str(error))
        self._changed()

    def _redo(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class RenameTranscript(_TranscriptCommand):
    def __init__(self, project: Project, changed: Changed, refused: Refused, uuid: str, name: str) -> None:
        self._uuid = uuid
        self._before = project.transcripts.get(uuid).name
        super().__init__(project, changed, refused, f"Rename “{self._before}”")
        self._name = name

    def perform(self) -> None:
        self._name = self._project.transcripts.rename(self._uuid, self._name).name
        self._changed()

    def _redo(self) -> None:
        self._project.transcripts.rename(self._uuid, self._name)

    def _undo(self) -> None:
        self._project.transcripts.rename(self._uuid, self._before)


class DeleteTranscript(_TranscriptCommand):
    def __init__(self, project: Project, changed: Changed, refused: Refused, uuid: str) -> None:
        self._uuid = uuid
        super().__init__(project, changed, refused, f"Delete “{project.transcripts.get(uuid).name}”")
        self.removed: Removed | None = None

    def perform(self) -> None:
        self.removed = self._project.transcripts.delete(self._uuid)
        self._changed()

    def _redo(self) -> None:
        self.removed = self._project.transcripts.delete(self._uuid)

    def _undo(self) -> None:
        assert self.removed is not None
        self._project.transcripts.restore(self.removed)
