"""The detector's findings for one text, kept in the project so that only added texts are read again.

The detector judges a text partly by the rest of the study: a word is a name when it is seen
capitalised mid-sentence elsewhere, not when the study writes it in lower case somewhere, and an
ALL-CAPS heading or "the BGH" is a name when it was found so in another text. A text's findings are
therefore kept with every question its rules asked of the study and the answer they got ("is 'Grant'
known as a name?", "is 'grant' written in lower case anywhere?"). A later run reuses them only while
every answer still holds, so the findings are exactly those of a fresh run over all the texts, and
adding one transcript reads that transcript (and any text whose answers it changed) again.

A record holds only strings of its own text: its words, the questions about them and its spans. It
lives inside the encrypted project, keyed by the text's hash (:func:`jswcoder.ids.text_sha256`) and
the detector's version, and is removed with the text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from jswcoder.anonymise.patterns import Span


class Asking:
    """A set that notes each membership question asked of it and the answer it gave."""

    __slots__ = ("_base", "answers")

    def __init__(self, base: AbstractSet[str]) -> None:
        self._base = base
        self.answers: dict[str, bool] = {}

    def __contains__(self, item: object) -> bool:
        answer = item in self._base
        if isinstance(item, str):
            self.answers[item] = answer
        return answer


def _hold(answers: Mapping[str, bool], now: AbstractSet[str]) -> bool:
    return all((word in now) == answer for word, answer in answers.items())


@dataclass(frozen=True)
class Pass:
    """One pass of the detector's rules over a text: the spans found, and the answers they rest on."""

    spans: tuple[Span, ...]
    known: Mapping[str, bool]  # words known as names in the study
    lower: Mapping[str, bool]  # words the study writes in lower case
    accepted: Mapping[str, bool]  # strings found as identifiers in the first pass

    def holds(self, known: AbstractSet[str], lower: AbstractSet[str], accepted: AbstractSet[str]) -> bool:
        """Whether every answer is still the one given: then the pass would find the same spans."""
        return _hold(self.known, known) and _hold(self.lower, lower) and _hold(self.accepted, accepted)


@dataclass
class TextFindings:
    """What one text tells the detector about the study, and its two passes once run."""

    lower: frozenset[str]  # its words in lower case
    known: frozenset[str]  # its words seen as names (mid-sentence, speaker labels, role values)
    appositive: frozenset[str]  # "Janice, the coordinator": names unless the study writes them in lower case
    fixed: tuple[Span, ...]  # shaped identifiers and gazetteer entries: they depend on nothing else
    first: Pass | None = field(default=None)
    second: Pass | None = field(default=None)

    def to_json(self) -> str:
        return json.dumps(
            {
                "lower": sorted(self.lower),
                "known": sorted(self.known),
                "appositive": sorted(self.appositive),
                "fixed": [list(s) for s in self.fixed],
                "first": None if self.first is None else _pass_json(self.first),
                "second": None if self.second is None else _pass_json(self.second),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, value: str) -> TextFindings | None:
        """The record saved, or ``None`` when it cannot be read (it is then found afresh)."""
        try:
            saved = json.loads(value)
            return cls(
                frozenset(saved["lower"]),
                frozenset(saved["known"]),
                frozenset(saved["appositive"]),
                _spans(saved["fixed"]),
                None if saved["first"] is None else _pass(saved["first"]),
                None if saved["second"] is None else _pass(saved["second"]),
            )
        except (ValueError, KeyError, TypeError):
            return None


def _answers_json(answers: Mapping[str, bool]) -> dict[str, list[str]]:
    return {
        "yes": sorted(w for w, a in answers.items() if a),
        "no": sorted(w for w, a in answers.items() if not a),
    }


def _answers(saved: Mapping[str, list[str]]) -> dict[str, bool]:
    return {**dict.fromkeys(saved["yes"], True), **dict.fromkeys(saved["no"], False)}


def _pass_json(found: Pass) -> dict[str, Any]:
    return {
        "spans": [list(s) for s in found.spans],
        "known": _answers_json(found.known),
        "lower": _answers_json(found.lower),
        "accepted": _answers_json(found.accepted),
    }


def _spans(rows: Iterable[list[Any]]) -> tuple[Span, ...]:
    return tuple(Span(int(a), int(b), str(c), str(d)) for a, b, c, d in rows)


def _pass(saved: Mapping[str, Any]) -> Pass:
    return Pass(
        _spans(saved["spans"]),
        _answers(saved["known"]),
        _answers(saved["lower"]),
        _answers(saved["accepted"]),
    )
