"""``jswcoder withdraw`` and ``jswcoder withdrawals``: consent withdrawn, and the record of it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import JswError

Command = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: Command) -> None:
    p = command(
        "withdraw", "a participant withdrew consent: purge everything of theirs for good (asks first)"
    )
    p.description = (
        "Mark a participant withdrawn and purge their transcripts, codings, memos on those, matrix "
        "summaries, register entries, search index entries and the detector's cache, with secure delete "
        "on; the project file is then rebuilt so nothing of theirs is left in it. The withdrawal is kept "
        "(their attribution, the reason, the date, who recorded it). It cannot be undone."
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument(
        "participant",
        metavar="PARTICIPANT",
        help="their attribution, UUID, or the name of one of their transcripts",
    )
    p.add_argument("--reason", required=True, help="why (kept in this project only; it never travels)")
    p.add_argument("--date", help="the date consent was withdrawn, YYYY-MM-DD (default: today)")
    p.add_argument("--yes", action="store_true", help="do not ask (needed where there is no terminal)")
    p.set_defaults(handler=withdraw)
    p = command(
        "withdrawals", "list the participants withdrawn, and (at a lead) who in the team has confirmed each"
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument(
        "--certificate",
        metavar="PARTICIPANT",
        help="write the destruction certificate for a participant withdrawn (their attribution or UUID)",
    )
    p.add_argument("--out", metavar="FILE.docx", help="where the certificate goes (with --certificate)")
    p.set_defaults(handler=list_withdrawals)
    p = command("retention-ended", "the study's retention period has ended: destroy every project of it")
    p.description = (
        "At the lead: record that the study's retention period has ended. The next sync publishes the "
        "order; each fieldworker's next sync signs a receipt and destroys their project (keychain entry, "
        "key files, database). See who has confirmed with --status; then --destroy writes the "
        "certificate and destroys the lead's own project. In a project outside a team, --destroy alone "
        "destroys it. Nothing of this can be undone."
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--status", action="store_true", help="only show whose projects are destroyed")
    p.add_argument("--destroy", action="store_true", help="write the certificate, then destroy this project")
    p.add_argument("--certificate", metavar="FILE.docx", help="where the certificate goes (with --destroy)")
    p.add_argument("--yes", action="store_true", help="do not ask (needed where there is no terminal)")
    p.set_defaults(handler=retention_ended)


def withdraw(args: argparse.Namespace) -> int:
    with opened(args) as project:
        target = project.withdrawals.find(args.participant)
        label = target.attribution or "this participant"
        if not args.yes:
            if not (sys.stdin is not None and sys.stdin.isatty()):
                raise JswError("nothing withdrawn: confirm with --yes (there is no terminal to ask on)")
            print(
                f"{label} has {len(target.transcript_names)} transcript(s); they go for good with their "
                "codings, memos and summaries."
            )
            if input("Withdraw and purge? Type yes: ").strip().lower() != "yes":
                raise JswError("nothing withdrawn")
        done = project.withdrawals.withdraw(target.participant_uuid, args.reason, args.date)
        if done.already:
            print(f"{label} was withdrawn on {done.record.withdrawn_on}; purged again")
        else:
            print(f"withdrew {label}: {done.transcripts_purged} transcript(s) purged")
    return 0


def list_withdrawals(args: argparse.Namespace) -> int:
    if args.certificate is not None:
        return write_certificate(args)
    with opened(args) as project:
        rows = project.withdrawals.status()
        if args.json:
            _print_json(
                [
                    {
                        **asdict(row.record),
                        "confirmed": [asdict(c) for c in row.confirmed],
                        "waiting": list(row.waiting),
                    }
                    for row in rows
                ]
            )
            return 0
        if not rows:
            print("no participant has been withdrawn")
        for row in rows:
            r = row.record
            print(
                f"{r.attribution or r.participant_uuid}  withdrawn {r.withdrawn_on}  "
                f"(recorded by {r.recorded_by})  reason: {r.reason}"
            )
            for c in row.confirmed:
                print(f"  confirmed by {c.member} at {c.applied_at}" + ("" if c.held else " (held nothing)"))
            if row.waiting:
                print(f"  waiting for: {', '.join(row.waiting)}")
    return 0


def write_certificate(args: argparse.Namespace) -> int:
    from jswcoder.reports.withdrawal_certificate import write_certificate as write  # noqa: PLC0415 (python-docx: not at start-up)

    if not args.out or not args.out.lower().endswith(".docx"):
        raise JswError("give the certificate's file with --out FILE.docx")
    with opened(args) as project:
        status = write(project, args.certificate, Path(args.out))
    label = status.record.attribution or status.record.participant_uuid
    print(f"wrote the destruction certificate for {label} to {args.out}")
    if status.waiting:
        print(f"not yet confirmed by: {', '.join(status.waiting)}")
    return 0


def _confirm(question: str, refused: str, yes: bool) -> None:
    if yes:
        return
    if not (sys.stdin is not None and sys.stdin.isatty()):
        raise JswError(f"{refused}: confirm with --yes (there is no terminal to ask on)")
    if input(f"{question} Type yes: ").strip().lower() != "yes":
        raise JswError(refused)


def retention_ended(args: argparse.Namespace) -> int:
    from jswcoder.reports.withdrawal_certificate import destroy_with_certificate  # noqa: PLC0415

    with opened(args) as project:
        role = project.team.role()
        if args.status:
            retention = project.withdrawals.retention()
            if retention is None:
                print("the retention period has not been ended")
                return 0
            print(f"retention ended {retention.ended_at}")
            for c in retention.destroyed:
                print(f"  destroyed by {c.member} at {c.applied_at}")
            if retention.waiting:
                print(f"  waiting for: {', '.join(retention.waiting)}")
            return 0
        if role == "fieldworker":
            raise JswError(
                "only the team's lead ends the retention period; your project goes at your next sync"
            )
        if args.destroy:
            if not args.certificate or not args.certificate.lower().endswith(".docx"):
                raise JswError("give the certificate's file with --certificate FILE.docx")
            if role == "lead" and project.withdrawals.retention() is None:
                raise JswError(
                    "end the retention period first (without --destroy), and sync, so the team is told"
                )
            _confirm("Destroy this project now? It cannot be undone.", "not destroyed", args.yes)
            project.withdrawals.end_retention()  # outside a team: ended and destroyed at once
        elif project.withdrawals.retention() is not None:
            print("the retention period was ended before; see who has confirmed with --status")
            return 0
        else:
            _confirm(
                "End the study's retention period? Every project of it will be destroyed.",
                "not ended",
                args.yes,
            )
            project.withdrawals.end_retention()
            print("retention ended; the next sync tells the team, whose projects are destroyed at their sync")
            return 0
        retention = destroy_with_certificate(project, Path(args.certificate))
    print(f"this project was destroyed; the certificate is at {args.certificate}")
    if retention.waiting:
        print(f"not yet confirmed by: {', '.join(retention.waiting)}")
    return 0
