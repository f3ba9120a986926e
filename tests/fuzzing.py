"""Shared pieces of the importer fuzz tests: hostile-input strategies, a hang guard, and the check
that a refused import left the project exactly as it was.

Hostile inputs are made by mutating real, valid files at the level their format is built from:
bytes, zip members, XML trees and JSON documents. Each strategy starts from a seed the importer
accepts, so most examples get past the first check and reach the code behind it.

``JSWCODER_FUZZ_EXAMPLES`` sets how many examples each fuzz test runs (the CI default is small).
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import signal
import string
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from lxml import etree

from jswcoder.project import DATABASE_NAME, Project

HANG_SECONDS = 60
"""Far beyond what any example takes (well under a second): past it, an importer is stuck."""


def examples(default: int) -> int:
    """How many examples a fuzz test runs: ``JSWCODER_FUZZ_EXAMPLES`` if set, else ``default``."""
    raw = os.environ.get("JSWCODER_FUZZ_EXAMPLES", "").strip()
    return int(raw) if raw else default


def fuzz_settings(default: int) -> settings:
    # No hypothesis deadline (a loaded CI machine would make it flaky): hangs are caught by time_budget.
    return settings(
        max_examples=examples(default),
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


class Hung(BaseException):
    """An import ran past HANG_SECONDS. A BaseException, so no ``except Exception`` can swallow it."""


@contextmanager
def time_budget(seconds: float = HANG_SECONDS) -> Iterator[None]:
    """Raise :class:`Hung` in the body if it runs longer than ``seconds`` (POSIX; main thread)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(_signum: int, _frame: FrameType | None) -> None:
        raise Hung(f"the import was still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_plain_refusal(error: BaseException, kind: type[BaseException], *secrets: str) -> None:
    """``error`` is the importer's documented kind, with one plain line that names none of ``secrets``."""
    assert isinstance(error, kind), f"{type(error).__name__} escaped: {error!r}"
    message = str(error)
    assert message.strip(), "an empty message"
    assert "\n" not in message and "Traceback" not in message, message
    for secret in secrets:
        assert secret not in message, "the message quotes the file's contents"


def call_importer(
    action: Callable[[], Any], kind: type[BaseException], *secrets: str
) -> tuple[Any, BaseException | None]:
    """Run ``action`` under the hang guard: its result, or the refusal it raised (checked as plain)."""
    try:
        with time_budget():
            return action(), None
    except Hung:
        raise
    except BaseException as error:  # anything but the documented kind fails the test below
        assert_plain_refusal(error, kind, *secrets)
        return None, error


# -- what must not change when an import is refused ---------------------------------------------------

_DATABASE_FILES = {DATABASE_NAME, f"{DATABASE_NAME}-wal", f"{DATABASE_NAME}-shm", f"{DATABASE_NAME}-journal"}


def folder_files(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` but the database and its journals, by path, with a hash of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name not in _DATABASE_FILES
    }


def project_state(project: Project) -> dict[str, Any]:
    """Every row of every table (transcripts, codings, codebook, register, team, search index, ...),
    the record counts, and the other files in the project folder."""
    tables = {
        name: sorted(repr(tuple(row.values())) for row in project.db[name].rows)
        for name in sorted(project.db.table_names())
    }
    return {"counts": project.counts(), "tables": tables, "files": folder_files(project.paths.folder)}


# -- bytes --------------------------------------------------------------------------------------------


class Blob(bytes):
    """Generated file contents with a short repr: hypothesis prints every example it reports, and a
    falsifying one is on disk anyway (each test writes its input under ``tmp_path`` before importing)."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes, sha256 {hashlib.sha256(self).hexdigest()[:16]}>"


@st.composite
def mutated_bytes(draw: st.DrawFn, seed: bytes, *, max_ops: int = 6) -> bytes:
    """``seed`` with bytes flipped, cut off, inserted, deleted or repeated."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "repeat"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "truncate":
            del data[at:]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "repeat":
            piece = bytes(data[at : at + draw(st.integers(1, 256))])
            data[at:at] = piece * draw(st.integers(1, 20))
    return Blob(data)


# -- text ---------------------------------------------------------------------------------------------

# Characters XML 1.0 allows in text and attributes, drawn mostly from the awkward corners.
XML_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff").filter(
        lambda c: c not in "\x00"
    )
    | st.sampled_from(["\n", "\r", "\t", " ", "\u00a0", "\u200b", "\U0001f600", "é", ":", "/", "<"]),
    max_size=40,
)

NUMBERS = st.one_of(
    st.integers(-5, 5000),
    st.sampled_from([-(2**63), -1, 0, 2**31, 2**63 - 1, 2**63, 2**64 + 1, 10**30]),
)
NUMERIC_TEXT = st.one_of(
    NUMBERS.map(str),
    st.sampled_from(["", " ", "1e3", "0x10", "١٢", "²", "+7", "-0", "NaN", "9" * 5000]),
)


# -- XML trees ------------------------------------------------------------------------------------------


def _random_tree(draw: st.DrawFn, tags: Sequence[str], attributes: Sequence[str], depth: int = 0) -> Any:
    element = etree.Element(draw(st.sampled_from(tags)))
    for name in draw(st.lists(st.sampled_from(attributes), max_size=3, unique=True)) if attributes else []:
        element.set(name, draw(NUMERIC_TEXT | XML_TEXT))
    if draw(st.booleans()):
        element.text = draw(XML_TEXT)
    if depth < 4:
        for _ in range(draw(st.integers(0, 3))):
            element.append(_random_tree(draw, tags, attributes, depth + 1))
    return element


@st.composite
def mutated_xml(
    draw: st.DrawFn,
    seed: bytes,
    *,
    tags: Sequence[str],
    attributes: Sequence[str],
    values: Sequence[str] = (),
    focus: Sequence[str] = (),
    max_ops: int = 5,
) -> bytes:
    """The XML document ``seed`` with elements deleted, repeated, moved, nested very deep or replaced by
    random trees of ``tags``, attributes and texts set to hostile numbers, ``values`` or random text, and
    the whole written in an encoding its declaration may not admit to. Elements tagged as in ``focus``
    (records with identities, positions or numbers) are changed more often. Tags are Clark names."""
    try:
        root = etree.fromstring(seed, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:  # already damaged by an earlier change: damage it a little more
        return draw(mutated_bytes(seed, max_ops=2))
    for _ in range(draw(st.integers(1, max_ops))):
        elements = list(root.iter())
        focused = [e for e in elements if e.tag in focus]
        element = draw(st.sampled_from(focused if focused and draw(st.booleans()) else elements))
        parent = element.getparent()
        op = draw(st.sampled_from(["delete", "repeat", "move", "attribute", "text", "nest", "tree"]))
        try:
            if op == "delete" and parent is not None:
                parent.remove(element)
            elif op == "repeat" and parent is not None:
                for _ in range(draw(st.integers(1, 3))):
                    parent.insert(parent.index(element), copy.deepcopy(element))
            elif op == "move" and parent is not None:
                target = draw(st.sampled_from(elements))
                if element not in target.iterancestors() and target is not element:
                    target.append(element)
            elif op == "attribute":
                name = draw(st.sampled_from([*element.attrib.keys(), *attributes] or ["x"]))
                value = draw(NUMERIC_TEXT | XML_TEXT | (st.sampled_from(values) if values else XML_TEXT))
                element.set(name, value)
            elif op == "text":
                element.text = draw(NUMERIC_TEXT | XML_TEXT)
            elif op == "nest" and parent is not None:
                # Deep nesting: the element wrapped in many levels of its own kind or another.
                wrapper_tag = draw(st.sampled_from([element.tag, *tags]))
                index, inner = parent.index(element), element
                for _ in range(draw(st.sampled_from([3, 60, 300, 3000]))):
                    wrapper = etree.Element(wrapper_tag, dict(element.attrib))
                    wrapper.append(inner)
                    inner = wrapper
                parent.insert(index, inner)
            elif op == "tree":
                element.append(_random_tree(draw, tags, attributes))
        except ValueError:  # a name or character lxml itself refuses: no such file can be written
            continue
    encoding = draw(st.sampled_from(["UTF-8", "UTF-8", "UTF-16", "ISO-8859-1", "ASCII"]))
    declared = draw(st.sampled_from([encoding, encoding, "UTF-8", "UTF-8", "ttf-8", "Shift_JIS", "rot13"]))
    body = etree.tostring(root, encoding=encoding, xml_declaration=False)
    declaration = f'<?xml version="1.0" encoding="{declared}" standalone="yes"?>\n'.encode(
        "utf-16" if encoding == "UTF-16" and declared == "UTF-16" else "ascii"
    )
    if encoding == "UTF-16" and body.startswith((b"\xff\xfe", b"\xfe\xff")) and declared == "UTF-16":
        body = body[2:]  # one byte order mark, at the very start
    return Blob(declaration + body)


# -- zip archives ---------------------------------------------------------------------------------------


def zip_members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def build_zip(members: Sequence[tuple[str, bytes]], *, level: int = 6) -> bytes:
    """A zip of ``members`` as given: repeated names and names outside the archive are kept."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        warnings.simplefilter("ignore")  # "Duplicate name": repeated members are the point
        for name, data in members:
            z.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@st.composite
def mutated_zip(
    draw: st.DrawFn,
    seed: bytes,
    *,
    xml: Callable[[str, bytes], st.SearchStrategy[bytes] | None],
    extra_names: Sequence[str] = (),
    max_ops: int = 3,
) -> bytes:
    """The archive ``seed`` with members changed (``xml(name, data)`` gives a strategy for an XML member,
    or None), cut, dropped, repeated or added, a highly compressible member within the size limits,
    and then perhaps the archive's own bytes damaged."""
    members = zip_members(seed)
    names = [name for name, _ in members] + list(extra_names)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["xml", "xml", "xml", "bytes", "drop", "repeat", "add", "bomb"]))
        index = draw(st.integers(0, len(members) - 1)) if members else 0
        parsed = [
            (i, strategy)
            for i, (name, data) in enumerate(members)
            if (strategy := xml(name, Blob(data))) is not None
        ]
        if op == "xml" and parsed:
            index, strategy = draw(st.sampled_from(parsed))
            members[index] = (members[index][0], draw(strategy))
        elif op == "bytes" and members:
            name, data = members[index]
            members[index] = (name, draw(mutated_bytes(data, max_ops=3)))
        elif op == "drop" and members:
            del members[index]
        elif op == "repeat" and members:
            name, data = members[index]
            other = draw(st.sampled_from([data, b"", data[: len(data) // 2]]))
            members.insert(draw(st.integers(0, len(members))), (name, other))
        elif op == "add":
            name = draw(
                st.sampled_from([*names, "../escape.txt", "/abs.txt", "sources/", "a\\b.txt", "x.qde"])
            )
            members.append((name, draw(st.binary(max_size=64))))
        elif op == "bomb" and members:
            # Inflates well, but stays under the importers' ratio and size limits: it must simply be read.
            name, data = members[index]
            members[index] = (name, data + b" " * draw(st.sampled_from([10_000, 900_000])))
    archive = build_zip(members, level=draw(st.sampled_from([0, 6, 9])))
    if draw(st.integers(0, 4)) == 0:
        archive = draw(mutated_bytes(archive, max_ops=2))
    return Blob(archive)


# -- JSON documents -------------------------------------------------------------------------------------

DEEP = "\x00deep\x00"
"""A value that :func:`dump_json` writes as arrays nested far deeper than any reader's recursion limit."""

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    NUMBERS,
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["", " ", "Emergent themes", "a/b", "#FFFFFF", "#fff", "transcript", "code"]),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _slots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths to every value inside ``value`` (dict keys and list indexes)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _slots(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*path, index)
            yield from _slots(item, (*path, index))


def _uuids(value: Any) -> list[str]:
    found: list[str] = []
    if isinstance(value, dict):
        for item in value.values():
            found += _uuids(item)
    elif isinstance(value, list):
        for item in value:
            found += _uuids(item)
    elif isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
        found.append(value)
    return found


@st.composite
def mutated_json(draw: st.DrawFn, seed: Any, *, max_ops: int = 4, keep: Sequence[str] = ()) -> Any:
    """A copy of the JSON document ``seed`` with values deleted, replaced by random or hostile ones,
    list entries repeated (so UUIDs repeat), references pointed at other records, and offsets and
    numbers set out of range. Top-level keys in ``keep`` are left alone."""
    document = copy.deepcopy(seed)
    uuids = _uuids(seed) or ["00000000-0000-0000-0000-000000000000"]
    for _ in range(draw(st.integers(1, max_ops))):
        slots = [p for p in _slots(document) if p[0] not in keep]
        if not slots:
            break
        path = draw(st.sampled_from(slots))
        container = document
        for step in path[:-1]:
            container = container[step]
        key = path[-1]
        # Weighted towards changes that keep the document's shape, so its reader checks more than types.
        op = draw(
            st.sampled_from(
                [*["reference"] * 3, *["repeat", "number"] * 2, "delete", "replace", "text", "deep"]
            )
        )
        if op == "delete":
            del container[key]
        elif op == "replace":
            container[key] = draw(JSON_VALUES)
        elif op == "number":
            container[key] = draw(NUMBERS)
        elif op == "repeat" and isinstance(container, list):
            container.insert(key, copy.deepcopy(container[key]))
        elif op == "reference":
            container[key] = draw(st.sampled_from(uuids))
        elif op == "deep":
            container[key] = DEEP
        elif op == "text":
            container[key] = draw(st.text(max_size=30) | st.sampled_from(["\ud800", "a" * 100_000]))
    return document


def dump_json(document: Any, *, depth: int = 100_000) -> bytes:
    """``document`` as UTF-8 JSON; a :data:`DEEP` value becomes ``depth`` nested arrays, and lone
    surrogates are written as escapes (as another program might)."""
    text = json.dumps(document, ensure_ascii=True)
    return Blob(text.replace(json.dumps(DEEP), "[" * depth + "]" * depth).encode("utf-8"))


def ascii_letters(size: int) -> st.SearchStrategy[str]:
    return st.text(string.ascii_letters, min_size=1, max_size=size)
