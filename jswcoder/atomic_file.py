"""Writing a whole file so that a reader never sees half of it: the one helper for every file jswcoder
writes outside a project (packages, team files, join requests, reports, exports).

The data goes to a new file beside the target, is flushed to the disk, then renamed over the target.
A failure removes the temporary file and leaves any earlier file as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from jswcoder.errors import JswError


def write_atomically(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Write *data* to *path* at once. With *mode* (such as ``0o644`` for ciphertext that another
    person on a shared folder must read) the file gets exactly that mode; without, it follows the
    user's umask like any file they save, so a plaintext report is no more open than they allow."""
    temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
    try:
        # 0o666 less the umask, as the OS applies it; O_EXCL: never write through something planted.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileNotFoundError:
        raise JswError(f"the folder {path.parent} is not there") from None
    except OSError as error:
        raise JswError(f"cannot write in {path.parent} ({error.strerror})") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise JswError(f"{path.name} could not be written ({error.strerror})") from None
        raise
