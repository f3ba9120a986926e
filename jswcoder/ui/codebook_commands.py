"""Undoable edits of the theme tree: add, rename, recolour, describe, move, merge and delete.

As in :mod:`jswcoder.ui.coding_commands`, each command does its work once in :meth:`perform` before it
is pushed, so an edit the core refuses (a name clash, a cycle) raises a :class:`JswError` and never
reaches the stack. ``redo``/``undo`` then replay it with the same UUIDs, using the core's exact
snapshots (``restore``/``unmerge``), and tell the :class:`ThemeModel` what changed, row by row.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from jswcoder.model import Code
from jswcoder.project import Project
from jswcoder.services.codebook import DeletedSubtree, MergeRecord
from jswcoder.ui.theme_model import ThemeModel


class CodebookCommand(QUndoCommand):
    def __init__(self, project: Project, model: ThemeModel, changed: Callable[[], None], text: str) -> None:
        super().__init__(text)
        self._project = project
        self._model = model
        self._changed = changed
        self._performed = False

    def perform(self) -> None:
        self._do(first=True)
        self._changed()

    def redo(self) -> None:
        if not self._performed:  # the first redo comes from push(): perform() already did the work
            self._performed = True
            return
        self._do(first=False)
        self._changed()

    def undo(self) -> None:
        self._undo()
        self._changed()

    def _do(self, first: bool) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def _show_subtree(self, uuid: str) -> None:
        """Tell the model about a code that came back, and all its sub-themes, parents first."""
        codes = self._project.codebook.all()
        wanted = {uuid}
        for code in codes:
            if code.uuid in wanted or code.parent_uuid in wanted:
                wanted.add(code.uuid)
                self._model.code_added(code)
        self._model.counts_changed(self._project.codebook.coding_counts())


class AddTheme(CodebookCommand):
    """Add a theme by path; missing parent levels are created too, and undone with it."""

    def __init__(
        self, project: Project, model: ThemeModel, changed: Callable[[], None], path: str, **kw: str
    ) -> None:
        super().__init__(project, model, changed, f"New theme “{path}”")
        self._path = path
        self._options = kw
        self.code: Code | None = None
        self._snapshot: DeletedSubtree | None = None
        self._top: str | None = None

    def _do(self, first: bool) -> None:
        if first:
            before = {code.uuid for code in self._project.codebook.all()}
            self.code = self._project.codebook.add(self._path, **self._options)  # type: ignore[arg-type]
            created = [c for c in self._project.codebook.all() if c.uuid not in before]
            self._top = created[0].uuid
        else:
            assert self._snapshot is not None
            self._project.codebook.restore(self._snapshot)
        assert self._top is not None
        self._show_subtree(self._top)

    def _undo(self) -> None:
        assert self._top is not None
        self._snapshot = self._project.codebook.delete(self._top)
        self._model.code_removed(self._top)


class _SetField(CodebookCommand):
    """Rename, recolour, describe or change the origin of one theme."""

    def __init__(
        self,
        project: Project,
        model: ThemeModel,
        changed: Callable[[], None],
        uuid: str,
        value: str | None,
        text: str,
    ) -> None:
        super().__init__(project, model, changed, text)
        self._uuid = uuid
        self._value = value
        self._before: Code | None = None

    def _apply(self, value: str | None) -> Code:
        raise NotImplementedError

    def _old(self, code: Code) -> str | None:
        raise NotImplementedError

    def _do(self, first: bool) -> None:
        self._before = self._apply(self._value)
        self._model.code_changed(self._project.codebook.get(self._uuid))

    def _undo(self) -> None:
        assert self._before is not None
        self._apply(self._old(self._before))
        self._model.code_changed(self._project.codebook.get(self._uuid))


class RenameTheme(_SetField):
    def _apply(self, value: str | None) -> Code:
        return self._project.codebook.rename(self._uuid, value or "")

    def _old(self, code: Code) -> str | None:
        return code.name


class RecolourTheme(_SetField):
    def _apply(self, value: str | None) -> Code:
        return self._project.codebook.set_colour(self._uuid, value)

    def _old(self, code: Code) -> str | None:
        return code.colour


class DescribeTheme(_SetField):
    def _apply(self, value: str | None) -> Code:
        return self._project.codebook.set_description(self._uuid, value or "")

    def _old(self, code: Code) -> str | None:
        return code.description


class MoveTheme(CodebookCommand):
    def __init__(
        self,
        project: Project,
        model: ThemeModel,
        changed: Callable[[], None],
        uuid: str,
        parent_uuid: str | None,
        position: int,
    ) -> None:
        super().__init__(project, model, changed, "Move theme")
        self._uuid = uuid
        self._to = (parent_uuid, position)
        self._from: tuple[str | None, int] | None = None

    def _do(self, first: bool) -> None:
        self._from = self._project.codebook.move(self._uuid, *self._to)
        self._model.code_moved(self._uuid, *self._to)

    def _undo(self) -> None:
        assert self._from is not None
        self._project.codebook.move(self._uuid, *self._from)
        self._model.code_moved(self._uuid, *self._from)


class DeleteTheme(CodebookCommand):
    def __init__(self, project: Project, model: ThemeModel, changed: Callable[[], None], uuid: str) -> None:
        super().__init__(project, model, changed, f"Delete theme “{project.codebook.get(uuid).name}”")
        self._uuid = uuid
        self.snapshot: DeletedSubtree | None = None

    def _do(self, first: bool) -> None:
        self.snapshot = self._project.codebook.delete(self._uuid)
        self._model.code_removed(self._uuid)

    def _undo(self) -> None:
        assert self.snapshot is not None
        self._project.codebook.restore(self.snapshot)
        self._show_subtree(self._uuid)


class MergeThemes(CodebookCommand):
    def __init__(
        self, project: Project, model: ThemeModel, changed: Callable[[], None], source: str, target: str
    ) -> None:
        names = project.codebook.get(source).name, project.codebook.get(target).name
        super().__init__(project, model, changed, "Merge “{}” into “{}”".format(*names))
        self._source, self._target = source, target
        self.record: MergeRecord | None = None

    def _do(self, first: bool) -> None:
        start = self._model.rowCount(self._model.index_of(self._target))
        self.record = self._project.codebook.merge(self._source, self._target)
        for offset, child in enumerate(self.record.children):
            self._model.code_moved(child, self._target, start + offset)
        self._model.code_removed(self._source)
        self._model.counts_changed(self._project.codebook.coding_counts())

    def _undo(self) -> None:
        assert self.record is not None
        source = self._project.codebook.unmerge(self.record)
        self._model.code_added(source)
        for position, child in enumerate(self.record.children):
            self._model.code_moved(child, source.uuid, position)
        self._model.counts_changed(self._project.codebook.coding_counts())
