"""The code tree (themes). Paths ("Parent/Child") are computed here from the parent links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from jswcoder.ids import now
from jswcoder.model import Code, CodeOrigin, Coding, Memo, MemoTarget
from jswcoder.store.matrix import SummaryRow
from jswcoder.store.params import batches, marks


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


# -- whole rows, for exact snapshots (undo of delete and merge) -------------------------------------

_ROW = "uuid, parent_uuid, name, description, colour, position, origin, created_by, created_at"


@dataclass(frozen=True, slots=True)
class CodeRow:
    """A code exactly as stored, so that a deleted code can be put back as it was."""

    uuid: str
    parent_uuid: str | None
    name: str
    description: str
    colour: str | None
    position: int
    origin: CodeOrigin
    created_by: str | None
    created_at: str


@dataclass(frozen=True, slots=True)
class DeletedSubtree:
    """Everything :meth:`Codebook.delete` removed: codes (parent first), their codings, memos and
    matrix summaries."""

    codes: tuple[CodeRow, ...]
    codings: tuple[Coding, ...]
    memos: tuple[Memo, ...]
    summaries: tuple[SummaryRow, ...] = ()

    @property
    def root(self) -> CodeRow:
        return self.codes[0]


@dataclass(frozen=True, slots=True)
class MergeRecord:
    """What :meth:`Codebook.merge` changed, so that :meth:`Codebook.unmerge` can reverse it."""

    source: CodeRow
    target_uuid: str
    moved: tuple[str, ...]  # codings recoded from the source to the target
    dropped: tuple[tuple[Coding, str], ...]  # source codings that duplicated a target coding (kept uuid)
    children: tuple[str, ...]  # the source's children, in their old order
    code_memos: tuple[str, ...]  # memos on the source, now on the target
    coding_memos: tuple[tuple[str, str], ...]  # (memo, dropped coding) now on the kept duplicate
    aliases: tuple[str, ...] = ()  # older aliases that meant the source, now meaning the target
    # The source's matrix summaries, each with the target's summary of that case before the merge.
    summaries: tuple[tuple[SummaryRow, SummaryRow | None], ...] = ()

    @property
    def codings_moved(self) -> int:
        return len(self.moved)

    @property
    def codings_dropped(self) -> int:
        return len(self.dropped)

    @property
    def children_moved(self) -> int:
        return len(self.children)


def row(db: Database, uuid: str) -> CodeRow | None:
    found = db.execute(f"SELECT {_ROW} FROM codes WHERE uuid = ?", [uuid]).fetchone()
    return None if found is None else CodeRow(*found)


def subtree(db: Database, uuid: str) -> list[CodeRow]:
    """The code and all its descendants, each parent before its children."""
    rows = db.execute(
        f"WITH RECURSIVE sub(uuid, depth) AS (SELECT ?, 0 UNION ALL "
        f"SELECT c.uuid, sub.depth + 1 FROM codes c JOIN sub ON c.parent_uuid = sub.uuid) "
        f"SELECT {', '.join('c.' + col.strip() for col in _ROW.split(','))} FROM codes c "
        f"JOIN sub ON sub.uuid = c.uuid ORDER BY sub.depth, c.parent_uuid, c.position",
        [uuid],
    ).fetchall()
    return [CodeRow(*found) for found in rows]


def insert_row(db: Database, code: CodeRow) -> None:
    db.execute(
        f"INSERT INTO codes ({_ROW}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            code.uuid,
            code.parent_uuid,
            code.name,
            code.description,
            code.colour,
            code.position,
            code.origin,
            code.created_by,
            code.created_at,
        ],
    )


def update(db: Database, uuid: str, **fields: str | None) -> None:
    """Set some of ``name``, ``description``, ``colour``, ``origin`` of one code."""
    allowed = {"name", "description", "colour", "origin"}
    if not fields or not set(fields) <= allowed:
        raise ValueError(f"only {sorted(allowed)} can be updated")
    assignments = ", ".join(f"{column} = ?" for column in fields)
    db.execute(f"UPDATE codes SET {assignments} WHERE uuid = ?", [*fields.values(), uuid])


def children(db: Database, parent_uuid: str | None) -> list[str]:
    """The children of *parent_uuid* (None: the top level) in display order."""
    rows = db.execute(
        "SELECT uuid FROM codes WHERE parent_uuid IS ? ORDER BY position, name", [parent_uuid]
    ).fetchall()
    return [str(found[0]) for found in rows]


def place(db: Database, parent_uuid: str | None, ordered: list[str]) -> None:
    """Make *ordered* the children of *parent_uuid*, at positions 0..n-1."""
    for position, uuid in enumerate(ordered):
        db.execute(
            "UPDATE codes SET parent_uuid = ?, position = ? WHERE uuid = ? "
            "AND (parent_uuid IS NOT ? OR position IS NOT ?)",
            [parent_uuid, position, uuid, parent_uuid, position],
        )


def delete(db: Database, uuid: str) -> None:
    """Delete a code; the schema's ON DELETE CASCADE takes its descendants and their codings."""
    db.execute("DELETE FROM codes WHERE uuid = ?", [uuid])


# -- codings and memos that belong to codes ----------------------------------------------------------

_CODING = 'uuid, transcript_uuid, code_uuid, start, "end", coder_uuid, created_at'
_MEMO = "uuid, target_kind, target_uuid, text, coder_uuid, created_at, updated_at"


def coding_counts(db: Database) -> dict[str, int]:
    rows = db.execute("SELECT code_uuid, count(*) FROM codings GROUP BY code_uuid").fetchall()
    return {str(found[0]): int(found[1]) for found in rows}


def codings_of(db: Database, code_uuids: list[str]) -> list[Coding]:
    rows = db.execute(
        f"SELECT {_CODING} FROM codings WHERE code_uuid IN ({marks(code_uuids)}) ORDER BY created_at, uuid",
        code_uuids,
    ).fetchall()
    return [Coding(*found) for found in rows]


def memos_on(db: Database, kind: MemoTarget, target_uuids: list[str]) -> list[Memo]:
    rows = db.execute(
        f"SELECT {_MEMO} FROM memos WHERE target_kind = ? AND target_uuid IN ({marks(target_uuids)}) "
        "ORDER BY created_at, uuid",
        [kind, *target_uuids],
    ).fetchall()
    return [Memo(*found) for found in rows]


def delete_memos(db: Database, memo_uuids: list[str]) -> None:
    for batch in batches(memo_uuids):
        db.execute(f"DELETE FROM memos WHERE uuid IN ({marks(batch)})", batch)


def retarget_memos(db: Database, memo_uuids: list[str], target_uuid: str) -> None:
    """Attach memos to another record of the same kind (a merge keeps the notes on the merged theme)."""
    for batch in batches(memo_uuids):
        db.execute(f"UPDATE memos SET target_uuid = ? WHERE uuid IN ({marks(batch)})", [target_uuid, *batch])


def recode(db: Database, coding_uuids: list[str], code_uuid: str) -> None:
    for batch in batches(coding_uuids):
        db.execute(f"UPDATE codings SET code_uuid = ? WHERE uuid IN ({marks(batch)})", [code_uuid, *batch])


def delete_codings(db: Database, coding_uuids: list[str]) -> None:
    for batch in batches(coding_uuids):
        db.execute(f"DELETE FROM codings WHERE uuid IN ({marks(batch)})", batch)


def same_range(db: Database, coding: Coding, code_uuid: str) -> str | None:
    """The UUID of a coding of *code_uuid* over exactly the range of *coding*, if there is one."""
    found = db.execute(
        'SELECT uuid FROM codings WHERE code_uuid = ? AND transcript_uuid = ? AND start = ? AND "end" = ?',
        [code_uuid, coding.transcript_uuid, coding.start, coding.end],
    ).fetchone()
    return None if found is None else str(found[0])
