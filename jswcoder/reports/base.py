"""What every export shares: the registry of file types, the file's text for the leak check, and writing.

Each kind of export (the matrix, the theme report, the coding summary) keeps one :class:`Exporters`
registry: a renderer per file suffix, each turning the export's plain content into the bytes of a
file and the text it holds. :func:`deliver` then checks that text (nothing from the register may
remain in an export from a fieldworker's project) and writes the file atomically, so a refused or
failed export leaves no file behind and never a half-written one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from jswcoder.atomic_file import write_atomically
from jswcoder.errors import InvalidInput
from jswcoder.reports.privacy import ExportText

Content = TypeVar("Content")

# Characters that XML (so .docx and .xlsx) cannot hold: C0 controls but tab, newline and carriage
# return, and the two non-characters. Imported text is kept as it was, so one can turn up.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    """``text`` without the control characters a Word or Excel file cannot hold."""
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class Rendered:
    """A file's bytes, and every string in it (for the leak check)."""

    data: bytes
    texts: tuple[str, ...]


Render = Callable[[Content], Rendered]


class Exporters(Generic[Content]):
    """The file types one kind of export can be written as: one renderer per suffix."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._renderers: dict[str, Callable[[Content], Rendered]] = {}

    def register(self, suffix: str, render: Callable[[Content], Rendered]) -> None:
        """Make ``render`` write files ending in ``suffix`` (matched case-insensitively)."""
        self._renderers[suffix.lower()] = render

    @property
    def suffixes(self) -> tuple[str, ...]:
        return tuple(self._renderers)

    def check(self, path: Path | str) -> Path:
        """The path to write, once its file type is known to this export; :class:`InvalidInput` if not."""
        target = Path(path).expanduser()
        if target.suffix.lower() not in self._renderers:
            kind = f"a {target.suffix} file" if target.suffix else "a file without a file type"
            raise InvalidInput(
                f"{self.what} cannot be written as {kind}; choose a file ending in "
                f"{' or '.join(self.suffixes)}"
            )
        if target.is_dir():
            raise InvalidInput(f"{target} is a folder; give the name of the file to write")
        return target

    def render(self, path: Path, content: Content) -> Rendered:
        return self._renderers[path.suffix.lower()](content)


def deliver(path: Path, rendered: Rendered, text: ExportText) -> Path:
    """Check the file's text with the register (fieldworker projects), then write it atomically."""
    text.check(rendered.texts)
    write_atomically(path, rendered.data)
    return path
