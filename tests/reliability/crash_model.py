"""What a project holds, and what each operation of the crash test must change in it.

:func:`read_state` reads the codebook, the codings and the memos through the service API. :func:`effect`
is an independent model of each operation (written from the service's documented behaviour, not by
calling it): the crash test applies it to the state before a run to know exactly what the recovered
project must hold. :func:`check_run` holds a recovered project to that: every acknowledged operation
is there, and the one operation that may have been cut short is there entirely or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jswcoder.project import Project

CodeKey = tuple[str | None, str, int]  # parent, name, position among its siblings
CodingKey = tuple[str, str, int, int]  # transcript, code, start, end
MemoKey = tuple[str, str | None, str]  # target kind, target, text
Op = dict[str, Any]


@dataclass(frozen=True)
class State:
    codes: dict[str, CodeKey]
    codings: dict[str, CodingKey]
    memos: dict[str, MemoKey]

    def difference(self, other: State) -> str:
        """A short description of what differs (UUIDs and offsets only), for assertion messages."""
        lines = []
        for part in ("codes", "codings", "memos"):
            mine, theirs = getattr(self, part), getattr(other, part)
            for key in sorted(set(mine) | set(theirs)):
                if mine.get(key) != theirs.get(key):
                    lines.append(f"{part} {key[:8]}: {mine.get(key)} != {theirs.get(key)}")
        return "; ".join(lines[:12]) or "no difference"


def read_state(project: Project) -> State:
    codes = {c.uuid: (c.parent_uuid, c.name, c.position) for c in project.codebook.all()}
    codings = {
        c.uuid: (c.transcript_uuid, c.code_uuid, c.start, c.end)
        for t in project.transcripts.all()
        for c in project.codings.of_transcript(t.uuid)
    }
    memos = {m.uuid: (m.target_kind, m.target_uuid, m.text) for m in project.memos.all()}
    return State(codes, codings, memos)


@dataclass
class Model:
    """A mutable copy of a state with the code tree as ordered child lists."""

    parent: dict[str, str | None] = field(default_factory=dict)
    name: dict[str, str] = field(default_factory=dict)
    children: dict[str | None, list[str]] = field(default_factory=dict)
    codings: dict[str, CodingKey] = field(default_factory=dict)
    memos: dict[str, MemoKey] = field(default_factory=dict)

    @classmethod
    def of(cls, state: State) -> Model:
        model = cls(codings=dict(state.codings), memos=dict(state.memos))
        # Siblings in the order the store lists them: by position, then name.
        for uuid, (parent, name, _) in sorted(state.codes.items(), key=lambda kv: (kv[1][2], kv[1][1])):
            model.parent[uuid], model.name[uuid] = parent, name
            model.children.setdefault(parent, []).append(uuid)
        return model

    def state(self) -> State:
        codes = {
            uuid: (parent, self.name[uuid], position)
            for parent, uuids in self.children.items()
            for position, uuid in enumerate(uuids)
        }
        return State(codes, dict(self.codings), dict(self.memos))

    def kids(self, uuid: str | None) -> list[str]:
        return self.children.setdefault(uuid, [])

    def subtree(self, uuid: str) -> list[str]:
        found = [uuid]
        for child in self.kids(uuid):
            found += self.subtree(child)
        return found

    def path(self, uuid: str) -> str:
        parent = self.parent[uuid]
        return self.name[uuid] if parent is None else f"{self.path(parent)}/{self.name[uuid]}"

    def drop_code(self, uuid: str) -> None:
        self.kids(self.parent[uuid]).remove(uuid)
        del self.parent[uuid], self.name[uuid]
        self.children.pop(uuid, None)


def effect(state: State, op: Op, new_uuid: str | None) -> State:
    """The state after *op* (not undo or redo) succeeded; *new_uuid* is the record it created, if any."""
    m = Model.of(state)
    kind = op["kind"]
    if kind == "code":
        wanted = (op["transcript"], op["code"], op["start"], op["end"])
        if wanted not in m.codings.values():  # the same coding is never doubled
            assert new_uuid is not None
            m.codings[new_uuid] = wanted
    elif kind == "uncode":
        del m.codings[op["coding"]]  # a memo on it stays, so that restoring the coding finds it
    elif kind == "change":
        transcript, code, _, _ = m.codings[op["coding"]]
        m.codings[op["coding"]] = (transcript, code, op["start"], op["end"])
    elif kind == "add_theme":
        assert new_uuid is not None
        m.parent[new_uuid], m.name[new_uuid] = op["parent"], op["name"]
        m.kids(op["parent"]).append(new_uuid)
    elif kind == "rename":
        m.name[op["code"]] = op["name"]
    elif kind == "move":
        m.kids(m.parent[op["code"]]).remove(op["code"])
        m.kids(op["parent"]).insert(op["position"], op["code"])
        m.parent[op["code"]] = op["parent"]
    elif kind == "merge":
        _merge(m, op["source"], op["target"])
    elif kind == "delete":
        _delete(m, op["code"])
    elif kind == "memo":
        assert new_uuid is not None
        m.memos[new_uuid] = (op["target_kind"], op["target"], op["text"])
    elif kind == "unmemo":
        del m.memos[op["memo"]]
    elif kind == "project_memo":
        (existing,) = [u for u, memo in m.memos.items() if memo[0] == "project"] or [None]
        if not op["text"].strip():
            m.memos.pop(existing or "", None)
        elif existing is not None:
            m.memos[existing] = ("project", None, op["text"])
        else:
            assert new_uuid is not None
            m.memos[new_uuid] = ("project", None, op["text"])
    else:
        raise AssertionError(f"unknown operation {kind}")
    return m.state()


def _merge(m: Model, source: str, target: str) -> None:
    """The source's codings move to the target, or go where the target already codes the same range
    (memos on them follow to that coding); its memos and sub-themes move; then it is deleted."""
    on_target = {(t, s, e): u for u, (t, c, s, e) in m.codings.items() if c == target}
    for uuid, (transcript, code, start, end) in list(m.codings.items()):
        if code != source:
            continue
        kept = on_target.get((transcript, start, end))
        if kept is None:
            m.codings[uuid] = (transcript, target, start, end)
            continue
        del m.codings[uuid]
        for memo, (kind, about, text) in list(m.memos.items()):
            if kind == "coding" and about == uuid:
                m.memos[memo] = (kind, kept, text)
    for memo, (kind, about, text) in list(m.memos.items()):
        if kind == "code" and about == source:
            m.memos[memo] = (kind, target, text)
    moved = m.kids(source)
    m.children[target] = m.kids(target) + moved
    for child in moved:
        m.parent[child] = target
    m.children[source] = []
    m.drop_code(source)


def _delete(m: Model, uuid: str) -> None:
    """The theme, its sub-themes, their codings and the memos on all of those go."""
    codes = m.subtree(uuid)
    gone = {u for u, coding in m.codings.items() if coding[1] in codes}
    for memo, (kind, about, _) in list(m.memos.items()):
        if (kind == "code" and about in codes) or (kind == "coding" and about in gone):
            del m.memos[memo]
    for coding in gone:
        del m.codings[coding]
    for code in reversed(codes):
        m.drop_code(code)


CREATES = {"code": "codings", "add_theme": "codes", "memo": "memos", "project_memo": "memos"}


@dataclass(frozen=True)
class Entry:
    id: int
    op: Op
    ack: dict[str, Any] | None


def read_log(path: Path) -> list[Entry]:
    """The worker's log: an entry per operation begun, with its acknowledgement if it returned.

    A line cut short by the kill (no newline yet) is not a line: the worker writes each in one call.
    """
    ops: dict[int, Op] = {}
    acks: dict[int, dict[str, Any]] = {}
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    for line in text.splitlines(keepends=True):
        if not line.endswith("\n"):
            break
        record = json.loads(line)
        if "op" in record:
            ops[record["id"]] = record["op"]
        else:
            acks[record["id"]] = record["ack"]
    assert sorted(ops) == list(range(1, len(ops) + 1)), "the log skips an operation"
    assert set(acks) <= set(ops), "an acknowledgement without its operation"
    return [Entry(n, ops[n], acks.get(n)) for n in sorted(ops)]


def expected_states(start: State, entries: list[Entry]) -> tuple[State, State | None]:
    """The state after every acknowledged operation, and the state after the last operation if it was
    not acknowledged (None if that one creates a record: its UUID is not known yet).

    Undo and redo are the worker's, done right after the operation they reverse, as a user presses
    Ctrl+Z: an undo must give back the state before that operation exactly, a redo the state after it.
    """
    history: dict[int, tuple[State, State]] = {}
    state = start
    for position, entry in enumerate(entries):
        last = position == len(entries) - 1
        assert entry.ack is not None or last, f"operation {entry.id} unacknowledged, yet later ones were"
        kind = entry.op["kind"]
        if kind in ("undo", "redo"):
            of = entry.op["of"]
            previous = entries[position - 1] if position else None
            reversed_op = previous is not None and (
                previous.id == of if kind == "undo" else previous.op == {"kind": "undo", "of": of}
            )
            assert reversed_op, f"{kind} {entry.id} does not follow the operation it reverses"
            assert entry.ack is None or entry.ack["ok"], f"{kind} of operation {of} was refused"
            after = history[of][0] if kind == "undo" else history[of][1]
        elif entry.ack is None:
            return state, None if kind in CREATES else effect(state, entry.op, None)
        elif not entry.ack["ok"]:
            after = state  # refused: the service rolled it back
        else:
            after = effect(state, entry.op, entry.ack.get("uuid"))
        if entry.ack is None:
            return state, after
        history[entry.id] = (state, after)
        state = after
    return state, None


def check_run(start: State, entries: list[Entry], recovered: State) -> str:
    """Raise AssertionError unless *recovered* is what the log allows; returns which case it was."""
    acknowledged, complete = expected_states(start, entries)
    pending = entries[-1] if entries and entries[-1].ack is None else None
    if recovered == acknowledged:
        return "all acknowledged" if pending is None else "cut short, absent"
    assert pending is not None, f"acknowledged work differs: {acknowledged.difference(recovered)}"
    if complete is None:  # it creates a record: take the one new record the project holds
        part = CREATES[pending.op["kind"]]
        new = set(getattr(recovered, part)) - set(getattr(acknowledged, part))
        made = new.pop() if len(new) == 1 else None
        assert made is not None or pending.op["kind"] == "project_memo", (
            f"cut-short {pending.op['kind']} left: {acknowledged.difference(recovered)}"
        )
        complete = effect(acknowledged, pending.op, made)
    assert recovered == complete, (
        f"cut-short {pending.op['kind']} is half there (all or nothing expected): "
        f"against all of it: {complete.difference(recovered)}"
    )
    return "cut short, complete"
