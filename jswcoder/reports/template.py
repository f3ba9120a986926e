"""A user's report template: a .docx whose styles (and page setup, headers, footers) a report takes on.

The file is treated as hostile, like an imported transcript: a size limit checked before reading,
the zip directory vetted for bombs by :func:`jswcoder.importing.docx_package.open_package` before
python-docx inflates anything, and every failure one plain sentence. The template's body is cleared;
only its styles, section setup and headers and footers are kept.
"""

from __future__ import annotations

import io
import stat
from pathlib import Path

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from lxml import etree

from jswcoder.errors import ImportRejected, InvalidInput
from jswcoder.importing.docx_package import ZIP_ERRORS, open_package
from jswcoder.reports.docx_common import Document

MAX_TEMPLATE_BYTES = 32 * 1024 * 1024
_SAVE_AS_DOCX = "open it in Word, remove any password and save it as a Word document (.docx)"


def _refuse(path: Path, reason: str) -> InvalidInput:
    return InvalidInput(f"the template {path.name} cannot be used: it {reason}")


def _read(path: Path) -> bytes:
    if path.suffix.lower() != ".docx":
        raise _refuse(path, "is not a .docx file; give a Word document (.docx) whose styles to use")
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, "is not a regular file")
        if info.st_size > MAX_TEMPLATE_BYTES:
            raise _refuse(path, f"is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB")
        with path.open("rb") as stream:
            data = stream.read(MAX_TEMPLATE_BYTES + 1)
    except FileNotFoundError:
        raise _refuse(path, "was not found") from None
    except OSError as error:
        raise _refuse(path, f"cannot be read ({error.strerror or 'system error'})") from None
    if len(data) > MAX_TEMPLATE_BYTES:
        raise _refuse(path, f"is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MiB")
    return data


def open_template(path: Path | str) -> Document:
    """The template as a python-docx document with an empty body; :class:`InvalidInput` otherwise."""
    path = Path(path).expanduser()
    data = _read(path)
    try:
        open_package(path, data)
    except ImportRejected as rejected:
        raise _refuse(path, f"{rejected.reason.split(';')[0]}; {_SAVE_AS_DOCX}") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError:  # python-docx's answer to a .dotx, a .docm or a spreadsheet renamed .docx
        raise _refuse(path, f"is not a plain Word document; {_SAVE_AS_DOCX}") from None
    except (KeyError, etree.XMLSyntaxError, OpcError, *ZIP_ERRORS):
        raise _refuse(path, f"is damaged or is not a Word document; {_SAVE_AS_DOCX}") from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document
