"""The ``jswcoder`` command: the desktop app with no subcommand, the headless tools with one.

Every command sits on the same service API as the app (:class:`jswcoder.project.Project`). A user's
mistake ends with a one-line message on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from jswcoder import __version__, crash, logs, templates
from jswcoder.cli import agreement as agreement_command
from jswcoder.cli import assign as assign_command
from jswcoder.cli import assist as assist_commands
from jswcoder.cli import audit as audit_commands
from jswcoder.cli import cases as case_commands
from jswcoder.cli import charts as chart_commands
from jswcoder.cli import commands
from jswcoder.cli import crosstabs as crosstab_commands
from jswcoder.cli import deposit as deposit_commands
from jswcoder.cli import indirect as indirect_commands
from jswcoder.cli import query as query_command
from jswcoder.cli import reconcile as reconcile_command
from jswcoder.cli import recordings as recording_commands
from jswcoder.cli import refiqda as refiqda_commands
from jswcoder.cli import reports as report_commands
from jswcoder.cli import surveys as survey_commands
from jswcoder.cli import transcripts as transcript_commands
from jswcoder.cli import withdraw as withdraw_commands
from jswcoder.cli.self_test import self_test
from jswcoder.errors import JswError
from jswcoder.logs import Safe
from jswcoder.model import CATEGORY_NAMES, INTERVIEW_FORMATS, INTERVIEW_MODES
from jswcoder.refiqda.profiles import PROFILES
from jswcoder.team.package_writer import OPTIONAL_ATTRIBUTES
from jswcoder.team.teamfile import SUFFIX

log = logging.getLogger("jswcoder")
EXIT_USER_ERROR = 1
EXIT_BUG = 70  # EX_SOFTWARE
DEBUG_VARIABLE = "JSWCODER_DEBUG"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jswcoder",
        description="Encrypted, offline qualitative coding of interview transcripts. "
        "Run with no command to open the desktop app.",
        epilog="Passphrases are asked for on the terminal, or read from JSWCODER_PASSPHRASE "
        "(JSWCODER_NEW_PASSPHRASE and JSWCODER_RECOVERY_KEY for passwd).",
    )
    parser.add_argument("--version", action="version", version=f"jswcoder {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check that this installation works (a temporary project, import, coding, an anonymised "
        "package, the window) and print one line; exit status 0 only if every check passed",
    )
    parser.add_argument(
        "--no-window",
        dest="skip_window",
        action="store_true",
        help="with --self-test: leave out the desktop window check",
    )
    parser.add_argument(
        "--no-keychain",
        action="store_true",
        help="neither read the project key from the OS keychain nor keep it there",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")

    p = command("init", "create a new encrypted project")
    p.add_argument("project", metavar="PROJECT", help="folder to create for the project")
    p.add_argument("--name", required=True, help="the project's name")
    p.add_argument("--coder", required=True, help="your name as a coder")
    p.set_defaults(handler=commands.init)

    p = command("import", "import .docx and .txt transcripts (each file all or nothing)")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("files", metavar="FILE", nargs="+", help=".docx or .txt transcripts")
    p.add_argument("--group", help='participant group, e.g. "Justice social workers"')
    p.add_argument("--interview", type=int, metavar="N", help="interview number (one file at a time)")
    p.add_argument("--format", choices=INTERVIEW_FORMATS, help="interview format")
    p.add_argument("--mode", choices=INTERVIEW_MODES, help="interview mode")
    p.add_argument("--area", help="council area")
    p.add_argument("--json", action="store_true", help="print the import report as JSON")
    p.set_defaults(handler=commands.import_files)

    p = command("info", "show the project's name and counts")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=commands.info)

    p = command("text", "print a transcript's canonical text")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    p.set_defaults(handler=commands.text)

    transcript_commands.add_commands(command)
    recording_commands.add_commands(command)  # recording (import, list, delete, link), transcribe, audio
    survey_commands.add_commands(command)  # survey (mapping, import, list, answers, attribution)
    case_commands.add_commands(command)
    indirect_commands.add_commands(command)  # indirect (accept, dismiss)
    deposit_commands.add_commands(command)  # deposit, deposit-log
    withdraw_commands.add_commands(command)  # withdraw, withdrawals
    query_command.add_commands(command)  # query
    audit_commands.add_commands(command)  # audit

    p = command("codes", "add or list codes (themes)")
    p.add_argument("project", metavar="PROJECT")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="add a code by its path", description="Add a code by its path.")
    a.add_argument("path", metavar="PATH", help='e.g. "Funding and resources/Training"')
    a.add_argument("--colour", "--color", dest="colour", metavar="#RRGGBB")
    a.add_argument("--description", default="", metavar="TEXT")
    a.add_argument("--emergent", action="store_true", help="mark it as an emergent theme")
    a.set_defaults(handler=commands.codes_add)
    a = actions.add_parser("list", help="list the code tree", description="List the code tree.")
    a.add_argument("--json", action="store_true", help="print as JSON")
    a.set_defaults(handler=commands.codes_list)
    a = actions.add_parser(
        "merge",
        help="fold one code into another (its codings move; the old one's UUID is kept as an alias)",
        description="Fold one code into another: its codings and sub-codes move there and it is deleted. "
        "In a team project, later packages that use the old code land on the new one.",
    )
    a.add_argument("source", metavar="FROM", help="path or UUID of the code that goes")
    a.add_argument("target", metavar="INTO", help="path or UUID of the code that stays")
    a.set_defaults(handler=commands.codes_merge)

    p = command("code", "code a passage of a transcript")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    p.add_argument("--start", type=int, required=True, help="first character (0-based, code points)")
    p.add_argument("--end", type=int, required=True, help="one past the last character")
    p.add_argument("--code", required=True, metavar="PATH", help='e.g. "Partnership working/Co-location"')
    p.add_argument("--json", action="store_true", help="print the coding as JSON")
    p.set_defaults(handler=commands.code)

    p = command("codings", "list coded passages with their text")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--transcript", metavar="TRANSCRIPT", help="only this transcript")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=commands.codings)

    p = command("register", "the anonymisation register: identifying details and their descriptors")
    p.add_argument("project", metavar="PROJECT")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="add an identifying text", description="Add an identifying text.")
    a.add_argument("text", metavar="TEXT", help='e.g. "Siobhan Kerr"')
    a.add_argument(
        "--as", dest="replacement", required=True, metavar="DESCRIPTOR", help='e.g. "[TEAM LEADER]"'
    )
    a.add_argument(
        "--category",
        default="OTHER",
        help=f"its name or code: {', '.join(CATEGORY_NAMES.values())} (default Other detail)",
    )
    a.add_argument("--transcript", metavar="T", help="only in this transcript (default: all)")
    a.add_argument(
        "--variant",
        dest="variants",
        action="append",
        metavar="TEXT",
        help='another form replaced the same way, e.g. "Shiv" (repeat for each)',
    )
    a.set_defaults(handler=commands.register_add)
    a = actions.add_parser(
        "edit",
        help="set an entry's other forms (nicknames, short forms)",
        description="Set the other forms of a register entry, replacing those it had; each is replaced "
        "by the entry's descriptor, like the entry.",
    )
    a.add_argument("text", metavar="TEXT", help='the entry\'s text, e.g. "Siobhan Kerr"')
    a.add_argument("--transcript", metavar="T", help="the entry for this transcript only (default: for all)")
    forms = a.add_mutually_exclusive_group()
    forms.add_argument(
        "--variant", dest="variants", action="append", metavar="TEXT", help='e.g. "Shiv" (repeat for each)'
    )
    forms.add_argument("--no-variants", action="store_true", help="remove all its other forms")
    a.set_defaults(handler=commands.register_edit)
    a = actions.add_parser("list", help="list the register", description="List the register.")
    a.add_argument("--json", action="store_true", help="print as JSON")
    a.set_defaults(handler=commands.register_list)
    a = actions.add_parser(
        "import",
        help="add entries from a CSV file",
        description="Add entries from a CSV file (columns text,replacement,category[,transcript]); all or nothing.",
    )
    a.add_argument("file", metavar="FILE.csv")
    a.set_defaults(handler=commands.register_import)
    a = actions.add_parser(
        "export",
        help="write the register to a CSV file (it identifies people)",
        description="Write the register to a CSV file. The file identifies people and is not encrypted.",
    )
    a.add_argument("file", metavar="FILE.csv")
    a.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    a.set_defaults(handler=commands.register_export)
    a = actions.add_parser(
        "suggest",
        help="candidates found in the transcripts, not yet reviewed",
        description="Candidates found in the transcripts (offline), neither in the register nor dismissed.",
    )
    a.add_argument("--json", action="store_true", help="print as JSON")
    a.set_defaults(handler=commands.register_suggest)
    a = actions.add_parser(
        "dismiss",
        help="mark candidates as reviewed: not identifying",
        description="Mark candidates as reviewed: not identifying.",
    )
    a.add_argument("texts", metavar="TEXT", nargs="+")
    a.set_defaults(handler=commands.register_dismiss)

    p = command("preview", "print a transcript as it would leave this computer: anonymised with the register")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    p.add_argument(
        "--notes", action="store_true", help="also print its document notes (headers, footnotes), anonymised"
    )
    p.set_defaults(handler=commands.preview)

    p = command("team", "create a team (this project becomes its lead) or join one")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "create",
        help="create the team's analysis project and write the team file",
        description="Create the team's analysis project (asks for a passphrase like init), make it the "
        "team's lead, and write the team file for fieldworkers to join with.",
    )
    a.add_argument("project", metavar="TEAMPROJECT", help="folder to create for the team project")
    a.add_argument("--name", required=True, help="the team's (and project's) name")
    a.add_argument("--coder", required=True, help="your name as a coder")
    a.add_argument(
        "--team-file", required=True, metavar="OUT", help=f"where to write the team file (*{SUFFIX})"
    )
    start = a.add_mutually_exclusive_group()
    start.add_argument(
        "--template",
        metavar="NAME",
        help="start the team codebook from a template: " + ", ".join(t.key for t in templates.available()),
    )
    start.add_argument(
        "--codebook", metavar="FILE.qdc", help="start the team codebook from a REFI-QDA codebook (.qdc)"
    )
    a.set_defaults(handler=commands.team_create)
    a = actions.add_parser(
        "join",
        help="join the team of a team file (making the project, if it does not exist, from it)",
        description="Join the team of a team file, checked against the lead's key fingerprint. If PROJECT "
        "does not exist it is made from the team file (give --coder; a passphrase is asked for as by init) "
        "and starts with the team codebook. An existing project adopts the team codebook: each of its "
        "themes at the same place as a team theme (case, spaces and dashes aside) becomes that theme, "
        "codings included; the others stay its own and are listed.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("team_file", metavar="TEAMFILE")
    a.add_argument(
        "--fingerprint",
        required=True,
        metavar="XXXX-XXXX-XXXX-XXXX",
        help="the lead's key fingerprint, as the lead read it to you",
    )
    a.add_argument("--coder", help="your name as a coder, when the project is made by joining")
    a.set_defaults(handler=commands.team_join)
    a = actions.add_parser(
        "members",
        help="lead: who asked to join, who is admitted, and their key fingerprints",
        description="List everyone who asked to join the team: name, state (pending, admitted or "
        "refused), key fingerprint and last package merged.",
    )
    a.add_argument("project", metavar="TEAMPROJECT")
    a.add_argument("--json", action="store_true", help="print the list as JSON")
    a.set_defaults(handler=commands.team_members)
    a = actions.add_parser(
        "admit",
        help="lead: admit a member whose fingerprint they read to you",
        description="Admit a pending member: their packages are merged from the next sync. Refused unless "
        "the fingerprint they read to you matches the key in their join request.",
    )
    a.add_argument("project", metavar="TEAMPROJECT")
    a.add_argument("member", metavar="NAME", help="their name as listed by: jswcoder team members")
    a.add_argument("--fingerprint", required=True, metavar="XXXX-XXXX-XXXX-XXXX")
    a.set_defaults(handler=commands.team_admit)
    a = actions.add_parser(
        "refuse",
        help="lead: refuse a join request (nothing from it is merged)",
        description="Refuse a member: nothing they send is merged. Use it for a request you did not expect.",
    )
    a.add_argument("project", metavar="TEAMPROJECT")
    a.add_argument("member", metavar="NAME")
    a.set_defaults(handler=commands.team_refuse)
    a = actions.add_parser(
        "fingerprint",
        help="show this project's own key fingerprint, to read to the lead",
        description="Show this project's own key fingerprint. The lead sees it beside your name when your "
        "join request arrives; read it to them so they know the request is yours.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.set_defaults(handler=commands.team_fingerprint)

    p = command("export", "write an anonymised package, encrypted for the team's leads and signed")
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--out", required=True, metavar="PACKAGE", help="the package file to write")
    p.add_argument(
        "--transcript",
        action="append",
        metavar="T",
        help="only this transcript (repeat for more; default: all)",
    )
    p.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME",
        help=f"also include this attribute: {', '.join(OPTIONAL_ATTRIBUTES)}, or a case's own, such as a "
        "survey's closed answer (e.g. Role); repeat for more",
    )
    p.set_defaults(handler=commands.export)

    p = command(
        "sync",
        "through the exchange folder: a fieldworker picks up the team codebook and sends a package; "
        "the lead admits new members, merges new packages and publishes the codebook",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument(
        "--folder", required=True, metavar="DIR", help="the exchange folder (USB stick, share, ...)"
    )
    p.add_argument("--json", action="store_true", help="print the lead's merge report as JSON")
    carried = p.add_mutually_exclusive_group()
    carried.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME",
        help="fieldworker: the package also carries this attribute, as with export --attribute (repeat; "
        "default: what was chosen in the app's Team › What packages include…, or none)",
    )
    carried.add_argument(
        "--no-attributes",
        action="store_true",
        help="fieldworker: this package carries no attribute beyond the attribution, whatever the app's choice",
    )
    p.set_defaults(handler=commands.sync)

    p = command("merge", "lead: merge fieldworkers' packages into the team project (each all or nothing)")
    p.add_argument("project", metavar="TEAMPROJECT")
    p.add_argument("packages", metavar="PACKAGE", nargs="+")
    p.add_argument("--json", action="store_true", help="print the merge report as JSON")
    p.set_defaults(handler=commands.merge)

    p = command("assign", "lead: give a team transcript to a second fieldworker to code blind")
    p.add_argument("project", metavar="TEAMPROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID in the team project")
    p.add_argument("--coder", required=True, metavar="NAME", help="the member who codes it a second time")
    p.add_argument("--withdraw", action="store_true", help="take the assignment back instead")
    p.set_defaults(handler=assign_command.assign)

    agreement_command.add_commands(command)  # agreement: one transcript, or --study
    reconcile_command.add_commands(command)  # reconcile: settle a transcript's disagreements

    report_commands.add_commands(command)  # matrix, report, summary: their options beside them
    crosstab_commands.add_commands(command)  # crosstab, cooccurrence
    chart_commands.add_commands(command)  # chart
    assist_commands.add_commands(command)  # index, similar, suggest: the local assistant

    p = command("qdpx", "exchange a whole project with NVivo, ATLAS.ti, MAXQDA, ... (REFI-QDA .qdpx)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "export",
        help="write the project as a .qdpx file (anonymised with the register in a fieldworker's project)",
        description="Write the project as a REFI-QDA project (.qdpx), checked against the standard's schema. "
        "A fieldworker's project is anonymised with the register, as a team package is.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("out", metavar="OUT.qdpx")
    a.add_argument(
        "--originals", action="store_true", help="export the original, identifying texts (not anonymised)"
    )
    a.add_argument(
        "--attribute",
        action="append",
        default=[],
        metavar="NAME",
        help="a fieldworker's export: also carry this case attribute as a variable, e.g. a survey's closed "
        "answer (repeat for more; without --originals the cases' own attributes stay out unless named)",
    )
    a.add_argument(
        "--for",
        dest="target",
        choices=list(PROFILES),
        default="standard",
        help="the tool that will open the file, whose conventions it follows: positions, line ends, unique "
        "theme names, where participants' details go (default: standard, the REFI-QDA standard as written; "
        "see docs/interop.md)",
    )
    a.set_defaults(handler=refiqda_commands.qdpx_export)
    a = actions.add_parser(
        "import",
        help="create a new project from a .qdpx file and print what was repaired or left out",
        description="Create a new encrypted project from a REFI-QDA project (.qdpx) made by another tool. "
        "Codes, transcripts, cases, codings and notes keep their GUIDs; the report says how positions were "
        "read and what was repaired or left out. Nothing is created if the file is refused.",
    )
    a.add_argument("source", metavar="IN.qdpx")
    a.add_argument("project", metavar="PROJECT", help="folder to create for the new project")
    a.add_argument(
        "--coder", required=True, help="your name as a coder (a user of that name in the file is you)"
    )
    a.add_argument("--name", help="the project's name (default: the name inside the file)")
    a.add_argument("--json", action="store_true", help="print the recovery key and the import report as JSON")
    a.set_defaults(handler=refiqda_commands.qdpx_import)

    p = command("qdc", "exchange a codebook with other tools (REFI-QDA .qdc)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "export",
        help="write the codebook as a .qdc file",
        description="Write the codebook as a REFI-QDA codebook (.qdc), checked against the standard's schema.",
    )
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("out", metavar="OUT.qdc")
    a.set_defaults(handler=refiqda_commands.qdc_export)
    a = actions.add_parser(
        "import",
        help="add a .qdc codebook's codes to a project (their GUIDs kept; importing again changes nothing)",
        description="Add the codes of a REFI-QDA codebook (.qdc) to the project, keeping their GUIDs. Codes "
        "already there are left as they are; name clashes are reported.",
    )
    a.add_argument("source", metavar="IN.qdc")
    a.add_argument("project", metavar="PROJECT")
    a.add_argument("--json", action="store_true", help="print the import report as JSON")
    a.set_defaults(handler=refiqda_commands.qdc_import)

    p = command(
        "passwd",
        "change the project's passphrase; with --rekey also re-encrypt the data under a new key",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument(
        "--recovery", action="store_true", help="unlock with the recovery key (forgotten passphrase)"
    )
    p.add_argument(
        "--rekey",
        action="store_true",
        help="re-encrypt the database under a new key and make a new recovery key (shown once), so "
        "that the old passphrase, the old recovery key and copies of the old key file open nothing; "
        "without it only the passphrase's wrapping of the key changes and the recovery key stays",
    )
    p.set_defaults(handler=commands.passwd)

    p = command("demo", "create (or reopen) the demo project and show it")
    p.add_argument("--folder", metavar="DIR", help="where to make it (default: your jswcoder data folder)")
    p.add_argument("--fresh", action="store_true", help="delete an earlier demo project and start again")
    p.add_argument("--no-window", action="store_true", help="only create it; do not open the desktop app")
    p.set_defaults(handler=commands.demo)

    p = command("open", "open a project in the desktop app")
    p.add_argument(
        "project",
        metavar="PROJECT",
        nargs="?",
        help="its folder or its project.jswc file (none: start screen)",
    )
    p.set_defaults(handler=commands.open_project)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logs.configure()
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    log.info(
        "jswcoder %s: %s", Safe(__version__), Safe("self-test" if args.self_test else args.command or "app")
    )
    if args.self_test:
        return self_test(args)
    if args.command is None:
        return commands.desktop(args)
    try:
        result: int = args.handler(args)
    except JswError as error:
        print(f"jswcoder: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("jswcoder: interrupted", file=sys.stderr)
        return 130
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        # The message of an unexpected error can hold data: the report holds where, never what.
        crash.handle(
            error,
            lambda message: print(f"{message}\nSet {DEBUG_VARIABLE}=1 to see the details.", file=sys.stderr),
        )
        return EXIT_BUG
    return result
