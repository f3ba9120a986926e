"""``jswcoder index``, ``similar`` and ``suggest``: the local assistant on the command line (issue 20).

Each sits on :attr:`jswcoder.project.Project.assistance`, as the app does. ``similar``, ``suggest`` and
``agreement --coders NAME assistant`` need the passage index as the transcripts are now: when a
transcript is new or changed since it was indexed, they index it first and say so on stderr, with the
same progress as ``index`` (a careful user expects the answer to cover every transcript, and indexing
stays on this computer; ``jswcoder index`` does it alone, ahead of time). Ctrl+C stops indexing between
two batches of passages: every transcript finished is kept, and the next run goes on from there.

The optional part missing, each says so in one line before asking for a passphrase.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from jswcoder.assist import model
from jswcoder.cli.commands import _notice, _print_json, opened
from jswcoder.errors import InvalidInput
from jswcoder.project import Project
from jswcoder.services.assistance import IndexUpdate, Scope, SimilarPassage, Suggestion

Command = Callable[[str, str], argparse.ArgumentParser]

EXIT_STOPPED = 130  # as for any command stopped by Ctrl+C
SHOWN_CHARACTERS = 100  # a passage on one line in the text output (to a file or pipe)
NARROWEST = 30  # on a terminal the line fits its width, the passage keeping at least this much
MOST = 1000  # --top at most


def add_commands(command: Command) -> None:
    """index, similar and suggest, with their options."""
    p = command(
        "index",
        "index the transcripts for the local assistant (passages like this, theme suggestions): only "
        "those new or changed since the last time; Ctrl+C stops and keeps what is done",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(handler=index)

    p = command(
        "similar",
        "find passages like some words or like a coding, across the project or within filters, "
        "best first (indexes new or changed transcripts first)",
    )
    p.add_argument("project", metavar="PROJECT")
    like = p.add_mutually_exclusive_group(required=True)
    like.add_argument("--text", metavar="WORDS", help="passages like these words")
    like.add_argument("--coding", metavar="UUID", help="passages like the words of this coding (it left out)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many passages (default 10)")
    p.add_argument(
        "--transcript",
        action="append",
        metavar="T",
        help="only in this transcript (name or UUID); give it again for more",
    )
    coded = p.add_mutually_exclusive_group()
    coded.add_argument("--coded", action="store_true", help="only passages someone has coded")
    coded.add_argument("--uncoded", action="store_true", help="only passages nobody has coded")
    p.add_argument("--theme", metavar="PATH", help="only passages coded with this theme (path or UUID)")
    p.add_argument("--json", action="store_true", help="print the passages as JSON")
    p.set_defaults(handler=similar)

    p = command(
        "suggest",
        "the themes the local assistant suggests for a transcript's passages, with the coded examples "
        "that led there; codes nothing (indexes new or changed transcripts first)",
    )
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("transcript", metavar="TRANSCRIPT", help="its name or UUID")
    p.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    p.set_defaults(handler=suggest)


# -- indexing with progress, stopped by Ctrl+C -------------------------------------------------------


class _Progress:
    """Indexing progress on stderr: rewritten in place on a terminal, a line every few seconds elsewhere."""

    def __init__(self) -> None:
        self.began = time.monotonic()
        self.shown = 0.0
        self.tty = sys.stderr.isatty()
        self.every = 0.25 if self.tty else 5.0
        self.dirty = False
        self.name = ""

    def __call__(self, done: int, total: int, name: str) -> None:
        moment = time.monotonic()
        begun = name != self.name and not self.tty  # off a terminal, each transcript begun has its line
        if total == 0 or not (begun or done == total or moment - self.shown >= self.every):
            return
        self.shown, self.name = moment, name
        elapsed = moment - self.began
        line = f"{name}: {done:,} of {total:,} passages"
        if 0 < done < total and elapsed > 1:
            line += f", about {_duration((total - done) * elapsed / done)} left"
        if self.tty:
            sys.stderr.write(f"\r\x1b[K{line}")
            self.dirty = True
        else:
            sys.stderr.write(f"{line}\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.dirty:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


@contextmanager
def _ctrl_c() -> Iterator[Callable[[], bool]]:
    """While indexing, the first Ctrl+C asks the update to stop after its batch (what is done is kept);
    a second one interrupts at once. Yields the question the update asks between batches."""
    asked: list[bool] = []

    def handler(_signum: int, _frame: FrameType | None) -> None:
        if asked:
            raise KeyboardInterrupt
        asked.append(True)
        sys.stderr.write("\njswcoder: stopping after this batch; what is done is kept\n")
        sys.stderr.flush()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(asked)
    finally:
        signal.signal(signal.SIGINT, previous)


def _update(project: Project) -> IndexUpdate:
    progress = _Progress()
    try:
        with _ctrl_c() as cancelled:
            return project.assistance.update(progress=progress, cancelled=cancelled)
    finally:
        progress.close()


def stopped(done: IndexUpdate) -> int:
    _notice(
        f"stopped: {done.transcripts} transcript{_s(done.transcripts)} indexed and kept; "
        "run the command again to go on"
    )
    return EXIT_STOPPED


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def ensure_indexed(project: Project) -> IndexUpdate | None:
    """Index what is new or changed, saying so on stderr; None if nothing was; the update if it was."""
    status = project.assistance.status()
    waiting = status.transcripts - status.indexed
    if waiting == 0:
        return None
    _notice(
        f"indexing {waiting} new or changed transcript{_s(waiting)} first "
        "(kept for next time; jswcoder index does this alone)"
    )
    return _update(project)


# -- the commands -----------------------------------------------------------------------------------


def index(args: argparse.Namespace) -> int:
    model.check_available()
    with opened(args) as project:
        done = _update(project)
        status = project.assistance.status()
    if args.json:
        _print_json(
            {
                "transcripts": done.transcripts,
                "passages": done.passages,
                "removed": done.removed,
                "seconds": round(done.seconds, 3),
                "stopped": done.cancelled,
                "indexed": status.indexed,
                "of": status.transcripts,
                "passages_in_index": status.passages,
            }
        )
    else:
        if done.transcripts:
            print(
                f"Indexed {done.transcripts} transcript{_s(done.transcripts)} "
                f"({done.passages:,} passages) in {done.seconds:.1f} s."
            )
        elif not done.cancelled:
            print("Nothing new to index.")
        print(
            f"The index holds {status.indexed} of {status.transcripts} transcript{_s(status.transcripts)} "
            f"({status.passages:,} passages)."
        )
    return stopped(done) if done.cancelled else 0


def _scope(project: Project, args: argparse.Namespace) -> Scope | None:
    transcripts = None
    if args.transcript:
        transcripts = frozenset(project.transcripts.find(ref).uuid for ref in args.transcript)
    code_uuid = None if args.theme is None else project.codebook.find(args.theme).uuid
    coded = True if args.coded else False if args.uncoded else None
    if transcripts is None and coded is None and code_uuid is None:
        return None
    return Scope(transcripts=transcripts, coded=coded, code_uuid=code_uuid)


def similar(args: argparse.Namespace) -> int:
    if args.text is not None and not args.text.strip():
        raise InvalidInput("give some words with --text")
    if not 1 <= args.top <= MOST:
        raise InvalidInput(f"--top takes a number from 1 to {MOST}")
    model.check_available()
    with opened(args) as project:
        scope = _scope(project, args)  # a mistyped name or theme is refused before any indexing
        if args.coding is not None:
            project.codings.get(args.coding)
        done = ensure_indexed(project)
        if done is not None and done.cancelled:
            return stopped(done)
        if args.coding is not None:
            found = project.assistance.similar_to_coding(args.coding, top=args.top, scope=scope)
        else:
            found = project.assistance.similar(args.text, top=args.top, scope=scope)
    if args.json:
        _print_json([p.as_dict() for p in found])
    elif not found:
        print("No passages found.")
    else:
        for passage in found:
            print(_passage_line(passage))
    return 0


def _one_line(text: str, before: str = "") -> str:
    """``before`` and the text on one line, the text shortened to fit a terminal, or to a set length."""
    most = SHOWN_CHARACTERS
    if sys.stdout.isatty():
        most = max(NARROWEST, shutil.get_terminal_size().columns - len(before) - 1)
    flat = " ".join(text.split())
    return before + (flat if len(flat) <= most else flat[: most - 1].rstrip() + "…")


def _passage_line(p: SimilarPassage, indent: str = "") -> str:
    where = f"{p.transcript} {p.start}-{p.end}"
    source = where if p.attribution == p.transcript else f"{p.attribution} ({where})"
    return _one_line(p.text, f"{indent}{p.score:.2f}  {source}  ")


def suggest(args: argparse.Namespace) -> int:
    model.check_available()
    with opened(args) as project:
        transcript = project.transcripts.find(args.transcript)
        done = ensure_indexed(project)
        if done is not None and done.cancelled:
            return stopped(done)
        found = project.assistance.suggest(transcript.uuid)
    if args.json:
        _print_json([s.as_dict() for s in found])
    elif not found:
        print(f"No suggestions for {transcript.name}.")
    else:
        for s in found:
            print(_suggestion_lines(s))
    return 0


def _suggestion_lines(s: Suggestion) -> str:
    lines = [f"{s.start}-{s.end}  {s.path}  {s.score:.2f}", _one_line(s.text, "    ")]
    if s.examples:
        lines.append("    like:")
        lines += [_passage_line(e, indent="      ") for e in s.examples]
    return "\n".join(lines)
