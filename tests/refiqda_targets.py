"""Independent readers of a .qdpx, one per target tool, each reading the archive the way that tool does.

Written from the tools' conventions (see ``jswcoder/refiqda/profiles.py``'s SOURCES and QualCoder's
``refi.py``), with nothing but zipfile and xml.etree: never through ``jswcoder.refiqda`` or
``jswcoder.offsets``, so that a mistake in the exporter cannot be mirrored by the reader.

- standard: UTF-8 as written; positions are Python string indices of the raw text.
- nvivo: the byte order mark stripped, CRLF kept; positions are UTF-16 code units (CRLF counts 2).
- atlasti, maxqda: CRLF read as one character (``raw.replace('\\r\\n', '\\n')``), string indices.
  ATLAS.ti keeps one code per name (a repeat is the same code; compared case-insensitively here, the
  stricter reading) and has no cases: a document's details are the document groups (Sets) it is in,
  named ``Detail::value``. MAXQDA's document variables are the VariableValues inside each TextSource
  (QualCoder's refi.py, load_text_source: "This approach used by MAXQDA but not by QUIRKOS"); MAXQDA has
  no cases, so Cases are not read for it.
- qualcoder: as ``refi.py`` (load_text_source, sub_codes, parse_cases): the text read as UTF-8 with
  universal newlines, a space added after every ``\\n`` when a CRLF comes before the first bare line
  feed; ``code_name`` is UNIQUE (SQLite, case-sensitive): a second code of a taken name is not created,
  its children nest under the first, and its codings get no code (``cid`` NULL: lost, ``theme`` None
  here); named Cases with their VariableValues (QualCoder reads no SourceRef or SelectionRef of a case).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Q = "{urn:QDA-XML:project:1.0}"
TOOLS = ("standard", "nvivo", "atlasti", "maxqda", "qualcoder")


@dataclass(frozen=True)
class Theme:
    guid: str
    name: str
    parent: str | None


@dataclass(frozen=True, order=True)
class Coded:
    source: str
    theme: str | None  # as the tool resolves the CodeRef; None: the coding is lost
    text: str


@dataclass(frozen=True)
class CaseRead:
    name: str
    details: dict[str, str]
    sources: tuple[str, ...] = ()
    passages: tuple[str, ...] = ()  # the texts of its SelectionRefs, read the tool's way


@dataclass
class Read:
    tool: str
    themes: list[Theme] = field(default_factory=list)
    codings: list[Coded] = field(default_factory=list)
    cases: list[CaseRead] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # source GUID -> the text as the tool holds it


# -- texts and positions -------------------------------------------------------------------------------------

Slicer = Callable[[int, int], str]


def _standard_text(raw: bytes) -> tuple[str, Slicer]:
    text = raw.decode("utf-8")
    return text, lambda s, e: text[s:e]


def _nvivo_text(raw: bytes) -> tuple[str, Slicer]:
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")  # CRLF kept
    units = text.encode("utf-16-le")
    # a position inside a surrogate pair cuts the character: shown broken, as the tool would
    return text, lambda s, e: units[2 * s : 2 * e].decode("utf-16-le", errors="replace")


def _one_char_line_ends(raw: bytes) -> tuple[str, Slicer]:
    text = raw.decode("utf-8").replace("\r\n", "\n")
    return text, lambda s, e: text[s:e]


def _qualcoder_text(raw: bytes) -> tuple[str, Slicer]:
    add_ending = False  # refi.py's byte loop: a CRLF met before the first bare b"\n"
    stream = io.BytesIO(raw)
    while True:
        c = stream.read(1)
        if not c or c == b"\n":
            break
        if c == b"\r" and stream.read(1) == b"\n":
            add_ending = True
    # open(path, encoding="utf-8", errors="replace").read(): universal newlines
    text = raw.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    if add_ending:
        text = text.replace("\n", "\n ")
    return text, lambda s, e: text[s:e]


_TEXTS: dict[str, Callable[[bytes], tuple[str, Slicer]]] = {
    "standard": _standard_text,
    "nvivo": _nvivo_text,
    "atlasti": _one_char_line_ends,
    "maxqda": _one_char_line_ends,
    "qualcoder": _qualcoder_text,
}

# -- themes ----------------------------------------------------------------------------------------------------


def _codes(parent: ET.Element, parent_guid: str | None) -> Iterator[tuple[ET.Element, str | None]]:
    """Every Code under ``parent`` in document order (parents first), with its parent's GUID."""
    for code in parent.findall(f"{Q}Code"):
        yield code, parent_guid
        yield from _codes(code, code.get("guid"))


def _themes_by_guid(root: ET.Element) -> tuple[list[Theme], dict[str, str | None]]:
    themes = [Theme(c.get("guid", ""), c.get("name", ""), p) for c, p in _codes(_codebook(root), None)]
    return themes, {t.guid: t.guid for t in themes}


def _themes_merged_by_name(
    root: ET.Element, key: Callable[[str], str]
) -> tuple[list[Theme], dict[str, str | None]]:
    """One theme per name (by ``key``): a repeat resolves to the first of its name and is not created;
    its children nest under that first one."""
    first: dict[str, str] = {}
    resolved: dict[str, str | None] = {}
    themes: list[Theme] = []
    for code, parent in _codes(_codebook(root), None):
        guid, name = code.get("guid", ""), code.get("name", "")
        if key(name) in first:
            resolved[guid] = first[key(name)]
            continue
        first[key(name)] = guid
        resolved[guid] = guid
        themes.append(Theme(guid, name, resolved.get(parent) if parent else None))
    return themes, resolved


def _themes_qualcoder(root: ET.Element) -> tuple[list[Theme], dict[str, str | None]]:
    """As sub_codes: the name already taken (IntegrityError) leaves the GUID out of ``self.codes``, so
    load_codings_for_text finds no cid for its codings; its children nest under the first code."""
    themes, merged = _themes_merged_by_name(root, lambda name: name)
    kept = {t.guid for t in themes}
    resolved: dict[str, str | None] = {g: g for g in merged if g in kept}
    return themes, resolved


def _codebook(root: ET.Element) -> ET.Element:
    found = root.find(f"{Q}CodeBook/{Q}Codes")
    return found if found is not None else ET.Element("none")


# -- cases -------------------------------------------------------------------------------------------------------


def _details(case: ET.Element, variables: dict[str, str]) -> dict[str, str]:
    found = {}
    for value in case.findall(f"{Q}VariableValue"):
        ref = value.find(f"{Q}VariableRef")
        typed = [v for v in value if v.tag != f"{Q}VariableRef"]
        if ref is not None and typed:
            found[variables.get(ref.get("targetGUID", ""), "")] = (typed[0].text or "").strip()
    return found


def _named_cases(
    root: ET.Element, passages: dict[str, str], *, links: bool, unique: bool = False
) -> list[CaseRead]:
    variables = {v.get("guid", ""): v.get("name", "") for v in root.iter(f"{Q}Variable")}
    cases: list[CaseRead] = []
    for case in root.findall(f"{Q}Cases/{Q}Case"):
        name = case.get("name")
        if name is None or (unique and name in {c.name for c in cases}):
            continue  # unnamed: document variables; a repeated name: refused by cases' unique(name)
        sources = tuple(r.get("targetGUID", "") for r in case.findall(f"{Q}SourceRef")) if links else ()
        selected = (
            tuple(passages.get(r.get("targetGUID", ""), "") for r in case.findall(f"{Q}SelectionRef"))
            if links
            else ()
        )
        cases.append(CaseRead(name, _details(case, variables), sources, selected))
    return cases


def _document_variables(root: ET.Element, names: dict[str, str]) -> list[CaseRead]:
    """MAXQDA's: each TextSource holds its own variables as VariableValues."""
    variables = {v.get("guid", ""): v.get("name", "") for v in root.iter(f"{Q}Variable")}
    found = []
    for source in root.findall(f"{Q}Sources/{Q}TextSource"):
        details = _details(source, variables)
        if details:
            key = source.get("guid", "")
            found.append(CaseRead(names.get(key, ""), details, (key,)))
    return found


def _document_groups(root: ET.Element, names: dict[str, str]) -> list[CaseRead]:
    """ATLAS.ti's: a document's details are the groups it belongs to, named 'Detail::value'."""
    details: dict[str, dict[str, str]] = {source: {} for source in names}
    for group in root.findall(f"{Q}Sets/{Q}Set"):
        variable, sep, value = group.get("name", "").partition("::")
        if not sep:
            continue
        for member in group.findall(f"{Q}MemberSource"):
            details.setdefault(member.get("targetGUID", ""), {})[variable] = value
    return [CaseRead(names.get(s, ""), d, (s,)) for s, d in details.items()]


# -- the archive -----------------------------------------------------------------------------------------------


def read(path: Path, tool: str) -> Read:
    """The archive at ``path`` as ``tool`` (one of :data:`TOOLS`) would hold it."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    root = ET.fromstring(members["project.qde"])
    assert root.tag == f"{Q}Project", root.tag
    for element in root.iter():  # a GUID is a number: compared whatever the case of its hex digits
        for name, value in element.attrib.items():
            if name in {"guid", "targetGUID", "creatingUser", "creatingUserGUID", "modifyingUser"}:
                element.set(name, value.lower())
    if tool in {"standard", "nvivo", "maxqda"}:
        themes, resolve = _themes_by_guid(root)
    elif tool == "atlasti":
        themes, resolve = _themes_merged_by_name(root, str.casefold)
    else:
        themes, resolve = _themes_qualcoder(root)
    result = Read(tool, themes)
    passages: dict[str, str] = {}  # selection GUID -> its text
    names: dict[str, str] = {}
    for source in root.findall(f"{Q}Sources/{Q}TextSource"):
        guid = source.get("guid", "")
        names[guid] = source.get("name", "")
        internal = source.get("plainTextPath", "").removeprefix("internal://")
        text, sliced = _TEXTS[tool](members[f"sources/{internal}"])
        result.texts[guid] = text
        for selection in source.findall(f"{Q}PlainTextSelection"):
            start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            words = sliced(start, end)
            passages[selection.get("guid", "")] = words
            for coding in selection.findall(f"{Q}Coding"):
                ref = coding.find(f"{Q}CodeRef")
                target = ref.get("targetGUID", "") if ref is not None else ""
                result.codings.append(Coded(guid, resolve.get(target), words))
    if tool == "atlasti":
        result.cases = _document_groups(root, names)
    elif tool == "maxqda":
        result.cases = _document_variables(root, names)
    else:
        result.cases = _named_cases(root, passages, links=tool != "qualcoder", unique=tool == "qualcoder")
    return result
