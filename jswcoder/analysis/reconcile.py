"""Settling disagreements: the lead walks through a double-coded transcript's disagreements and keeps
A's version, B's, both or neither into an *agreed* coder (issue 17, item 5).

What a disagreement is. For each theme, each coder's codings of it are merged into *stretches* (the
maximal runs of characters that coder coded with the theme; touching or overlapping codings join).
Stretches of the two coders that share at least one character are linked, and the connected groups are
the *clusters*; a cluster whose two sides are not the same stretches is a disagreement
(:class:`jswcoder.analysis.agreement.Disagreement`: the one-transcript agreement report lists the same
ones). Every character either coder coded with the theme lies in exactly one cluster.

What a decision writes. The agreed coder's codings of a theme are: every cluster the coders agree on,
as it is, plus for each decided disagreement A's stretches ("A"), B's ("B"), their union ("both"), or
nothing ("neither"); undecided ones contribute nothing. They are derived afresh from the stored
decisions at each decision (and undo), in one transaction with it, so they never drift from them.

When it counts. A transcript is *reconciled* once every one of its disagreements is decided; from then
on the Framework matrix, the theme report and the coding summary read the agreed coder's codings of it
instead of its own coder's (:func:`jswcoder.store.reconciliations.complete`). Half-way, the own
coder's still count, so a report never shows a half-settled transcript.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal, get_args

from jswcoder.analysis.agreement import Disagreement, Span, agreement, coders_of, merged
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coder, Coding, Transcript
from jswcoder.project import Project
from jswcoder.store import people
from jswcoder.store import reconciliations as store

Choice = Literal["A", "B", "both", "neither"]
CHOICES: tuple[Choice, ...] = get_args(Choice)
CHOICE_WORDS: dict[Choice, str] = {
    "A": "keep A's version",
    "B": "keep B's version",
    "both": "keep both",
    "neither": "keep neither",
}


@dataclass(frozen=True)
class Item:
    """One disagreement, numbered from 1 in the theme tree's order then by position, and its decision."""

    number: int
    disagreement: Disagreement
    choice: Choice | None

    @property
    def key(self) -> store.Key:
        d = self.disagreement
        return (d.code_uuid, d.start, d.end)

    @property
    def versions(self) -> str:
        """Both sides' stretches as offsets: what the decision was made on."""
        d = self.disagreement
        return json.dumps([[[p.start, p.end] for p in d.coder_a], [[p.start, p.end] for p in d.coder_b]])


@dataclass(frozen=True)
class Reconciliation:
    transcript: Transcript
    coder_a: Coder
    coder_b: Coder
    items: tuple[Item, ...]

    @property
    def decided(self) -> int:
        return sum(1 for item in self.items if item.choice is not None)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def progress(self) -> str:
        return f"{self.decided} of {self.total} decided"

    def item(self, number: int) -> Item:
        if not 1 <= number <= self.total:
            raise NotFound(
                f"there is no disagreement {number} on {self.transcript.name}; they are numbered 1 to "
                f"{self.total}"
            )
        return self.items[number - 1]


def chosen(item: Disagreement, choice: Choice) -> list[Span]:
    """What a decision keeps of one disagreement."""
    a = [(p.start, p.end) for p in item.coder_a]
    b = [(p.start, p.end) for p in item.coder_b]
    return {"A": a, "B": b, "both": merged(a + b), "neither": []}[choice]


def agreed_spans(spans_a: list[Span], items: list[tuple[Disagreement, Choice | None]]) -> list[Span]:
    """The agreed coder's stretches of one theme: A's stretches outside every disagreement (where the
    coders agree), and what each decided disagreement keeps."""
    kept = [
        span
        for span in merged(spans_a)
        if not any(span[0] < d.end and d.start < span[1] for d, _choice in items)
    ]
    for d, choice in items:
        if choice is not None:
            kept += chosen(d, choice)
    return merged(kept)


def _pair(project: Project, transcript: Transcript) -> tuple[Coder, Coder]:
    present = coders_of(project, transcript.uuid)
    if len(present) != 2:
        raise InvalidInput(
            f"{transcript.name} was coded by {len(present)} coder{'s' if len(present) != 1 else ''}; "
            "reconciling needs a transcript coded by exactly two"
        )
    return present[0], present[1]


def reconciliation(project: Project, transcript_ref: str) -> Reconciliation:
    """The disagreements of a double-coded transcript (name or UUID) and the decisions on them."""
    transcript = project.transcripts.find(transcript_ref)
    coder_a, coder_b = _pair(project, transcript)
    report = agreement(project, transcript.uuid, (coder_a.uuid, coder_b.uuid))
    stored = store.decisions(project.db, transcript.uuid)
    items = []
    for number, found in enumerate(report.disagreements, start=1):
        item = Item(number, found, None)
        versions, choice = stored.get(item.key, ("", ""))
        if versions == item.versions and choice in CHOICES:
            item = Item(number, found, choice)  # checked just above
        items.append(item)
    return Reconciliation(transcript, coder_a, coder_b, tuple(items))


def decide(project: Project, transcript_ref: str, number: int, choice: Choice | None) -> Choice | None:
    """Decide disagreement *number* (None: make it undecided again) and rewrite the agreed coding, in
    one transaction. Returns the decision it had before, for undo."""
    if choice is not None and choice not in CHOICES:
        raise InvalidInput(f"keep one of: {', '.join(CHOICES)} (not {choice!r})")
    before = reconciliation(project, transcript_ref)
    item = before.item(number)
    transcript = before.transcript
    db = project.db
    with db.atomic():
        if choice is None:
            store.forget(db, transcript.uuid, item.key)
        else:
            store.decide(db, transcript.uuid, item.key, item.versions, choice, project.coder.uuid)
        after = reconciliation(project, transcript.uuid)
        agreed = people.ensure_coder(db, store.AGREED_CODER)
        codings = _agreed_codings(project, after, agreed) if after.decided else []
        store.replace_agreed(db, transcript.uuid, agreed.uuid, codings)
        store.set_progress(db, transcript.uuid, agreed.uuid, after.decided, after.total)
    return item.choice


def _agreed_codings(project: Project, state: Reconciliation, agreed: Coder) -> list[Coding]:
    spans_a: dict[str, list[Span]] = {}
    for coding in project.codings.of_transcript(state.transcript.uuid):
        if coding.coder_uuid == state.coder_a.uuid:
            spans_a.setdefault(coding.code_uuid, []).append((coding.start, coding.end))
    by_theme: dict[str, list[tuple[Disagreement, Choice | None]]] = {}
    for item in state.items:
        by_theme.setdefault(item.disagreement.code_uuid, []).append((item.disagreement, item.choice))
    stamp = now()
    return [
        Coding(new_uuid(), state.transcript.uuid, theme, start, end, agreed.uuid, stamp)
        for theme in sorted({*spans_a, *by_theme})
        for start, end in agreed_spans(spans_a.get(theme, []), by_theme.get(theme, []))
    ]
