"""Hostile survey files (issue 18): each is refused by read_survey_file with one plain line that names
the file and none of its cells, without a traceback, and without the reader building what the file
claims (a million-cell row, a 2 GB cell, a workbook that unpacks to gigabytes)."""

from __future__ import annotations

import io
import os
import random
import re
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from jswcoder.errors import ImportRejected
from jswcoder.importing.base import MAX_FILE_BYTES
from jswcoder.importing.survey_files import MAX_CELL, MAX_COLUMNS, read_survey, read_survey_file
from tests.survey_fixtures import build

SECRET = "Morag Smith"  # written into the hostile files: it must never reach a message


def refused(path: Path) -> str:
    with pytest.raises(ImportRejected) as caught:
        read_survey_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ")
    assert "\n" not in message and "Traceback" not in message and SECRET not in message
    assert caught.value.__suppress_context__ or caught.value.__cause__ is None
    return message


def peak_bytes(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
    except ImportRejected:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# --- CSV -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b",".join([SECRET.encode()] * 1_000_000) + b"\r\n1\r\n",  # one line of a million columns
        b"ID,Answer\r\n" + b'x,"\n",' * 1_000_000 + b"\r\n",  # one record over a million lines
    ],
    ids=["one-line", "multi-line"],
)
def test_a_csv_of_a_million_columns_is_refused_without_building_the_row(body: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bomb.csv"
    path.write_bytes(body)
    assert f"more than {MAX_COLUMNS:,} columns" in refused(path)
    # The csv module's million-cell row alone would take about ten times the file.
    assert peak_bytes(lambda: read_survey_file(path)) < 5 * len(body)


def test_one_enormous_quoted_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_bytes(b'ID,Answer\r\n1,"' + (SECRET + " ").encode() * 200_000 + b'"\r\n')
    assert f"a cell longer than {MAX_CELL:,} characters" in refused(path)
    unterminated = tmp_path / "unterminated.csv"
    unterminated.write_bytes(b'ID,Answer\r\n1,"' + (SECRET + " ").encode() * 100_000)
    assert f"a cell longer than {MAX_CELL:,} characters" in refused(unterminated)


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.write(b'ID,Answer\r\n1,"' + SECRET.encode())
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: the size is claimed, not written
    assert "is too large to import" in refused(path)
    assert peak_bytes(lambda: read_survey_file(path)) < 1024 * 1024


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe" + "ID\tAnswer\r\n1\t".encode("utf-16-le") + b"\x00\xd8\x41\x00", "says it is UTF-16"),
        (
            "ID,Answer\r\n1,Café with ".encode() + SECRET.encode() + b" \x92 and \x93more\x94\r\n",
            "mixes UTF-8 with another encoding",
        ),
        (b"ID,Answer\r\n1," + bytes(range(256)) * 4, "is not text"),
        ("ID,Answer\r\n1,".encode("utf-16-le") + SECRET.encode("utf-16-le"), "holds NUL characters"),
    ],
    ids=["broken-utf16", "mixed-utf8-cp1252", "binary", "utf16-without-bom"],
)
def test_broken_encodings_are_refused(data: bytes, reason: str, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    assert reason in refused(path)


# --- workbooks -----------------------------------------------------------------------------------------


def _workbook(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rewritten(data: bytes, changes: dict[str, Callable[[bytes], bytes]]) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, changes.get(info.filename, lambda c: c)(content))
    return out.getvalue()


def test_a_workbook_holding_a_giant_cell_is_refused(tmp_path: Path) -> None:
    """openpyxl writes no cell over Excel's 32,767 characters, so the sheet's XML is written by hand."""
    giant = (SECRET + " said ").encode() * 20_000
    path = tmp_path / "giant.xlsx"
    path.write_bytes(
        _rewritten(
            _workbook([["ID", "Answer"], [1, "GIANT"]]),
            {"xl/worksheets/sheet1.xml": lambda xml: xml.replace(b"GIANT", giant)},
        )
    )
    assert f"a cell longer than {MAX_CELL:,} characters" in refused(path)


def test_a_workbooks_claim_of_size_is_not_believed(tmp_path: Path) -> None:
    """A sheet that declares itself A1:XFD1048576 (17 billion cells) is read as stored: two responses,
    in little memory."""
    data = _rewritten(
        _workbook([["ID", "Answer"], [1, SECRET], [2, "fine"]]),
        {
            "xl/worksheets/sheet1.xml": lambda xml: re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml
            )
        },
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the claim is really there
        assert b'ref="A1:XFD1048576"' in archive.read("xl/worksheets/sheet1.xml")
    path = tmp_path / "claims.xlsx"
    path.write_bytes(data)
    assert peak_bytes(lambda: read_survey_file(path)) < 20 * 1024 * 1024
    assert len(read_survey_file(path).rows) == 2


def test_a_zip_bomb_workbook_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(
        _rewritten(
            _workbook([["ID", "Answer"], [1, SECRET]]),
            {"xl/worksheets/sheet1.xml": lambda _: b" " * (300 * 1024 * 1024)},
        )
    )
    assert "zip bomb" in refused(path)
    assert peak_bytes(lambda: read_survey_file(path)) < 64 * 1024 * 1024


def test_a_workbook_whose_sizes_lie_is_refused(tmp_path: Path) -> None:
    """The zip's directory says the sheet is 1 KB; it inflates to 50 MB. Reading stops at the size
    declared, and the checksum gives it away."""
    padding = b"<!--" + b" " * (50 * 1024 * 1024) + b"-->"
    data = bytearray(
        _rewritten(
            _workbook([["ID", "Answer"], [1, SECRET]]),
            {
                "xl/worksheets/sheet1.xml": lambda xml: xml.replace(
                    b"<sheetData>", padding + b"<sheetData>", 1
                )
            },
        )
    )
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > 50 * 1024 * 1024  # the padding is in
    struct.pack_into("<I", data, sheet.header_offset + 22, 1024)  # the local header's size
    name = sheet.filename.encode()
    central = next(
        at - 46
        for at in range(len(data))
        if data.startswith(name, at) and data.startswith(b"PK\x01\x02", at - 46)
    )
    struct.pack_into("<I", data, central + 24, 1024)  # the central directory's
    path = tmp_path / "lies.xlsx"
    path.write_bytes(bytes(data))
    assert "not an Excel workbook" in refused(path)
    assert peak_bytes(lambda: read_survey_file(path)) < 40 * 1024 * 1024


def test_a_word_document_renamed_xlsx_is_refused(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph(f"Interviewer: {SECRET}, thank you for coming.")
    path = tmp_path / "responses.xlsx"
    document.save(str(path))
    assert "is a Word document" in refused(path)


# --- SPSS ----------------------------------------------------------------------------------------------


def test_broken_sav_files_are_refused(tmp_path: Path) -> None:
    whole = build("spss", tmp_path).path.read_bytes()
    cases = {
        "random.sav": os.urandom(4096),
        "marked.sav": b"$FL2" + os.urandom(4096),
        "header.sav": whole[:200],
        "half.sav": whole[: len(whole) // 2],
        "text.sav": f"ResponseId,helped\r\nR_1,{SECRET}\r\n".encode(),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert "is not an SPSS data file (.sav) that can be read" in refused(path), name


def test_a_savs_claimed_number_of_responses(tmp_path: Path) -> None:
    """A header claiming more responses than a survey holds is refused before the data are read (two
    billion too); one claiming fewer than it stores does not add up, and is refused as cut short."""
    whole = build("spss", tmp_path).path.read_bytes()
    for claim, name in ((300_000, "many.sav"), (2**31 - 1, "billions.sav")):
        data = bytearray(whole)
        struct.pack_into("<i", data, 80, claim)  # the header's case count
        (tmp_path / name).write_bytes(bytes(data))
    assert "more than 200,000 responses; split the export" in refused(tmp_path / "many.sav")
    assert "more than 200,000 responses; split the export" in refused(tmp_path / "billions.sav")
    data = bytearray(whole)
    struct.pack_into("<i", data, 80, 3)  # fewer than the 8 stored
    (tmp_path / "fewer.sav").write_bytes(bytes(data))
    assert "(is it cut short?)" in refused(tmp_path / "fewer.sav")


# --- not a file ----------------------------------------------------------------------------------------


def test_a_folder_a_pipe_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "exports.csv"
    folder.mkdir()
    assert "is a folder, not a file; choose the survey export inside it" in refused(folder)
    pipe = tmp_path / "answers.csv"
    os.mkfifo(pipe)  # opening it would wait for a writer for ever
    assert "not a regular file" in refused(pipe)
    assert "was not found" in refused(tmp_path / "gone.xlsx")
    empty = tmp_path / "empty.sav"
    empty.write_bytes(b"")
    assert "is empty" in refused(empty)
    other = tmp_path / "answers.ods"
    other.write_bytes(b"PK\x03\x04")
    assert "supported file types are .csv, .xlsx and .sav" in refused(other)


def test_a_damaged_sav_is_refused_in_one_line_however_it_is_damaged(tmp_path: Path) -> None:
    """Our SPSS reader on a real file cut at every point and with bytes changed at random (fixed seed):
    each either reads or is refused with ImportRejected, never another error."""
    data = build("spss", tmp_path).path.read_bytes()
    rng = random.Random(18)
    damaged = [data[:cut] for cut in range(0, len(data), 11)]
    for _ in range(400):
        changed = bytearray(data)
        for _ in range(rng.randint(1, 6)):
            changed[rng.randrange(len(changed))] = rng.randrange(256)
        damaged.append(bytes(changed))
    refusals = 0
    for each in damaged:
        try:
            read_survey(Path("damaged.sav"), each)
        except ImportRejected as refused_:
            refusals += 1
            assert "\n" not in str(refused_)
    assert refusals >= len(data) // 11  # every cut file at least
