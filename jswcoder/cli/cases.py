"""``jswcoder cases``: each participant's details, listed, set, and read from or written to a CSV sheet."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from jswcoder.cli import speakers as speaker_commands
from jswcoder.cli.commands import _print_json, opened
from jswcoder.cli.indirect import pointing_to_review
from jswcoder.errors import InvalidInput
from jswcoder.model import INTERVIEW_FORMATS, INTERVIEW_MODES
from jswcoder.services.cases import DETAILS, ID_COLUMN, TRANSCRIPTS_COLUMN, Case

Command = Callable[[str, str], argparse.ArgumentParser]
# Each detail's option, as `jswcoder import` spells them.
_OPTIONS = {
    "group": "participant_group",
    "interview": "interview_number",
    "format": "format",
    "mode": "mode",
    "area": "council_area",
}


def add_commands(command: Command) -> None:
    p = command("cases", "the participants behind the interviews: list, set or import their details")
    p.add_argument("project", metavar="PROJECT")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "list",
        help="each case with its details, attributes and transcripts",
        description="List the cases: one per participant, with group, interview number, format, mode, "
        "area, their other attributes and their transcripts.",
    )
    a.add_argument("--json", action="store_true", help="print as JSON")
    a.set_defaults(handler=list_cases)
    a = actions.add_parser(
        "set",
        help="change a case's details or attributes (an empty value clears one)",
        description='Change a case\'s details or attributes; an empty value ("") clears one. Everything '
        "given is checked first: one bad value changes nothing.",
    )
    a.add_argument(
        "case",
        metavar="CASE",
        help="its interview number, or the name of one of its transcripts; a focus group's speaker case by "
        'its attribution, e.g. "Focus group 3, participant 2"',
    )
    a.add_argument("--group", help='participant group, e.g. "Justice social workers"')
    a.add_argument("--interview", metavar="N", help="interview number")
    a.add_argument("--format", help=f"interview format: {', '.join(INTERVIEW_FORMATS)}")
    a.add_argument("--mode", help=f"interview mode: {', '.join(INTERVIEW_MODES)}")
    a.add_argument("--area", help="council area")
    a.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help='another attribute, e.g. "role=Team leader" (repeat for more)',
    )
    a.set_defaults(handler=set_case)
    a = actions.add_parser(
        "export",
        help="write the case sheet (CSV) to edit in a spreadsheet",
        description=f"Write the case sheet: a row per case with the columns {ID_COLUMN}, {TRANSCRIPTS_COLUMN}, "
        f"{', '.join(DETAILS)} and one per attribute. It holds no transcript text; it is written readable "
        "by you only. Cells a spreadsheet would run as formulas start with an apostrophe.",
    )
    a.add_argument("file", metavar="FILE.csv")
    a.set_defaults(handler=export_cases)
    a = actions.add_parser(
        "import",
        help="read a case sheet back (all or nothing)",
        description=f"Read a case sheet (UTF-8 CSV, at most 5 MiB): each row's case, found by its "
        f"{ID_COLUMN} or else its {TRANSCRIPTS_COLUMN}, takes the values of the columns the sheet has (an "
        "empty cell clears one); other columns are left alone. One bad row and nothing is imported.",
    )
    a.add_argument("file", metavar="FILE.csv")
    a.set_defaults(handler=import_cases)
    speaker_commands.add_commands(command)  # speakers: a focus group's speakers made cases


def _as_dict(case: Case) -> dict[str, object]:
    return {"label": case.label, **asdict(case.participant), "transcripts": list(case.transcripts)}


def _speaker(case: Case) -> dict[str, object] | None:
    """A speaker case's label in its focus group's transcript and its number there."""
    return None if case.speaker is None else {"label": case.speaker.speaker, "number": case.speaker.number}


def list_cases(args: argparse.Namespace) -> int:
    with opened(args) as project:
        cases = project.cases.all()
        if args.json:
            surveys = {s.uuid: s.name for s in project.surveys.all()}
            respondents = {
                uuid: {"name": surveys.get(survey), "number": number}
                for uuid, (survey, number) in project.surveys.respondents().items()
            }
            _print_json(
                [
                    {
                        **_as_dict(c),
                        "merged_from": c.merged_from,
                        "speaker": _speaker(c),
                        "survey": respondents.get(c.uuid),  # a survey respondent: its survey and number
                    }
                    for c in cases
                ]
            )
            return 0
        if not cases:
            print("no cases yet: each transcript imported brings one")
        for case in cases:
            details = [
                case.value(key) for key in DETAILS if key not in ("participant_group", "interview_number")
            ]
            details += [f"{name}: {value}" for name, value in sorted(case.participant.attributes.items())]
            shown = ", ".join(d for d in details if d) or "no details"
            where = "; ".join(case.transcripts) or "no transcript"
            if case.speaker is not None:  # one speaker of a focus group: its transcript, and who
                where += f", speaker {case.speaker.speaker}"
            print(f"{case.label}  ({shown})  — {where}")
    return 0


def set_case(args: argparse.Namespace) -> int:
    changes = {
        key: getattr(args, option) for option, key in _OPTIONS.items() if getattr(args, option) is not None
    }
    for pair in args.attribute:
        name, equals, value = pair.partition("=")
        if not equals:
            raise InvalidInput(f"--attribute takes NAME=VALUE, e.g. role=Team leader; not {pair!r}")
        changes[name] = value
    if not changes:
        raise InvalidInput(
            "nothing to set: give --group, --interview, --format, --mode, --area or --attribute"
        )
    with opened(args) as project:
        case = project.cases.find(args.case)
        project.cases.set(case.uuid, changes)
        after = project.cases.get(case.uuid)
        print(
            f"{after.label}: {', '.join(f'{k} set' if v.strip() else f'{k} cleared' for k, v in changes.items())}"
        )
    return 0


def export_cases(args: argparse.Namespace) -> int:
    with opened(args) as project, pointing_to_review(args.project):
        count = project.cases.export_csv(Path(args.file))
        print(f"wrote {count} cases to {args.file} (readable by you only)")
    return 0


def import_cases(args: argparse.Namespace) -> int:
    with opened(args) as project:
        result = project.cases.import_csv(Path(args.file))
        print(f"changed {result.changed} cases; {result.unchanged} unchanged")
    return 0
