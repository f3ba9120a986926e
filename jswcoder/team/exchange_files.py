"""The one way sync reads from and writes into an exchange folder, which strangers can write to.

Anyone with the stick or the share can put anything there: a FIFO (opening it for reading waits for a
writer, for ever, with the project locked), a symlink to ``/dev/zero`` or to a file of the user's, a
sparse file of many gigabytes, or a symlink in place of ``members/`` or ``packages/<member_id>/`` that
would send the next package into a folder of the victim's. So:

* :func:`read_file` reads a regular file only. It is looked at with ``lstat`` (never through a symlink),
  opened without following a symlink and without waiting (``O_NOFOLLOW | O_NONBLOCK`` where the system
  has them), checked again on the open descriptor, and its size is checked before a byte is read; at
  most one byte more than the limit is ever read.
* :func:`entries` lists a folder without following symlinks, and :func:`readable_folder` says whether a
  folder may be listed: a real folder, not a symlink to one.
* :func:`writable_folder` gives a folder to write into (``members/``, ``packages/<member_id>/``) only if
  each part of its path below the exchange folder is a real folder; a missing one is made.

Every refusal is a :class:`JswError` of one plain line that names the file, never its contents. What is
left: a folder swapped for a symlink between the check and the write is not caught; catching it needs
writes relative to an open folder, which Windows lacks.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from jswcoder.errors import JswError
from jswcoder.plain_text import without_controls

# Windows has neither: it has no FIFOs to wait on, and lstat below still refuses a symlink there.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NO_WAIT = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_SHOWN_NAME = 80


class FileRefused(JswError):
    """A file that is not read: a symlink, a pipe or device, too large, or unreadable."""


class NoSuchFile(FileRefused):
    """The file is not there (for a caller to whom that is no problem)."""


class FolderRefused(JswError):
    """A folder that is neither read nor written into: a symlink, or not a folder."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where  # the folder's path in the exchange folder, such as "packages/<member_id>"


def plain_name(name: str) -> bool:
    """Whether *name* shows as it is: no control characters, no bytes that are not UTF-8. Every name
    jswcoder writes is; one that is not was chosen to disturb whoever reads a report of it."""
    return without_controls(name) == name and name.encode("utf-8", "replace").decode("utf-8") == name


def shown(name: str) -> str:
    """A name from the exchange folder, safe to show on one line (anyone chose it)."""
    safe = without_controls(name.encode("utf-8", "backslashreplace").decode("utf-8"))
    return safe if len(safe) <= _SHOWN_NAME else safe[:_SHOWN_NAME] + "…"


def _refused_kind(path: Path, mode: int) -> FileRefused:
    if stat.S_ISLNK(mode):
        return FileRefused(f"{shown(path.name)} is a symbolic link; it was not followed")
    return FileRefused(
        f"{shown(path.name)} is not a regular file (a pipe, a device or a folder); it was not read"
    )


def _too_large(path: Path, size: int, limit: int) -> FileRefused:
    return FileRefused(f"{shown(path.name)} is too large ({size:,} bytes; the limit is {limit:,})")


def _unreadable(path: Path, error: OSError) -> FileRefused:
    if isinstance(error, FileNotFoundError):
        return NoSuchFile(f"{shown(path.name)} is not there")
    return FileRefused(f"{shown(path.name)} cannot be read ({error.strerror or 'the system refused'})")


def read_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at *path*, at most *limit* of them; never waits on the file.

    Raises :class:`FileRefused` (:class:`NoSuchFile` when it is missing) for anything else.
    """
    try:
        before = os.lstat(path)
    except OSError as error:
        raise _unreadable(path, error) from None
    if not stat.S_ISREG(before.st_mode):
        raise _refused_kind(path, before.st_mode)
    if before.st_size > limit:
        raise _too_large(path, before.st_size, limit)
    try:
        descriptor = os.open(path, os.O_RDONLY | _NO_FOLLOW | _NO_WAIT | _BINARY)
    except OSError as error:
        if _NO_FOLLOW and os.path.islink(path):  # swapped for a symlink since lstat: ELOOP
            raise _refused_kind(path, stat.S_IFLNK) from None
        raise _unreadable(path, error) from None
    with os.fdopen(descriptor, "rb") as stream:
        try:
            opened = os.fstat(stream.fileno())
            if not stat.S_ISREG(opened.st_mode):  # swapped for a pipe or device since lstat
                raise _refused_kind(path, opened.st_mode)
            if opened.st_size > limit:
                raise _too_large(path, opened.st_size, limit)
            data = stream.read(limit + 1)
        except OSError as error:
            raise _unreadable(path, error) from None
    if len(data) > limit:  # it grew while being read
        raise FileRefused(f"{shown(path.name)} is too large (the limit is {limit:,} bytes)")
    return data


def read_if_present(path: Path, limit: int) -> bytes | None:
    """As :func:`read_file`, but None when nothing is there at all."""
    try:
        return read_file(path, limit)
    except NoSuchFile:
        return None


def _why(error: OSError) -> str:
    return error.strerror or "the system refused"


def _checked_folder(exchange: Path, parts: tuple[str, ...], *, make: bool) -> Path | None:
    path = exchange
    for number, part in enumerate(parts, 1):
        path = path / part
        where = "/".join(shown(p) for p in parts[:number])
        try:
            if make:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(path)
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            return None
        except OSError as error:
            raise FolderRefused(
                where, f"the folder {where} in the exchange folder {exchange} cannot be used ({_why(error)})"
            ) from None
        if stat.S_ISLNK(mode):
            raise FolderRefused(
                where,
                f"{where} in the exchange folder {exchange} is a symbolic link, not a folder; nothing was "
                "read or written through it. Remove the link (jswcoder never makes one), then sync again",
            )
        if not stat.S_ISDIR(mode):
            raise FolderRefused(
                where,
                f"{where} in the exchange folder {exchange} is not a folder; nothing was read or written "
                "there. Move it away, then sync again",
            )
    return path


def readable_folder(exchange: Path, *parts: str) -> Path | None:
    """``exchange/parts...`` when each part is a real folder; None when one is missing.

    Raises :class:`FolderRefused` when one is a symlink or not a folder.
    """
    return _checked_folder(exchange, parts, make=False)


def writable_folder(exchange: Path, *parts: str) -> Path:
    """``exchange/parts...``, each part a real folder (made when missing), to write files into.

    Raises :class:`FolderRefused` when a part is a symlink or not a folder, before anything is written.
    """
    folder = _checked_folder(exchange, parts, make=True)
    if folder is None:  # removed again between being made and being looked at
        raise FolderRefused("/".join(parts), f"a folder in the exchange folder {exchange} went missing")
    return folder


def entries(folder: Path, suffix: str) -> list[Path]:
    """The entries of *folder* whose names end in *suffix*, sorted, whatever they are (symlinks not
    followed); :func:`read_file` refuses those that are not regular files, so each can be reported."""
    try:
        with os.scandir(folder) as listing:
            names = [entry.name for entry in listing if entry.name.endswith(suffix)]
    except OSError as error:
        where = shown(folder.name)
        raise FolderRefused(
            where, f"the folder {where} in the exchange folder cannot be listed ({_why(error)})"
        ) from None
    return [folder / name for name in sorted(names)]
