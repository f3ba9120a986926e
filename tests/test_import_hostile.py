"""Every file is hostile: each bad input is a real crafted file, and each must end in
ImportRejected with a reason a tired user understands and the file's name in the message."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from msoffcrypto.format.ooxml import OOXMLFile

from jswcoder.errors import ImportRejected
from jswcoder.importing import ImportedDocument, base, docx_package, read_document


def reject(path: Path) -> str:
    """The reason ``path`` was rejected, after checking the message names the file."""
    with pytest.raises(ImportRejected) as caught:
        read_document(path)
    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path.name}: ")
    return caught.value.reason


def docx_bytes(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, *, drop: tuple[str, ...] = (), replace: dict[str, bytes] | None = None) -> bytes:
    """A copy of a docx with parts removed or replaced."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            if name not in drop:
                target.writestr(name, replace.get(name, source.read(name)))
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------
# Files that are not there, not files, or not of a supported type


def test_missing_file(tmp_path: Path) -> None:
    assert "was not found" in reject(tmp_path / "gone.docx")


@pytest.mark.parametrize("name", ["folder", "folder.docx"])
def test_directory(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.mkdir()
    assert "is a folder, not a file" in reject(path)


@pytest.mark.parametrize(
    ("name", "kind"), [("notes.pdf", "a .pdf file"), ("notes", "a file without a file type")]
)
def test_unsupported_suffix_lists_the_supported_ones(tmp_path: Path, name: str, kind: str) -> None:
    reason = reject(write(tmp_path, name, b"%PDF-1.7"))
    assert f"is {kind}, which cannot be imported" in reason
    assert "supported file types are .docx and .txt" in reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_named_pipe_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert "is not a regular file" in reject(path)  # reading it would block for ever


# ---------------------------------------------------------------------------------------------
# Size


@pytest.mark.parametrize("name", ["empty.txt", "empty.docx"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    assert reject(write(tmp_path, name, b"")) == "is empty (0 bytes)"


def test_whitespace_only_text(tmp_path: Path) -> None:
    assert "has no text in it" in reject(write(tmp_path, "blank.txt", b"\xef\xbb\xbf \r\n\t\r\n"))


def test_document_without_text(tmp_path: Path) -> None:
    assert "has no text in it" in reject(write(tmp_path, "blank.docx", docx_bytes("", "  ")))


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path, "big.txt", b"Interviewer: hello\n" * 100)
    reason = reject(path)
    assert reason.startswith("is too large to import")
    assert "the limit is 1000 bytes" in reason


def test_default_limit_is_64_mib() -> None:
    assert base.MAX_FILE_BYTES == 64 * 1024 * 1024


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (50 * 1024 * 1024))
    path = write(tmp_path, "bomb.docx", out.getvalue())
    assert path.stat().st_size < 200_000
    assert "zip bomb" in reject(path)


def test_zip_bomb_by_total_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_package, "MAX_UNCOMPRESSED_BYTES", 20_000)
    reason = reject(write(tmp_path, "huge.docx", docx_bytes("Hello")))
    assert "would take more than" in reason and "when unpacked" in reason


# ---------------------------------------------------------------------------------------------
# Not a .docx inside


def test_legacy_doc_renamed(tmp_path: Path) -> None:
    data = docx_package.OLE_SIGNATURE + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 1024
    assert reject(write(tmp_path, "old.docx", data)) == (
        "is an old Word .doc file; open it in Word and save it as .docx"
    )


def test_password_protected(tmp_path: Path) -> None:
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(docx_bytes("Interviewer: secret"))).encrypt("correct horse", encrypted)
    assert encrypted.getvalue().startswith(docx_package.OLE_SIGNATURE)
    assert reject(write(tmp_path, "locked.docx", encrypted.getvalue())) == (
        "is password-protected; remove the password in Word and import again"
    )


def test_truncated_docx(tmp_path: Path) -> None:
    data = docx_bytes("Interviewer: hello")
    assert "is damaged or is not a Word document" in reject(
        write(tmp_path, "cut.docx", data[: len(data) // 2])
    )


def test_corrupt_data_inside_an_intact_zip(tmp_path: Path) -> None:
    data = bytearray(rezip(docx_bytes("Interviewer: hello " * 50)))
    start = data.index(b"word/document.xml") + len("word/document.xml")
    for i in range(start + 10, start + 60):
        data[i] ^= 0x5A
    assert "is damaged" in reject(write(tmp_path, "flipped.docx", bytes(data)))


def test_text_file_renamed_docx(tmp_path: Path) -> None:
    assert "is damaged or is not a Word document" in reject(write(tmp_path, "plain.docx", b"Interviewer: hi"))


def test_zip_without_document_xml(tmp_path: Path) -> None:
    data = rezip(docx_bytes("Hello"), drop=("word/document.xml",))
    assert "word/document.xml is missing" in reject(write(tmp_path, "hollow.docx", data))


def test_other_office_file_renamed(tmp_path: Path) -> None:
    data = docx_bytes("Hello")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    )
    data = rezip(data, replace={"[Content_Types].xml": types.encode()})
    assert "is not a Word document" in reject(write(tmp_path, "sheet.docx", data))


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_malformed_xml(tmp_path: Path, part: str) -> None:
    data = rezip(docx_bytes("Hello"), replace={part: b"<w:document><w:body><w:p>"})
    assert "is not well-formed XML" in reject(write(tmp_path, "broken.docx", data))


def test_malformed_note_part(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Interviewer: hello")
    document.sections[0].header.paragraphs[0].text = "Header"
    out = io.BytesIO()
    document.save(out)
    data = rezip(out.getvalue(), replace={"word/header1.xml": b"<w:hdr"})
    assert "is not well-formed XML" in reject(write(tmp_path, "badheader.docx", data))


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Before &x; after</w:t></w:r></w:p></w:body></w:document>"
    )
    path = write(tmp_path, "xxe.docx", rezip(docx_bytes("x"), replace={"word/document.xml": body.encode()}))
    try:
        document = read_document(path)
    except ImportRejected:
        return
    assert "TOP-SECRET" not in document.text


# ---------------------------------------------------------------------------------------------
# Nothing is written to disk


@pytest.fixture
def no_writes() -> Iterator[list[Any]]:
    """Record every file opened for writing while the test body runs (via an audit hook)."""
    writes: list[Any] = []
    active = [True]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        # Python's own bytecode cache is not the importer's doing.
        if active[0] and event == "open" and len(args) >= 2 and "__pycache__" not in str(args[0]):
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            ):
                writes.append(args[0])

    sys.addaudithook(hook)
    yield writes
    active[0] = False


def test_importing_writes_nothing(tmp_path: Path, no_writes: list[Any]) -> None:
    document = docx.Document()
    document.add_paragraph("Interviewer: hello")
    document.sections[0].header.paragraphs[0].text = "Header"
    path = tmp_path / "ok.docx"
    document.save(str(path))
    (tmp_path / "ok.txt").write_text("Q: hi\nA: hello\n")
    no_writes.clear()
    before = sorted(tmp_path.iterdir())
    assert read_document(path).notes
    assert read_document(tmp_path / "ok.txt").turns
    assert no_writes == []
    assert sorted(tmp_path.iterdir()) == before


# ---------------------------------------------------------------------------------------------
# Fuzz: damaged real documents give a document or a clean rejection, never anything else

_SEED_DOCX = docx_bytes("Interviewer: hello there", "P1: hi", "Interviewer: bye")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(_SEED_DOCX) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_docx_never_crashes(tmp_path: Path, flips: list[tuple[int, int]]) -> None:
    data = bytearray(_SEED_DOCX)
    for position, value in flips:
        data[position] = value
    path = write(tmp_path, "fuzz.docx", bytes(data))
    try:
        assert isinstance(read_document(path), ImportedDocument)
    except ImportRejected as exc:
        assert exc.reason


def test_every_supported_suffix_has_a_reader() -> None:
    assert sorted(base._READERS) == sorted(base.SUPPORTED_SUFFIXES) == [".docx", ".txt"]


def test_a_refused_details_file_is_explained_without_quoting_it(tmp_path: Path) -> None:
    from jswcoder.services.transcripts import read_sidecar

    source = tmp_path / "int_3.txt"
    source.write_text("P1: Hello.\n", encoding="utf-8")
    sidecar = tmp_path / "int_3.meta.json"
    for content, reason in (
        ('{"interview_number": "Zebedee Quistclose"}', "a value in it is not of the kind expected"),
        ('{"interview_number": 3, "Zebedee Quistclose"', "it is not valid JSON (line 1)"),
        ('{"mode": "Zebedee Quistclose"}', "mode must be one of"),
    ):
        sidecar.write_text(content, encoding="utf-8")
        with pytest.raises(ImportRejected) as caught:
            read_sidecar(source)
        assert f"int_3.meta.json cannot be used ({reason}" in str(caught.value)
        assert "Zebedee" not in str(caught.value)
