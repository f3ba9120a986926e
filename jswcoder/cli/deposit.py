"""``jswcoder deposit`` and ``jswcoder deposit-log``: an archive deposit, and reading its anonymisation log.

The deposit is :mod:`jswcoder.reports.deposit`, imported only when one of these runs. The target folder is
checked before the project is opened, so a taken folder costs no passphrase. The log's passphrase comes
from ``JSWCODER_LOG_PASSPHRASE`` or is typed twice; one that is weak or opens the project is refused
before it is typed again.
"""

# ruff: noqa: PLC0415
from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict

from jswcoder.cli import secrets
from jswcoder.cli.commands import opened
from jswcoder.model import OPTIONAL_ATTRIBUTES

Command = Callable[[str, str], argparse.ArgumentParser]
LOG_PASSPHRASE = "JSWCODER_LOG_PASSPHRASE"


def add_commands(command: Command) -> None:
    p = command(
        "deposit",
        "write an archive deposit: anonymised transcripts, .qdpx, .qdc, a data list, a README and the "
        "anonymisation log, encrypted with a passphrase of its own",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--out", required=True, metavar="DIR", help="a new (or empty) folder for the deposit")
    p.add_argument(
        "--attribute",
        action="append",
        choices=OPTIONAL_ATTRIBUTES,
        default=[],
        help="also put this participant detail in the data list (repeat for more)",
    )
    p.set_defaults(handler=deposit)
    p = command("deposit-log", "print a deposit's anonymisation log (asks for the log's passphrase)")
    p.add_argument("file", metavar="FILE", help="the deposit's anonymisation_log.jswlog")
    p.add_argument("--json", action="store_true", help="print the log as JSON")
    p.set_defaults(handler=deposit_log)


def deposit(args: argparse.Namespace) -> int:
    from jswcoder.reports.deposit import check_log_passphrase, check_target, write_deposit

    check_target(args.out)
    with opened(args) as project:
        passphrase = secrets.obtain(
            LOG_PASSPHRASE,
            "Choose a passphrase for the anonymisation log (not the project's): ",
            confirm=True,
            check=lambda candidate: check_log_passphrase(project, candidate),
        )
        done = write_deposit(project, args.out, passphrase, attributes=args.attribute)
    how = "anonymised with the register" if done.anonymised else "a team project's: anonymised already"
    print(
        f"wrote the deposit to {done.path} ({how}): {done.transcripts} transcript(s), {len(done.files)} files"
    )
    print(f"the anonymisation log ({done.replacements} replacement(s)) is encrypted with its own passphrase;")
    print("keep it apart from the data and give its passphrase to the archive separately")
    return 0


def deposit_log(args: argparse.Namespace) -> int:
    from jswcoder.reports.deposit.anonymisation_log import read_log

    passphrase = secrets.obtain(LOG_PASSPHRASE, "The anonymisation log's passphrase: ")
    log = read_log(args.file, passphrase)
    if args.json:
        document = {**asdict(log), "entries": [asdict(e) for e in log.entries]}
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for line in log.lines():
            print(line)
    return 0
