"""The audit trail a lead hands to an ethics committee: who did what, when, in plain facts.

Every export, deposit, register change, admission or refusal, withdrawal, purge, receipt and the end of
retention is recorded once, where it happens (see the callers of :func:`record`). An event holds the
project's coder name (``actor``), the time in UTC, an action from :data:`ACTIONS`, and ``details``:
plain facts only: kinds, counts, a file's *name* (never its folder), a participant's attribution
("Client interview 7"), a team member's name. Never transcript text, a register entry's text, a
reason typed for a withdrawal, a passphrase or a path: :func:`record` accepts only flat strings,
numbers and booleans, and callers pass what they know to be facts.

The trail is append-only (triggers refuse UPDATE and DELETE) and chained: each event's ``chain`` is
the SHA-256 of the previous event's chain and the event's canonical JSON, so :meth:`AuditTrail.verify`
finds an event edited or deleted behind the program's back, and says which one. A withdrawal's purge
leaves the trail alone: it names attributions, never what a participant said.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from jswcoder.errors import InvalidInput, JswError
from jswcoder.ids import now
from jswcoder.model import Coder
from jswcoder.store import audit as rows
from jswcoder.store import meta, people

Fact = str | int | bool

# Each action and how it reads in the app and in an exported trail.
ACTIONS: dict[str, str] = {
    "export": "Export",
    "deposit": "Archive deposit",
    "register.add": "Register entry added",
    "register.remove": "Register entry removed",
    "register.edit": "Register entry changed",
    "register.dismiss": "Suggestion dismissed",
    "register.import": "Register imported",
    "suggestion.accept": "Suggested theme accepted",
    "suggestion.undo": "Suggested theme taken back",
    "member.admit": "Member admitted",
    "member.refuse": "Member refused",
    "withdrawal": "Participant withdrawn",
    "withdrawal.purge": "Lead's withdrawal order applied",
    "withdrawal.receipt": "Withdrawal confirmed by a member",
    "retention.ended": "Retention period ended",
    "retention.receipt": "Destruction confirmed by a member",
}

GENESIS = "0" * 64  # the chain before the first event


@dataclass(frozen=True)
class Event:
    seq: int
    at: str  # ISO 8601, UTC
    actor: str
    action: str
    details: dict[str, Fact]
    chain: str

    @property
    def what(self) -> str:
        """The action in words ("Register entry added")."""
        return ACTIONS.get(self.action, self.action)

    @property
    def in_words(self) -> str:
        """The details in words: "theme report; file: report.docx; anonymised: yes"."""
        return in_words(self.details)


@dataclass(frozen=True)
class Verified:
    """The outcome of :meth:`AuditTrail.verify`: ``broken_at`` is the first event that fails (None if
    none does), with why in plain words."""

    events: int
    broken_at: int | None = None
    why: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def file_name(path: Path | str) -> str:
    """A written file's name for the trail, without the folder it went to (which may name someone)."""
    return Path(path).name


def in_words(details: Mapping[str, Fact]) -> str:
    """The facts as a line: what first ("theme report"), then "file: report.docx; anonymised: yes"."""
    parts = [str(details["what"])] if "what" in details else []
    for key, value in details.items():
        if key != "what":
            shown = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            parts.append(f"{key.replace('_', ' ')}: {shown}")
    return "; ".join(parts)


def _checked(action: str, details: Mapping[str, Fact]) -> dict[str, Fact]:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")  # a bug: every action is listed
    for key, value in details.items():
        if not isinstance(value, str | int | bool):
            raise InvalidInput(f"an audit event's {key} must be a plain fact, not {type(value).__name__}")
        if isinstance(value, str) and ("/" in value or "\\" in value) and key == "file":
            raise ValueError("an audit event names a file without its folder")  # a bug: use file_name
    return dict(details)


def _canonical(seq: int, at: str, actor: str, action: str, details: str) -> str:
    body = {"seq": seq, "at": at, "actor": actor, "action": action, "details": json.loads(details)}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chained(previous: str, seq: int, at: str, actor: str, action: str, details: str) -> str:
    """The chain of an event: SHA-256 of the previous event's chain and this event's canonical JSON."""
    text = previous + "\n" + _canonical(seq, at, actor, action, details)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record(db: Database, coder: Coder | None, action: str, **details: Fact) -> Event:
    """Append one event by ``coder`` (None: the project's own coder, read from the project). Called
    inside the transaction of the change it records, where there is one, so the change and its event
    are stored together or not at all."""
    facts = _checked(action, details)
    coder = coder or _project_coder(db)
    text = json.dumps(facts, separators=(",", ":"), ensure_ascii=False)  # as given: read in that order
    with db.atomic():
        before = rows.last(db)
        seq = 1 if before is None else before.seq + 1
        at = now()
        chain = chained(GENESIS if before is None else before.chain, seq, at, coder.name, action, text)
        rows.append(db, rows.AuditRow(seq, at, coder.name, action, text, chain))
    return Event(seq, at, coder.name, action, facts, chain)


def _project_coder(db: Database) -> Coder:
    coder_uuid = meta.get(db, "coder_uuid")
    coder = people.coder_by_uuid(db, coder_uuid) if coder_uuid else None
    if coder is None:
        raise JswError("the project has no coder recorded; it may be damaged")
    return coder


def _event(row: rows.AuditRow) -> Event:
    return Event(row.seq, row.at, row.actor, row.action, json.loads(row.details), row.chain)


class AuditTrail:
    """The project's audit trail (``project.audit``)."""

    def __init__(self, db: Database, coder: Coder) -> None:
        self._db = db
        self._coder = coder

    def record(self, action: str, **details: Fact) -> Event:
        return record(self._db, self._coder, action, **details)

    def events(self, *, action: str | None = None, newest_first: bool = True) -> list[Event]:
        """Every event (of one action, if given), newest first unless asked otherwise."""
        return [_event(row) for row in rows.rows(self._db, newest_first=newest_first, action=action)]

    def actions(self) -> list[str]:
        """The actions recorded so far, in the order of :data:`ACTIONS`."""
        order = list(ACTIONS)
        return sorted(rows.actions(self._db), key=lambda a: order.index(a) if a in order else len(order))

    def verify(self) -> Verified:
        """Recompute the chain from the first event: the first one whose chain, number or place does
        not fit is where the trail was changed."""
        previous, expected, count = GENESIS, 1, 0
        for row in rows.rows(self._db):
            count += 1
            if row.seq != expected:
                return Verified(count, expected, f"event {expected} is missing (the next is {row.seq})")
            try:
                chain = chained(previous, row.seq, row.at, row.actor, row.action, row.details)
            except ValueError:
                chain = ""
            if chain != row.chain:
                return Verified(count, row.seq, f"event {row.seq} was changed after it was recorded")
            previous, expected = row.chain, expected + 1
        head = rows.head(self._db)
        last = expected - 1
        if head is not None and head[0] < last:
            return Verified(count, head[0] + 1, f"event {head[0] + 1} was added behind the program's back")
        if head is not None and (head[0] != last or head[1] != previous):
            return Verified(
                count, last + 1, f"events after {last} are missing (the last recorded was {head[0]})"
            )
        if head is None and last:
            return Verified(
                count, last, "the trail's last event was not noted; it may have been tampered with"
            )
        return Verified(count)
