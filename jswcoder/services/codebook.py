"""The code tree (the study's themes), addressed by paths such as ``"Funding and resources/Training"``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid
from jswcoder.model import Code, CodeOrigin, Coder
from jswcoder.palette import default_colour, normalise_colour
from jswcoder.store import codes


def split_path(path: str) -> list[str]:
    """``"A / B"`` → ``["A", "B"]``; a code name cannot hold a slash, since the slash separates levels."""
    parts = [part.strip() for part in path.split("/")]
    if not path.strip() or any(not part for part in parts):
        raise InvalidInput(f"{path!r} is not a code path; write it as Parent/Child, with no empty level")
    return parts


class Codebook:
    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def all(self) -> list[Code]:
        """Every code, in tree order."""
        return codes.tree(self._db)

    def find(self, ref: str) -> Code:
        """A code by its UUID or its path (spaces around the slashes do not matter)."""
        everything = self.all()
        try:
            wanted = "/".join(split_path(ref))
        except InvalidInput:
            wanted = ref
        for code in everything:
            if ref == code.uuid or wanted == code.path:
                return code
        raise NotFound(f"there is no code {ref!r}; list them with: jswcoder codes PROJECT list")

    def add(
        self,
        path: str,
        *,
        colour: str | None = None,
        description: str = "",
        origin: CodeOrigin = "preset",
    ) -> Code:
        """Add the code at *path*, creating missing parent levels (like ``mkdir -p``)."""
        parts = split_path(path)
        colour = None if colour is None else normalise_colour(colour)
        with self._db.atomic():
            parent: str | None = None
            for depth, name in enumerate(parts):
                existing = codes.child_by_name(self._db, parent, name)
                last = depth == len(parts) - 1
                if existing is not None and last:
                    raise InvalidInput(f"the code {'/'.join(parts)!r} already exists")
                if existing is None:
                    existing = new_uuid()
                    # Top-level themes get a palette colour of their own; their children inherit it.
                    own_colour = colour if last else None
                    if parent is None and own_colour is None:
                        top_level = sum(1 for code in codes.tree(self._db) if code.parent_uuid is None)
                        own_colour = default_colour(top_level)
                    codes.insert(
                        self._db,
                        uuid=existing,
                        parent_uuid=parent,
                        name=name,
                        description=description if last else "",
                        colour=own_colour,
                        origin=origin,
                        created_by=self._coder.uuid,
                    )
                parent = existing
        return self.find("/".join(parts))

    def colour_of(self, code: Code) -> str:
        """The colour a code shows in: its own, or its nearest ancestor's."""
        by_uuid = {c.uuid: c for c in self.all()}
        current: Code | None = code
        while current is not None:
            if current.colour:
                return current.colour
            current = by_uuid.get(current.parent_uuid) if current.parent_uuid else None
        return default_colour(0)

    def add_tree(self, nodes: Sequence[Mapping[str, Any]], origin: CodeOrigin = "preset") -> int:
        """Add nested ``{"name", "description", "colour", "children"}`` nodes in one transaction."""
        added = 0

        def add(level: Sequence[Mapping[str, Any]], prefix: str) -> None:
            nonlocal added
            for node in level:
                path = f"{prefix}{node['name']}"
                self.add(
                    path, description=node.get("description", ""), colour=node.get("colour"), origin=origin
                )
                added += 1
                add(node.get("children", []), f"{path}/")

        with self._db.atomic():
            add(nodes, "")
        return added
