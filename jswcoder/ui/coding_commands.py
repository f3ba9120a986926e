"""Undoable coding actions: code passages, remove a coding, change a coding's theme or boundaries.

Each command does its work once in :meth:`perform` *before* it is pushed, so an action the core
refuses (bad range, unknown theme) raises a :class:`JswError` and never reaches the undo stack. After
that, the stack's ``redo()``/``undo()`` replay it with the same UUIDs. Every step is a durable commit
in the core; the :class:`Workbench` is told about each change so the views update incrementally.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from jswcoder.model import Coding
from jswcoder.project import Project


class Workbench(Protocol):
    """What the commands tell about their effects (the main window implements it)."""

    def coding_added(self, coding: Coding) -> None: ...

    def coding_removed(self, coding: Coding) -> None: ...

    def coding_changed(self, before: Coding, after: Coding) -> None: ...


class _Command(QUndoCommand):
    def __init__(self, project: Project, workbench: Workbench, text: str) -> None:
        super().__init__(text)
        self._project = project
        self._workbench = workbench
        self._performed = False

    def perform(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if not self._performed:  # the first redo comes from push(): perform() already did the work
            self._performed = True
            return
        self._redo()

    def _redo(self) -> None:
        raise NotImplementedError


class AddCodings(_Command):
    """Code one passage (a selection) or many (search hits) with one theme, as one step."""

    def __init__(
        self,
        project: Project,
        workbench: Workbench,
        passages: Sequence[tuple[str, int, int]],
        code_uuid: str,
        text: str,
    ) -> None:
        super().__init__(project, workbench, text)
        self._passages = list(passages)
        self._code_uuid = code_uuid
        self.created: list[Coding] = []

    def perform(self) -> None:
        for transcript_uuid, start, end in self._passages:
            coding, new = self._project.codings.add(transcript_uuid, start, end, self._code_uuid)
            if new:
                self.created.append(coding)
                self._workbench.coding_added(coding)

    def _redo(self) -> None:
        for coding in self.created:
            self._project.codings.restore(coding)
            self._workbench.coding_added(coding)

    def undo(self) -> None:
        for coding in reversed(self.created):
            self._project.codings.remove(coding.uuid)
            self._workbench.coding_removed(coding)


class RemoveCoding(_Command):
    def __init__(self, project: Project, workbench: Workbench, coding_uuid: str) -> None:
        super().__init__(project, workbench, "Remove coding")
        self._uuid = coding_uuid
        self._removed: Coding | None = None

    def perform(self) -> None:
        self._removed = self._project.codings.remove(self._uuid)
        self._workbench.coding_removed(self._removed)

    def _redo(self) -> None:
        assert self._removed is not None
        self._project.codings.remove(self._uuid)
        self._workbench.coding_removed(self._removed)

    def undo(self) -> None:
        assert self._removed is not None
        self._project.codings.restore(self._removed)
        self._workbench.coding_added(self._removed)


class ChangeCoding(_Command):
    """Give a coding another theme, or move its boundaries."""

    def __init__(
        self,
        project: Project,
        workbench: Workbench,
        coding_uuid: str,
        *,
        code_uuid: str | None = None,
        start: int | None = None,
        end: int | None = None,
        text: str = "Change coding",
    ) -> None:
        super().__init__(project, workbench, text)
        self._uuid = coding_uuid
        self._change = {"code_uuid": code_uuid, "start": start, "end": end}
        self._before: Coding | None = None

    def perform(self) -> None:
        self._before = self._project.codings.change(self._uuid, **self._change)  # type: ignore[arg-type]
        self._workbench.coding_changed(self._before, self._project.codings.get(self._uuid))

    def _redo(self) -> None:
        assert self._before is not None
        self._project.codings.change(self._uuid, **self._change)  # type: ignore[arg-type]
        self._workbench.coding_changed(self._before, self._project.codings.get(self._uuid))

    def undo(self) -> None:
        assert self._before is not None
        after = self._project.codings.get(self._uuid)
        self._project.codings.change(
            self._uuid, code_uuid=self._before.code_uuid, start=self._before.start, end=self._before.end
        )
        self._workbench.coding_changed(after, self._before)
