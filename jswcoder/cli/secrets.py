"""Where the command line gets passphrases: the environment (for scripts) or a terminal prompt."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable, Sequence

from jswcoder.errors import InvalidInput, JswError
from jswcoder.security.keyfile import check_passphrase

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


def obtain(
    variable: str, prompt: str, *, confirm: bool = False, check: Callable[[str], None] | None = None
) -> str:
    """A secret from *variable*, else from the terminal (typed twice if *confirm*). *check* (raising
    :class:`InvalidInput`, such as a new passphrase's strength) runs before it is asked for again, so a
    refused passphrase is not typed twice."""
    value = from_environment(variable)
    if value is not None:
        if check is not None:
            check(value)
        return value
    if not _interactive():
        raise JswError(f"there is no terminal to ask on; set {variable} to give it")
    first = getpass.getpass(prompt)
    if check is not None:
        check(first)
    if confirm and getpass.getpass("Type it again: ") != first:
        raise InvalidInput("the two entries differ; nothing was changed")
    return first


def choose(context: Sequence[str] = ()) -> str:
    """A new project's passphrase, from ``JSWCODER_PASSPHRASE`` or typed twice; one too easy to guess
    is refused, with the reason, before it is typed again. *context*: the project's and coder's names."""
    return obtain(
        PASSPHRASE,
        "Choose a passphrase (a few unrelated words): ",
        confirm=True,
        check=lambda passphrase: check_passphrase(passphrase, context),
    )
