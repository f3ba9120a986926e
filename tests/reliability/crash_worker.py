"""The crash test's child: a seeded random stream of coding and codebook work on a real project.

    python -m tests.reliability.crash_worker PROJECT LOG SEED [FIRST_KINDS]

It opens the project with the passphrase in ``JSWCODER_PASSPHRASE`` and works through the service API
the app uses until it is killed. Before each operation it appends ``{"id": n, "op": {...}}`` to LOG,
and after the operation returns ``{"id": n, "ack": {...}}``; each line is written in one call and
fsynced, so an acknowledged operation is one the app had reported done. The log holds operation
kinds, UUIDs, offsets and the synthetic theme names and memo texts made up here: no transcript text.

FIRST_KINDS (comma-separated) are done first, so that every kind of operation is acknowledged in a
short run; "ready" is printed on stdout once they are acknowledged.
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jswcoder.errors import JswError
from jswcoder.project import Project
from tests.reliability.crash_model import Model, Op, read_state

PASSPHRASE_VARIABLE = "JSWCODER_PASSPHRASE"
LENGTHS = (20, 50, 120)  # coded ranges come from a small grid, so that merges meet duplicates
STEP = 37
WEIGHTS = {
    "code": 30,
    "uncode": 10,
    "change": 5,
    "add_theme": 10,
    "rename": 6,
    "move": 8,
    "merge": 6,
    "delete": 5,
    "memo": 6,
    "unmemo": 3,
    "project_memo": 4,
    "undo": 10,
    "redo": 5,
}
# What to do first when a kind cannot be done yet (no memo to remove, nothing to undo, ...).
PREREQUISITE = {
    "uncode": "code",
    "change": "code",
    "unmemo": "memo",
    "memo": "code",
    "code": "add_theme",
    "rename": "add_theme",
    "move": "add_theme",
    "merge": "add_theme",
    "delete": "add_theme",
    "undo": "rename",
    "redo": "undo",
}
MIN_CODES, MAX_CODES, MIN_CODINGS, MAX_CODINGS = 5, 40, 10, 200

Undo = Callable[[], Callable[[], Any]]  # reverses the operation; returns what redoes it


@dataclass
class View:
    """What the planner knows: the project's state as a model, and the transcripts' lengths."""

    m: Model
    lengths: dict[str, int]
    rng: random.Random
    can_undo: bool
    can_redo: bool

    def pick(self, items: list[Any]) -> Any:
        return self.rng.choice(items) if items else None

    def fresh_name(self, parent: str | None, taken_by: str | None = None) -> str:
        names = {self.m.name[u] for u in self.m.kids(parent) if u != taken_by}
        while True:
            name = f"Theme {self.rng.randrange(10**6)}"
            if name not in names:
                return name

    def range_in(self, transcript: str) -> tuple[int, int]:
        start = STEP * self.rng.randrange(max(1, (self.lengths[transcript] - max(LENGTHS)) // STEP))
        return start, start + self.rng.choice(LENGTHS)


def plan(kind: str, v: View) -> Op | None:
    """Parameters for one operation of *kind* that the service should accept, or None if none can be."""
    m, codes = v.m, sorted(v.m.parent)
    if kind == "code":
        if not codes:
            return None
        transcript = v.pick(sorted(v.lengths))
        start, end = v.range_in(transcript)
        return {"transcript": transcript, "code": v.pick(codes), "start": start, "end": end}
    if kind in ("uncode", "change"):
        coding = v.pick(sorted(m.codings))
        if coding is None:
            return None
        if kind == "uncode":
            return {"coding": coding}
        transcript, code, start, end = m.codings[coding]
        new_end = start + v.rng.choice([n for n in LENGTHS if n != end - start])
        if (transcript, code, start, new_end) in m.codings.values():
            return None  # the service would let it double a coding; the app never asks that
        return {"coding": coding, "start": start, "end": new_end}
    if kind == "add_theme":
        parent = None if v.rng.random() < 0.3 else v.pick(codes)
        name = v.fresh_name(parent)
        return {
            "parent": parent,
            "name": name,
            "path": name if parent is None else f"{m.path(parent)}/{name}",
        }
    if kind == "rename":
        code = v.pick(codes)
        return None if code is None else {"code": code, "name": v.fresh_name(m.parent[code], code)}
    if kind == "move":
        code = v.pick(codes)
        if code is None:
            return None
        inside = set(m.subtree(code))
        parent = None if v.rng.random() < 0.3 else v.pick([c for c in codes if c not in inside])
        siblings = [u for u in m.kids(parent) if u != code]
        if m.name[code] in {m.name[u] for u in siblings}:
            return None
        return {"code": code, "parent": parent, "position": v.rng.randrange(len(siblings) + 1)}
    if kind in ("merge", "delete"):
        code = v.pick(codes)
        if code is None or len(codes) - len(m.subtree(code)) < MIN_CODES:
            return None
        if kind == "delete":
            return {"code": code}
        target = v.pick([c for c in codes if c not in m.subtree(code)])
        clash = {m.name[u] for u in m.kids(target)} & {m.name[u] for u in m.kids(code)}
        return None if target is None or clash else {"source": code, "target": target}
    if kind == "memo":
        about = v.pick(["code", "coding"])
        target = v.pick(codes if about == "code" else sorted(m.codings))
        text = f"note {v.rng.randrange(10**6)}"
        return None if target is None else {"target_kind": about, "target": target, "text": text}
    if kind == "unmemo":
        memo = v.pick(sorted(m.memos))
        return None if memo is None else {"memo": memo}
    if kind == "project_memo":
        return {"text": "" if v.rng.random() < 0.2 else f"project note {v.rng.randrange(10**6)}"}
    if kind == "undo":
        return {} if v.can_undo else None
    if kind == "redo":
        return {} if v.can_redo else None
    raise AssertionError(kind)


def random_kind(v: View) -> str:
    weights = dict(WEIGHTS)
    if len(v.m.parent) >= MAX_CODES:
        weights["add_theme"] = 0
    if len(v.m.parent) < 2 * MIN_CODES:
        weights["add_theme"] *= 4
    if len(v.m.codings) >= MAX_CODINGS:
        weights["code"] = 2
    if len(v.m.codings) <= MIN_CODINGS:
        weights["uncode"] = 0
    return v.rng.choices(list(weights), list(weights.values()))[0]


class Worker:
    def __init__(self, project: Project, log_path: str) -> None:
        self.project = project
        self.log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.count = 0
        self.undo: tuple[int, Undo] | None = None  # the operation just done, and how to reverse it
        self.redo: tuple[int, Callable[[], Any]] | None = None  # the operation just undone

    def write(self, record: dict[str, Any]) -> None:
        os.write(self.log, (json.dumps(record) + "\n").encode())
        os.fsync(self.log)

    def view(self, rng: random.Random) -> View:
        lengths = {t.uuid: t.length for t in self.project.transcripts.all()}
        m = Model.of(read_state(self.project))
        return View(m, lengths, rng, self.undo is not None, self.redo is not None)

    def step(self, kind: str, op: Op) -> None:
        """Log it, do it, acknowledge it."""
        self.count += 1
        if kind == "undo":
            assert self.undo is not None
            op = {"of": self.undo[0]}
        elif kind == "redo":
            assert self.redo is not None
            op = {"of": self.redo[0]}
        op = {"kind": kind, **op}
        self.write({"id": self.count, "op": op})
        try:
            ack = self.perform(op)
        except JswError:
            self.undo = self.redo = None
            ack = {"ok": False}
        self.write({"id": self.count, "ack": ack})

    def perform(self, op: Op) -> dict[str, Any]:
        p, kind, n = self.project, op["kind"], self.count
        undo: Undo | None = None
        made: str | None = None
        if kind == "undo":
            assert self.undo is not None
            redo = self.undo[1]()
            self.undo, self.redo = None, (op["of"], redo)
            return {"ok": True}
        if kind == "redo":
            assert self.redo is not None
            self.redo[1]()
            self.undo = self.redo = None
            return {"ok": True}
        if kind == "code":
            coding, new = p.codings.add(op["transcript"], op["start"], op["end"], op["code"])
            made = coding.uuid
            if new:

                def undo() -> Callable[[], Any]:
                    removed = p.codings.remove(coding.uuid)
                    return lambda: p.codings.restore(removed)

        elif kind == "uncode":
            removed = p.codings.remove(op["coding"])

            def undo() -> Callable[[], Any]:
                p.codings.restore(removed)
                return lambda: p.codings.remove(removed.uuid)

        elif kind == "change":
            before = p.codings.change(op["coding"], start=op["start"], end=op["end"])

            def undo() -> Callable[[], Any]:
                p.codings.change(before.uuid, start=before.start, end=before.end)
                return lambda: p.codings.change(before.uuid, start=op["start"], end=op["end"])

        elif kind == "add_theme":
            made = p.codebook.add(op["path"]).uuid

            def undo() -> Callable[[], Any]:
                snapshot = p.codebook.delete(made or "")
                return lambda: p.codebook.restore(snapshot)

        elif kind == "rename":
            old = p.codebook.rename(op["code"], op["name"])

            def undo() -> Callable[[], Any]:
                p.codebook.rename(old.uuid, old.name)
                return lambda: p.codebook.rename(old.uuid, op["name"])

        elif kind == "move":
            where = p.codebook.move(op["code"], op["parent"], op["position"])

            def undo() -> Callable[[], Any]:
                p.codebook.move(op["code"], *where)
                return lambda: p.codebook.move(op["code"], op["parent"], op["position"])

        elif kind == "merge":
            record = p.codebook.merge(op["source"], op["target"])

            def undo() -> Callable[[], Any]:
                p.codebook.unmerge(record)
                return lambda: p.codebook.merge(op["source"], op["target"])

        elif kind == "delete":
            deleted = p.codebook.delete(op["code"])

            def undo() -> Callable[[], Any]:
                p.codebook.restore(deleted)
                return lambda: p.codebook.delete(op["code"])

        elif kind == "memo":
            made = p.memos.add(op["text"], op["target_kind"], op["target"]).uuid
        elif kind == "unmemo":
            p.memos.remove(op["memo"])
        elif kind == "project_memo":
            saved = p.memos.save("project", None, op["text"])
            made = None if saved is None else saved.uuid
        else:
            raise AssertionError(kind)
        self.undo = None if undo is None else (n, undo)
        self.redo = None
        return {"ok": True, "uuid": made}

    def run(self, rng: random.Random, first: list[str], parent_pid: int) -> None:
        ready = False
        while self.count < 100_000 and os.getppid() == parent_pid:
            v = self.view(rng)
            kind = first[0] if first else random_kind(v)
            op = plan(kind, v)
            tries = 0
            while op is None and tries < 20:  # try other parameters, then do what it needs first
                tries += 1
                if first and tries > 5:
                    kind = PREREQUISITE.get(kind, "add_theme")
                elif not first:
                    kind = random_kind(v)
                op = plan(kind, v)
            assert op is not None, f"nothing to do for {first[:1]}"
            if first and kind == first[0]:
                first.pop(0)
            self.step(kind, op)
            if not first and not ready:
                ready = True
                print("ready", flush=True)


def main(argv: list[str]) -> int:
    folder, log_path, seed = argv[:3]
    first = [k for k in (argv[3] if len(argv) > 3 else "").split(",") if k]
    parent_pid = os.getppid()
    project = Project.open(folder, passphrase=os.environ[PASSPHRASE_VARIABLE], use_keychain=False)
    try:
        Worker(project, log_path).run(random.Random(int(seed)), first, parent_pid)
    finally:
        project.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
