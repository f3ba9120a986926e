"""``jswcoder survey``: questionnaire exports on the command line (issue 18).

``survey mapping FILE`` prints the guessed mapping (each column: open answer, attribute, ID or ignore)
as JSON to edit, ``survey import`` imports an export with it (or with the guesses), and ``survey list``,
``survey answers`` and ``survey attribution`` show and set what was imported. Once imported, a
respondent is a case (``cases list``) and their answers one document (``transcripts list``, ``text``,
``code``), so the other commands need nothing of their own for surveys.

The mapping file holds column names and kinds only, never an answer; the samples the readable table
shows go to the terminal, not to a file the user may keep or share. Warnings about identifying columns
go to stderr, one line each, so that ``survey mapping FILE > map.json`` writes only the JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from jswcoder.cli.commands import _notice, _print_json, opened
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.importing.survey_files import SurveyTable, read_survey_file
from jswcoder.importing.survey_mapping import KINDS, ColumnGuess, from_json, guess_mapping, to_json
from jswcoder.model import RESPONDENT_ATTRIBUTION_FIELDS, respondent_attribution
from jswcoder.services.surveys import Survey
from jswcoder.store.surveys import QuestionRow

Command = Callable[[str, str], argparse.ArgumentParser]
MAX_MAPPING_BYTES = 1024 * 1024  # a mapping of 2,000 columns is about 100 KB
SAMPLE_WIDTH = 40


def add_commands(command: Command) -> None:
    """The survey command and its actions, each with its options beside it."""
    p = command(
        "survey", "import a questionnaire export (.csv, .xlsx, .sav) and see its questions and answers"
    )
    p.description = (
        "Import a survey export: each response becomes a case (a respondent, its closed answers as "
        "attributes) and its open answers one codable document, listed, printed and coded like a "
        "transcript. First print the guessed mapping with 'survey mapping FILE > map.json', edit it, "
        "then 'survey import PROJECT FILE --mapping map.json'."
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser(
        "mapping",
        help="print the guessed mapping of an export's columns as JSON, to edit",
        description="Print what each column of the export is taken to be, as JSON (the default, so that "
        "'> map.json' writes a file to edit): "
        + ", ".join(KINDS)
        + ". Columns that identify people (names, email and IP addresses, locations, precise times) are "
        "guessed ignore, each said on stderr. --table shows a readable table with a few answers of each "
        "column instead (on the terminal only: answers are never written to the JSON).",
    )
    a.add_argument("file", metavar="FILE", help="the export: .csv, .xlsx or .sav")
    a.add_argument("--table", action="store_true", help="a readable table with samples instead of JSON")
    a.add_argument("--json", action="store_true", help="print as JSON (the default)")
    a.set_defaults(handler=mapping)

    a = actions.add_parser(
        "import",
        help="import an export: respondents become cases, open answers codable documents",
        description="Import a survey export (all or nothing). Without --mapping the guessed mapping is "
        "used and the columns left out as identifying are listed. Importing an updated export again "
        "(more responses) adds the new respondents and matches the others by their ID: their codings "
        "stay, and coded answers that changed in the export are kept and listed. With --into and no "
        "--mapping, the columns the survey already has keep the kinds they were imported with.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("file", metavar="FILE", help="the export: .csv, .xlsx or .sav")
    a.add_argument("--mapping", metavar="MAP.json", help="the mapping to use (see: jswcoder survey mapping)")
    a.add_argument("--name", help="the survey's name (default: the file's name)")
    a.add_argument(
        "--into", metavar="SURVEY", help="import into this survey (an updated export of it; default: found)"
    )
    a.add_argument("--json", action="store_true", help="print the import's counts as JSON")
    a.set_defaults(handler=import_survey)

    a = actions.add_parser(
        "list",
        help="the surveys with their questions, kinds, answers and respondents",
        description="List the surveys: each with its respondents' attribution, how many respondents, and "
        "each question with its kind (open answer or attribute) and how many answered it.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("--json", action="store_true", help="print as JSON")
    a.set_defaults(handler=list_surveys)

    a = actions.add_parser(
        "answers",
        help="every answer to one open question, by respondent",
        description="Print every answer to one open question, one under another, with the respondent's "
        "number: the coding grid as text. Each answer's place in its document is in --json (start, end), "
        "to code it with: jswcoder code PROJECT DOCUMENT --start S --end E --code PATH.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("survey", metavar="SURVEY", help='its name ("" for the only one)')
    a.add_argument(
        "question",
        metavar="QUESTION",
        help='its key ("Q7"), its text, or the start of either if only one has it',
    )
    a.add_argument("--json", action="store_true", help="print as JSON")
    a.set_defaults(handler=answers)

    fields = ", ".join("{" + f + "}" for f in RESPONDENT_ATTRIBUTION_FIELDS)
    a = actions.add_parser(
        "attribution",
        help="how a survey's respondents are attributed in quotes and reports",
        description=f"Set how a survey's respondents are attributed, with {fields}: "
        '"Survey respondent {number}" by default.',
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("survey", metavar="SURVEY", help='its name ("" for the only one)')
    a.add_argument("template", metavar="TEMPLATE", help='e.g. "Staff survey respondent {number}"')
    a.set_defaults(handler=attribution)


# -- mapping ---------------------------------------------------------------------------------------


def _read(file: str) -> SurveyTable:
    table = read_survey_file(Path(file))
    for warning in table.warnings:
        _notice(warning)
    return table


def _short(sample: str) -> str:
    line = " ".join(sample.split())
    return line if len(line) <= SAMPLE_WIDTH else line[: SAMPLE_WIDTH - 1] + "…"


def mapping(args: argparse.Namespace) -> int:
    table = _read(args.file)
    guesses = guess_mapping(table)
    for guess in guesses:
        if guess.warning:
            _notice(guess.warning)
    if not args.table:
        sys.stdout.write(to_json(guesses) + "\n")
        return 0
    width = max(len(g.key) for g in guesses)
    print(f"{len(table.rows)} responses, {len(guesses)} columns ({table.layout} layout)")
    for g in guesses:
        question = "" if g.question == g.key else "  " + " ".join(g.question.split())
        samples = " | ".join(_short(s) for s in g.samples) if g.kind != "ignore" or not g.warning else "—"
        print(f"{g.key:<{width}}  {g.kind:<9}{question}".rstrip())
        print(f"{'':<{width}}  {'':<9}  e.g. {samples or '(no answers)'}")
    return 0


def _kinds(args: argparse.Namespace, table: SurveyTable, guesses: Sequence[ColumnGuess]) -> dict[str, str]:
    if args.mapping is None:
        return {g.key: g.kind for g in guesses}
    path = Path(args.mapping)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_MAPPING_BYTES + 1)
    except OSError as error:
        raise InvalidInput(
            f"cannot read the mapping {path.name}: {error.strerror or 'system error'}"
        ) from None
    if len(data) > MAX_MAPPING_BYTES:
        raise InvalidInput(f"the mapping {path.name} is too large to be a mapping (over 1 MiB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"the mapping {path.name} is not UTF-8 text") from None
    return from_json(text, table)


def _left_out(guesses: Sequence[ColumnGuess], kinds: dict[str, str]) -> list[str]:
    """The identifying columns: left out (one line), or imported because the mapping says so (a line each)."""
    out = [g.key for g in guesses if g.warning and kinds[g.key] == "ignore"]
    lines = [f"left out as identifying people: {', '.join(out)}"] if out else []
    return lines + [
        f"{g.key!r} identifies people and is imported as {kinds[g.key]}, as the mapping says"
        for g in guesses
        if g.warning and kinds[g.key] != "ignore"
    ]


def _as_before(survey: Survey, guessed: dict[str, str]) -> dict[str, str]:
    """The guesses, with the columns the survey already knows mapped as they were imported: a guess
    made on fewer or shorter answers must not turn an open question into an attribute."""
    before = {q.key: q.kind for q in survey.questions}
    if survey.id_key is not None:
        before[survey.id_key] = "id"
    kinds = {key: before.get(key, kind) for key, kind in guessed.items()}
    if survey.id_key is not None:  # one ID column: the survey's
        kinds.update({k: "ignore" for k, v in kinds.items() if v == "id" and k != survey.id_key})
    return kinds


def import_survey(args: argparse.Namespace) -> int:
    table = _read(args.file)
    guesses = guess_mapping(table)
    kinds = _kinds(args, table, guesses)
    left_out = _left_out(guesses, kinds)
    with opened(args) as project:
        if args.into is not None and args.mapping is None:  # an updated export: mapped as it was before
            kinds = _as_before(project.surveys.find(args.into), kinds)
        report = project.surveys.import_table(Path(args.file), table, kinds, name=args.name, into=args.into)
    if args.json:
        _print_json({**asdict(report), "identifying": {g.key: kinds[g.key] for g in guesses if g.warning}})
        return 0
    for line in left_out:
        _notice(line)
    for line in report.lines():
        print(line)
    return 0


# -- list, answers, attribution --------------------------------------------------------------------


def _survey_row(survey: Survey, counts: dict[str, int]) -> dict[str, object]:
    return {
        "uuid": survey.uuid,
        "name": survey.name,
        "attribution": survey.attribution,
        "id_column": survey.id_key,
        "respondents": survey.respondents,
        "questions": [
            {
                "key": q.key,
                "question": q.question,
                "kind": q.kind,
                "answers": counts.get(q.key, 0) if q.kind == "open" else None,
            }
            for q in survey.questions
        ],
    }


def list_surveys(args: argparse.Namespace) -> int:
    with opened(args) as project:
        rows = []
        for survey in project.surveys.all():
            rows.append(_survey_row(survey, project.surveys.answer_counts(survey)))
    if args.json:
        _print_json(rows)
        return 0
    if not rows:
        print("no surveys yet; import one with: jswcoder survey import PROJECT FILE")
    for row in rows:
        print(f"{row['name']}: {row['respondents']} respondents, attributed as {row['attribution']!r}")
        for q in row["questions"]:  # type: ignore[attr-defined]
            heading = q["key"] if q["question"] == q["key"] else f"{q['key']}. {q['question']}"
            what = f"open answer, {q['answers']} answered" if q["kind"] == "open" else "attribute"
            print(f"  {heading}  ({what})")
    return 0


def _question(survey: Survey, ref: str) -> QuestionRow:
    """A question by its key or text, or by the start of its heading where that is unique: "Q3" for
    a column headed "Q3. What helped?", "What helped" for "What helped you most?"."""
    try:
        return survey.question(ref)
    except NotFound:
        wanted = " ".join(ref.split()).casefold()
        found = [
            q
            for q in survey.questions
            if any(
                text.casefold().startswith(wanted) and not text[len(wanted) : len(wanted) + 1].isalnum()
                for text in (q.key, q.question)
            )
        ]
        if len(found) == 1 and wanted:
            return found[0]
        raise


def answers(args: argparse.Namespace) -> int:
    with opened(args) as project:
        survey = project.surveys.find(args.survey)
        question = _question(survey, args.question)
        if question.kind != "open":
            raise InvalidInput(
                f"{question.key} is a closed answer (an attribute of each respondent); see: jswcoder cases PROJECT list"
            )
        found = project.surveys.answers(survey, question.key)
        names = {t.uuid: t.name for t in project.transcripts.all()}
        respondents = {c.uuid: c.label for c in project.cases.all()}
    if args.json:
        _print_json(
            [
                {
                    "number": a.number,
                    "respondent": respondents.get(a.participant_uuid),
                    "document": names.get(a.transcript_uuid),
                    "start": a.start,
                    "end": a.end,
                    "text": a.text,
                }
                for a in found
            ]
        )
        return 0
    print(f"{question.key}. {question.question}" if question.question != question.key else question.key)
    print(f"{len(found)} answers")
    for a in found:
        print()
        print(f"[{respondents.get(a.participant_uuid, a.number)}]")
        print(a.text)
    return 0


def attribution(args: argparse.Namespace) -> int:
    with opened(args) as project:
        before = project.surveys.find(args.survey)
        after = project.surveys.set_attribution(before.uuid, args.template)
    print(
        f"respondents of {after.name!r} are attributed as {after.attribution!r} (was {before.attribution!r})"
    )
    print(f"e.g. {respondent_attribution(after.attribution, after.name, 17)}")
    return 0
