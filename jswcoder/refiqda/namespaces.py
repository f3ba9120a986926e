"""The REFI-QDA (QDA-XML 1.0) names and the conformance check shared by export and import.

The standard's two schemas ship inside the package (the ``refi-qda`` resources) and are read once, on first use,
from there only: neither they nor a checked document may make :mod:`xmlschema` fetch anything, and
checked documents are parsed without entities (they may come from an untrusted archive).
"""

from __future__ import annotations

import functools
from typing import Literal

import xmlschema

from jswcoder.errors import JswError
from jswcoder.resources import REFI_QDA, resource

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

PROJECT_FILE = "project.qde"  # the name ATLAS.ti and others expect inside a .qdpx
SOURCES_DIR = "sources"  # lowercase: ATLAS.ti rejects "Sources/"
ORIGIN_PREFIX = "jswcoder "  # a Project's or CodeBook's origin when this app wrote it
INTERNAL = "internal://"  # prefix of a source embedded in the archive's sources/ folder

Kind = Literal["project", "codebook"]
_SCHEMA_FILES: dict[str, str] = {"project": "Project.xsd", "codebook": "Codebook.xsd"}


def project(name: str) -> str:
    """The qualified (Clark) name of element ``name`` in a project.qde, e.g. ``{urn:...}Code``."""
    return f"{{{PROJECT_NS}}}{name}"


def codebook(name: str) -> str:
    """The qualified (Clark) name of element ``name`` in a .qdc codebook."""
    return f"{{{CODEBOOK_NS}}}{name}"


class NotConformant(JswError):
    """A document does not follow the REFI-QDA schema; ``problems`` lists where and why."""

    def __init__(self, kind: str, problems: list[str]) -> None:
        self.problems = problems
        # Only the count in the message: a problem's reason may quote the document's text.
        super().__init__(
            f"the {kind} document does not follow the REFI-QDA schema ({len(problems)} problem(s))"
        )


@functools.cache
def schema(kind: Kind) -> xmlschema.XMLSchema:
    """The schema for ``kind``, built once from the package's copy, never from the network."""
    if kind not in _SCHEMA_FILES:
        raise ValueError(f"unknown REFI-QDA document kind {kind!r}")
    source = resource(REFI_QDA, _SCHEMA_FILES[kind]).read_bytes()
    return xmlschema.XMLSchema(source, allow="none")


def problems(kind: Kind, xml_bytes: bytes) -> list[str]:
    """Every way ``xml_bytes`` departs from the schema ("path: reason"), empty when it conforms."""
    try:
        resource = xmlschema.XMLResource(xml_bytes, allow="none", defuse="always")
    except (xmlschema.XMLResourceError, SyntaxError) as error:  # not well-formed, or forbidden entities
        return [f"not readable as XML ({type(error).__name__})"]
    return [f"{error.path or '/'}: {error.reason}" for error in schema(kind).iter_errors(resource)]


def validate(kind: Kind, xml_bytes: bytes) -> None:
    """Raise :class:`NotConformant` unless ``xml_bytes`` is a valid ``kind`` ("project" or "codebook")."""
    found = problems(kind, xml_bytes)
    if found:
        raise NotConformant(kind, found)
