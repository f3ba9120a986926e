"""Errors a user can act on.

Everything raised as a :class:`JswError` is "the environment's or the user's fault" (wrong passphrase,
missing file, bad input): the command line prints its message on one line and the app shows it in a
dialog. Messages must never hold transcript text, register entries, passphrases or keys; they may name
files and projects. Anything else that escapes is a bug and is reported as one.
"""

from __future__ import annotations

from pathlib import Path


class JswError(Exception):
    """A problem with a plain, safe-to-show message."""


class ProjectNotFound(JswError):
    pass


class ProjectExists(JswError):
    pass


class ProjectLocked(JswError):
    """Another process has the project open."""


class WrongSecret(JswError):
    """The passphrase or recovery key does not open the project."""


class OtherGeneration(WrongSecret):
    """The secret belongs to the project's key from before or after a re-keying, not the one that opens it
    now; the message says which one does."""


class KeyFileError(JswError):
    """The project's key file is missing, damaged or of an unknown format."""


class ProjectDamaged(JswError):
    """The project's database file is empty or cut short: it cannot hold a project, and is left as it is."""


class NotFound(JswError):
    """A transcript, code or other record named by the user does not exist."""


class InvalidInput(JswError):
    """A value given by the user is not acceptable (bad colour, offsets outside the text, ...)."""


class StorageFailed(JswError):
    """The disk refused to read or write the project (removed, failing, or at a size limit).

    The change being made was not saved; everything saved before it is intact.
    """


class DiskFull(StorageFailed):
    """The disk holding the project has no room left for the change being saved."""


class ImportRejected(JswError):
    """A file could not be imported. Nothing of it was stored."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")
