"""The .docx container: recognising what a file really is and refusing zip bombs before parsing.

A .docx is a zip archive. Word's own password protection and the old .doc format both produce an
OLE compound file instead, which users routinely rename to .docx; telling them apart lets the
message say what to do. The zip directory is checked before python-docx reads anything, because
python-docx inflates every part into memory. Parts are read from the in-memory archive and parsed
with a hardened parser; nothing is ever extracted to disk.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

from lxml import etree

from jswcoder.errors import ImportRejected

OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECK_FROM_BYTES = 1024 * 1024
"""Entries smaller than this cannot hurt, however well they compress, so their ratio is ignored."""
MAX_ZIP_ENTRIES = 10_000

DAMAGED = "is damaged or is not a Word document; open it in Word, save it as .docx and import again"
MALFORMED = "is damaged: part of the Word document is not well-formed XML"

# What reading a zip member can raise on corrupt or hostile archives.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,  # unsupported compression method
    RuntimeError,  # an encrypted zip entry
)


def open_package(path: Path, data: bytes) -> zipfile.ZipFile:
    """The file as a zip archive, once it is known not to be a .doc, encrypted, or a zip bomb."""
    if data.startswith(OLE_SIGNATURE):
        if _ENCRYPTED_STREAM in data:
            raise ImportRejected(path, "is password-protected; remove the password in Word and import again")
        raise ImportRejected(path, "is an old Word .doc file; open it in Word and save it as .docx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except ZIP_ERRORS:
        raise ImportRejected(path, DAMAGED) from None
    check_zip_limits(path, archive)
    return archive


def check_zip_limits(
    path: Path,
    archive: zipfile.ZipFile,
    *,
    what: str = "a transcript",
    max_entries: int | None = None,
    max_bytes: int | None = None,
) -> None:
    """Refuse archives that would inflate to far more than they weigh, from the directory alone.

    ``what`` names the kind of file in the message; the limits default to this module's (read at
    call time, so tests can lower them).
    """
    max_entries = MAX_ZIP_ENTRIES if max_entries is None else max_entries
    max_bytes = MAX_UNCOMPRESSED_BYTES if max_bytes is None else max_bytes
    entries = archive.infolist()
    if len(entries) > max_entries:
        raise ImportRejected(path, f"has too many parts to be {what} (over {max_entries})")
    total = 0
    for entry in entries:
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= RATIO_CHECK_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise ImportRejected(
                path,
                "was refused because it is compressed suspiciously well (over "
                f"{MAX_COMPRESSION_RATIO}:1); it may be a 'zip bomb' rather than a real document",
            )
    if total > max_bytes:
        limit = f"{max_bytes // (1024 * 1024)} MiB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"
        raise ImportRejected(path, f"was refused because it would take more than {limit} when unpacked")


def _parser() -> Any:
    # No entity expansion, no network, no depth/size escape hatch: parts are hostile input.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_pis=True
    )


def parse_part(path: Path, archive: zipfile.ZipFile, name: str) -> Any:
    """The root element of part ``name`` (e.g. ``word/footnotes.xml``), parsed from memory."""
    try:
        data = archive.read(name)
    except KeyError:
        raise ImportRejected(path, f"is damaged: the part {name} is missing") from None
    except ZIP_ERRORS:
        raise ImportRejected(path, DAMAGED) from None
    try:
        return etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        raise ImportRejected(path, MALFORMED) from None
