"""Indirect identification: combinations of released attributes, and quotes, that fit fewer than k people.

Direct identifiers (names, places) are the register's. This module finds the other half of the UK
Data Service's guidance: details that identify someone only together ("the only female team leader in
[NAME OF AREA]"). It is plain data in, plain data out, with no project and no Qt: the caller says what
one export releases about each participant and which quotes it carries.

**Combinations.** For each participant, the attributes the export releases (a package's group and the
attributes opted in; a deposit's permitted ones). Every combination of one to :data:`MAX_WIDTH`
released attributes is counted; one shared by fewer than ``k`` participants is a finding, reported
only when it is minimal (no smaller part of it is rare already), so a rare council area is reported
once, not again with every other attribute beside it. The attribution's group *alone* is never a
finding: it is how the study attributes every quote ("Client interview 7"), a design the team agreed;
a group is reported only together with another released attribute. The interview number is the
attribution's pseudonym, unique by design, and is never counted.

**Quotes.** A quoted passage narrows who said it, by a simple rule that can be explained to a user:
start from the participants who share the speaker's released attributes; a place descriptor the
register inserted ("[NAME OF AREA]") keeps those in the speaker's council area; a word of uniqueness
("the only", "only one", "sole") anywhere in a quote that holds a descriptor leaves one. A quote that
holds a descriptor and narrows to fewer than ``k`` is a finding. No language is parsed.

A finding's id is a digest of what it is about (never the values themselves), so a decision stored
against it holds while the data does not change, and a changed value is a new finding to decide. A
quote's is its passage and its text as it leaves, whatever else an export releases: the user decides a
quote once, for the report, the matrix and the review alike.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

DEFAULT_K = 3
MAX_WIDTH = 3
GROUP = "participant_group"
COUNCIL_AREA = "council_area"
ROLE = "role"
NEVER_COUNTED = frozenset({"interview_number"})
BROADER_GROUP = "Participant"
"""The group a rare group value is merged into: every participant's."""
COARSER: dict[str, str] = {COUNCIL_AREA: "[a council area]"}
"""Attributes with a coarser value a rare one becomes; a rare role is merged into its group; any other
is withheld (:data:`WITHHELD`)."""
WITHHELD = "[withheld]"
_UNINFORMATIVE = frozenset({WITHHELD, *COARSER.values()})
BRACKETED = re.compile(r"\[[^\[\]\n]{1,80}\]")
"""A descriptor as the register writes one ("[NAME OF AREA]"): how a lead's quotes, anonymised by the
fieldworkers' registers, show where something was replaced."""
_UNIQUE = re.compile(
    r"\b(?:the only|only one|the one and only|sole|the single|the first ever)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Released:
    """What one export releases about one participant (``case`` is the participant's id)."""

    case: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class Quote:
    """A quoted passage as it leaves, and whose it is (``case``)."""

    id: str
    case: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A combination (or a quote) fitting ``count`` participants, fewer than k, and what to do."""

    id: str
    kind: str  # "combination" or "quote"
    combination: tuple[tuple[str, str], ...]  # attribute names and values
    count: int
    cases: tuple[str, ...]
    attribute: str  # the attribute to generalise
    suggestion: str  # its suggested value
    quote: str | None = None  # the quote's id, for a quote finding

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _value in self.combination)


def finding_id(kind: str, parts: Iterable[str]) -> str:
    digest = hashlib.sha256("\x1f".join((kind, *parts)).encode("utf-8")).hexdigest()
    return digest[:10]


def quote_finding_id(quote: Quote) -> str:
    """A quote's finding id: its passage and its text as it leaves, whatever an export releases."""
    return finding_id("quote", [quote.id, quote.text])


def suggest(attribute: str) -> str:
    """The suggested generalisation of a rare value of ``attribute``."""
    if attribute == GROUP:
        return BROADER_GROUP
    return COARSER.get(attribute, WITHHELD)


def _suggestion(attribute: str, holders: Sequence[Mapping[str, str]]) -> str:
    """A rare role is merged into its holders' group when they share one ("Team leader" becomes
    "Senior managers / team leaders"); anything else as :func:`suggest` says."""
    groups = {values.get(GROUP) for values in holders}
    if attribute == ROLE and len(groups) == 1 and None not in groups:
        return str(groups.pop())
    return suggest(attribute)


def _counted(released: Released) -> dict[str, str]:
    """The values that tell a reader something: a withheld or coarsened one ("[a council area]") does not."""
    return {
        name: value
        for name, value in released.values.items()
        if value and name not in NEVER_COUNTED and value not in _UNINFORMATIVE
    }


def _to_generalise(names: Sequence[str], spread: Mapping[str, int]) -> str:
    """The attribute whose generalisation helps most: a coarsenable one, else the most varied."""
    for name in names:
        if name in COARSER:
            return name
    others = [n for n in names if n != GROUP] or list(names)
    return max(others, key=lambda n: (spread.get(n, 0), n))


def rare_combinations(people: Sequence[Released], k: int = DEFAULT_K) -> list[Finding]:
    """The minimal combinations of released attributes shared by fewer than ``k`` participants."""
    rows = {p.case: _counted(p) for p in people}
    names = sorted({name for values in rows.values() for name in values})
    spread = {n: len({v[n] for v in rows.values() if n in v}) for n in names}
    rare: set[tuple[tuple[str, str], ...]] = set()
    findings = []
    for width in range(1, min(MAX_WIDTH, len(names)) + 1):
        for chosen in combinations(names, width):
            if chosen == (GROUP,):
                continue  # the attribution's group alone is the study's design
            holders: dict[tuple[str, ...], list[str]] = defaultdict(list)
            for case, values in rows.items():
                if all(n in values for n in chosen):
                    holders[tuple(values[n] for n in chosen)].append(case)
            for shared, cases in sorted(holders.items()):
                if len(cases) >= k:
                    continue
                combination = tuple(zip(chosen, shared, strict=True))
                if any(set(smaller) <= set(combination) for smaller in rare):
                    continue
                rare.add(combination)
                attribute = _to_generalise(chosen, spread)
                findings.append(
                    Finding(
                        id=finding_id("combination", [f"{n}={v}" for n, v in combination]),
                        kind="combination",
                        combination=combination,
                        count=len(cases),
                        cases=tuple(sorted(cases)),
                        attribute=attribute,
                        suggestion=_suggestion(attribute, [rows[case] for case in cases]),
                    )
                )
    return findings


def bracketed(texts: Iterable[str]) -> set[str]:
    """The descriptors written in ``texts`` (:data:`BRACKETED`)."""
    return {found for text in texts for found in BRACKETED.findall(text)}


class _Descriptors:
    """A set of descriptors, found in a text quickly: a bracketed one ("[NAME OF AREA]") by the text's
    own brackets, any other by searching for it. Tens of thousands of quotes against hundreds of
    descriptors are read once each, not once per descriptor."""

    def __init__(self, descriptors: Iterable[str]) -> None:
        every = {d for d in descriptors if d}
        self._bracketed = {d for d in every if BRACKETED.fullmatch(d)}
        self._others = every - self._bracketed

    def _bracketed_in(self, text: str) -> set[str]:
        if not self._bracketed or "[" not in text:
            return set()
        return {found for found in BRACKETED.findall(text) if found in self._bracketed}

    def any_in(self, text: str) -> bool:
        return bool(self._bracketed_in(text)) or any(d in text for d in self._others)


class _Narrowing:
    """The rule above, prepared once for many quotes."""

    def __init__(
        self,
        people: Sequence[Released],
        areas: Mapping[str, str | None],
        place_descriptors: Iterable[str],
        all_descriptors: Iterable[str],
    ) -> None:
        self.rows = {p.case: _counted(p) for p in people}
        self.areas = areas
        self.places = _Descriptors(place_descriptors)
        self.every = _Descriptors(all_descriptors)
        self._sharing: dict[str, list[str]] = {}  # a speaker -> who shares their released values

    def sharing(self, case: str) -> list[str]:
        if case not in self._sharing:
            speaker = self.rows.get(case, {})
            self._sharing[case] = [
                other
                for other, values in self.rows.items()
                if all(values.get(n) == v for n, v in speaker.items())
            ]
        return self._sharing[case]

    def __call__(self, quote: Quote) -> tuple[list[str], bool]:
        if not self.every.any_in(quote.text):
            return [], False
        if _UNIQUE.search(quote.text):
            return [quote.case], True
        sharing = self.sharing(quote.case)
        area = self.areas.get(quote.case)
        if area is None or not self.places.any_in(quote.text):
            return list(sharing), True
        return [case for case in sharing if self.areas.get(case) == area], True


def narrowed_by(
    quote: Quote,
    people: Sequence[Released],
    areas: Mapping[str, str | None],
    place_descriptors: Iterable[str],
    all_descriptors: Iterable[str],
) -> tuple[list[str], bool]:
    """Who could have said ``quote`` by the rule above, and whether it holds a descriptor at all.

    ``areas`` is every participant's council area as the project knows it (released or not): a place
    descriptor in a quote says where its speaker works even when the export withholds the area.
    """
    return _Narrowing(people, areas, place_descriptors, all_descriptors)(quote)


def narrowing_quotes(
    quotes: Sequence[Quote],
    people: Sequence[Released],
    areas: Mapping[str, str | None],
    place_descriptors: Iterable[str],
    all_descriptors: Iterable[str],
    k: int = DEFAULT_K,
) -> list[Finding]:
    """Quotes holding a descriptor that, with their attribution, narrow to fewer than ``k`` people."""
    narrowed = _Narrowing(people, areas, place_descriptors, all_descriptors)
    findings = []
    for quote in quotes:
        matching, holds = narrowed(quote)
        if not holds or len(matching) >= k:
            continue
        speaker = narrowed.rows.get(quote.case, {})
        combination = tuple(sorted(speaker.items()))
        findings.append(
            Finding(
                id=quote_finding_id(quote),
                kind="quote",
                combination=combination,
                count=len(matching),
                cases=tuple(sorted(matching)),
                attribute=GROUP,
                suggestion=BROADER_GROUP,
                quote=quote.id,
            )
        )
    return findings
