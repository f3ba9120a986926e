"""Crash reports: what a bug looked like, with nothing of the study in it.

A report holds the app's version, the platform, and the exception as types and the code lines it
passed through (:func:`jswcoder.logs.describe_exception`). It never holds the exception's message,
local variables or source text, because any of those can carry a transcript, a register entry or a
key. :func:`install` routes uncaught exceptions (main thread, other threads, Qt slots) to a report,
and turns on :mod:`faulthandler` so a crash inside Qt or SQLCipher leaves a stack too.
"""

from __future__ import annotations

import faulthandler
import os
import platform
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from jswcoder import __version__
from jswcoder.errors import JswError
from jswcoder.logs import describe_exception, log_dir

CRASH_FOLDER = "crashes"
FAULT_LOG = "native-crashes.log"

# The file faulthandler writes to stays open for the life of the process.
_fault_files: list[IO[str]] = []


def crash_dir() -> Path:
    return log_dir() / CRASH_FOLDER


def _qt_version() -> str:
    qt = sys.modules.get("PySide6")
    return getattr(qt, "__version__", "not loaded")


def report_text(error: BaseException, *, when: datetime | None = None) -> str:
    moment = (when or datetime.now(UTC)).isoformat(timespec="seconds")
    lines = [
        "jswcoder crash report",
        "This report holds no transcript text, register entries, passphrases or keys;",
        "only where in the program the error happened. Send it to whoever supports jswcoder.",
        "",
        f"time: {moment}",
        f"version: {__version__}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"platform: {platform.platform()}",
        f"qt: {_qt_version()}",
        f"packaged: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
        "",
        *describe_exception(error),
    ]
    return "\n".join(lines) + "\n"


def write_report(error: BaseException, folder: Path | None = None) -> Path:
    """Write a report for ``error`` and return its path (readable by the user only)."""
    target = folder if folder is not None else crash_dir()
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    now = datetime.now(UTC)
    path = target / f"crash-{now:%Y%m%d-%H%M%S}-{os.getpid()}.txt"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(report_text(error, when=now))
    return path


def handle(error: BaseException, tell: Callable[[str], None]) -> Path | None:
    """Write the report for an uncaught ``error`` and tell the user, in one sentence, where it is."""
    try:
        path = write_report(error)
    except OSError:
        tell(f"jswcoder hit a bug ({type(error).__name__}) and could not write a crash report.")
        return None
    tell(f"jswcoder hit a bug ({type(error).__name__}). A report without any of your data is in {path}")
    return path


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def install(tell: Callable[[str], None] = _stderr, explain: Callable[[str], None] | None = None) -> None:
    """Send every uncaught exception to a crash report; ``tell`` shows the user where it went.

    A :class:`JswError` that reaches the top (a full disk under an action that did not expect it) is
    no bug: its plain message goes to ``explain`` (or ``tell``) and no report is written.
    """

    def on_exception(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        if isinstance(error, JswError):
            (explain or tell)(f"jswcoder: {error}")
            return
        handle(error.with_traceback(tb), tell)

    def on_thread_exception(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            handle(args.exc_value, tell)

    sys.excepthook = on_exception
    threading.excepthook = on_thread_exception
    _enable_faulthandler()


def _enable_faulthandler() -> None:
    if _fault_files:
        return
    try:
        folder = crash_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _fault_files.append(open(folder / FAULT_LOG, "a", encoding="utf-8"))  # noqa: SIM115
    except OSError:
        return
    faulthandler.enable(_fault_files[0])
