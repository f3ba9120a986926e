"""``jswcoder speakers``: a focus group's speakers, listed with their turns, and made cases of their own.

A speaker case is then a case like any other: ``jswcoder cases PROJECT set "Focus group 3, participant
2" --attribute role=...`` gives it details; ``matrix --speakers`` and ``crosstab --speakers`` give it a
row; the theme report attributes its quotes to it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import InvalidInput
from jswcoder.model import SPEAKER_ATTRIBUTION_FIELDS
from jswcoder.services.speakers import Speaker

Command = Callable[[str, str], argparse.ArgumentParser]
ACTIONS = ("list", "make-cases", "remove-cases")


def add_commands(command: Command) -> None:
    fields = ", ".join("{" + f + "}" for f in SPEAKER_ATTRIBUTION_FIELDS)
    p = command("speakers", "a focus group's speakers: list them, or make each a case of its own")
    p.description = (
        "List a transcript's speakers with their turns and cases, or make each speaker who is not the "
        "interviewer, facilitator or moderator a case of its own (numbered within the group, starting "
        "with the group's details; set them with: jswcoder cases PROJECT set CASE). A coding is the "
        "speaker's of the turn it starts in."
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", nargs="?", help="the transcript's name")
    p.add_argument(
        "action",
        nargs="?",
        choices=ACTIONS,
        default="list",
        metavar="ACTION",
        help="list (the default), make-cases, or remove-cases (the transcript is one case again)",
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument(
        "--attribution",
        metavar="FORMAT",
        help=f'how a speaker case is attributed, with {fields}: "Focus group {{number}}, participant '
        f'{{speaker}}" by default (give "" for the default); never the speaker\'s label',
    )
    p.set_defaults(handler=speakers)


def _row(speaker: Speaker) -> dict[str, object]:
    case = speaker.case
    return {
        "speaker": speaker.label,
        "turns": speaker.turns,
        "interviewer": speaker.asks,
        "case": None
        if case is None
        else {"uuid": case.uuid, "number": case.number, "attribution": case.attribution},
    }


def speakers(args: argparse.Namespace) -> int:
    if args.transcript is None and args.attribution is None:
        raise InvalidInput("name a transcript, e.g. jswcoder speakers PROJECT fg_3, or give --attribution")
    with opened(args) as project:
        if args.attribution is not None:
            before = project.speakers.set_template(args.attribution)
            print(f"speaker cases are attributed as {project.speakers.template()!r} (was {before!r})")
            if args.transcript is None:
                return 0
        transcript = project.transcripts.find(args.transcript)
        if args.action == "make-cases":
            made = project.speakers.make_cases(transcript.uuid)
            print(f"made {len(made)} speaker case{'' if len(made) == 1 else 's'} of {transcript.name}")
        elif args.action == "remove-cases":
            removed = project.speakers.remove_cases(transcript.uuid)
            print(
                f"removed {removed} speaker case{'' if removed == 1 else 's'}: {transcript.name} is one case"
            )
        found = project.speakers.speakers(transcript.uuid)
    if args.json:
        _print_json([_row(s) for s in found])
        return 0
    if args.action != "list":
        return 0
    if not found:
        print(f"{transcript.name} has no speaker turns")
    for s in found:
        case = s.case
        who = (
            "interviewer"
            if s.asks
            else (case.attribution or f"participant {case.number}")
            if case
            else "no case"
        )
        print(f"{s.label}  {s.turns} turn{'' if s.turns == 1 else 's'}  — {who}")
    return 0
