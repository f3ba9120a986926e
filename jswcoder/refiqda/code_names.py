"""Unique code names for tools that allow each name once, and the way back on our own import.

A codebook may hold the same name in two places ("Partnership working" at the top and under "JSW and
the National Care Service"). Tools that keep one code per name (QualCoder, ATLAS.ti) merge or drop
the second. For them every repeat but the first (shallowest, then earliest in the tree) is renamed
"Name (Parent)"; if that is taken too, "Name (Grandparent › Parent)", up to the whole path; then
"Name (Path, 2)", "Name (Path, 3)", ... Names are compared case-insensitively.

The renaming is deterministic, so our own import can take it back: a name that ends in its own
ancestors' names in brackets is stripped, and kept stripped only if renaming the stripped tree again
gives back exactly the names read (:func:`restore`). GUIDs never change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

PATH_SEPARATOR = " › "
_COUNTED = re.compile(r"^(?P<path>.*), (?P<n>[2-9]|[1-9]\d+)$")


@dataclass(frozen=True)
class Named:
    """One code: its id, its parent's id (None at the top) and its name. A list is in tree order."""

    key: str
    parent: str | None
    name: str


def _ancestors(code: Named, by_key: dict[str, Named]) -> list[str]:
    """The names of ``code``'s ancestors, nearest last."""
    names: list[str] = []
    parent = code.parent
    while parent is not None and parent in by_key:
        names.insert(0, by_key[parent].name)
        parent = by_key[parent].parent
    return names


def _depth(code: Named, by_key: dict[str, Named]) -> int:
    return len(_ancestors(code, by_key))


def unique(codes: Sequence[Named]) -> dict[str, str]:
    """Each code's name, every name different (see the module docstring); unchanged codes included."""
    by_key = {code.key: code for code in codes}
    order = {code.key: number for number, code in enumerate(codes)}
    first: dict[str, Named] = {}
    for code in sorted(codes, key=lambda c: (_depth(c, by_key), order[c.key])):
        first.setdefault(code.name.casefold(), code)
    names = {code.key: code.name for code in codes}
    taken = {name.casefold() for name in names.values()}
    next_number: dict[tuple[str, str], int] = {}
    for code in sorted(codes, key=lambda c: (_depth(c, by_key), order[c.key])):
        if first[code.name.casefold()] is code:
            continue
        ancestors = _ancestors(code, by_key)
        path = PATH_SEPARATOR.join(ancestors) or "top level"
        paths = (f"{code.name} ({PATH_SEPARATOR.join(ancestors[-k:])})" for k in range(1, len(ancestors) + 1))
        chosen = next((c for c in paths if c.casefold() not in taken), "")
        if not chosen:  # numbered, from where the last repeat of this name and path stopped
            counted = (code.name.casefold(), path.casefold())
            number = next_number.get(counted, 2)
            while (chosen := f"{code.name} ({path}, {number})").casefold() in taken:
                number += 1
            next_number[counted] = number + 1
        taken.add(chosen.casefold())
        names[code.key] = chosen
    return names


def _stripped(name: str, ancestors: list[str]) -> str | None:
    """``name`` without a suffix :func:`unique` could have given it, or None."""
    if not name.endswith(")") or " (" not in name:
        return None
    for cut in range(len(name) - 2, -1, -1):  # every " (" from the right: the name may hold brackets itself
        if name[cut : cut + 2] != " (":
            continue
        base, suffix = name[:cut], name[cut + 2 : -1]
        counted = _COUNTED.match(suffix)
        path = counted["path"] if counted else suffix
        options = {PATH_SEPARATOR.join(ancestors[-k:]) for k in range(1, len(ancestors) + 1)}
        if counted:
            options.add(PATH_SEPARATOR.join(ancestors) or "top level")
        if base and path in options:
            return base
    return None


def restore(codes: Sequence[Named]) -> dict[str, str]:
    """The names before :func:`unique` renamed them, for the codes it renamed; {} if it did not.

    Top-down: an ancestor is restored before its children are looked at, as :func:`unique` used the
    ancestors' original names. The guess is kept only if :func:`unique` gives back every name read.
    """
    by_key = {code.key: code for code in codes}
    restored: dict[str, Named] = {}
    for code in codes:  # tree order: parents first
        parent = restored.get(code.parent) if code.parent else None
        ancestors = [*_ancestors(parent, restored), parent.name] if parent else []
        base = _stripped(code.name, ancestors)
        restored[code.key] = Named(code.key, code.parent, base if base is not None else code.name)
    guess = list(restored.values())
    if all(g.name == by_key[g.key].name for g in guess):
        return {}
    again = unique(guess)
    if any(again[code.key] != code.name for code in codes):
        return {}
    return {g.key: g.name for g in guess if g.name != by_key[g.key].name}
