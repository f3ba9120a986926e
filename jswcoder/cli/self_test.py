"""``jswcoder --self-test``: run :mod:`jswcoder.selftest` with the desktop window check, print the verdict."""

from __future__ import annotations

import argparse
import ctypes
import sys
from pathlib import Path

from jswcoder import crash
from jswcoder.project import Project
from jswcoder.selftest import CheckFailed, CheckSkipped, run


def show_window(project: Project, folder: Path) -> None:
    """Qt loads here, inside the check, so a machine missing a graphics library fails this check only."""
    try:
        from jswcoder.ui.selftest_window import show_and_close
    except ImportError as error:
        raise CheckFailed(f"the desktop libraries did not load ({error.name or 'Qt'})") from error
    show_and_close(project, folder)


def under_wine() -> bool:
    """Whether this Windows program runs under Wine (whose ntdll alone exports wine_get_version)."""
    if sys.platform != "win32":
        return False
    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")  # type: ignore[attr-defined,unused-ignore]


def decode_audio(project: Project, ref: str) -> bytes | bytearray:
    """Qt Multimedia loads here, inside the check. Under Wine (the Windows package's CI) it is not tried:
    Qt's FFmpeg there has not been shown to work, and a library that aborts would end the whole run."""
    if under_wine():
        raise CheckSkipped("not tried under Wine")
    try:
        from jswcoder.ui.selftest_window import decode_recording
    except ImportError as error:
        raise CheckFailed(f"Qt Multimedia did not load ({error.name or error})") from error
    return decode_recording(project, ref)


def self_test(args: argparse.Namespace) -> int:
    crash.install()
    outcome = run(*((None, None) if args.skip_window else (show_window, decode_audio)))
    print(outcome.verdict())
    return 0 if outcome.ok else 1
