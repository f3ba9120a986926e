"""``jswcoder audit``: the project's audit trail, shown, checked or written out for an ethics committee."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import JswError
from jswcoder.services.audit import ACTIONS

Command = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: Command) -> None:
    p = command(
        "audit", "show the audit trail: every export, deposit, register change, admission and withdrawal"
    )
    p.description = (
        "Show who exported, deposited, changed the register, admitted or refused a member, withdrew a "
        "participant or applied a withdrawal, and when (UTC), newest first. The trail holds no transcript "
        "text and no register entry. --verify checks that no event was changed or removed since it was "
        "recorded; --out writes it as .xlsx or .csv (with the coders' names in it)."
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--action", choices=sorted(ACTIONS), help="only the events of this action")
    p.add_argument("--out", metavar="FILE", help="write the trail to FILE.xlsx or FILE.csv")
    p.add_argument(
        "--verify", action="store_true", help="check the chain of events; fails if one was changed"
    )
    p.set_defaults(handler=audit)


def audit(args: argparse.Namespace) -> int:
    with opened(args) as project:
        if args.verify:
            verified = project.audit.verify()
            if not verified.ok:
                raise JswError(f"the audit trail does not check out: {verified.why}")
            print(f"the audit trail checks out: {verified.events} event(s), none changed or removed")
            return 0
        if args.out is not None:
            from jswcoder.reports.audit_export import write_audit_trail  # noqa: PLC0415 (openpyxl: not at start-up)

            count = write_audit_trail(project, Path(args.out), action=args.action)
            print(f"wrote {count} event(s) of the audit trail to {Path(args.out).name}")
            return 0
        events = project.audit.events(action=args.action)
        if args.json:
            _print_json(
                [
                    {"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "details": e.details}
                    for e in events
                ]
            )
            return 0
        if not events:
            print("nothing recorded yet")
        for e in events:
            print(
                f"{e.seq:>5}  {e.at[:19].replace('T', ' ')}  {e.actor}  {e.what}"
                + (f": {e.in_words}" if e.details else "")
            )
    return 0
