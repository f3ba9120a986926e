"""Plain-text transcripts.

The encoding is never guessed: a wrong guess would silently corrupt names and quotes that codings
point into. UTF-8 (with or without a byte order mark) is the default, UTF-16 and UTF-32 are accepted
only when a byte order mark says so, and anything else is refused with a way to fix it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from jswcoder.errors import ImportRejected
from jswcoder.importing.base import ImportedDocument
from jswcoder.importing.turns import detect_turns

# UTF-32 LE must be tried before UTF-16 LE: its byte order mark starts with UTF-16 LE's.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_BINARY = "looks like a binary file, not a transcript; save the transcript as plain text (UTF-8)"


def decode_text(path: Path, data: bytes) -> str:
    """The file's characters, byte order mark removed; nothing else is changed."""
    codec, name = "utf-8", "UTF-8"
    for bom, bom_codec, bom_name in _BOMS:
        if data.startswith(bom):
            codec, name = bom_codec, bom_name
            break
    if codec == "utf-8" and b"\x00" in data:
        raise ImportRejected(path, _BINARY)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            path,
            f"is not {name} text (undecodable byte at position {exc.start}); "
            "save it as UTF-8 and import again",
        ) from None
    if "\x00" in text:
        raise ImportRejected(path, _BINARY)
    return text


def normalise_line_ends(text: str) -> str:
    """CRLF and lone CR become LF, so offsets do not depend on the platform that wrote the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_txt(path: Path, data: bytes) -> ImportedDocument:
    text = normalise_line_ends(decode_text(path, data))
    return ImportedDocument(text=text, turns=detect_turns(text), notes=(), warnings=(), source_format="txt")
