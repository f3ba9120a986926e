"""Lenient readers of a project.qde and a .qdc codebook into plain records (no database needed).

Real files depart from the schema in known ways (see ``shared/refi-qda/README.md``): drifted
namespaces, colours as ``rgb()`` or with alpha, empty ``Sets``, missing names, codable parents. They
are read anyway, and everything repaired or left out is written to the :class:`ImportReport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from jswcoder.errors import ImportRejected
from jswcoder.ids import new_uuid
from jswcoder.model import MAX_THEME_DEPTH
from jswcoder.refiqda import code_names, namespaces
from jswcoder.refiqda.report import ImportReport
from jswcoder.refiqda.xmlread import (
    boolean,
    check_namespace,
    child,
    children,
    colour,
    guid,
    integer,
    local,
    parse,
    text_of,
)

_OTHER_SOURCES = {
    "PictureSource": "picture",
    "PDFSource": "PDF",
    "AudioSource": "audio",
    "VideoSource": "video",
}
MAX_CODE_DEPTH = MAX_THEME_DEPTH
"""Deepest code tree read; deeper nesting is no codebook anyone uses, and would exhaust the stack."""


class TooDeep(Exception):
    """The code tree is nested deeper than MAX_CODE_DEPTH (turned into ImportRejected by the caller)."""


_VALUES = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")


@dataclass
class CodeNode:
    guid: str
    name: str
    colour: str | None
    description: str
    codable: bool
    notes: list[str] = field(default_factory=list)
    children: list[CodeNode] = field(default_factory=list)


@dataclass
class CodingEntry:
    guid: str
    code_guid: str
    user: str | None
    created: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class SelectionEntry:
    guid: str
    start: int
    end: int
    user: str | None
    codings: list[CodingEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class SourceEntry:
    guid: str
    name: str
    plain_text_path: str | None
    inline_text: str | None
    user: str | None
    selections: list[SelectionEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    description: str = ""
    variables: dict[str, str] = field(default_factory=dict)  # a document's own (MAXQDA's) variables


@dataclass
class CaseEntry:
    guid: str
    name: str
    variables: dict[str, str]
    sources: list[str]


@dataclass
class NoteEntry:
    guid: str
    name: str
    text: str
    user: str | None


@dataclass
class ProjectEntry:
    name: str
    user: str | None
    users: dict[str, str]
    codes: list[CodeNode]
    sources: list[SourceEntry]
    cases: list[CaseEntry]
    notes: dict[str, NoteEntry]
    project_notes: list[str]


# -- codes ------------------------------------------------------------------------------------------


def _codes(parent: Element, report: ImportReport, seen: set[str], depth: int = 0) -> list[CodeNode]:
    if depth > MAX_CODE_DEPTH:
        raise TooDeep()
    nodes: list[CodeNode] = []
    names: set[str] = set()
    for element in children(parent, "Code"):
        name = (element.get("name") or "").strip()
        if not name:
            name = "Unnamed code"
            report.repair("a code without a name was called 'Unnamed code'")
        if "/" in name:
            fixed = name.replace("/", "-")
            report.repair(f"the code {name!r} holds a slash, which separates levels here; renamed {fixed!r}")
            name = fixed
        base, number = name, 2
        while name in names:
            name, number = f"{base} ({number})", number + 1
        if name != base:
            report.repair(f"two codes at one level are both called {base!r}; the second is {name!r}")
        names.add(name)
        code_guid = guid(element.get("guid"))
        if code_guid is None or code_guid in seen:
            report.repair(f"the code {name!r} has a missing, malformed or repeated GUID; it got a new one")
            code_guid = new_uuid()
        seen.add(code_guid)
        node = CodeNode(
            guid=code_guid,
            name=name,
            colour=colour(element.get("color"), name, report),
            description=text_of(child(element, "Description")).strip(),
            codable=boolean(element.get("isCodable"), True),
            notes=[g for g in (guid(n.get("targetGUID")) for n in children(element, "NoteRef")) if g],
        )
        node.children = _codes(element, report, seen, depth + 1)
        nodes.append(node)
    return nodes


def _read_codes(path: Path, codebook: Element | None, report: ImportReport) -> list[CodeNode]:
    if codebook is None:
        return []
    codes = child(codebook, "Codes")
    try:
        return [] if codes is None else _codes(codes, report, set())
    except TooDeep:
        raise ImportRejected(
            path, f"was refused: its codes are nested more than {MAX_CODE_DEPTH} levels deep"
        ) from None


def _sets(root: Element, report: ImportReport) -> None:
    sets = child(root, "Sets")
    if sets is None:
        return
    count = sum(1 for _ in children(sets, "Set"))
    if count == 0:
        report.repair("an empty Sets element (invalid in the schema) was ignored")
    else:
        report.drop(f"{count} set(s) of codes or sources: this app has no sets")


def read_codebook(path: Path, data: bytes, report: ImportReport) -> list[CodeNode]:
    """The code tree of a .qdc file (root ``CodeBook``)."""
    root = parse(path, data, "codebook")
    if local(root) != "CodeBook":
        raise ImportRejected(path, "is not a REFI-QDA codebook (its root element is not CodeBook)")
    check_namespace(root, namespaces.CODEBOOK_NS, report)
    _sets(root, report)
    return _read_codes(path, root, report)


# -- projects ---------------------------------------------------------------------------------------


def _attr(element: Element, name: str, attribute: str) -> str | None:
    found = child(element, name)
    return None if found is None else found.get(attribute)


def _within(root: Element, container: str, name: str | None) -> list[Element]:
    """The ``name`` children (any, if None) of ``root``'s ``container`` element, if it has one."""
    found = child(root, container)
    if found is None:
        return []
    return [element for element in found if name is None or local(element) == name]


def _refs(element: Element, name: str) -> list[str]:
    return [g for g in (guid(ref.get("targetGUID")) for ref in children(element, name)) if g]


def _selection(element: Element, source: str, report: ImportReport) -> SelectionEntry | None:
    start, end = integer(element.get("startPosition")), integer(element.get("endPosition"))
    if start is None or end is None:
        report.drop(f"a selection in {source!r} without readable positions")
        return None
    selection = SelectionEntry(
        guid(element.get("guid")) or new_uuid(), start, end, guid(element.get("creatingUser"))
    )
    for coding in children(element, "Coding"):
        code = guid(_attr(coding, "CodeRef", "targetGUID"))
        if code is None:
            report.drop(f"a coding in {source!r} without a code reference")
            continue
        user = guid(coding.get("creatingUser")) or selection.user
        created = coding.get("creationDateTime") or element.get("creationDateTime")
        entry = CodingEntry(
            guid(coding.get("guid")) or new_uuid(), code, user, created, _refs(coding, "NoteRef")
        )
        selection.codings.append(entry)
    selection.notes = _refs(element, "NoteRef")
    return selection


def _own_guid(value: str | None, seen: set[str], what: str, report: ImportReport) -> str:
    """The element's GUID, or a new one when it has none or repeats one read before: each record is its own."""
    found = guid(value)
    if found is not None and found in seen:
        report.repair(f"{what} repeats the GUID of another; it got a new one")
        found = None
    found = found or new_uuid()
    seen.add(found)
    return found


def _source(
    element: Element, number: int, report: ImportReport, seen: set[str], variables: dict[str, str]
) -> SourceEntry:
    name = (element.get("name") or "").strip()
    source_guid = _own_guid(element.get("guid"), seen, f"the source {name or number!r}", report)
    if not name:
        name = f"Source {number}"
        report.repair(f"a text source without a name was called {name!r}")
    inline = child(element, "PlainTextContent")
    source = SourceEntry(
        guid=source_guid,
        name=name,
        plain_text_path=element.get("plainTextPath"),
        inline_text=None if inline is None else text_of(inline),
        user=guid(element.get("creatingUser")),
        notes=_refs(element, "NoteRef"),
        description=text_of(child(element, "Description")),
        variables=_values(element, variables, report),
    )
    for selection in children(element, "PlainTextSelection"):
        read = _selection(selection, name, report)
        if read is not None:
            source.selections.append(read)
    whole = sum(1 for _ in children(element, "Coding"))
    if whole:
        report.drop(f"{whole} coding(s) of the whole source {name!r} (only passages are coded here)")
    return source


def _variables(root: Element) -> dict[str, str]:
    """Each Variable's GUID -> its name."""
    variables: dict[str, str] = {}
    for variable in _within(root, "Variables", "Variable"):
        key = guid(variable.get("guid"))
        if key:
            variables[key] = (variable.get("name") or "").strip() or "Variable"
    return variables


def _values(element: Element, variables: dict[str, str], report: ImportReport) -> dict[str, str]:
    """The ``VariableValue``s of a case or a source, by variable name."""
    values: dict[str, str] = {}
    for value in children(element, "VariableValue"):
        ref = guid(_attr(value, "VariableRef", "targetGUID"))
        found = next((v for v in value if local(v) in _VALUES), None)
        if ref in variables and found is not None:
            values[variables[ref]] = text_of(found).strip()
        else:
            report.drop("a variable value whose variable is not defined")
    return values


def _cases(root: Element, report: ImportReport, sources: list[SourceEntry]) -> list[CaseEntry]:
    """The cases with their variables. An unnamed case of exactly one source is how Quirkos writes a
    document's variables (QualCoder's refi.py reads them so too): it is named after the source. A
    source's own variables (MAXQDA's document variables) become its case if no case names the source,
    or fill in what its case lacks."""
    variables = _variables(root)
    source_names = {source.guid: _stem(source.name) for source in sources}
    cases = []
    seen: set[str] = set()
    for number, case in enumerate(_within(root, "Cases", "Case"), 1):
        values = _values(case, variables, report)
        sources_of = _refs(case, "SourceRef")
        document = source_names.get(sources_of[0]) if len(sources_of) == 1 else None
        name = (case.get("name") or "").strip() or document or f"Case {number}"
        case_guid = _own_guid(case.get("guid"), seen, f"the case {name!r}", report)
        cases.append(CaseEntry(case_guid, name, values, sources_of))
    case_of = {source: case for case in reversed(cases) for source in case.sources}  # the first case wins
    for source in sources:
        if not source.variables:
            continue
        own = case_of.get(source.guid)
        if own is None:
            name = source_names[source.guid]
            key = _own_guid(None, seen, f"the case {name!r}", report)
            cases.append(CaseEntry(key, name, dict(source.variables), [source.guid]))
        else:
            own.variables = {**source.variables, **own.variables}
    return cases


def _notes(root: Element, report: ImportReport) -> dict[str, NoteEntry]:
    notes: dict[str, NoteEntry] = {}
    for note in _within(root, "Notes", "Note"):
        key = guid(note.get("guid"))
        content = child(note, "PlainTextContent")
        if key is None or content is None:
            report.drop(f"the note {note.get('name') or '(unnamed)'!r}: no GUID or no plain text in it")
            continue
        notes[key] = NoteEntry(
            key, (note.get("name") or "").strip(), text_of(content), guid(note.get("creatingUser"))
        )
    return notes


def _stem(name: str) -> str:
    """A source's name without a file suffix (".txt", ".docx"), as a case's name."""
    stem, dot, suffix = name.rpartition(".")
    return stem if dot and stem.strip() and 0 < len(suffix) <= 4 and suffix.isalnum() else name


def _restore_code_names(codes: list[CodeNode], report: ImportReport) -> None:
    """Give back the names an export of ours made unique for a tool that wants one code per name."""
    flat: list[tuple[CodeNode, str | None]] = []

    def walk(level: list[CodeNode], parent: str | None) -> None:
        for node in level:
            flat.append((node, parent))
            walk(node.children, node.guid)

    walk(codes, None)
    restored = code_names.restore([code_names.Named(n.guid, parent, n.name) for n, parent in flat])
    for node, _ in flat:
        node.name = restored.get(node.guid, node.name)
    if restored:
        report.count("theme names given back (an export had made them unique)", len(restored))


def read_project(path: Path, data: bytes, report: ImportReport) -> ProjectEntry:
    """The records of a project.qde (root ``Project``)."""
    root = parse(path, data, "project file")
    if local(root) != "Project":
        raise ImportRejected(path, "is not a REFI-QDA project (its .qde root element is not Project)")
    check_namespace(root, namespaces.PROJECT_NS, report)
    users = {}
    for user in _within(root, "Users", "User"):
        key = guid(user.get("guid"))
        if key:
            users[key] = (user.get("name") or user.get("id") or "").strip() or "Unnamed user"
    sources: list[SourceEntry] = []
    seen: set[str] = set()
    variables = _variables(root)
    for number, element in enumerate(_within(root, "Sources", None), 1):
        kind = local(element)
        if kind == "TextSource":
            sources.append(_source(element, number, report, seen, variables))
        else:
            label = _OTHER_SOURCES.get(kind, kind)
            report.drop(
                f"the {label} source {element.get('name') or '(unnamed)'!r}: only text sources are imported"
            )
    for part in ("Links", "Graphs"):
        found = child(root, part)
        if found is not None and len(found):
            report.drop(f"{len(found)} element(s) of {part}: not kept by this app")
    _sets(root, report)
    codes = _read_codes(path, child(root, "CodeBook"), report)
    if (root.get("origin") or "").startswith(namespaces.ORIGIN_PREFIX):
        _restore_code_names(codes, report)
    return ProjectEntry(
        name=(root.get("name") or "").strip(),
        user=guid(root.get("creatingUserGUID")),
        users=users,
        codes=codes,
        sources=sources,
        cases=_cases(root, report, sources),
        notes=_notes(root, report),
        project_notes=_refs(root, "NoteRef"),
    )
