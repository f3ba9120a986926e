"""What the .qdpx and .qdc exports share: stable GUIDs, the register applied to every string, writing.

A fieldworker's export passes every string through the register, as a report does
(:class:`jswcoder.reports.privacy.ExportText`, over the one way out, :mod:`jswcoder.services.egress`):
transcript texts and the memos on them through their own register entries, everything else through the
project-wide ones. Before the file is written, every string in it is searched for what remains
(:func:`jswcoder.reports.base.deliver`), and the export is refused while anything does.
``originals=True`` skips both, deliberately; a lead's project is already anonymised (it arrived in
packages) and goes out as it is. The indirect-identification check (the cases' variables, generalised
as decided) runs on every export but a fieldworker's originals: a lead's too, being the one published.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from jswcoder import __version__
from jswcoder.anonymise.remap import Anonymised
from jswcoder.atomic_file import write_atomically
from jswcoder.project import Project
from jswcoder.refiqda import namespaces
from jswcoder.reports.base import Rendered, deliver, printable
from jswcoder.reports.privacy import ExportText
from jswcoder.services.egress import untouched

ORIGIN = f"{namespaces.ORIGIN_PREFIX}{__version__}"


def stable_guid(project: Project, name: str) -> str:
    """A GUID for an element the project stores no UUID for: the same for the same project and name."""
    return str(uuid.uuid5(uuid.UUID(project.uuid), name))


class Strings:
    """The strings of one export, anonymised unless the project is a lead's or ``originals`` is asked for."""

    def __init__(self, project: Project, *, originals: bool = False) -> None:
        self.project = project
        self._text = ExportText(project)
        self.anonymises = self._text.anonymises and not originals
        # A fieldworker's originals are for their own use; a lead's export is checked even so.
        self.checked = not originals or not self._text.anonymises

    def releases(self, attributes: list[str]) -> None:
        """The export prints these participant attributes (:meth:`ExportText.releases`)."""
        if self.checked:
            self._text.releases(attributes)

    def released(self, case_uuid: str, attribute: str, value: str) -> str:
        """A participant's attribute as the export prints it, generalised where a decision says."""
        return self._text.released(case_uuid, attribute, value) if self.checked else value

    def general(self, text: str) -> str:
        """A string about the whole project (a code's name, a project memo), ready for XML."""
        return printable(self._text.general(text) if self.anonymises else text)

    def transcript(self, transcript_uuid: str) -> Anonymised:
        """The transcript's text as it leaves (and how to move its codings' ranges into it)."""
        if self.anonymises:
            return self._text.transcript(transcript_uuid)[1]
        return untouched(self.project.transcripts.text_of(transcript_uuid))

    def about(self, transcript_uuid: str, text: str) -> str:
        """A string about one transcript (its memo, a coding's memo): its own entries apply too."""
        if self.anonymises:
            text = self._text.about_transcripts((transcript_uuid,), text)
        return printable(text)

    def deliver(self, path: Path, rendered: Rendered) -> None:
        """Refuse the file if anything identifying remains (anonymised exports) or if what it releases
        fits fewer than k participants undecided (checked exports), then write it atomically."""
        if self.checked:
            deliver(path, rendered, self._text)
        else:
            write_atomically(path, rendered.data)


def xml_bytes(root: ET.Element) -> bytes:
    """The document as UTF-8 with a declaration.

    Elements are built with local names and the root carries ``xmlns``, so every element is in the
    standard's namespace without a prefix and attributes stay unqualified, as the schemas want.
    """
    ET.indent(root)  # whitespace only between elements: no text or position changes
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()


def strings_in(root: ET.Element) -> list[str]:
    """Every text and attribute value in the tree, unescaped: what the leak check must search."""
    found: list[str] = []
    for element in root.iter():
        found += [value for name, value in element.attrib.items() if name != "xmlns"]
        found += [t for t in (element.text, element.tail) if t and t.strip()]
    return found


def checked(kind: namespaces.Kind, root: ET.Element) -> bytes:
    """The serialised document, validated against the standard's schema (a failure is a bug here)."""
    data = xml_bytes(root)
    namespaces.validate(kind, data)
    return data
