"""Block-level content of a Word document (paragraphs, tables, content controls) as text blocks.

Each block becomes one line group of the canonical text (blocks are joined with ``\\n``). Blocks
also carry what the document's structure says about speakers, which is more reliable than reading
labels from text: a bold label that opens a paragraph, or a row of a two-column speaker table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jswcoder.importing.docx_inline import ALTERNATE_CONTENT, NoteRef, alternate_branch, paragraph_text, w
from jswcoder.importing.turns import TurnStart, match_label, parse_cell_label

_P, _TBL, _TR, _TC = w("p"), w("tbl"), w("tr"), w("tc")
# Wrappers whose children are blocks (or rows, or cells) of their own.
_WRAPPERS = frozenset({w("sdt"), w("sdtContent"), w("customXml")})
_HEADER_WORDS = frozenset({"speaker", "speakers", "who"})
_MAX_HEADER_CHARS = 40


@dataclass(slots=True)
class Block:
    """A paragraph of canonical text.

    ``start`` is a turn known from structure (offset relative to the block). ``closed`` marks a
    speaker-table row: its turn, if any, is the whole block, and no other turn runs into it.
    """

    text: str
    refs: list[NoteRef] = field(default_factory=list)
    start: TurnStart | None = None
    closed: bool = False


def join_blocks(blocks: Sequence[Block], separator: str) -> Block:
    """One block holding ``blocks`` joined by ``separator``, note references shifted to match."""
    texts: list[str] = []
    refs: list[NoteRef] = []
    offset = 0
    for i, block in enumerate(blocks):
        if i:
            texts.append(separator)
            offset += len(separator)
        texts.append(block.text)
        refs.extend(NoteRef(r.kind, r.note_id, r.offset + offset) for r in block.refs)
        offset += len(block.text)
    return Block("".join(texts), refs)


def _children(element: Any, tag: str) -> list[Any]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    found: list[Any] = []
    for child in element:
        if child.tag == tag:
            found.append(child)
        elif child.tag in _WRAPPERS:
            found.extend(_children(child, tag))
    return found


def body_blocks(container: Any) -> list[Block]:
    """Blocks of a body, table cell, text box, header, footer or note, in document order."""
    blocks: list[Block] = []
    for child in container:
        tag = child.tag
        if tag == _P:
            blocks.extend(_paragraph(child))
        elif tag == _TBL:
            blocks.extend(_table(child))
        elif tag in _WRAPPERS:
            blocks.extend(body_blocks(child))
        elif tag == ALTERNATE_CONTENT:
            branch = alternate_branch(child)
            if branch is not None:
                blocks.extend(body_blocks(branch))
    return blocks


def _paragraph(paragraph: Any) -> list[Block]:
    found = paragraph_text(paragraph)
    text = found.text
    start = None
    label = match_label(text) if found.bold else None
    if label is not None and not found.has_plain_text(text, label.label_start, label.label_end):
        after_colon = text.index(":", label.label_end) + 1
        # A fully bold line ("Section 2: Findings") is a heading, not a speaker.
        if found.has_plain_text(text, after_colon, len(text)):
            start = TurnStart(label.start, label.speaker, label.timestamp)
    blocks = [Block(text, found.refs, start)]
    for box in found.boxes:
        blocks.extend(body_blocks(box))
    return blocks


def _cell(cell: Any) -> Block:
    return join_blocks(body_blocks(cell), "\n")


def _table(table: Any) -> list[Block]:
    rows = [[_cell(tc) for tc in _children(tr, _TC)] for tr in _children(table, _TR) if not _row_deleted(tr)]
    header = bool(rows) and _is_header(rows[0])
    if _is_speaker_table(rows, header):
        return _speaker_rows(rows, header)
    return [join_blocks(cells, "\t") for cells in rows]


def _row_deleted(row: Any) -> bool:
    props = row.find(w("trPr"))
    return props is not None and props.find(w("del")) is not None


def _is_header(row: list[Block]) -> bool:
    if len(row) != 2:
        return False
    first, second = (cell.text.strip() for cell in row)
    return (
        first.rstrip(":").strip().casefold() in _HEADER_WORDS
        and len(second) <= _MAX_HEADER_CHARS
        and "\n" not in second
    )


def _is_speaker_table(rows: list[list[Block]], header: bool) -> bool:
    """Two cells a row, a short label (or nothing) first, and either a ``Speaker`` header row or
    a speaker with several rows: a list of people with one row each is not a conversation."""
    if len(rows) < 2 or any(len(row) != 2 for row in rows):
        return False
    labels: list[str] = []
    for speaker_cell, _ in rows[1:] if header else rows:
        label = speaker_cell.text.strip()
        if not label:
            continue
        parsed = None if "\n" in label or "\t" in label else parse_cell_label(label)
        if parsed is None:
            return False
        labels.append(parsed[0])
    return bool(labels) and (header or max(Counter(labels).values()) >= 2)


def _speaker_rows(rows: list[list[Block]], header: bool) -> list[Block]:
    blocks: list[Block] = []
    for i, (speaker_cell, said) in enumerate(rows):
        label = speaker_cell.text.strip()
        parsed = parse_cell_label(label) if label else None
        if (i == 0 and header) or parsed is None:
            # Column titles and transcriber notes are document text but nobody's turn.
            row = join_blocks([speaker_cell, said], "\t") if i == 0 and header else said
            blocks.append(Block(row.text, row.refs, closed=True))
            continue
        prefix = label if label.endswith(":") else f"{label}:"
        if said.text:
            prefix += " "
        lead = len(speaker_cell.text) - len(speaker_cell.text.lstrip())
        refs = [
            NoteRef(r.kind, r.note_id, min(max(r.offset - lead, 0), len(label))) for r in speaker_cell.refs
        ]
        refs.extend(NoteRef(r.kind, r.note_id, r.offset + len(prefix)) for r in said.refs)
        blocks.append(Block(prefix + said.text, refs, TurnStart(0, parsed[0], parsed[1]), closed=True))
    return blocks
