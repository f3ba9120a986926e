"""Word (.docx) transcripts.

python-docx opens the package (after :mod:`docx_package` has vetted the archive); the text itself
comes from walking the XML with lxml, because python-docx's own text accessors drop tracked
insertions and content controls. All python-docx use is confined to this module.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.exceptions import OpcError
from lxml import etree

from jswcoder.errors import ImportRejected
from jswcoder.importing.base import ImportedDocument
from jswcoder.importing.docx_blocks import Block, body_blocks, join_blocks
from jswcoder.importing.docx_notes import NotePart, has_tracked_changes, read_notes
from jswcoder.importing.docx_package import DAMAGED, MALFORMED, ZIP_ERRORS, open_package
from jswcoder.importing.turns import Region, TurnStart, build_turns, find_turn_starts
from jswcoder.model import NoteKind, Turn

TRACKED_CHANGES_WARNING = (
    "The document had tracked changes: inserted text was kept and deleted text was dropped, "
    "as if all changes had been accepted."
)
_NOTE_RELATIONSHIPS: dict[str, NoteKind] = {
    RELATIONSHIP_TYPE.HEADER: "header",
    RELATIONSHIP_TYPE.FOOTER: "footer",
    RELATIONSHIP_TYPE.FOOTNOTES: "footnote",
    RELATIONSHIP_TYPE.ENDNOTES: "endnote",
    RELATIONSHIP_TYPE.COMMENTS: "comment",
}


# python-docx trusts the package's structure: a relationships or content-types part with the wrong
# root element, or a relationship without a target, ends in AttributeError or TypeError inside it.
_PACKAGE_ERRORS: tuple[type[BaseException], ...] = (OpcError, AttributeError, TypeError, *ZIP_ERRORS)


def _open_document(path: Path, data: bytes, names: Sequence[str]) -> Any:
    try:
        return docx.Document(io.BytesIO(data))
    except etree.XMLSyntaxError:
        raise ImportRejected(path, MALFORMED) from None
    except KeyError:
        if "word/document.xml" not in names:
            raise ImportRejected(
                path, "is not a complete Word document: it has no main text (word/document.xml is missing)"
            ) from None
        raise ImportRejected(path, DAMAGED) from None
    except ValueError:
        # python-docx's answer to other Office files (a spreadsheet, a macro document) renamed .docx
        raise ImportRejected(
            path, "is not a Word document; it may be another kind of file renamed to .docx"
        ) from None
    except _PACKAGE_ERRORS:
        raise ImportRejected(path, DAMAGED) from None


def _note_parts(document: Any) -> list[NotePart]:
    parts: list[NotePart] = []
    for rel in document.part.rels.values():
        kind = _NOTE_RELATIONSHIPS.get(rel.reltype)
        if kind is not None and not rel.is_external:
            parts.append(NotePart(kind, str(rel.target_part.partname).lstrip("/")))
    return parts


def assemble(blocks: Sequence[Block]) -> tuple[str, tuple[Turn, ...], Block]:
    """The canonical text (blocks joined by ``\\n``), its turns, and the note references in it.

    Turns known from structure come first so they win over labels read from the text.
    """
    whole = join_blocks(blocks, "\n")
    starts: list[TurnStart] = []
    regions: list[Region] = []
    offset = 0
    for block in blocks:
        start = block.start
        if block.closed:
            speaker = None if start is None else start.speaker
            timestamp = None if start is None else start.timestamp
            regions.append(Region(offset, offset + len(block.text), speaker, timestamp))
        elif start is not None:
            starts.append(TurnStart(offset + start.offset, start.speaker, start.timestamp))
        offset += len(block.text) + 1
    known = [s.offset for s in starts] + [r.start for r in regions if r.speaker is not None]
    detected = find_turn_starts(whole.text, known)
    return whole.text, build_turns(whole.text, [*starts, *detected], regions), whole


def read_docx(path: Path, data: bytes) -> ImportedDocument:
    archive = open_package(path, data)
    document = _open_document(path, data, archive.namelist())
    body = document.element.body
    blocks = body_blocks(body) if body is not None else []
    text, turns, whole = assemble(blocks)
    anchors: dict[tuple[str, str], int] = {}
    for ref in whole.refs:
        anchors.setdefault((ref.kind, ref.note_id), ref.offset)
    notes, notes_tracked = read_notes(path, archive, _note_parts(document), anchors)
    tracked = notes_tracked or (body is not None and has_tracked_changes(body))
    return ImportedDocument(
        text=text,
        turns=turns,
        notes=tuple(notes),
        warnings=(TRACKED_CHANGES_WARNING,) if tracked else (),
        source_format="docx",
    )
