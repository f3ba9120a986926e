"""``jswcoder --self-test``: run :mod:`jswcoder.selftest` with the desktop window check, print the verdict."""

from __future__ import annotations

import argparse
from pathlib import Path

from jswcoder import crash
from jswcoder.project import Project
from jswcoder.selftest import CheckFailed, run


def show_window(project: Project, folder: Path) -> None:
    """Qt loads here, inside the check, so a machine missing a graphics library fails this check only."""
    try:
        from jswcoder.ui.selftest_window import show_and_close
    except ImportError as error:
        raise CheckFailed(f"the desktop libraries did not load ({error.name or 'Qt'})") from error
    show_and_close(project, folder)


def self_test(args: argparse.Namespace) -> int:
    crash.install()
    outcome = run(None if args.skip_window else show_window)
    print(outcome.verdict())
    return 0 if outcome.ok else 1
