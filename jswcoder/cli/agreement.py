"""``jswcoder agreement``: how far two coders agree on a transcript, per theme and pooled."""

from __future__ import annotations

import argparse

from jswcoder.analysis.agreement import agreement as compute_agreement
from jswcoder.analysis.agreement_text import render_text
from jswcoder.cli.commands import _print_json, opened


def agreement(args: argparse.Namespace) -> int:
    coders = None if args.coders is None else (args.coders[0], args.coders[1])
    with opened(args) as project:
        report = compute_agreement(project, args.transcript, coders)
    if args.json:
        _print_json(report.as_dict())
    else:
        print(render_text(report), end="")
    return 0
