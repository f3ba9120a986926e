"""``jswcoder chart``: a chart for a report, as a PNG (300 dpi) or an SVG, 16 cm wide.

Kinds: ``frequency`` (themes by an attribute's values: passages, or the share of cases), ``cooccurrence``
(a heat map of themes coded together) and ``stripes`` (where each coder coded each theme along one
transcript). Charts leave the project like every export: labels anonymised in a fieldworker's project,
checked before the file is written. Qt draws them; it is loaded only by this command.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
from collections.abc import Callable

from jswcoder.cli.commands import opened
from jswcoder.cli.indirect import pointing_to_review

Command = Callable[[str, str], argparse.ArgumentParser]
KINDS = ("frequency", "cooccurrence", "stripes")


def add_commands(command: Command) -> None:
    p = command(
        "chart", "draw a chart for a report (.png or .svg, 16 cm wide): frequency, cooccurrence, stripes"
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help="frequency, cooccurrence or stripes")
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.png (300 dpi) or FILE.svg")
    chosen = p.add_mutually_exclusive_group()
    chosen.add_argument(
        "--level", type=int, metavar="N", help="the themes at this level (1 = top, the default)"
    )
    chosen.add_argument("--themes", nargs="+", metavar="PATH", help='these themes, e.g. "Workload/Training"')
    p.add_argument(
        "--by",
        default="participant_group",
        metavar="ATTRIBUTE",
        help="frequency: the attribute whose values make the bars (participant_group by default)",
    )
    p.add_argument(
        "--measure",
        choices=("passages", "cases"),
        default="passages",
        help="frequency: count passages (the default) or the share of each value's cases",
    )
    p.add_argument(
        "--unit",
        choices=("passage", "turn"),
        default="passage",
        help="cooccurrence: passages coded with both (the default) or speaker turns with both",
    )
    p.add_argument("--jaccard", action="store_true", help="cooccurrence: shade by Jaccard's index")
    p.add_argument("--transcript", metavar="TRANSCRIPT", help="stripes: the transcript (its name or UUID)")
    p.set_defaults(handler=chart)


def chart(args: argparse.Namespace) -> int:
    from jswcoder.analysis.cooccurrence import build_cooccurrence
    from jswcoder.analysis.crosstab import build_crosstab
    from jswcoder.errors import InvalidInput
    from jswcoder.reports import CHART, write_chart
    from jswcoder.reports.charts import Chart, cooccurrence_chart, frequency_chart, stripes_chart
    from jswcoder.reports.privacy import ExportText
    from jswcoder.ui import chart_painter  # registers the .png and .svg renderers

    chart_painter.ensure_application()
    CHART.check(args.out)
    if args.kind == "stripes" and not args.transcript:
        raise InvalidInput("a stripes chart is of one transcript: give it with --transcript NAME")
    themes = args.themes or ()
    with opened(args) as project, pointing_to_review(args.project):
        text = ExportText(project)
        drawn: Chart
        if args.kind == "frequency":
            table = build_crosstab(project, args.by, level=args.level, themes=themes)
            drawn = frequency_chart(table, text, args.measure)
        elif args.kind == "cooccurrence":
            co = build_cooccurrence(project, level=args.level, themes=themes, unit=args.unit)
            drawn = cooccurrence_chart(co, text, jaccard=args.jaccard)
        else:
            drawn = stripes_chart(project, args.transcript, text)
        written = write_chart(project, drawn, args.out, text)
    how = "anonymised with the register" if text.anonymises else "a team project's: as merged"
    print(f"wrote the {args.kind} chart to {written.path} ({how})")
    return 0
