"""``jswcoder query``: run a coding query, print or write its passages, and keep queries by name.

The language is :mod:`jswcoder.services.query_parse`'s; what each operator finds is
:mod:`jswcoder.analysis.query`'s. ``--out`` writes through the reports' one way out
(:mod:`jswcoder.reports.query_export`), imported only when asked for; its file type is checked before
the project is opened, so a wrong suffix costs no passphrase.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from jswcoder.analysis.query import find_passages, with_words
from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import InvalidInput
from jswcoder.store.queries import SavedQuery

Command = Callable[[str, str], argparse.ArgumentParser]

EXAMPLES = """\
examples:
  jswcoder query study "\\"Funding/Training\\" AND NOT \\"Ethos\\""
  jswcoder query study '"Risk"/* AND participant_group = "Client"' --json
  jswcoder query study '"Workload" NEAR/TURN "Support"' --out near.docx --save "Workload near support"
  jswcoder query study --saved "Workload near support"

the language:
  "Theme/Sub-theme"        a theme by its path, in double quotes; "Theme"/* adds its sub-themes
  A AND B, A OR B          coded with both (the overlap), with either
  A NOT B, NOT B           A but not B; the coded text without B
  A NEAR/200 B             A and B within 200 characters of each other (also NEAR/TURN, NEAR/PARAGRAPH)
  key = "value"            participant_group, interview_number, format, mode, council_area, coder,
                           fieldworker, or a case's own attribute ([Years in post] when it has spaces);
                           also !=, IN ("a", "b") and NOT IN (...)
"""


def add_commands(command: Command) -> None:
    p = command("query", "find passages by themes and details: a coding query")
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = EXAMPLES
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("expression", metavar="EXPR", nargs="?", help="the query (see below)")
    p.add_argument("--saved", metavar="NAME", help="run the query saved under this name")
    p.add_argument("--save", metavar="NAME", help="also keep EXPR in the project under this name")
    p.add_argument("--list", action="store_true", help="list the saved queries")
    p.add_argument("--delete", metavar="NAME", help="forget the query saved under this name")
    p.add_argument("--json", action="store_true", help="print the passages as JSON")
    p.add_argument("--out", metavar="FILE", help="write the passages to FILE.docx or FILE.xlsx (anonymised)")
    p.set_defaults(handler=query)


def query(args: argparse.Namespace) -> int:
    asked = [args.expression is not None, args.saved is not None, args.list, args.delete is not None]
    if sum(asked) != 1:
        raise InvalidInput("give one of: a query, --saved NAME, --list or --delete NAME")
    if args.save is not None and args.expression is None:
        raise InvalidInput("--save keeps the query given with it; give the query too")
    if args.out is not None:
        from jswcoder.reports.query_export import QUERY

        QUERY.check(args.out)
    with opened(args) as project:
        if args.list:
            return _list(project.saved_queries.all(), args.json)
        if args.delete is not None:
            gone = project.saved_queries.remove(args.delete)
            print(f"forgot the query {gone.name!r}")
            return 0
        expression = args.expression
        if args.saved is not None:
            expression = project.saved_queries.get(args.saved).expression
        located = find_passages(project, expression)
        if args.save is not None:
            saved = project.saved_queries.save(args.save, expression)
            print(f"saved as {saved.name!r}: {saved.expression}")
        if args.out is not None:
            from jswcoder.reports.query_export import write_query_results

            written = write_query_results(project, args.out, expression, located)
            how = "anonymised with the register" if written.anonymised else "a team project's: as merged"
            print(f"wrote {written.holds} to {written.path} ({how})")
            return 0
        found = with_words(project, located)
        if args.json:
            keys = ("transcript", "start", "end", "text", "coder", "attribution")
            _print_json([{key: getattr(p, key) for key in keys} for p in found])
            return 0
        for p in found:
            snippet = " ".join(p.text.split())
            snippet = snippet if len(snippet) <= 100 else snippet[:99] + "…"
            print(f"{p.transcript} [{p.start}:{p.end}] {p.coder}\n    {snippet}")
        print(f"{len(found)} passage{'' if len(found) == 1 else 's'}")
    return 0


def _list(saved: Sequence[SavedQuery], as_json: bool) -> int:
    if as_json:
        _print_json([{"name": q.name, "expression": q.expression, "updated_at": q.updated_at} for q in saved])
        return 0
    for q in saved:
        print(f"{q.name}: {q.expression}")
    if not saved:
        print("no saved queries")
    return 0
