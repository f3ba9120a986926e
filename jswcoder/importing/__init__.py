"""Transcript importers: files in, canonical text with speaker turns and notes out.

One reader per file type sits behind a small registry keyed by suffix. Callers use only
:func:`read_document`, which raises :class:`jswcoder.errors.ImportRejected` for every file that
cannot be imported and never writes anything to disk.
"""

from jswcoder.importing.base import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    ImportedDocument,
    read_document,
    register_reader,
)
from jswcoder.importing.docx_reader import read_docx
from jswcoder.importing.txt_reader import read_txt

register_reader(".docx", read_docx)
register_reader(".txt", read_txt)

__all__ = ["MAX_FILE_BYTES", "SUPPORTED_SUFFIXES", "ImportedDocument", "read_document"]
