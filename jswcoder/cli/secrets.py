"""Where the command line gets passphrases: the environment (for scripts) or a terminal prompt."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable

from jswcoder.errors import InvalidInput, JswError

PASSPHRASE = "JSWCODER_PASSPHRASE"
NEW_PASSPHRASE = "JSWCODER_NEW_PASSPHRASE"
RECOVERY_KEY = "JSWCODER_RECOVERY_KEY"


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def from_environment(variable: str) -> str | None:
    return os.environ.get(variable) or None


def asker(prompt: str) -> Callable[[], str] | None:
    """A function that prompts on the terminal, or None where there is no terminal to prompt on."""
    if not _interactive():
        return None
    return lambda: getpass.getpass(prompt)


def obtain(variable: str, prompt: str, *, confirm: bool = False) -> str:
    """A secret from *variable*, else from the terminal (typed twice if *confirm*)."""
    value = from_environment(variable)
    if value is not None:
        return value
    if not _interactive():
        raise JswError(f"there is no terminal to ask on; set {variable} to give it")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise InvalidInput("the two entries differ; nothing was changed")
    return first
