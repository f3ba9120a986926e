"""SPSS ``.sav`` survey exports, read from memory by a reader of our own (issue 18).

Qualtrics, SmartSurvey and most university survey teams hand out SPSS files: closed answers are
stored as codes (``5``) with *value labels* ("Strongly agree"), and each variable has a short name
(``Q7``), often a long one, and a *variable label* holding the question. A user coding answers wants
the words, so every coded cell is shown by its label (a code without one keeps its number), the
variable's (long) name is the column's key and its label the question. Dates and times become ISO
8601 text, as in the workbooks; user-missing and system-missing values are empty.

Why not a library: the maintained readers are compiled (ReadStat through pyreadstat, with numpy), and
numpy's Windows build does not run where the Windows package is built and tested. The system file
format is documented (GNU PSPP's "System File Format") and a survey needs little of it, so this
module reads it in plain Python: the dictionary (variables, long names, very long strings, variable
and value labels, the encoding), then the cases, uncompressed, bytecode-compressed (SPSS's default)
or zlib-compressed (``.zsav``). Every count in the file is checked against the bytes that are really
there, and a file claiming more variables, responses or cells than a questionnaire holds is refused
before its cases are read; anything that does not add up is :class:`ImportRejected`, one plain line.
"""

from __future__ import annotations

import math
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from jswcoder.errors import ImportRejected

MAX_CELLS = 10_000_000  # variables × responses: 5,000 × 40 is 200,000
MAX_UNPACKED = 512 * 1024 * 1024  # a .zsav's cases unpacked: far beyond any survey
SYSMIS = -1.7976931348623157e308
_EPOCH = datetime(1582, 10, 14)  # SPSS counts dates in seconds from the Gregorian calendar's start
_DATES = {20, 23, 24, 28, 29, 30, 38, 39}  # DATE, ADATE, JDATE, QYR, MOYR, WKYR, EDATE, SDATE
_DATETIMES = {22, 41}  # DATETIME, YMDHMS
_CODE_PAGES = {65001: "utf-8", 1252: "cp1252", 28591: "latin-1", 2: "cp1252", 3: "cp1252", 1250: "cp1250"}


class _Broken(Exception):
    """The file does not add up; the caller says so in one line."""


class _Bytes:
    def __init__(self, data: bytes, endian: str) -> None:
        self.data = data
        self.at = 0
        self.endian = endian

    def take(self, size: int) -> bytes:
        if size < 0 or self.at + size > len(self.data):
            raise _Broken
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk

    def int32(self) -> int:
        return int(struct.unpack(self.endian + "i", self.take(4))[0])

    def float64(self) -> float:
        return float(struct.unpack(self.endian + "d", self.take(8))[0])

    def left(self) -> int:
        return len(self.data) - self.at


@dataclass
class _Variable:
    short: str
    width: int  # 0: numeric; else the string's width in bytes
    label: bytes = b""  # decoded once the file's encoding is known
    print_type: int = 0
    missing: list[float | bytes] = field(default_factory=list)
    missing_range: tuple[float, float] | None = None
    elements: int = 1  # 8-byte elements in each case
    labels: dict[float | bytes, bytes] = field(default_factory=dict)
    name: str = ""
    segments: list[int] | None = None  # a very long string's segments, as elements each


@dataclass
class _Dictionary:
    variables: list[_Variable]
    encoding: str
    compression: int
    bias: float
    cases: int
    long_names: dict[str, str]
    very_long: dict[str, int]


def _header(data: bytes) -> tuple[_Bytes, int, int, float]:
    if len(data) < 176 or data[:4] not in (b"$FL2", b"$FL3"):
        raise _Broken
    endian = "<" if struct.unpack("<i", data[64:68])[0] in (2, 3) else ">"
    reader = _Bytes(data, endian)
    reader.take(64)
    reader.int32()  # layout code
    reader.int32()  # nominal case size (recomputed from the variables)
    compression = reader.int32()
    reader.int32()  # weight index
    cases = reader.int32()
    bias = reader.float64()
    reader.take(9 + 8 + 64 + 3)  # creation date and time, file label, padding
    if compression not in (0, 1, 2) or (compression == 2) != (data[:4] == b"$FL3"):
        raise _Broken
    return reader, compression, cases, bias


def _variable(reader: _Bytes, variables: list[_Variable]) -> None:
    kind = reader.int32()
    has_label = reader.int32()
    missing = reader.int32()
    print_format = reader.int32()
    reader.int32()  # write format
    short = reader.take(8).decode("latin-1").rstrip()
    label = b""
    if has_label == 1:
        size = reader.int32()
        label = reader.take((size + 3) // 4 * 4)[:size]
    elif has_label != 0:
        raise _Broken
    if not -3 <= missing <= 3:
        raise _Broken
    values = [reader.take(8) for _ in range(abs(missing))]
    if kind == -1:  # the next 8 bytes of a long string: one more element of the variable before
        if not variables or variables[-1].width == 0:
            raise _Broken
        variables[-1].elements += 1
        return
    if not 0 <= kind <= 255:
        raise _Broken
    variable = _Variable(short, kind, label, print_type=(print_format >> 16) & 0xFF)
    if kind == 0:
        numbers = [struct.unpack(reader.endian + "d", v)[0] for v in values]
        if missing < 0:
            variable.missing_range = (numbers[0], numbers[1])
            numbers = numbers[2:]
        variable.missing = list(numbers)
    else:
        variable.missing = list(values)
    variables.append(variable)


def _value_labels(reader: _Bytes, elements: list[_Variable]) -> None:
    count = reader.int32()
    if not 0 <= count <= reader.left() // 9:
        raise _Broken
    pairs: list[tuple[bytes, bytes]] = []
    for _ in range(count):
        value = reader.take(8)
        size = reader.take(1)[0]
        pairs.append((value, reader.take((size + 8) // 8 * 8 - 1)[:size]))
    if reader.int32() != 4:
        raise _Broken
    targets = reader.int32()
    if not 0 <= targets <= reader.left() // 4:
        raise _Broken
    for _ in range(targets):
        index = reader.int32() - 1
        if not 0 <= index < len(elements):
            raise _Broken
        variable = elements[index]
        for value, label in pairs:
            key: float | bytes = (
                struct.unpack(reader.endian + "d", value)[0] if variable.width == 0 else value
            )
            variable.labels[key] = label


def _extension(reader: _Bytes, found: dict[str, bytes | int]) -> None:
    subtype = reader.int32()
    size, count = reader.int32(), reader.int32()
    if size < 0 or count < 0 or size * count > reader.left():
        raise _Broken
    body = reader.take(size * count)
    if subtype == 3 and len(body) >= 32:
        found["code_page"] = struct.unpack(reader.endian + "i", body[28:32])[0]
    elif subtype in (13, 14, 20, 21):
        found[str(subtype)] = body


def _dictionary(data: bytes) -> tuple[_Dictionary, _Bytes]:
    reader, compression, cases, bias = _header(data)
    variables: list[_Variable] = []
    elements: list[_Variable] = []  # each 8-byte element's variable: value labels name elements
    found: dict[str, bytes | int] = {}
    for _ in range(1_000_000):
        kind = reader.int32()
        if kind == 2:
            _variable(reader, variables)
            elements.append(variables[-1])
            if len(elements) > 200_000:  # far beyond MAX_COLUMNS even of very long strings
                raise _Broken
        elif kind == 3:
            _value_labels(reader, elements)
        elif kind == 6:
            lines = reader.int32()
            if not 0 <= lines <= reader.left() // 80:
                raise _Broken
            reader.take(80 * lines)
        elif kind == 7:
            _extension(reader, found)
        elif kind == 999:
            reader.int32()
            break
        else:
            raise _Broken
    else:
        raise _Broken
    code_page = found.get("code_page")
    encoding_name = found.get("20")
    encoding = (
        encoding_name.decode("ascii", "replace").strip("\x00 ").lower()
        if isinstance(encoding_name, bytes)
        else _CODE_PAGES.get(code_page if isinstance(code_page, int) else 0, "cp1252")
    )
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    dictionary = _Dictionary(
        variables,
        encoding,
        compression,
        bias,
        cases,
        _pairs(found.get("13"), encoding),
        {k: _int(v) for k, v in _pairs(found.get("14"), encoding).items()},
    )
    _long_string_labels(found.get("21"), dictionary, reader.endian)
    return dictionary, reader


def _pairs(body: bytes | int | None, encoding: str) -> dict[str, str]:
    """``SHORT=Long name`` pairs separated by tabs (and NULs, in very long string records)."""
    if not isinstance(body, bytes):
        return {}
    text = body.decode(encoding, "replace")
    found = {}
    for part in text.replace("\x00", "\t").split("\t"):
        if "=" in part:
            short, _, value = part.partition("=")
            found[short.strip()] = value
    return found


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise _Broken from None


def _long_string_labels(body: bytes | int | None, dictionary: _Dictionary, endian: str) -> None:
    if not isinstance(body, bytes):
        return
    reader = _Bytes(body, endian)
    by_name = {v.short.upper(): v for v in dictionary.variables}
    by_name.update({dictionary.long_names.get(v.short, "").upper(): v for v in dictionary.variables})
    while reader.left():
        name = reader.take(reader.int32()).decode(dictionary.encoding, "replace")
        reader.int32()  # width
        count = reader.int32()
        if not 0 <= count <= reader.left() // 8:
            raise _Broken
        variable = by_name.get(name.upper())
        for _ in range(count):
            value = reader.take(reader.int32())
            label = reader.take(reader.int32())
            if variable is not None:
                variable.labels[value.rstrip(b" ")] = label


def _columns(dictionary: _Dictionary) -> list[_Variable]:
    """The variables as a user knows them: long names, and each very long string's segments joined."""
    columns: list[_Variable] = []
    variables = iter(dictionary.variables)
    for variable in variables:
        variable.name = dictionary.long_names.get(variable.short, variable.short)
        width = dictionary.very_long.get(variable.short)
        if width is not None and width > 255:
            segments = [variable]
            for _ in range((width + 251) // 252 - 1):
                segments.append(next(variables))
            variable.segments = [s.elements for s in segments]
            variable.width = width
            variable.elements = sum(variable.segments)
        columns.append(variable)
    return columns


def _cases(reader: _Bytes, dictionary: _Dictionary, per_case: int, limit: int) -> list[list[bytes]]:
    """Each case as its 8-byte elements."""
    data = reader.data[reader.at :]
    if dictionary.compression == 2:
        data = _unzipped(data, reader.endian)
    cases: list[list[bytes]] = []
    if dictionary.compression == 0:
        size = per_case * 8
        for start in range(0, len(data) - size + 1, size):
            cases.append([data[start + 8 * i : start + 8 * i + 8] for i in range(per_case)])
            if len(cases) > limit:
                break
        return cases
    raw_numbers = {code: struct.pack(reader.endian + "d", code - dictionary.bias) for code in range(1, 252)}
    sysmis = struct.pack(reader.endian + "d", SYSMIS)
    current: list[bytes] = []
    at = 0
    while at + 8 <= len(data) and len(cases) <= limit:
        commands, at = data[at : at + 8], at + 8
        for code in commands:
            if code == 0:
                continue
            if code == 252:
                return cases
            if code == 253:
                if at + 8 > len(data):
                    raise _Broken
                current.append(data[at : at + 8])
                at += 8
            elif code == 254:
                current.append(b" " * 8)
            elif code == 255:
                current.append(sysmis)
            else:
                current.append(raw_numbers[code])
            if len(current) == per_case:
                cases.append(current)
                current = []
    return cases


def _unzipped(data: bytes, endian: str) -> bytes:
    """A .zsav's cases: after a 24-byte header (where it is, where its trailer is), zlib streams one
    after another up to the trailer, each unpacked within what a survey could hold."""
    if len(data) < 24:
        raise _Broken
    header_at, trailer_at, _trailer_size = struct.unpack(endian + "qqq", data[:24])
    end = trailer_at - header_at
    if not 24 <= end <= len(data):
        raise _Broken
    rest, out = data[24:end], bytearray()
    while rest:
        unpacker = zlib.decompressobj()
        try:
            out += unpacker.decompress(rest, MAX_UNPACKED - len(out) + 1)
        except zlib.error:
            raise _Broken from None
        if len(out) > MAX_UNPACKED or unpacker.unconsumed_tail or not unpacker.eof:
            raise _Broken
        rest = unpacker.unused_data
    return bytes(out)


def _value(variable: _Variable, chunk: bytes, encoding: str, endian: str) -> object:
    if variable.width == 0:
        number = struct.unpack(endian + "d", chunk[:8])[0]
        if number <= SYSMIS or math.isnan(number) or number in variable.missing:
            return None
        low_high = variable.missing_range
        if low_high is not None and low_high[0] <= number <= low_high[1]:
            return None
        if number in variable.labels:
            return variable.labels[number].decode(encoding, "replace")
        if variable.print_type in _DATES | _DATETIMES:
            try:
                moment = _EPOCH + timedelta(seconds=number)
            except OverflowError:
                return number
            return moment.date() if variable.print_type in _DATES else moment
        return number
    raw = chunk[: variable.width]
    if raw.ljust(8)[:8] in variable.missing and len(raw.rstrip(b" ")) <= 8:
        return None
    # A short string's labels are keyed by its 8 bytes as stored, a long string's by its text.
    label = variable.labels.get(raw.rstrip(b" ")) or variable.labels.get(raw.rstrip(b" ").ljust(8)[:8])
    if label is not None:
        return label.decode(encoding, "replace")
    text = raw.decode(encoding, "replace").rstrip(" ")
    return text or None


def _string(variable: _Variable, elements: list[bytes]) -> bytes:
    """A string's bytes from its elements: a very long string's segments each give their first 255
    bytes, one after another (the value's own width then cuts the last)."""
    segments = variable.segments
    if segments is None:
        return b"".join(elements)
    parts, at = [], 0
    for count in segments:
        parts.append(b"".join(elements[at : at + count])[:255])
        at += count
    return b"".join(parts)


def read_sav(
    path: Path, data: bytes, *, max_columns: int, max_rows: int
) -> tuple[list[str], list[str], list[list[object]]]:
    """The variable names, their labels (the name where there is none) and the rows (a label where
    the code has one, None where the answer is missing, else the value as stored: text, number,
    date), or :class:`ImportRejected` with one plain line."""
    try:
        dictionary, reader = _dictionary(data)
        columns = _columns(dictionary)
    except (_Broken, struct.error, StopIteration):
        raise ImportRejected(path, "is not an SPSS data file (.sav) that can be read") from None
    if not columns:
        raise ImportRejected(path, "has no variables: it holds no responses")
    if len(columns) > max_columns:
        raise ImportRejected(path, f"has more than {max_columns:,} columns: no questionnaire holds that many")
    limit = min(max_rows, MAX_CELLS // len(columns))
    if dictionary.cases > limit:
        raise ImportRejected(path, f"has more than {limit:,} responses; split the export")
    per_case = sum(c.elements for c in columns)
    try:
        cases = _cases(reader, dictionary, per_case, limit)
    except (_Broken, struct.error):
        raise ImportRejected(
            path, "is not an SPSS data file (.sav) that can be read (is it cut short?)"
        ) from None
    if len(cases) > limit:
        raise ImportRejected(path, f"has more than {limit:,} responses; split the export")
    if 0 <= dictionary.cases != len(cases):
        raise ImportRejected(path, "is not an SPSS data file (.sav) that can be read (is it cut short?)")
    encoding, endian = dictionary.encoding, reader.endian
    rows: list[list[object]] = []
    for case in cases:
        row: list[object] = []
        at = 0
        for column in columns:
            chunk = case[at : at + column.elements]
            at += column.elements
            row.append(_value(column, _string(column, chunk) if column.width else chunk[0], encoding, endian))
        rows.append(row)
    names = [c.name for c in columns]
    labels = [" ".join(c.label.decode(encoding, "replace").split()) or c.name for c in columns]
    return names, labels, rows
