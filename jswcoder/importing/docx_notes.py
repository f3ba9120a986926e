"""Headers, footers, footnotes, endnotes and comments of a Word document, kept as notes.

They belong to the document but are not what was said, so they stay out of the canonical text
(codings never point into them) while still being shown and searched for identifying details.
Each header or footer part is read once per file, not once per printed page, and identical ones
are kept once. The parts are parsed from memory with a hardened parser.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jswcoder.importing.docx_blocks import body_blocks, join_blocks
from jswcoder.importing.docx_inline import TRACKED_CHANGE_TAGS, w
from jswcoder.importing.docx_package import parse_part
from jswcoder.model import DocumentNote, NoteKind
from jswcoder.natural import natural_key

_ORDER: dict[NoteKind, int] = {"header": 0, "footer": 1, "footnote": 2, "endnote": 3, "comment": 4}
_ENTRY_TAGS: dict[NoteKind, str] = {
    "footnote": w("footnote"),
    "endnote": w("endnote"),
    "comment": w("comment"),
}
# Separator lines and "continued" notices are layout, not notes.
_NOTE_TYPES = frozenset({"normal"})


@dataclass(frozen=True, slots=True)
class NotePart:
    """A part holding notes of one kind, by its name inside the archive (``word/header1.xml``)."""

    kind: NoteKind
    name: str


def has_tracked_changes(root: Any) -> bool:
    return next(root.iter(*TRACKED_CHANGE_TAGS), None) is not None


def _entries(part: NotePart, root: Any) -> list[tuple[str | None, Any]]:
    if part.kind in ("header", "footer"):
        return [(None, root)]
    tag = _ENTRY_TAGS[part.kind]
    return [
        (entry.get(w("id")), entry)
        for entry in root
        if entry.tag == tag and entry.get(w("type"), "normal") in _NOTE_TYPES
    ]


def read_notes(
    path: Path,
    archive: zipfile.ZipFile,
    parts: Sequence[NotePart],
    anchors: Mapping[tuple[str, str], int],
) -> tuple[list[DocumentNote], bool]:
    """The notes in ``parts``, in a stable order, and whether any part had tracked changes.

    ``anchors`` maps (kind, note id) to the offset in the canonical text where the body refers to
    that note.
    """
    unique = {part.name: part for part in parts}.values()
    notes: list[DocumentNote] = []
    seen: set[tuple[str, str]] = set()
    tracked = False
    for part in sorted(unique, key=lambda p: (_ORDER[p.kind], natural_key(p.name))):
        root = parse_part(path, archive, part.name)
        tracked = tracked or has_tracked_changes(root)
        for note_id, entry in _entries(part, root):
            text = join_blocks(body_blocks(entry), "\n").text.strip()
            if not text:
                continue
            if note_id is None:
                if (part.kind, text) in seen:
                    continue
                seen.add((part.kind, text))
            anchor = None if note_id is None else anchors.get((part.kind, note_id))
            notes.append(DocumentNote(part.kind, text, anchor))
    return notes, tracked
