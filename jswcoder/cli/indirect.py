"""``jswcoder indirect``: combinations of details, and quotes, that fit fewer than k participants.

Lists the findings of :mod:`jswcoder.services.indirect` for an export releasing the attribution and the
attributes named with ``--attribute`` (as a package opts them in), and the coded passages as a report
quotes them; each is accepted (its suggested generalisation, or ``--as`` a value of the user's) or
dismissed, as the register's candidates are. Every export runs the same check; one refused names this
command with the ``--attribute`` options of what it released (:func:`pointing_to_review`). The listing shows the values, on purpose, for the user to
review; nothing here is logged.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from jswcoder.anonymise.indirect import Finding
from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import JswError
from jswcoder.project import Project
from jswcoder.services.egress import Egress
from jswcoder.services.indirect import IndirectCheck, IndirectFound, coded_quotes

Command = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: Command) -> None:
    p = command("indirect", "find details that identify people together (fewer than k share them)")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME",
        help="an attribute the export releases beyond the attribution, e.g. council_area or role (repeat)",
    )
    p.add_argument("--k", type=int, metavar="N", help="set the project's k (3 unless set) before listing")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(handler=list_findings)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    a = actions.add_parser(
        "accept",
        help="accept a finding's suggested generalisation, or --as your own value",
        description="Accept a finding's suggested generalisation (or --as VALUE); exports then carry it. "
        "Give the same --attribute options as when listing, before the action.",
    )
    a.add_argument("finding", metavar="ID")
    a.add_argument(
        "--as", dest="value", metavar="VALUE", help="the value to release instead of the suggestion"
    )
    a.set_defaults(handler=accept)
    a = actions.add_parser(
        "dismiss",
        help="dismiss a finding: the export carries the values as they are",
        description="Dismiss a finding: the combination or quote leaves as it is.",
    )
    a.add_argument("finding", metavar="ID")
    a.set_defaults(handler=dismiss)


@contextmanager
def pointing_to_review(project: str) -> Iterator[None]:
    """An export refused for indirect identification says so in one line, with the command to run."""
    try:
        yield
    except IndirectFound as error:
        raise JswError(error.pointing(project)) from None


def _findings(project: Project, args: argparse.Namespace) -> tuple[IndirectCheck, list[Finding]]:
    check = IndirectCheck(project.db, project.coder.uuid)
    lead = project.team.role() == "lead"
    egress = Egress(project.register)
    quotes = coded_quotes(project.transcripts, project.codings, egress, anonymise=not lead)
    return check, check.findings(args.attribute, quotes, project.register.entries(), lead=lead)


def _combination(finding: Finding) -> str:
    return ", ".join(f"{name}={value}" for name, value in finding.combination)


def list_findings(args: argparse.Namespace) -> int:
    with opened(args) as project:
        if args.k is not None:
            IndirectCheck(project.db, project.coder.uuid).set_k(args.k)
        check, findings = _findings(project, args)
        decided = check.decisions()
        if args.json:
            _print_json(
                {
                    "k": check.k,
                    "findings": [
                        {
                            "id": f.id,
                            "kind": f.kind,
                            "combination": dict(f.combination),
                            "participants": f.count,
                            "quote": f.quote,
                            "generalise": f.attribute,
                            "suggestion": f.suggestion,
                            "decision": decided[f.id].decision if f.id in decided else None,
                            "value": decided[f.id].value if f.id in decided else None,
                        }
                        for f in findings
                    ],
                }
            )
            return 0
        if not findings:
            print(f"nothing fits fewer than {check.k} participants")
        for f in findings:
            what = f"quote {f.quote} by" if f.kind == "quote" else "shared by"
            state = decided[f.id].decision if f.id in decided else "to decide"
            print(
                f"{f.id}  {_combination(f)}  {what} {f.count} participant(s)  "
                f"suggest {f.attribute} -> {f.suggestion}  [{state}]"
            )
        if check.undecided(findings):
            print("\naccept with: jswcoder indirect PROJECT accept ID [--as VALUE]")
            print("or dismiss with: jswcoder indirect PROJECT dismiss ID")
    return 0


def accept(args: argparse.Namespace) -> int:
    with opened(args) as project:
        check, findings = _findings(project, args)
        decision = check.accept(findings, args.finding, args.value)
        print(f"{decision.finding_id}: {decision.decision}")
    return 0


def dismiss(args: argparse.Namespace) -> int:
    with opened(args) as project:
        check, findings = _findings(project, args)
        check.dismiss(findings, args.finding)
        print(f"{args.finding}: dismissed")
    return 0
