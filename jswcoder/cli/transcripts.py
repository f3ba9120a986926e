"""``jswcoder transcripts``: list, rename and delete transcripts. Each command's options sit beside it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import asdict

from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import JswError

Command = Callable[[str, str], argparse.ArgumentParser]


def add_commands(command: Command) -> None:
    p = command("transcripts", "list, rename or delete the transcripts")
    p.add_argument("project", metavar="PROJECT")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "list",
        help="each transcript with its case and how much of it is coded",
        description="List the transcripts: name, case (its participant's attribution), codings, share coded. "
        "A survey respondent's answers are one document, listed with them (kind: survey).",
    )
    a.add_argument("--json", action="store_true", help="print as JSON (with each participant's details)")
    a.set_defaults(handler=list_transcripts)
    a = actions.add_parser(
        "rename",
        help="give a transcript another name (its codings and memos stay)",
        description="Give a transcript another name. Its text, codings, memos and case stay as they are.",
    )
    a.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    a.add_argument("new_name", metavar="NEW", help="the new name")
    a.set_defaults(handler=rename)
    a = actions.add_parser(
        "delete",
        help="delete a transcript with its codings and memos (asks first)",
        description="Delete a transcript with its codings, the memos on it and on its codings, and the "
        "register entries that are its alone; its case goes too if it was the case's only transcript. "
        "At a terminal it says what goes and asks first. It cannot be undone from the command line "
        "(in the app, Edit › Undo brings a deleted transcript back until the project is closed).",
    )
    a.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    a.add_argument("--yes", action="store_true", help="do not ask (needed where there is no terminal)")
    a.set_defaults(handler=delete)


def list_transcripts(args: argparse.Namespace) -> int:
    with opened(args) as project:
        transcripts = project.transcripts.all()
        counts = project.codings.counts_by_transcript()
        coverage = project.codings.coverage_by_transcript(transcripts)
        cases = {case.uuid: case for case in project.cases.all()}
        surveys = {s.uuid: s.name for s in project.surveys.all()}
        documents = project.surveys.documents()  # a survey respondent's answers: a document
        rows = []
        for t in transcripts:
            case = cases.get(t.participant_uuid or "")
            survey = surveys.get(documents.get(t.uuid, ""))
            rows.append(
                {
                    **asdict(t),
                    "kind": "interview" if survey is None else "survey",
                    "survey": survey,
                    "case": case.label if case is not None else None,
                    "participant": None if case is None else asdict(case.participant),
                    "codings": counts.get(t.uuid, 0),
                    "coded": round(coverage.get(t.uuid, 0.0), 4),
                }
            )
        for row in rows:
            row.pop("participant_uuid")
        if args.json:
            _print_json(rows)
            return 0
        if not rows:
            print("no transcripts yet; import some with: jswcoder import PROJECT FILE...")
        width = max((len(r["name"]) for r in rows), default=0)
        for r in rows:
            coded = f"{r['codings']} codings, {r['coded']:.0%} coded" if r["codings"] else "not coded"
            print(f"{r['name']:<{width}}  {r['case'] or '(no case)'}  ({coded})")
    return 0


def rename(args: argparse.Namespace) -> int:
    with opened(args) as project:
        before = project.transcripts.find(args.transcript)
        after = project.transcripts.rename(before.uuid, args.new_name)
        print(f"renamed {before.name!r} to {after.name!r}")
    return 0


def delete(args: argparse.Namespace) -> int:
    with opened(args) as project:
        transcript = project.transcripts.find(args.transcript)
        codings, memos = project.transcripts.removal_counts(transcript.uuid)
        if not args.yes:
            if not (sys.stdin is not None and sys.stdin.isatty()):
                raise JswError("not deleted: confirm with --yes (there is no terminal to ask on)")
            print(f"{transcript.name!r} has {codings} codings and {memos} memos; they go with it.")
            if input("Delete it for good? Type yes: ").strip().lower() != "yes":
                raise JswError("not deleted")
        removed = project.transcripts.delete(transcript.uuid)
        print(
            f"deleted {removed.transcript.name!r} with its {removed.codings} codings and {removed.memos} memos"
        )
    return 0
