"""Crash safety: the app process killed (SIGKILL) at random moments loses nothing it had reported done.

A child process (tests/reliability/crash_worker.py) works on a real encrypted project through the
service API, logging each operation durably before it starts and after it returns. The test kills it
after a random delay, many times over, and after every kill opens the project (no stale lock), runs
SQLCipher's and SQLite's integrity checks, and compares the project with an independent model of the
logged operations: every acknowledged operation is there, and the one the kill may have cut short is
there entirely or not at all (a merge, a delete with its codings and memos, an undo).

JSWCODER_CRASH_KILLS sets the number of kills (25 by default; 500 for a long run) and
JSWCODER_CRASH_SEED the seed (printed on failure). The seed fixes the operations each child chooses
and the delays; where a kill lands still depends on the machine's speed.
"""

from __future__ import annotations

import json
import os
import random
import select
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from jswcoder.errors import JswError
from jswcoder.project import Project
from tests.conftest import PASSPHRASE, REPO, make_project, write_txt
from tests.reliability.crash_model import Entry, State, check_run, read_log, read_state
from tests.reliability.crash_worker import PASSPHRASE_VARIABLE, WEIGHTS

KILLS = int(os.environ.get("JSWCODER_CRASH_KILLS", "25"))
# Every 4th child is killed at a random moment from its start (while Python starts, the key is
# unwrapped or the database opened); the others once their first operations are acknowledged, so
# that every kind of operation is acknowledged, and cut short, in a short run.
EARLY_EVERY = 4
FIRST_KINDS = [
    "merge",
    "delete,undo",
    "merge,undo,redo",
    "code",
    "uncode,undo",
    "move,undo",
    "add_theme,undo,redo",
    "rename",
    "memo",
    "project_memo",
    "unmemo",
    "change,undo",
    "delete,undo,redo",
    "code,undo,redo",
]
READY_TIMEOUT = 120  # seconds; only a hung child comes near it


def _synthetic_transcript(number: int) -> str:
    """Invented turns: the log and any failure message may show offsets, never a real word."""
    turns = []
    for turn in range(30):
        turns.append(f"Interviewer: Question {turn} of interview {number}, about the service?")
        turns.append(
            f"P{number}: Answer {turn}: " + " ".join(f"word{(turn * 7 + k) % 50}" for k in range(12))
        )
    return "\n".join(turns) + "\n"


def _make_study(folder: Path, inbox: Path) -> None:
    project, _ = make_project(folder)
    with project:
        for number in (1, 2):
            project.transcripts.import_file(
                write_txt(inbox, f"interview_{number}.txt", _synthetic_transcript(number))
            )
        for path in ("Access/Waiting", "Access/Distance", "Support/Same worker", "Risk", "Outcomes", "Other"):
            project.codebook.add(path)
        codes = [c.uuid for c in project.codebook.all()]
        transcripts = [t.uuid for t in project.transcripts.all()]
        rng = random.Random(0)
        for n in range(40):
            start = 37 * rng.randrange(30)
            coding, _ = project.codings.add(transcripts[n % 2], start, start + 50, codes[n % len(codes)])
        project.memos.save("project", None, "project note 0")
        project.memos.add("note 1", "code", codes[0])
        project.memos.add("note 2", "coding", coding.uuid)


def _run_child(folder: Path, log: Path, seed: int, first: str, early: bool, rng: random.Random) -> str:
    """Start a worker, kill it at a random moment, and return its stderr if it stopped by itself."""
    env = {**os.environ, PASSPHRASE_VARIABLE: PASSPHRASE}
    command = [
        sys.executable,
        "-m",
        "tests.reliability.crash_worker",
        str(folder),
        str(log),
        str(seed),
        first,
    ]
    with open(log.with_suffix(".err"), "w+b") as err:
        child = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=err)
        assert child.stdout is not None
        try:
            if not early:
                readable, _, _ = select.select([child.stdout], [], [], READY_TIMEOUT)
                assert readable, "the worker never acknowledged its first operations"
            time.sleep(rng.uniform(0, 0.6 if early else 0.3))
            status = child.poll()
        finally:
            child.kill()  # SIGKILL: no clean-up runs in the child
            child.wait()
            child.stdout.close()
        err.seek(0)
        return "" if status is None else f"exit status {status}\n{err.read().decode(errors='replace')}"


def _after_kill(folder: Path, state: State, entries: list[Entry]) -> tuple[str, State]:
    """Open the killed child's project, check it, and hold it to the log; returns the case and the state."""
    # Opening must work at once: the OS released the lock with the process.
    with Project.open(folder, passphrase=PASSPHRASE, use_keychain=False) as project:
        problems = project.integrity_problems()
        assert problems == [], f"integrity checks failed: {problems}"
        recovered = read_state(project)
    return check_run(state, entries, recovered), recovered


def test_killed_at_random_moments_the_project_keeps_every_acknowledged_operation(tmp_path: Path) -> None:
    seed = int(os.environ.get("JSWCODER_CRASH_SEED") or random.randrange(2**32))
    rng = random.Random(seed)
    folder = tmp_path / "study"
    _make_study(folder, tmp_path / "inbox")
    with Project.open(folder, passphrase=PASSPHRASE, use_keychain=False) as project:
        state: State = read_state(project)
    outcomes: Counter[str] = Counter()
    acknowledged: Counter[str] = Counter()
    late = 0
    for kill in range(KILLS):
        where = f"(replay with JSWCODER_CRASH_SEED={seed}; kill {kill + 1} of {KILLS})"
        early = kill % EARLY_EVERY == 0
        first = "" if early else FIRST_KINDS[late % len(FIRST_KINDS)]
        late += 0 if early else 1
        log = tmp_path / f"kill-{kill}.jsonl"
        stopped = _run_child(folder, log, seed + kill, first, early, rng)
        assert stopped == "", f"the worker stopped by itself {where}: {stopped}"
        entries = read_log(log)
        assert early or entries, f"no operation logged {where}"
        try:
            outcome, state = _after_kill(folder, state, entries)
        except (AssertionError, JswError) as error:
            raise AssertionError(f"{type(error).__name__}: {error} {where}") from error
        outcomes[outcome] += 1
        acknowledged.update(e.op["kind"] for e in entries if e.ack is not None and e.ack["ok"])
    print(f"crash test: seed {seed}, {KILLS} kills, {dict(outcomes)}, acknowledged {dict(acknowledged)}")
    assert sum(outcomes.values()) == KILLS
    if late >= len(FIRST_KINDS):
        assert set(acknowledged) == set(WEIGHTS), f"never acknowledged: {set(WEIGHTS) - set(acknowledged)}"


@pytest.mark.parametrize("cut", ["before", "after"])
def test_the_checker_catches_a_lost_or_half_done_operation(tmp_path: Path, cut: str) -> None:
    """The control: the model refuses a project missing an acknowledged coding, or half a merge."""
    folder = tmp_path / "study"
    _make_study(folder, tmp_path / "inbox")
    with Project.open(folder, passphrase=PASSPHRASE, use_keychain=False) as project:
        start = read_state(project)
        codes = [c.uuid for c in project.codebook.all()]
        source = next(
            c for c in codes if not project.codebook.get(c).parent_uuid and project.codings.of_code(c)
        )
        target = next(
            c for c in reversed(codes) if c != source and project.codebook.get(c).parent_uuid is None
        )
        log = tmp_path / "log.jsonl"
        first_coding = project.codings.of_code(source)[0]
        lines = [
            {"id": 1, "op": {"kind": "uncode", "coding": first_coding.uuid}},
            {"id": 1, "ack": {"ok": True, "uuid": None}},
            {"id": 2, "op": {"kind": "merge", "source": source, "target": target}},
        ]
        if cut == "before":  # the coding removal was acknowledged but is not in the project
            log.write_text("".join(f"{json.dumps(line)}\n" for line in lines[:2]))
            with pytest.raises(AssertionError, match="acknowledged work differs"):
                check_run(start, read_log(log), start)
            return
        project.codings.remove(first_coding.uuid)
        log.write_text("".join(f"{json.dumps(line)}\n" for line in lines))
        # Half a merge: the codings moved to the target, but the source theme was not deleted.
        moved = [coding.uuid for coding in project.codings.of_code(source)]
        for coding in moved:
            project.codings.change(coding, code_uuid=target)
        with pytest.raises(AssertionError, match="merge is half there"):
            check_run(start, read_log(log), read_state(project))
        for coding in moved:
            project.codings.change(coding, code_uuid=source)
        project.codebook.merge(source, target)  # the whole merge passes
        assert check_run(start, read_log(log), read_state(project)) == "cut short, complete"
