"""The undo history across a sync: every step stays, except those that name a record the sync changed.

A step names the records whose UUIDs it holds: the theme it coded with, the codings it made, removed
or moved, the snapshot of a deleted theme. (Read from the step's own attributes, so a new kind of step
is covered without a list to keep up to date.) Such a step is marked obsolete: Qt then drops it without
calling it when undo or redo reaches it, and the ones at either end of the history are dropped at once,
so the next Ctrl+Z undoes a step that still applies.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_DEPTH = 4  # a step, its snapshot, the snapshot's rows, a row's fields


def named(command: QUndoCommand) -> set[str]:
    """The UUIDs of the records *command* (and any step inside it, for a macro) holds."""
    found: set[str] = set()
    for value in vars(command).values():
        _collect(value, found, 0)
    for index in range(command.childCount()):
        child = command.child(index)
        if child is not None:
            found |= named(child)
    return found


def _collect(value: Any, found: set[str], depth: int) -> None:
    if isinstance(value, str):
        if _UUID.match(value):
            found.add(value)
    elif depth >= _DEPTH:
        return
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _collect(item, found, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(key, found, depth + 1)
            _collect(item, found, depth + 1)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            _collect(getattr(value, field.name), found, depth + 1)


def drop_steps_naming(stack: QUndoStack, changed: frozenset[str]) -> list[str]:
    """Drop the steps of *stack* that name a record in *changed*; their texts ("Code as “Risk”")."""
    if not changed:
        return []
    dropped = []
    for index in range(stack.count()):
        command = stack.command(index)
        if command is not None and named(command) & changed:
            command.setObsolete(True)
            dropped.append(command.text())
    while stack.canUndo() and _obsolete(stack, stack.index() - 1):
        stack.undo()  # an obsolete step is deleted, not undone
    while stack.canRedo() and _obsolete(stack, stack.index()):
        stack.redo()
    return dropped


def _obsolete(stack: QUndoStack, index: int) -> bool:
    command = stack.command(index)
    return command is not None and command.isObsolete()
