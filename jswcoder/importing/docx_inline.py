"""The text inside one Word paragraph, walked with lxml.

python-docx's ``paragraph.text`` drops text inside tracked insertions (``w:ins``) and content
controls, which would silently lose words a transcriber added, so the paragraph XML is walked here
instead. The rule is "what Word shows once all tracked changes are accepted": deletions, moved-away
text and field codes are skipped; insertions, moved-in text, hyperlinks, smart tags, content
controls and field results are kept. Text boxes are returned separately so the caller can place
them as paragraphs of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def w(local: str) -> str:
    """Clark notation for a WordprocessingML tag, as lxml spells it."""
    return f"{{{W_NS}}}{local}"


ALTERNATE_CONTENT = f"{{{MC_NS}}}AlternateContent"
TRACKED_CHANGE_TAGS = (w("ins"), w("del"), w("moveFrom"), w("moveTo"))

_T, _R = w("t"), w("r")
_TABS = frozenset({w("tab"), w("ptab")})
_BREAKS = frozenset({w("br"), w("cr")})
_NOTE_REFS = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}
_OBJECTS = frozenset({w("drawing"), w("pict"), w("object"), ALTERNATE_CONTENT})
# Never text, or text that Word does not show once changes are accepted.
_SKIP = frozenset(
    w(tag)
    for tag in (
        "del", "moveFrom", "delText", "delInstrText", "instrText", "fldData",  # hidden by Word
        "pPr", "rPr", "sdtPr", "sdtEndPr", "customXmlPr", "smartTagPr",  # properties, not text
        "rt",  # ruby annotation above the base text
    )
)  # fmt: skip
_FALSE = frozenset({"0", "false", "off"})


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A reference to a footnote, endnote or comment at ``offset`` in some text."""

    kind: str
    note_id: str
    offset: int


@dataclass(slots=True)
class ParagraphText:
    """One paragraph's text, with note references, bold stretches and any text boxes found."""

    parts: list[str] = field(default_factory=list)
    length: int = 0
    refs: list[NoteRef] = field(default_factory=list)
    bold: list[tuple[int, int]] = field(default_factory=list)
    boxes: list[Any] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, piece: str, bold: bool = False) -> None:
        if not piece:
            return
        piece = piece.replace("\r\n", "\n").replace("\r", "\n")
        if bold:
            self.bold.append((self.length, self.length + len(piece)))
        self.parts.append(piece)
        self.length += len(piece)

    def ref(self, kind: str, element: Any) -> None:
        self.refs.append(NoteRef(kind, element.get(w("id"), ""), self.length))

    def has_plain_text(self, text: str, start: int, end: int) -> bool:
        """True if ``text[start:end]`` has a visible character that did not come from a bold run.

        Linear in the paragraph: bold spans are appended in order and never overlap.
        """
        pos = start
        for span_start, span_end in self.bold:
            if span_end <= pos:
                continue
            if span_start >= end:
                break
            if text[pos:span_start].strip():
                return True
            pos = span_end
            if pos >= end:
                return False
        return bool(text[pos:end].strip())


def alternate_branch(element: Any) -> Any | None:
    """The one branch of ``mc:AlternateContent`` to read: both hold the same text, so reading
    both would duplicate it."""
    for child in element:
        if isinstance(child.tag, str):
            return child
    return None


def find_text_boxes(element: Any) -> list[Any]:
    """Outermost ``w:txbxContent`` elements in a drawing, picture, object or alternate content."""
    if element.tag == ALTERNATE_CONTENT:
        branch = alternate_branch(element)
        return [] if branch is None else find_text_boxes(branch)
    boxes: list[Any] = []
    for child in element:
        if child.tag == w("txbxContent"):
            boxes.append(child)
        elif isinstance(child.tag, str):
            boxes.extend(find_text_boxes(child))
    return boxes


def _is_bold(run: Any) -> bool:
    props = run.find(w("rPr"))
    bold = None if props is None else props.find(w("b"))
    return bold is not None and bold.get(w("val"), "true").lower() not in _FALSE


def _symbol(sym: Any) -> str:
    """``w:sym`` as its character code (best effort: symbol-font code points are kept as they are)."""
    try:
        code = int(sym.get(w("char"), ""), 16)
    except ValueError:
        return ""
    if code < 0x20 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return ""
    return chr(code)


def _run(run: Any, out: ParagraphText) -> None:
    bold = _is_bold(run)
    for child in run:
        tag = child.tag
        if tag == _T:
            out.add(child.text or "", bold)
        elif tag in _TABS:
            out.add("\t", bold)
        elif tag in _BREAKS:
            out.add("\n", bold)
        elif tag == w("noBreakHyphen"):
            out.add("\u2011", bold)
        elif tag == w("sym"):
            out.add(_symbol(child), bold)
        elif tag in _NOTE_REFS:
            out.ref(_NOTE_REFS[tag], child)
        elif tag == w("commentReference"):
            out.ref("comment", child)
        elif tag in _OBJECTS:
            out.boxes.extend(find_text_boxes(child))


def _inline(element: Any, out: ParagraphText) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == _R:
            _run(child, out)
        elif tag == w("commentRangeStart"):
            out.ref("comment", child)
        elif tag == f"{{{M_NS}}}t":
            out.add(child.text or "")
        elif tag == ALTERNATE_CONTENT:
            branch = alternate_branch(child)
            if branch is not None:
                _inline(branch, out)
        else:
            # ins, moveTo, hyperlink, smartTag, sdt/sdtContent, customXml, fldSimple, math, ...:
            # containers whose text Word shows.
            _inline(child, out)


def paragraph_text(paragraph: Any) -> ParagraphText:
    """The text of a ``w:p`` element as Word shows it with all tracked changes accepted."""
    out = ParagraphText()
    _inline(paragraph, out)
    return out
