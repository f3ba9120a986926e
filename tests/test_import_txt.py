"""Plain-text transcripts: encodings, byte order marks and line ends."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from jswcoder.errors import ImportRejected
from jswcoder.importing import read_document

SAMPLE = "Interviewer: It\u2019s \u201cfine\u201d\u00a0\u2014 really.\nRespondent: Aye.\nInterviewer: Grand."


def write(tmp_path: Path, data: bytes, name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoded",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"),
        codecs.BOM_UTF32_BE + SAMPLE.encode("utf-32-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32le-bom", "utf32be-bom"],
)
def test_encodings_give_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    document = read_document(write(tmp_path, encoded))
    assert document.text == SAMPLE  # BOM gone; nbsp, curly quotes and dashes kept
    assert document.source_format == "txt"
    assert [t.speaker for t in document.turns] == ["Interviewer", "Respondent", "Interviewer"]
    assert document.notes == () and document.warnings == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a\r\nb\r\n", "a\nb\n"),
        (b"a\rb\r", "a\nb\n"),
        (b"a\r\n\rb\n\r\nc", "a\n\nb\n\nc"),
    ],
)
def test_line_ends_become_newlines(tmp_path: Path, raw: bytes, expected: str) -> None:
    assert read_document(write(tmp_path, raw)).text == expected


def test_crlf_in_utf16(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "Q: one\r\ntwo\rA: three".encode("utf-16-le")
    assert read_document(write(tmp_path, data)).text == "Q: one\ntwo\nA: three"


def test_other_unicode_line_separators_are_kept_as_they_are(tmp_path: Path) -> None:
    text = "one\u2028two\u0085three\x0cfour"
    assert read_document(write(tmp_path, text.encode("utf-8"))).text == text


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, b"Hello", "T.TXT")).text == "Hello"


def test_undecodable_byte_is_rejected_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "Caf\u00e9 ".encode() + b"ok \xe9t\xe9", "latin1.txt")
    with pytest.raises(ImportRejected) as caught:
        read_document(path)
    message = str(caught.value)
    assert message.startswith("latin1.txt: ")
    assert "is not UTF-8 text (undecodable byte at position 9)" in message
    assert "save it as UTF-8" in message
    assert caught.value.path == path


def test_bad_utf16_is_rejected(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(ImportRejected, match=r"bad16\.txt: is not UTF-16 text"):
        read_document(write(tmp_path, data, "bad16.txt"))


def test_nul_bytes_without_a_bom_mean_binary(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match=r"bin\.txt: looks like a binary file, not a transcript"):
        read_document(write(tmp_path, b"PK\x03\x04\x00\x00binary", "bin.txt"))


def test_utf16_without_a_bom_is_refused_as_binary(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="looks like a binary file"):
        read_document(write(tmp_path, "Hello".encode("utf-16-le")))


def test_rejection_messages_never_quote_the_text(tmp_path: Path) -> None:
    secret = "Siobhan Kerr lives at 12 Albany Street"
    path = write(tmp_path, secret.encode() + b"\xff")
    with pytest.raises(ImportRejected) as caught:
        read_document(path)
    assert "Siobhan" not in str(caught.value) and "Albany" not in str(caught.value)
