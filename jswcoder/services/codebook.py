"""The code tree (the study's themes), addressed by paths such as ``"Funding and resources/Training"``.

Every change is one transaction and can be undone: the setters return the code as it was, ``move``
returns where it was, and ``delete``/``merge`` return plain-data snapshots that ``restore``/``unmerge``
put back exactly (same UUIDs, positions and timestamps), so an undo stack can replay them safely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, get_args

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.model import Code, CodeOrigin, Coder, Coding
from jswcoder.palette import default_colour, normalise_colour
from jswcoder.store import codes, matrix
from jswcoder.store import codings as coding_rows
from jswcoder.store import memos as memo_rows
from jswcoder.store import merge as merge_rows
from jswcoder.store.codes import CodeRow, DeletedSubtree, MergeRecord
from jswcoder.store.matrix import SummaryRow

__all__ = ["CodeRow", "Codebook", "DeletedSubtree", "MergeRecord", "check_name", "split_path"]


def split_path(path: str) -> list[str]:
    """``"A / B"`` → ``["A", "B"]``; a code name cannot hold a slash, since the slash separates levels."""
    parts = [part.strip() for part in path.split("/")]
    if not path.strip() or any(not part for part in parts):
        raise InvalidInput(f"{path!r} is not a code path; write it as Parent/Child, with no empty level")
    return parts


def check_name(name: str) -> str:
    name = name.strip()
    if not name or "/" in name:
        raise InvalidInput(f"{name!r} is not a theme name; it must not be empty or hold a slash")
    return name


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

    # -- editing ------------------------------------------------------------------------------------

    def get(self, uuid: str) -> Code:
        for code in self.all():
            if code.uuid == uuid:
                return code
        raise NotFound(f"there is no theme {uuid}; it may have been deleted")

    def rename(self, uuid: str, name: str) -> Code:
        """Rename a code; returns it as it was."""
        name = check_name(name)
        with self._db.atomic():
            before = self.get(uuid)
            clash = codes.child_by_name(self._db, before.parent_uuid, name)
            if clash is not None and clash != uuid:
                raise InvalidInput(f"there is already a theme called {name!r} at that level")
            codes.update(self._db, uuid, name=name)
        return before

    def set_colour(self, uuid: str, colour: str | None) -> Code:
        """Give a code its own colour, or None to show its parent's; returns it as it was."""
        colour = None if colour is None else normalise_colour(colour)
        with self._db.atomic():
            before = self.get(uuid)
            codes.update(self._db, uuid, colour=colour)
        return before

    def set_description(self, uuid: str, text: str) -> Code:
        with self._db.atomic():
            before = self.get(uuid)
            codes.update(self._db, uuid, description=text.strip())
        return before

    def set_origin(self, uuid: str, origin: CodeOrigin) -> Code:
        if origin not in get_args(CodeOrigin):
            raise InvalidInput(f"{origin!r} is not an origin; use 'preset' or 'emergent'")
        with self._db.atomic():
            before = self.get(uuid)
            codes.update(self._db, uuid, origin=origin)
        return before

    def move(self, uuid: str, parent_uuid: str | None, position: int) -> tuple[str | None, int]:
        """Put a code under *parent_uuid* (None: top level) at *position*; returns where it was."""
        with self._db.atomic():
            code = self.get(uuid)
            if parent_uuid is not None:
                self.get(parent_uuid)
                if parent_uuid in {row.uuid for row in codes.subtree(self._db, uuid)}:
                    raise InvalidInput(f"{code.name!r} cannot go under itself or one of its sub-themes")
            old_siblings = codes.children(self._db, code.parent_uuid)
            old_position = old_siblings.index(uuid)
            siblings = [c for c in codes.children(self._db, parent_uuid) if c != uuid]
            if not 0 <= position <= len(siblings):
                raise InvalidInput(f"position {position} is outside 0..{len(siblings)}")
            clash = codes.child_by_name(self._db, parent_uuid, code.name)
            if clash is not None and clash != uuid:
                raise InvalidInput(f"there is already a theme called {code.name!r} there")
            if parent_uuid != code.parent_uuid:
                codes.place(self._db, code.parent_uuid, [c for c in old_siblings if c != uuid])
            siblings.insert(position, uuid)
            codes.place(self._db, parent_uuid, siblings)
        return code.parent_uuid, old_position

    def coding_counts(self) -> dict[str, int]:
        """Codings per code (its own, not its sub-themes'); codes without codings are left out."""
        return codes.coding_counts(self._db)

    # -- deleting and merging ------------------------------------------------------------------------

    def deletion_impact(self, uuid: str) -> tuple[int, int]:
        """How many codes and codings deleting *uuid* would remove (for the confirmation message)."""
        self.get(uuid)
        rows = codes.subtree(self._db, uuid)
        counts = self.coding_counts()
        return len(rows), sum(counts.get(row.uuid, 0) for row in rows)

    def delete(self, uuid: str) -> DeletedSubtree:
        """Delete a code, its descendants, their codings and the memos on them; returns them all."""
        with self._db.atomic():
            self.get(uuid)
            rows = codes.subtree(self._db, uuid)
            code_uuids = [row.uuid for row in rows]
            gone = codes.codings_of(self._db, code_uuids)
            notes = codes.memos_on(self._db, "code", code_uuids)
            if gone:
                notes += codes.memos_on(self._db, "coding", [c.uuid for c in gone])
            if notes:
                codes.delete_memos(self._db, [memo.uuid for memo in notes])
            summaries = matrix.summaries_on(self._db, code_uuids)
            codes.delete(self._db, uuid)
            parent = rows[0].parent_uuid
            codes.place(self._db, parent, codes.children(self._db, parent))
        return DeletedSubtree(tuple(rows), tuple(gone), tuple(notes), tuple(summaries))

    def restore(self, snapshot: DeletedSubtree) -> Code:
        """Put back what :meth:`delete` removed, exactly; returns the restored top code."""
        root = snapshot.root
        with self._db.atomic():
            self._insert_at_place(root)
            for row in snapshot.codes[1:]:
                codes.insert_row(self._db, row)
            for coding in snapshot.codings:
                coding_rows.insert(self._db, coding)
            for memo in snapshot.memos:
                memo_rows.insert(self._db, memo)
            for summary in snapshot.summaries:
                matrix.put_row(self._db, summary)
        return self.get(root.uuid)

    def merge(self, source_uuid: str, target_uuid: str) -> MergeRecord:
        """Fold *source* into *target*: its codings and sub-themes move there, then it is deleted."""
        with self._db.atomic():
            source, target = self.get(source_uuid), self.get(target_uuid)
            if target_uuid in {row.uuid for row in codes.subtree(self._db, source_uuid)}:
                raise InvalidInput(f"{source.name!r} cannot be merged into itself or one of its sub-themes")
            children = codes.children(self._db, source_uuid)
            for child in children:
                name = self.get(child).name
                if codes.child_by_name(self._db, target_uuid, name) is not None:
                    raise InvalidInput(
                        f"{target.name!r} already has a sub-theme called {name!r}; rename one of them first"
                    )
            moved: list[str] = []
            dropped: list[tuple[Coding, str]] = []
            for coding in codes.codings_of(self._db, [source_uuid]):
                kept = codes.same_range(self._db, coding, target_uuid)
                if kept is None:
                    moved.append(coding.uuid)
                else:
                    dropped.append((coding, kept))
            coding_memos: list[tuple[str, str]] = []
            for coding, kept in dropped:
                notes = [memo.uuid for memo in codes.memos_on(self._db, "coding", [coding.uuid])]
                if notes:
                    codes.retarget_memos(self._db, notes, kept)
                    coding_memos += [(memo, coding.uuid) for memo in notes]
            if dropped:
                codes.delete_codings(self._db, [coding.uuid for coding, _ in dropped])
            if moved:
                codes.recode(self._db, moved, target_uuid)
            code_memos = [memo.uuid for memo in codes.memos_on(self._db, "code", [source_uuid])]
            if code_memos:
                codes.retarget_memos(self._db, code_memos, target_uuid)
            summaries = self._merge_summaries(source_uuid, target_uuid)
            codes.place(self._db, target_uuid, codes.children(self._db, target_uuid) + children)
            row = codes.row(self._db, source_uuid)
            assert row is not None
            # The source's UUID now means the target, so a fieldworker's later packages land there too.
            aliases = merge_rows.aliases_of(self._db, source_uuid)
            merge_rows.add_alias(self._db, source_uuid, target_uuid)
            codes.delete(self._db, source_uuid)
            codes.place(self._db, source.parent_uuid, codes.children(self._db, source.parent_uuid))
        return MergeRecord(
            row,
            target_uuid,
            tuple(moved),
            tuple(dropped),
            tuple(children),
            tuple(code_memos),
            tuple(coding_memos),
            tuple(aliases),
            summaries,
        )

    def _merge_summaries(
        self, source_uuid: str, target_uuid: str
    ) -> tuple[tuple[SummaryRow, SummaryRow | None], ...]:
        """The source's matrix summaries join the target's: moved, or added after the target's own."""
        merged = []
        targets = {row.case_uuid: row for row in matrix.summaries_on(self._db, [target_uuid])}
        for row in matrix.summaries_on(self._db, [source_uuid]):
            before = targets.get(row.case_uuid)
            text = row.text if before is None else f"{before.text}\n\n{row.text}"
            matrix.put_summary(self._db, row.case_uuid, target_uuid, text, self._coder.uuid, now())
            merged.append((row, before))
        return tuple(merged)

    def unmerge(self, record: MergeRecord) -> Code:
        """Reverse :meth:`merge` exactly; returns the source code, back in its place."""
        source = record.source.uuid
        with self._db.atomic():
            self.get(record.target_uuid)
            self._insert_at_place(record.source)
            merge_rows.remove_alias(self._db, source)
            merge_rows.point_aliases(self._db, record.aliases, source)
            codes.place(self._db, source, list(record.children))
            kept = [c for c in codes.children(self._db, record.target_uuid) if c not in set(record.children)]
            codes.place(self._db, record.target_uuid, kept)
            if record.moved:
                codes.recode(self._db, list(record.moved), source)
            for coding, _ in record.dropped:
                coding_rows.insert(self._db, coding)
            if record.code_memos:
                codes.retarget_memos(self._db, list(record.code_memos), source)
            for memo, coding_uuid in record.coding_memos:
                codes.retarget_memos(self._db, [memo], coding_uuid)
            for summary, before in record.summaries:
                matrix.put_row(self._db, summary)
                if before is None:
                    matrix.delete_summary(self._db, summary.case_uuid, record.target_uuid)
                else:
                    matrix.put_row(self._db, before)
        return self.get(source)

    def _insert_at_place(self, row: CodeRow) -> None:
        """Insert a code at its recorded position among its siblings, which move up to make room."""
        if codes.row(self._db, row.uuid) is not None:
            raise InvalidInput(f"the theme {row.name!r} is already there")
        if row.parent_uuid is not None:
            self.get(row.parent_uuid)
        if codes.child_by_name(self._db, row.parent_uuid, row.name) is not None:
            raise InvalidInput(f"there is already a theme called {row.name!r} at that level")
        siblings = codes.children(self._db, row.parent_uuid)
        position = min(row.position, len(siblings))
        codes.insert_row(self._db, replace(row, position=position))
        siblings.insert(position, row.uuid)
        codes.place(self._db, row.parent_uuid, siblings)
