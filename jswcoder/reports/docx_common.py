"""Word documents (python-docx): real styles, landscape sections, tables whose header row repeats.

Styles are looked up by name and added, with plain built-in-like formatting, only when the document
(a user's template, say) does not have them, so a template's own "Heading 1" or "Quote" always wins.
Every heading level is a heading: our own document's "Heading 1" to "Heading 9" are bold and shrink
by level (python-docx's own Heading 5 to 9 look like body text), and a level a template lacks (Word
saves only the levels used) is added as Word's built-in one, outline level and all, based on the
template's next level up, so it takes the template's font and colour.
:func:`texts` reads back every string in every XML part of the finished package (body, headers,
footers, notes, document properties), which is what the leak check searches.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Inches, Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from jswcoder.reports.base import printable

MARGIN = Inches(0.6)
_TEXT_TAGS = frozenset({qn("w:t"), qn("w:delText"), qn("w:instrText")})
_BREAK_TAGS = {qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:tab"): "\t"}
_PARAGRAPH = qn("w:p")
_PPR, _PSTYLE, _KEEP_NEXT, _VAL = qn("w:pPr"), qn("w:pStyle"), qn("w:keepNext"), qn("w:val")
_RUN, _TEXT, _BREAK, _TAB = qn("w:r"), qn("w:t"), qn("w:br"), qn("w:tab")
_RUN_PROPERTIES, _BOLD = qn("w:rPr"), qn("w:b")
_OUTLINE_LEVEL = qn("w:outlineLvl")
HEADING_LEVELS = range(1, 10)
_HEADING_POINTS = (16, 14, 13, 12, 11, 11, 11, 11, 11)  # our own headings, level 1 to 9
_SMALLEST_HEADING = Pt(11)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

Document = Any  # python-docx has no type information


def new_document() -> Document:
    """Word's default document, with a heading style for every level that looks like a heading."""
    document = docx.Document()
    for level in HEADING_LEVELS:
        font = document.styles[f"Heading {level}"].font
        font.bold = True
        font.size = Pt(_HEADING_POINTS[level - 1])
        font.italic = level > 5
    return document


def style_named(document: Document, name: str) -> Any | None:
    """The document's style of that (user-visible) name, or None."""
    return next((s for s in document.styles if s.name == name), None)


def paragraph_style_named(document: Document, name: str) -> Any | None:
    """The document's paragraph style of that name, or None (a character style of the name is not it)."""
    found = style_named(document, name)
    return found if found is not None and found.type == WD_STYLE_TYPE.PARAGRAPH else None


def paragraph_style(
    document: Document, name: str, based_on: str = "Normal", setup: Callable[[Any], None] | None = None
) -> Any:
    """The paragraph style ``name``, added (based on ``based_on``) if the document lacks it."""
    found = paragraph_style_named(document, name)
    if found is not None:
        return found
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    base = paragraph_style_named(document, based_on)
    if base is not None:
        style.base_style = base
    style.quick_style = True
    if setup is not None:
        setup(style)
    return style


def _resolved_size(style: Any) -> Any | None:
    """The font size a style shows: its own, or the nearest base style's."""
    while style is not None:
        if style.font.size is not None:
            return style.font.size
        style = style.base_style
    return None


def heading_style(document: Document, level: int) -> Any:
    """Word's "Heading N" style (N from 1 to 9): the document's own, or added like Word's built-in one."""
    level = max(1, min(level, HEADING_LEVELS[-1]))
    found = paragraph_style_named(document, f"Heading {level}")
    if found is not None:
        return found
    above = heading_style(document, level - 1) if level > 1 else None
    size = _resolved_size(above) if above is not None else None

    def setup(style: Any) -> None:
        style.font.bold = True
        if size is None:
            style.font.size = Pt(_HEADING_POINTS[level - 1])
        elif size > _SMALLEST_HEADING:
            style.font.size = Emu(max(_SMALLEST_HEADING, size - Pt(1)))
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.space_before = Pt(12)
        style.next_paragraph_style = paragraph_style_named(document, "Normal")
        properties = style.element.get_or_add_pPr()
        for old in properties.findall(_OUTLINE_LEVEL):
            properties.remove(old)
        etree.SubElement(properties, _OUTLINE_LEVEL).set(_VAL, str(level - 1))  # last in w:pPr

    return paragraph_style(document, f"Heading {level}", above.name if above is not None else "Normal", setup)


class Body:
    """Adds paragraphs at the end of a document in constant time.

    python-docx's own ``add_paragraph`` looks among all the body's children for the section
    properties, and among all styles for the default one, for every paragraph it adds: quadratic in
    a report of 60,000 paragraphs. Here each paragraph is built as XML and put straight before the
    section properties, its style named by id; line breaks and tabs become Word's own.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._element = document.element.body
        self._end = self._element.find(qn("w:sectPr"))

    def paragraph(self, text: str = "", style: Any | None = None, *, keep_with_next: bool = False) -> Any:
        element = OxmlElement("w:p")
        if style is not None or keep_with_next:
            properties = etree.SubElement(element, _PPR)
            if style is not None:
                etree.SubElement(properties, _PSTYLE).set(_VAL, style.style_id)
            if keep_with_next:
                etree.SubElement(properties, _KEEP_NEXT)
        if text:
            _run(element, printable(text))
        if self._end is not None:
            self._end.addprevious(element)
        else:
            self._element.append(element)
        return Paragraph(element, self._document._body)

    def page_break(self) -> None:
        """End the page: what follows starts on a new one."""
        self.paragraph().add_run().add_break(WD_BREAK.PAGE)


def _run(paragraph: Any, text: str, *, bold: bool = False) -> None:
    run = etree.SubElement(paragraph, _RUN)
    if bold:
        etree.SubElement(etree.SubElement(run, _RUN_PROPERTIES), _BOLD)
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        if number:
            etree.SubElement(run, _BREAK)
        for index, piece in enumerate(line.split("\t")):
            if index:
                etree.SubElement(run, _TAB)
            if piece:
                node = etree.SubElement(run, _TEXT)
                node.text = piece
                if piece != piece.strip():
                    node.set(_XML_SPACE, "preserve")


def landscape(section: Any) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE
    if section.page_width < section.page_height:
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


def usable_width(section: Any) -> int:
    return int(section.page_width - section.left_margin - section.right_margin)


def add_table(
    document: Document, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> Any:
    """A table with a bold header row that Word repeats at the top of every page it runs onto."""
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    grid = style_named(document, "Table Grid")
    if grid is not None:
        table.style = grid
    table.autofit = False
    for number, (row, values) in enumerate(zip(table._tbl.tr_lst, [header, *rows], strict=True)):
        for cell, value, width in zip(row.tc_lst, values, widths, strict=True):
            cell.width = width
            if value:
                _run(cell.p_lst[0], printable(value), bold=number == 0)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table._tbl.tr_lst[0].get_or_add_trPr().append(repeat)
    return table


def clean_properties(document: Document, title: str) -> None:
    """Document properties that name nobody: a template's author and comments do not travel on."""
    properties = document.core_properties
    properties.title = title
    for name in ("author", "last_modified_by", "subject", "keywords", "comments", "category"):
        setattr(properties, name, "")


def saved(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _paragraph_text(paragraph: Any) -> str:
    pieces = []
    for node in paragraph.iter():
        if node.tag in _TEXT_TAGS:
            pieces.append(node.text or "")
        elif node.tag in _BREAK_TAGS:
            pieces.append(_BREAK_TAGS[node.tag])
    return "".join(pieces)


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def texts(document: Document) -> tuple[str, ...]:
    """Every string in every XML part of the document: paragraph by paragraph where there are any."""
    found: list[str] = []
    for part in document.part.package.iter_parts():
        if isinstance(part, XmlPart):
            root = part.element
        elif "xml" in part.content_type:
            try:
                root = etree.fromstring(part.blob, _parser())
            except etree.XMLSyntaxError:  # a template's damaged part is searched as it is
                found.append(part.blob.decode("utf-8", errors="replace"))
                continue
        else:
            continue
        paragraphs = list(root.iter(_PARAGRAPH))
        if paragraphs:
            found += [_paragraph_text(p) for p in paragraphs]
        else:
            found += [t for t in root.itertext() if t.strip()]
    return tuple(found)
