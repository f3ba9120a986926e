"""``jswcoder agreement``: how far coders agree, on one transcript or across the study."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from jswcoder.analysis import assistant
from jswcoder.analysis.agreement_study import study_agreement
from jswcoder.analysis.agreement_study_text import render_study_text
from jswcoder.analysis.agreement_text import render_text
from jswcoder.analysis.agreement_units import AgreementUnit
from jswcoder.assist import model
from jswcoder.cli.assist import ensure_indexed, stopped
from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import InvalidInput

Command = Callable[[str, str], argparse.ArgumentParser]

STUDY_HELP = (
    "every transcript coded by two or more coders: per theme and pooled, all coders (Fleiss' kappa, "
    "Krippendorff's alpha) and a table per pair of coders (Cohen's kappa)"
)
UNIT_HELP = (
    "with --study: what one unit is (default character). A sentence, paragraph or speaker turn counts "
    "as coded with a theme by a coder when any of that coder's codings of the theme shares a character "
    "with it; speaker labels belong to no unit"
)
SKIP_HELP = "with --study: leave out the units that no coder of the transcript coded with any theme"


def add_commands(command: Command) -> None:
    """The agreement command and its options."""
    p = command(
        "agreement",
        "how far coders agree, per theme and pooled: on one transcript (two coders, by character) "
        "or across the study (--study)",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", nargs="?", help="its name or UUID")
    p.add_argument(
        "--coders",
        nargs=2,
        metavar=("A", "B"),
        help="the two coders (names or UUIDs), if more than two coded the transcript; one may be "
        f"{assistant.ASSISTANT!r}, the local assistant's theme suggestions taken as a coder's codings",
    )
    p.add_argument("--study", action="store_true", help=STUDY_HELP)
    p.add_argument(
        "--unit", choices=[u.value for u in AgreementUnit], default=None, metavar="UNIT", help=UNIT_HELP
    )
    p.add_argument("--skip-uncoded", action="store_true", help=SKIP_HELP)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=agreement)


def _checked(args: argparse.Namespace) -> None:
    if args.study and args.transcript is not None:
        raise InvalidInput("name a transcript or give --study, not both")
    if not args.study and args.transcript is None:
        raise InvalidInput(
            "name a transcript, or give --study for every transcript coded by two or more coders"
        )
    if args.study and args.coders is not None:
        raise InvalidInput("--coders chooses two coders of one transcript; --study compares every pair")
    if not args.study and (args.unit is not None or args.skip_uncoded):
        raise InvalidInput(
            "--unit and --skip-uncoded go with --study (one transcript is compared by character)"
        )


def agreement(args: argparse.Namespace) -> int:
    _checked(args)
    with opened(args) as project:
        if args.study:
            unit = AgreementUnit(args.unit or AgreementUnit.CHARACTER.value)
            study = study_agreement(project, unit, skip_uncoded=args.skip_uncoded)
        else:
            coders = None if args.coders is None else (args.coders[0], args.coders[1])
            if coders is not None and any(assistant.is_assistant(project, ref) for ref in coders):
                model.check_available()
                done = ensure_indexed(project)
                if done is not None and done.cancelled:
                    return stopped(done)
            report = assistant.agreement(project, args.transcript, coders)
    if args.study:
        if args.json:
            _print_json(study.as_dict())
        else:
            print(render_study_text(study), end="")
    elif args.json:
        _print_json(report.as_dict())
    else:
        print(render_text(report), end="")
    return 0
