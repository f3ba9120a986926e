"""``jswcoder crosstab`` and ``cooccurrence``: themes by an attribute, and themes by themes.

Printed as a table to read in the terminal, as JSON (``--json``), or written as an Excel workbook
(``--out FILE.xlsx``, through the exports' one way out: anonymised in a fieldworker's project, and
refused while the register or the indirect-identification check has something to review).
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from jswcoder.analysis.cooccurrence import UNITS, Cooccurrence, build_cooccurrence
from jswcoder.analysis.crosstab import Crosstab, build_crosstab
from jswcoder.cli.commands import _print_json, opened
from jswcoder.cli.indirect import pointing_to_review

Command = Callable[[str, str], argparse.ArgumentParser]
LABEL_WIDTH = 40


def _themes_options(p: argparse.ArgumentParser) -> None:
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument(
        "--level",
        type=int,
        metavar="N",
        help="the themes at this level (1 = top, the default), each with its sub-themes",
    )
    chosen.add_argument("--themes", nargs="+", metavar="PATH", help='these themes, e.g. "Workload/Training"')


def _output_options(p: argparse.ArgumentParser) -> None:
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print it as JSON")
    out.add_argument("--out", metavar="FILE.xlsx", help="write it as an Excel workbook")


def add_commands(command: Command) -> None:
    p = command(
        "crosstab",
        "themes by the values of an attribute: passages and cases per cell, with row, column and cases %",
    )
    p.add_argument("project", metavar="PROJECT")
    by = p.add_mutually_exclusive_group(required=True)
    by.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="participant_group, format, mode, council_area, fieldworker, or a case's own attribute",
    )
    by.add_argument(
        "--by-question",
        metavar="SURVEY",
        help='the open questions of a survey (its name; "" for the only one): passages in the answers '
        "to each, and the respondents who answered it",
    )
    _themes_options(p)
    p.add_argument(
        "--all-coders",
        action="store_true",
        help="count second coders' codings too (by default, as in the matrix: each transcript's own coder)",
    )
    p.add_argument(
        "--speakers",
        action="store_true",
        help="a focus group's speakers made cases (jswcoder speakers) are cases of their own",
    )
    _output_options(p)
    p.set_defaults(handler=crosstab)

    p = command(
        "cooccurrence",
        "themes by themes: how often two themes are coded on the same passage (or in the same turn)",
    )
    p.add_argument("project", metavar="PROJECT")
    _themes_options(p)
    p.add_argument(
        "--unit",
        choices=UNITS,
        default="passage",
        help="passage: passages coded with both (the default); turn: speaker turns with both",
    )
    p.add_argument(
        "--jaccard", action="store_true", help="print Jaccard's index (shared ÷ either) instead of counts"
    )
    _output_options(p)
    p.set_defaults(handler=cooccurrence)


def _cut(text: str, width: int = LABEL_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)),
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def crosstab_text(table: Crosstab) -> str:
    """Passages (cases) per cell, the column's share of cases under it, totals at the right."""
    header = ["Theme", *(f"{v} (n={table.cases_with(i)})" for i, v in enumerate(table.values)), "Total"]
    rows = []
    for t, theme in enumerate(table.themes):
        cells = [
            f"{table.passages[t][v]} ({table.cases[t][v]}, {_percent(table.cases_percent(t, v))})"
            if table.passages[t][v]
            else "0"
            for v in range(len(table.values))
        ]
        rows.append([_cut(theme.code.path), *cells, str(table.theme_total(t))])
    legend = "Each cell: passages (cases with at least one, as a share of the column's cases)."
    return f"{_table(header, rows)}\n\n{legend}\n"


def cooccurrence_text(table: Cooccurrence, jaccard: bool) -> str:
    """The symmetric table, its columns numbered as its rows (theme names are long)."""
    size = len(table.themes)
    header = ["Theme", *(str(n) for n in range(1, size + 1))]
    rows = []
    for a, theme in enumerate(table.themes):
        if jaccard:
            cells = ["" if j is None else f"{j:.2f}" for j in table.jaccard[a]]
        else:
            cells = [str(n) for n in table.counts[a]]
        rows.append([f"{a + 1}. {_cut(theme.path)}", *cells])
    what = "passages coded with both" if table.unit == "passage" else "speaker turns with both"
    legend = f"Each cell: {'Jaccard (shared ÷ either) of the ' if jaccard else ''}{what}; the diagonal: each theme alone."
    return f"{_table(header, rows)}\n\n{legend}\n"


def crosstab(args: argparse.Namespace) -> int:
    from jswcoder.reports import CROSSTAB, write_crosstab

    if args.out:
        CROSSTAB.check(args.out)
    with opened(args) as project, pointing_to_review(args.project):
        if args.by_question is not None:
            from jswcoder.analysis.survey_questions import build_question_crosstab

            table = build_question_crosstab(
                project,
                args.by_question,
                level=args.level,
                themes=args.themes or (),
                all_coders=args.all_coders,
            )
        else:
            table = build_crosstab(
                project,
                args.by,
                level=args.level,
                themes=args.themes or (),
                all_coders=args.all_coders,
                speakers=args.speakers,
            )
        if args.out:
            written = write_crosstab(table, args.out)
            how = "anonymised with the register" if written.anonymised else "a team project's: as merged"
            print(
                f"wrote the crosstab ({len(table.themes)} themes × {len(table.values)} values) to {written.path} ({how})"
            )
            return 0
    if args.json:
        _print_json(table.as_dict())
    else:
        print(crosstab_text(table), end="")
    return 0


def cooccurrence(args: argparse.Namespace) -> int:
    from jswcoder.reports import COOCCURRENCE, write_cooccurrence

    if args.out:
        COOCCURRENCE.check(args.out)
    with opened(args) as project, pointing_to_review(args.project):
        table = build_cooccurrence(project, level=args.level, themes=args.themes or (), unit=args.unit)
        if args.out:
            written = write_cooccurrence(project, table, args.out)
            how = "anonymised with the register" if written.anonymised else "a team project's: as merged"
            print(f"wrote the co-occurrence table ({len(table.themes)} themes) to {written.path} ({how})")
            return 0
    if args.json:
        _print_json(table.as_dict())
    else:
        print(cooccurrence_text(table, args.jaccard), end="")
    return 0
