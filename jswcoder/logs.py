"""The app's log: a small rotating file in the platform's log folder, and warnings on stderr.

A log is read by people who must not see the study, so what reaches it is limited by construction:
only the message template and arguments that cannot hold text (numbers, booleans, ``None``) or were
marked :class:`Safe` by the code that logs them (type names, counts, fixed words). Any other argument
is replaced by a placeholder naming its type, and an exception is written as its type and the code
lines it passed through, never its message. ``tests/test_architecture.py`` checks every logging
call in the package passes its message as a literal, so text cannot arrive through an f-string.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path
from types import TracebackType

import platformdirs

from jswcoder.paths import APP_NAME

LOG_NAME = "jswcoder.log"
MAX_BYTES = 512 * 1024
BACKUPS = 2
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Safe(str):
    """A string the logging code vouches for: it never holds study data (a type name, a fixed word)."""

    __slots__ = ()


def log_dir() -> Path:
    """Where logs and crash reports go, e.g. ``~/.local/state/jswcoder/log`` on Linux."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def _harmless(value: object) -> bool:
    return value is None or isinstance(value, Safe | bool | int | float)


def redacted(value: object) -> object:
    """``value`` itself if it cannot hold study data, otherwise a placeholder with its type's name."""
    return value if _harmless(value) else f"<{type(value).__name__}>"


def frames(tb: TracebackType | None) -> list[str]:
    """Where an exception passed: ``file:line in function`` for each frame (no source, no values)."""
    return [
        f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)
    ]


def describe_exception(error: BaseException) -> list[str]:
    """An exception and its causes as types and frames only: a message can carry anything."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        lines.extend(f"  {frame}" for frame in frames(current.__traceback__))
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("raised while handling:")
    return lines


class PrivacyFilter(logging.Filter):
    """Rewrites each record so that only vouched-for values reach a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(record.msg, str) or isinstance(record.args, dict):
            record.msg, record.args = f"<{type(record.msg).__name__} logged>", ()
        elif record.args:
            record.args = tuple(redacted(arg) for arg in record.args)
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.msg} | " + " / ".join(describe_exception(record.exc_info[1]))
        record.exc_info, record.exc_text = None, None
        return True


def configure(*, to_file: bool = True, folder: Path | None = None) -> Path | None:
    """Warnings to stderr and, with ``to_file``, everything from INFO up to a rotating log file.

    Returns the log file's path, or ``None`` when there is none (no file wanted, or the folder cannot
    be written: logging must never stop the app from starting).
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_jswcoder", False):
            root.removeHandler(handler)
            handler.close()
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("jswcoder: %(message)s"))
    handlers: list[logging.Handler] = [console]
    path: Path | None = None
    if to_file:
        try:
            target = folder if folder is not None else log_dir()
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = target / LOG_NAME
            file = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
            )
            file.setLevel(logging.INFO)
            file.setFormatter(logging.Formatter(_FORMAT))
            handlers.append(file)
        except OSError:
            path = None
    for handler in handlers:
        handler.addFilter(PrivacyFilter())
        handler._jswcoder = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(logging.INFO if path is not None else logging.WARNING)
    return path
