"""``jswcoder reconcile``: walk through a double-coded transcript's disagreements and settle each one."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from jswcoder.analysis.agreement import Passage
from jswcoder.analysis.reconcile import CHOICE_WORDS, CHOICES, Choice, Reconciliation, decide, reconciliation
from jswcoder.cli.commands import _print_json, opened
from jswcoder.errors import InvalidInput

Command = Callable[[str, str], argparse.ArgumentParser]

USAGE_DECIDE = "decide ID keep A|B|both|neither"


def add_commands(command: Command) -> None:
    """The reconcile command and its options."""
    p = command(
        "reconcile",
        "settle the disagreements of a transcript two coders coded: list them with an id each and the "
        f"progress, or '{USAGE_DECIDE}' to keep A's version, B's, both or neither into the agreed coder "
        "(once every one is decided, the matrix and reports use the agreed coding of the transcript)",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    p.add_argument("decision", nargs="*", metavar="decide ID keep CHOICE", help=f"'{USAGE_DECIDE}'")
    p.add_argument("--json", action="store_true", help="print the disagreements and progress as JSON")
    p.set_defaults(handler=reconcile)


def _decision(words: list[str]) -> tuple[int, Choice] | None:
    if not words:
        return None
    if len(words) != 4 or words[0] != "decide" or words[2] != "keep" or not words[1].isdecimal():
        raise InvalidInput(f"to decide, write: {USAGE_DECIDE} (not {' '.join(words)!r})")
    choice = {c.casefold(): c for c in CHOICES}.get(words[3].casefold())
    if choice is None:
        raise InvalidInput(f"keep one of: {', '.join(CHOICES)} (not {words[3]!r})")
    return int(words[1]), choice


def reconcile(args: argparse.Namespace) -> int:
    wanted = _decision(args.decision)
    with opened(args) as project:
        if wanted is not None:
            decide(project, args.transcript, *wanted)
        state = reconciliation(project, args.transcript)
    if args.json:
        _print_json(as_dict(state))
    elif wanted is not None:
        item = state.item(wanted[0])
        print(f"{item.number}: {CHOICE_WORDS[wanted[1]]} ({item.disagreement.theme}). {state.progress}.")
    else:
        print(render(state), end="")
    return 0


def _passages(passages: tuple[Passage, ...]) -> list[dict[str, Any]]:
    return [{"start": p.start, "end": p.end, "text": p.text} for p in passages]


def as_dict(state: Reconciliation) -> dict[str, Any]:
    return {
        "transcript": {"uuid": state.transcript.uuid, "name": state.transcript.name},
        "coder_a": {"uuid": state.coder_a.uuid, "name": state.coder_a.name},
        "coder_b": {"uuid": state.coder_b.uuid, "name": state.coder_b.name},
        "decided": state.decided,
        "total": state.total,
        "disagreements": [
            {
                "id": item.number,
                "theme": item.disagreement.theme,
                "code_uuid": item.disagreement.code_uuid,
                "start": item.disagreement.start,
                "end": item.disagreement.end,
                "coder_a": _passages(item.disagreement.coder_a),
                "coder_b": _passages(item.disagreement.coder_b),
                "decision": item.choice,
            }
            for item in state.items
        ],
    }


def _side(passages: tuple[Passage, ...]) -> str:
    if not passages:
        return "(not coded)"
    return "  ".join(f"[{p.start}-{p.end}] {' '.join(p.text.split())}" for p in passages)


def render(state: Reconciliation) -> str:
    lines = [
        f"{state.transcript.name}: A = {state.coder_a.name}, B = {state.coder_b.name}. {state.progress}.",
    ]
    if not state.items:
        lines.append("No disagreements: the coders coded every theme on the same characters.")
    for item in state.items:
        d = item.disagreement
        decided = "not yet decided" if item.choice is None else CHOICE_WORDS[item.choice]
        lines += [
            "",
            f"{item.number}. {d.theme}, characters {d.start}-{d.end}: {decided}",
            f"   A: {_side(d.coder_a)}",
            f"   B: {_side(d.coder_b)}",
        ]
    return "\n".join(lines) + "\n"
