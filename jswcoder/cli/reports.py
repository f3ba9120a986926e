"""``jswcoder matrix``, ``report`` and ``summary``: the exports of :mod:`jswcoder.reports`.

:mod:`jswcoder.reports` (and openpyxl with it) is imported only when one of these commands runs, so
the other commands and the desktop app do not pay for it at start-up. The file type is checked
before the project is opened, so a wrong suffix costs no passphrase.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from jswcoder.cli.commands import opened

if TYPE_CHECKING:
    from jswcoder.reports import Written


def _wrote(written: Written, what: str) -> None:
    how = "anonymised with the register" if written.anonymised else "a team project's: as merged"
    print(f"wrote {what} to {written.path} ({how})")


def matrix(args: argparse.Namespace) -> int:
    from jswcoder.analysis.matrix import build_matrix
    from jswcoder.reports import MATRIX, export_matrix

    MATRIX.check(args.out)
    with opened(args) as project:
        built = build_matrix(project, level=args.level, themes=args.themes or (), by=args.by)
        written = export_matrix(built, args.out, by=args.by)
    rows, columns = len(built.cases), len(built.themes)
    shape = f"{rows} case{'' if rows == 1 else 's'} × {columns} theme{'' if columns == 1 else 's'}"
    _wrote(written, f"the matrix ({shape})")
    return 0


def report(args: argparse.Namespace) -> int:
    from jswcoder.reports import REPORT, write_report

    REPORT.check(args.out)
    with opened(args) as project:
        written = write_report(project, args.out, template=args.template, themes=args.themes or ())
    _wrote(written, "the theme report")
    return 0


def summary(args: argparse.Namespace) -> int:
    from jswcoder.reports import SUMMARY, write_summary

    SUMMARY.check(args.out)
    with opened(args) as project:
        written = write_summary(project, args.out)
    _wrote(written, "the coding summary")
    return 0
