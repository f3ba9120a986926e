"""``jswcoder assign``: the lead gives a team transcript to a second fieldworker to code it blind."""

from __future__ import annotations

import argparse

from jswcoder.cli.commands import opened
from jswcoder.team import double_coding


def assign(args: argparse.Namespace) -> int:
    with opened(args) as project:
        if args.withdraw:
            done = double_coding.withdraw(project, args.transcript, args.coder)
            print(
                f"withdrew {done.transcript!r} from {done.member_name}: their codings on it are no longer taken"
            )
            print("if they already have it, it stays in their project")
            return 0
        done = double_coding.assign(project, args.transcript, args.coder)
        print(
            f"assigned {done.transcript!r} to {done.member_name} for double coding (blind: without the codings)"
        )
        if done.waiting:
            print(
                f"it waits: {done.member_name}'s encryption key is not known yet; it goes out once they "
                "have synced with this version of jswcoder and you have synced after them"
            )
        else:
            print("it goes out, sealed for them alone, in the team file the next time you sync")
    return 0
