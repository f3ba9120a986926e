"""``jswcoder matrix``, ``report`` and ``summary``: the exports of :mod:`jswcoder.reports`.

Each command's options are declared here beside it (:func:`add_commands`). :mod:`jswcoder.reports`
(and openpyxl with it) is imported only when one of these commands runs, so the other commands and
the desktop app do not pay for it at start-up. The file type is checked before the project is
opened, so a wrong suffix costs no passphrase.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from jswcoder.cli.commands import opened
from jswcoder.cli.indirect import pointing_to_review

if TYPE_CHECKING:
    from jswcoder.reports import Written

Command = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: Command) -> None:
    """The three export commands and their options."""
    p = command("matrix", "write the Framework matrix: a sheet (.xlsx) or landscape tables (.docx) per theme")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.docx")
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument(
        "--level", type=int, metavar="N", help="the themes at this level (1 = top, the default)"
    )
    chosen.add_argument("--themes", nargs="+", metavar="PATH", help='these themes, e.g. "Workload/Training"')
    p.add_argument(
        "--by", metavar="ATTRIBUTE", help="group the rows: participant_group (default), format, mode, ..."
    )
    p.add_argument(
        "--speakers",
        action="store_true",
        help="a row for each speaker of a focus group made a case (jswcoder speakers), after the group's",
    )
    p.set_defaults(handler=matrix)

    p = command(
        "report",
        "write the theme report (.docx): a title page, then key points and quotes with their attribution",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--out", required=True, metavar="FILE.docx")
    p.add_argument("--template", metavar="T.docx", help="a Word document whose styles to use")
    p.add_argument("--themes", nargs="+", metavar="PATH", help="only these themes and their sub-themes")
    p.add_argument(
        "--all-themes",
        action="store_true",
        help="also the themes with no quotes or key points (left out by default)",
    )
    p.add_argument("--no-title-page", action="store_true", help="start with the first theme")
    p.add_argument(
        "--title",
        metavar="TEXT",
        help="the title page's title (default: the project's name in a team lead's report, "
        "'Theme report' in a fieldworker's, whose project and coders are not named)",
    )
    p.add_argument(
        "--whole-passages",
        action="store_true",
        help="quote each passage as coded (default: trimmed to sentence boundaries, '…' where a "
        "sentence is cut)",
    )
    p.set_defaults(handler=report)

    p = command("summary", "write the coding summary: passages and participants per theme and group")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.csv or FILE.xlsx")
    p.set_defaults(handler=summary)


def _wrote(written: Written, what: str) -> None:
    how = "anonymised with the register" if written.anonymised else "a team project's: as merged"
    print(f"wrote {what} to {written.path} ({how})")


def matrix(args: argparse.Namespace) -> int:
    from jswcoder.analysis.matrix import build_matrix
    from jswcoder.reports import MATRIX, export_matrix

    MATRIX.check(args.out)
    with opened(args) as project, pointing_to_review(args.project):
        built = build_matrix(
            project, level=args.level, themes=args.themes or (), by=args.by, speakers=args.speakers
        )
        written = export_matrix(built, args.out, by=args.by)
    rows, columns = len(built.cases), len(built.themes)
    shape = f"{rows} case{'' if rows == 1 else 's'} × {columns} theme{'' if columns == 1 else 's'}"
    _wrote(written, f"the matrix ({shape})")
    return 0


def report(args: argparse.Namespace) -> int:
    from jswcoder.reports import REPORT, ReportOptions, write_report

    REPORT.check(args.out)
    options = ReportOptions(
        all_themes=args.all_themes,
        title_page=not args.no_title_page,
        trimmed=not args.whole_passages,
        title=args.title,
    )
    with opened(args) as project, pointing_to_review(args.project):
        written = write_report(project, args.out, args.template, args.themes or (), options)
    _wrote(written, f"the theme report ({written.holds})")
    return 0


def summary(args: argparse.Namespace) -> int:
    from jswcoder.reports import SUMMARY, write_summary

    SUMMARY.check(args.out)
    with opened(args) as project, pointing_to_review(args.project):
        written = write_summary(project, args.out)
    _wrote(written, "the coding summary")
    return 0
