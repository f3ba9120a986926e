"""The code tree (themes). Paths ("Parent/Child") are computed here from the parent links."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.model import Code, CodeOrigin


def insert(
    db: Database,
    *,
    uuid: str,
    parent_uuid: str | None,
    name: str,
    description: str,
    colour: str | None,
    origin: CodeOrigin,
    created_by: str | None,
) -> None:
    """Add a code as the last child of its parent."""
    position = db.execute(
        "SELECT coalesce(max(position) + 1, 0) FROM codes WHERE parent_uuid IS ?", [parent_uuid]
    ).fetchone()[0]
    db.execute(
        "INSERT INTO codes (uuid, parent_uuid, name, description, colour, position, origin, created_by, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [uuid, parent_uuid, name, description, colour, position, origin, created_by, now()],
    )


def child_by_name(db: Database, parent_uuid: str | None, name: str) -> str | None:
    row = db.execute(
        "SELECT uuid FROM codes WHERE parent_uuid IS ? AND name = ?", [parent_uuid, name]
    ).fetchone()
    return None if row is None else str(row[0])


def tree(db: Database) -> list[Code]:
    """Every code in tree order (depth first, siblings by position), each with its full path."""
    rows = db.execute(
        "SELECT uuid, parent_uuid, name, description, colour, position, origin FROM codes "
        "ORDER BY position, name"
    ).fetchall()
    children: dict[str | None, list[Any]] = {}
    for row in rows:
        children.setdefault(row[1], []).append(row)
    ordered: list[Code] = []

    def walk(parent: str | None, prefix: str) -> None:
        for uuid, parent_uuid, name, description, colour, position, origin in children.get(parent, []):
            path = f"{prefix}{name}"
            ordered.append(Code(uuid, parent_uuid, name, path, description, colour, position, origin))
            walk(uuid, f"{path}/")

    walk(None, "")
    return ordered
