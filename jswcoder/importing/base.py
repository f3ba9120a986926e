"""The imported-document record, the reader registry and the checks every file goes through.

Every file handed to :func:`read_document` is treated as hostile: it may be missing, a folder, a
named pipe, huge, empty or of the wrong kind. Each of those ends in :class:`ImportRejected` with a
reason a tired user can act on, and nothing is returned half-done. Readers get the file's bytes
in memory and never write anything to disk.
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from jswcoder.errors import ImportRejected
from jswcoder.model import DocumentNote, Turn

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest file accepted, checked with ``stat`` before anything is read."""

SUPPORTED_SUFFIXES: tuple[str, ...] = (".docx", ".txt")
"""File types with a reader, lower case; ``jswcoder.importing`` registers one reader for each."""

Reader = Callable[[Path, bytes], "ImportedDocument"]
_READERS: dict[str, Reader] = {}


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """A transcript as read from a file: its canonical text and the structure found over it."""

    text: str
    turns: tuple[Turn, ...]
    notes: tuple[DocumentNote, ...]
    warnings: tuple[str, ...]
    source_format: str

    def __post_init__(self) -> None:
        # Codings will point into ``text`` for good, so broken offsets are a bug to catch here.
        previous_end = 0
        for turn in self.turns:
            if not previous_end <= turn.start < turn.end <= len(self.text):
                raise ValueError("turns must be sorted, non-overlapping and inside the text")
            previous_end = turn.end
        for note in self.notes:
            if note.anchor is not None and not 0 <= note.anchor <= len(self.text):
                raise ValueError("a note anchor lies outside the text")


def register_reader(suffix: str, reader: Reader) -> None:
    """Make ``reader`` handle files ending in ``suffix`` (matched case-insensitively)."""
    suffix = suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ValueError(f"{suffix} is not listed in SUPPORTED_SUFFIXES")
    _READERS[suffix] = reader


def _supported_list(suffixes: Collection[str] = SUPPORTED_SUFFIXES) -> str:
    *others, last = suffixes
    return f"{', '.join(others)} and {last}" if others else last


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MiB" if size >= 1024 * 1024 else f"{size} bytes"


def _stat(path: Path, suffixes: Collection[str] | None = None, inside: str = "the transcript files") -> int:
    """Size of ``path`` after making sure it is a regular file of a supported type (``suffixes``, or
    the registered readers')."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportRejected(path, "was not found; it may have been moved, renamed or deleted") from None
    except PermissionError:
        raise ImportRejected(path, "cannot be opened: permission denied") from None
    except OSError as exc:
        raise ImportRejected(path, f"cannot be opened ({exc.strerror or 'system error'})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ImportRejected(path, f"is a folder, not a file; choose {inside} inside it")
    suffix = path.suffix.lower()
    if suffix not in (_READERS if suffixes is None else suffixes):
        kind = f"a {suffix} file" if suffix else "a file without a file type"
        supported = _supported_list() if suffixes is None else _supported_list(suffixes)
        raise ImportRejected(
            path, f"is {kind}, which cannot be imported; supported file types are {supported}"
        )
    if not stat.S_ISREG(info.st_mode):
        raise ImportRejected(path, "is not a regular file (it may be a device or a pipe)")
    return info.st_size


def read_checked_bytes(
    path: Path, suffixes: Collection[str] | None = None, inside: str = "the transcript files"
) -> bytes:
    """The bytes of ``path`` once it is known to be a regular, non-empty file of a supported type
    (``suffixes``, or the registered readers') no larger than :data:`MAX_FILE_BYTES`; otherwise
    :class:`ImportRejected`. ``inside`` is what to choose when a folder was chosen."""
    limit = MAX_FILE_BYTES
    size = _stat(path, suffixes, inside)
    too_large = f"is too large to import ({_mib(size)}; the limit is {_mib(limit)})"
    if size > limit:
        raise ImportRejected(path, too_large)
    try:
        with path.open("rb") as f:
            data = f.read(size + 1)  # no more than stat said (a read of the limit reserves the limit)
            if len(data) > size:
                data += f.read(limit + 1 - len(data))  # it has grown since stat
    except PermissionError:
        raise ImportRejected(path, "cannot be read: permission denied") from None
    except OSError as exc:
        raise ImportRejected(path, f"cannot be read ({exc.strerror or 'system error'})") from None
    if len(data) > limit:
        raise ImportRejected(path, f"is too large to import (the limit is {_mib(limit)})")
    if not data:
        raise ImportRejected(path, "is empty (0 bytes)")
    return data


def read_document(path: Path) -> ImportedDocument:
    """Read a transcript file into canonical text, turns and notes.

    Raises :class:`ImportRejected` for every file that cannot be imported, with a reason that
    names no document text.
    """
    path = Path(path)
    data = read_checked_bytes(path)
    document = _READERS[path.suffix.lower()](path, data)
    if not document.text.strip():
        raise ImportRejected(path, "has no text in it; there is nothing to import")
    return document
