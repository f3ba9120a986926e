"""Export the codebook as a REFI-QDA codebook (.qdc), and build the code tree a .qdpx holds too.

Codes keep their UUIDs as GUIDs, so a codebook exported twice, or handed out and imported elsewhere,
names the same codes the same way. Hierarchy is element nesting; every code is codable (any code can
hold codings here). A code without a colour of its own shows in its nearest ancestor's, as in the app,
and is exported in that colour, since other tools do not inherit colours.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from jswcoder.errors import InvalidInput
from jswcoder.model import Code
from jswcoder.palette import default_colour
from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.refiqda.export_common import ORIGIN, Strings, checked, strings_in
from jswcoder.reports import Written
from jswcoder.reports.base import Exporters, Rendered

QDC: Exporters[ET.Element] = Exporters("A REFI-QDA codebook")


def colours(codes: list[Code]) -> dict[str, str]:
    """Each code's colour as the app shows it (``Codebook.colour_of``): its own, or its nearest ancestor's."""
    shown: dict[str, str] = {}
    for code in codes:  # tree order: a parent comes before its children
        inherited = shown.get(code.parent_uuid) if code.parent_uuid else None
        shown[code.uuid] = code.colour or inherited or default_colour(0)
    return shown


def add_codes(
    parent: ET.Element,
    codes: list[Code],
    strings: Strings,
    note_refs: Mapping[str, list[str]] | None = None,
    names: Mapping[str, str] | None = None,
) -> None:
    """The ``Codes`` element under ``parent``, with ``NoteRef``s to each code's notes if given, and
    the codes' ``names`` (already through ``strings``) where a profile renamed them."""
    shown = colours(codes)
    elements: dict[str | None, ET.Element] = {None: ET.SubElement(parent, "Codes")}
    for code in codes:
        attributes = {
            "guid": code.uuid,
            "name": names[code.uuid] if names else strings.general(code.name),
            "isCodable": "true",
            "color": shown[code.uuid],
        }
        element = ET.SubElement(elements[code.parent_uuid], "Code", attributes)
        if code.description.strip():
            ET.SubElement(element, "Description").text = strings.general(code.description)
        for note in (note_refs or {}).get(code.uuid, []):
            ET.SubElement(element, "NoteRef", targetGUID=note)
        elements[code.uuid] = element


def codebook_root(project: Project, strings: Strings) -> ET.Element:
    root = ET.Element("CodeBook", xmlns=namespaces.CODEBOOK_NS, origin=ORIGIN)
    add_codes(root, project.codebook.all(), strings)
    return root


def _render_qdc(root: ET.Element) -> Rendered:
    return Rendered(checked("codebook", root), tuple(strings_in(root)))


QDC.register(".qdc", _render_qdc)


def export_codebook(project: Project, out: Path | str, *, originals: bool = False) -> Written:
    """Write the codebook to ``out`` (.qdc), validated; a fieldworker's code names pass the register.
    Noted in the audit trail."""
    written = write_codebook(project, out, originals=originals)
    project.audit.record(
        "export", what="REFI-QDA codebook", file=written.path.name, anonymised=written.anonymised
    )
    return written


def write_codebook(project: Project, out: Path | str, *, originals: bool = False) -> Written:
    """:func:`export_codebook` without the note in the audit trail (for the archive deposit)."""
    path = QDC.check(out)
    if not project.codebook.all():
        raise InvalidInput("the codebook is empty; a REFI-QDA codebook needs at least one code")
    strings = Strings(project, originals=originals)
    strings.deliver(path, QDC.render(path, codebook_root(project, strings)))
    return Written(path, strings.anonymises)
