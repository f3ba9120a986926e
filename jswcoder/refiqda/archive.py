"""A .qdpx archive opened as untrusted input: checked from its directory before anything is read.

Nothing is ever extracted to disk: members are read into memory one at a time. Even so, an archive
that names a member outside itself (``../x``, ``/etc/x``, ``C:\\x``), holds a symbolic link, has too
many entries, or would inflate to far more than it weighs is refused outright with a message saying
which, because no honest exporter writes one. The size and ratio checks are the .docx importer's
(:func:`jswcoder.importing.docx_package.check_zip_limits`).
"""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from jswcoder.errors import ImportRejected
from jswcoder.importing.base import MAX_FILE_BYTES
from jswcoder.importing.docx_package import ZIP_ERRORS, check_zip_limits
from jswcoder.refiqda.report import ImportReport

MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
"""Largest .qdpx file accepted on disk."""
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
"""Largest total the archive's members may inflate to (read at call time, so tests can lower it)."""
MAX_ENTRIES = 10_000
"""Most members an archive may hold (read at call time, so tests can lower it)."""

WHAT = "a REFI-QDA project"
DAMAGED = "is damaged or is not a REFI-QDA project (.qdpx)"
_DRIVE = re.compile(r"^[A-Za-z]:")
_S_IFLNK = 0o120000


def _mib() -> str:
    return f"{MAX_FILE_BYTES // (1024 * 1024)} MiB"


def _check_name(path: Path, info: zipfile.ZipInfo) -> None:
    name = info.filename
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise ImportRejected(path, "was refused: it names a file by an absolute path, outside the archive")
    if ".." in re.split(r"[/\\]", name):
        raise ImportRejected(path, "was refused: it names a file outside the archive ('..' in a path)")
    if stat.S_IFMT(info.external_attr >> 16) == _S_IFLNK:
        raise ImportRejected(path, "was refused: it holds a symbolic link, which a project never needs")


class QdpxArchive:
    """The checked archive: its one ``.qde`` and the files in its ``sources`` folder (any case)."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self._zip = archive
        files = [info for info in archive.infolist() if not info.is_dir()]
        qdes = [info.filename for info in files if info.filename.lower().endswith(".qde")]
        if not qdes:
            raise ImportRejected(path, "holds no .qde project file; it is not a REFI-QDA project")
        if len(qdes) > 1:
            named = [q for q in qdes if PurePosixPath(q).name.lower() == "project.qde"]
            if len(named) != 1:
                raise ImportRejected(path, "holds several .qde project files; it is not clear which to read")
            qdes = named
        self.qde_name = qdes[0]
        # Sources by lower-case file name: "internal://X.txt", "sources/X.txt" and "X.txt" all find it.
        self._sources: dict[str, str] = {}
        for info in files:
            parts = PurePosixPath(info.filename.replace("\\", "/")).parts
            if len(parts) >= 2 and parts[0].lower() == "sources" and not parts[-1].startswith("."):
                self._sources.setdefault(parts[-1].lower(), info.filename)
        self.sources_folder = next((PurePosixPath(n).parts[0] for n in self._sources.values()), "sources")

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> QdpxArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, name: str) -> bytes:
        try:
            return self._zip.read(name)
        except ZIP_ERRORS:
            raise ImportRejected(self.path, DAMAGED) from None

    def project_xml(self, report: ImportReport) -> bytes:
        if PurePosixPath(self.qde_name).name != "project.qde":
            report.repair(f"the project file is named {self.qde_name!r}, not 'project.qde'; it was read")
        return self.read(self.qde_name)

    def source(self, reference: str, report: ImportReport) -> bytes | None:
        """The bytes of the source a ``plainTextPath`` names, or None if the archive lacks it."""
        ref = reference.strip()
        bare = not ref.lower().startswith("internal://")
        file_name = PurePosixPath(ref[len("internal://") :] if not bare else ref.replace("\\", "/")).name
        member = self._sources.get(file_name.lower())
        if member is None:
            return None
        if bare:
            report.repair(f"the source path {ref!r} is not an internal:// path; read as {member!r}")
        if self.sources_folder != "sources":
            report.repair(f"the sources folder is named {self.sources_folder!r}; it was read")
        if self._zip.getinfo(member).file_size > MAX_FILE_BYTES:
            raise ImportRejected(
                self.path,
                f"was refused: its source {file_name} is larger than a transcript may be ({_mib()})",
            )
        return self.read(member)


def open_qdpx(path: Path) -> QdpxArchive:
    """Open ``path`` as a .qdpx after checking it is a regular, sane, safe archive."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ImportRejected(path, "was not found") from None
    except OSError as error:
        raise ImportRejected(path, f"cannot be opened ({error.strerror or 'system error'})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ImportRejected(path, "is not a regular file")
    if info.st_size > MAX_ARCHIVE_BYTES:
        raise ImportRejected(path, f"is too large to import (over {MAX_ARCHIVE_BYTES // 2**20} MiB)")
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS:
        raise ImportRejected(path, DAMAGED) from None
    try:
        for entry in archive.infolist():
            _check_name(path, entry)
        check_zip_limits(path, archive, what=WHAT, max_entries=MAX_ENTRIES, max_bytes=MAX_UNPACKED_BYTES)
        return QdpxArchive(path, archive)
    except BaseException:
        archive.close()
        raise
