"""A coded passage as a report quotes it: cut at sentence boundaries, with "…" where a sentence is cut.

A coder's selection often takes in the last words of the sentence before the one meant ("rota. We
share the office…") or the first of the one after. Such a *stray fragment*, a few words
(:data:`STRAY_WORDS`) and no longer than what remains, is dropped at the sentence boundary inside the
passage. A longer start or end is the coder's choice and stays: the passage is never widened to the
whole sentence (that would quote words nobody coded, and a transcript without full stops has
sentences of a page), and a quote that starts or ends inside a sentence is marked there with "…",
as published reports do ("…there are issues if we share with Children and Families"). A full stop
just after the passage is taken in; no word ever is.

Sentences end at ``.``, ``!``, ``?`` or ``…`` (with any closing quotation marks or brackets) before a
space and a word that does not start in lower case ("e.g. the" goes on; a trailing-off "long... and"
goes on), except after a title ("Mr.", "Dr.") or an initial; and at the end of a line (a speaker's
turn). A speaker's label ("P1:", "Interviewer:") at the start of a line comes before a sentence.
Spans in ``protected`` (descriptors the register put in, which may hold ". ") are never cut into.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

ELLIPSIS = "…"
STRAY_WORDS = 3

_TERMINAL = ".!?…"
_CLOSERS = "\"'”’)]»"
_END = re.compile(rf"[{_TERMINAL}]+[{re.escape(_CLOSERS)}]*")
_BOUNDARY = re.compile(rf"[{_TERMINAL}]+[{re.escape(_CLOSERS)}]*(\s+)|\n\s*")
_LABEL = re.compile(r"[ \t]*[^\s.!?:…][^\n.!?:…]{0,39}:[ \t]*")
_LABEL_AT = re.compile(r"[^\s.!?:…][^\n.!?:…]{0,39}:[ \t]+")
_TURN_END = re.compile(r"[ \t\r]*(?:\n|\Z)")
_LAST_WORD = re.compile(r"(\w+)[.]$")
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "st", "prof", "rev", "cllr", "sgt", "insp", "supt", "cpl"})
_EDGE_PUNCTUATION = " \t\r\n,;:–—-"
_LOOK_BACK = 60
_WORD = re.compile(r"[^\s\w]*\w\S*")  # a word: a run without spaces that holds a letter or digit

Span = tuple[int, int]


@dataclass(frozen=True)
class Trimmed:
    """Where the quote lies in the text, and whether it starts or ends inside a sentence."""

    start: int
    end: int
    cut_before: bool
    cut_after: bool

    @property
    def before(self) -> str:
        """What marks the quote's start: "…" if it starts inside a sentence."""
        return ELLIPSIS if self.cut_before else ""

    @property
    def after(self) -> str:
        return ELLIPSIS if self.cut_after else ""

    def shown(self, text: str) -> str:
        """The quote, marked, from ``text`` (the text it was trimmed in)."""
        return f"{self.before}{text[self.start : self.end]}{self.after}"


def _words(text: str, start: int, end: int, enough: int) -> int:
    """The words in ``text[start:end]``, counted up to ``enough``."""
    count = 0
    for _ in _WORD.finditer(text, start, end):
        count += 1
        if count >= enough:
            break
    return count


def _ends_sentence(text: str, stop: int) -> bool:
    """True if the terminal punctuation just before ``stop`` ends a sentence (not "Dr." or "e.g. the")."""
    word = _LAST_WORD.search(text, max(0, stop - 12), stop)
    if word is not None and (word.group(1).casefold() in _TITLES or len(word.group(1)) == 1):
        return False
    following = text[stop : stop + 3].lstrip()
    return not following or not following[0].islower()


def _starts_sentence(text: str, at: int) -> bool:
    line = text.rfind("\n", max(0, at - _LOOK_BACK), at) + 1
    before = text[max(line, at - _LOOK_BACK) : at]
    if line > at - _LOOK_BACK and (not before.strip() or _LABEL.fullmatch(before)):
        return True
    stripped = before.rstrip()
    if stripped == before or not stripped.rstrip(_CLOSERS).endswith(tuple(_TERMINAL)):
        return False
    return not text[at : at + 1].islower() and _ends_sentence(text, at - (len(before) - len(stripped)))


def _at_sentence_end(text: str, at: int) -> bool:
    if _TURN_END.match(text, at):
        return True
    if not text[at : at + 1].isspace():
        return False
    return text[max(0, at - 8) : at].rstrip(_CLOSERS).endswith(tuple(_TERMINAL)) and _ends_sentence(text, at)


def _inside(spans: Sequence[Span], at: int) -> bool:
    return any(a < at < b for a, b in spans)


def _boundary(text: str, match: re.Match[str], end: int, protected: Sequence[Span]) -> Span | None:
    """(where a sentence ends, where the next starts) if ``match`` is a sentence boundary before ``end``."""
    stop = match.start(1) if match.group(1) is not None else match.start()
    begin = match.end()
    if "\n" in match.group():  # a new turn: its sentence starts after the speaker's label
        label = _LABEL_AT.match(text, begin, end)
        begin = label.end() if label is not None else begin
    if begin >= end or _inside(protected, stop):
        return None
    if match.group(1) is not None and not (_ends_sentence(text, stop) and not text[begin].islower()):
        return None
    return stop, begin


def to_sentences(text: str, start: int, end: int, protected: Sequence[Span] = ()) -> Trimmed:
    """The quote of ``text[start:end]``: stray fragments at either end dropped, ends marked if cut."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if _WORD.search(text, start, end) is None:  # nothing to quote but spaces or punctuation: as it is
        return Trimmed(start, end, cut_before=False, cut_after=False)
    stop = _END.match(text, end)
    if stop is not None and _at_sentence_end(text, stop.end()) and not _at_sentence_end(text, end):
        end = stop.end()  # the passage's own full stop, just outside it
    starts, ends = _starts_sentence(text, start), _at_sentence_end(text, end)
    if starts and ends:  # whole sentences, as is often coded
        return Trimmed(start, end, cut_before=False, cut_after=False)
    matches = [m for m in _BOUNDARY.finditer(text, start, end) if m.end() < end]
    if matches and not starts:
        first = next(filter(None, (_boundary(text, m, end, protected) for m in matches)), None)
        if first is not None:
            head = _words(text, start, first[0], STRAY_WORDS + 1)
            if head <= STRAY_WORDS and _words(text, first[1], end, head) >= head:
                start = first[1]
    if matches and not ends:
        found = (_boundary(text, m, end, protected) for m in reversed(matches))
        last = next((b for b in found if b is not None and b[0] > start), None)
        if last is not None:
            tail = _words(text, last[1], end, STRAY_WORDS + 1)
            if tail <= STRAY_WORDS and _words(text, start, last[0], tail) >= tail:
                end = last[0]
    cut_before, cut_after = not _starts_sentence(text, start), not _at_sentence_end(text, end)
    if cut_before:
        while start < end and text[start] in _EDGE_PUNCTUATION and not _inside(protected, start):
            start += 1
    if cut_after:
        while end > start and text[end - 1] in _EDGE_PUNCTUATION and not _inside(protected, end):
            end -= 1
    return Trimmed(start, end, cut_before, cut_after)
