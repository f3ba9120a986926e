"""Reading QDA-XML from other tools: a parser without entities, and lenient readers of single values.

Element names are matched by their local name, so a document in a drifted namespace (for example
``urn:QDA-XML:codebook:0:4``) or in none is still read; the caller reports the drift. Every helper
that repairs a value says so in the :class:`ImportReport` it is given.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
from defusedxml import ElementTree as SafeTree

from jswcoder.errors import ImportRejected
from jswcoder.palette import normalise_colour
from jswcoder.refiqda.report import ImportReport

_GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_HEX_ALPHA = re.compile(r"#?([0-9a-fA-F]{6})[0-9a-fA-F]{2}")
_RGB = re.compile(r"rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+%?\s*)?\)", re.I)


def parse(path: Path, data: bytes, what: str) -> Element:
    """The root element of ``data``; DTD entities and external references are refused, not expanded."""
    try:
        root: Element = SafeTree.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException:
        raise ImportRejected(
            path,
            f"was refused: its {what} declares XML entities or external references, which an "
            "exchange file never needs and which can be used to attack the computer reading it",
        ) from None
    except ParseError:
        raise ImportRejected(path, f"is damaged: its {what} is not well-formed XML") from None
    except (LookupError, ValueError):  # expat on a declared encoding it lacks ("ttf-8", "Shift_JIS")
        raise ImportRejected(
            path,
            f"is damaged or unreadable: its {what} declares a text encoding that cannot be read; save it as UTF-8",
        ) from None
    return root


def local(element: Element) -> str:
    """The element's name without its namespace."""
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def namespace(element: Element) -> str:
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def check_namespace(root: Element, expected: str, report: ImportReport) -> None:
    found = namespace(root)
    if found != expected:
        shown = repr(found) if found else "no namespace"
        report.repair(f"the document uses {shown} instead of {expected!r}; it was read as {expected!r}")


def children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element if local(child) == name)


def child(element: Element, name: str) -> Element | None:
    return next(children(element, name), None)


def text_of(element: Element | None) -> str:
    return "" if element is None else "".join(element.itertext())


def guid(value: str | None) -> str | None:
    """A GUID in our form (lower case, no braces), or None if ``value`` is not one."""
    if value is None:
        return None
    match = _GUID.fullmatch(value.strip())
    return None if match is None else str(uuid.UUID(match.group(1)))


def colour(value: str | None, owner: str, report: ImportReport) -> str | None:
    """``#RRGGBB`` from the forms seen in the wild; an unreadable colour is dropped and reported."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if _HEX.fullmatch(value):
        return normalise_colour(value)
    alpha = _HEX_ALPHA.fullmatch(value)
    if alpha:
        report.repair(f"the colour {value!r} of {owner!r} has an alpha channel; it was dropped")
        return normalise_colour(alpha.group(1))
    rgb = _RGB.fullmatch(value)
    if rgb and all(int(part) <= 255 for part in rgb.groups()):
        report.repair(f"the colour {value!r} of {owner!r} is written as rgb(); it was read as hex")
        return "#" + "".join(f"{int(part):02X}" for part in rgb.groups())
    report.drop(f"the colour {value!r} of {owner!r} could not be read")
    return None


def boolean(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() not in {"false", "0"}


def integer(value: str | None) -> int | None:
    try:
        return None if value is None else int(value.strip())
    except ValueError:
        return None
