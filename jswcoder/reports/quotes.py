"""A coded passage as a report quotes it: cut at sentence boundaries, with "…" where a sentence is cut.

A coder's selection often takes in the last words of the sentence before the one meant ("rota. We
share the office…") or the first of the one after. Such a *stray fragment*, a few words
(:data:`STRAY_WORDS`) and no longer than what remains, is dropped at the sentence boundary inside the
passage. A longer start or end is the coder's choice and stays: the passage is never widened to the
whole sentence (that would quote words nobody coded, and a transcript without full stops has
sentences of a page), and a quote that starts or ends inside a sentence is marked there with "…",
as published reports do ("…there are issues if we share with Children and Families"). A full stop
just after the passage is taken in; no word ever is.

Where sentences begin and end is the search's rule, :func:`jswcoder.services.passage_units.sentences_near`,
so that a hit grown to its sentence and that sentence quoted agree: a sentence ends at ``.``, ``!``,
``?`` (with any closing quotation marks or brackets) before a word that does not start in lower case,
but not after a title ("Mr."), an initial, a word with a stop inside it ("e.g."), an ellipsis (a pause)
or inside a transcriber's [note]; a line (a run of lines, in a hard-wrapped text) ends one; a speaker's
label ("P1:", "[00:00:04] Interviewer:") at a line's start comes before one. Spans in ``protected``
(descriptors the register put in, which may hold ". ") are never cut into nor taken for a sentence end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from jswcoder.services.passage_units import sentences_near

ELLIPSIS = "…"
STRAY_WORDS = 3

# What may follow a passage's last word to its sentence's end and be taken in: a full stop, a closing
# quotation mark or bracket.
_TO_SENTENCE_END = re.compile(r"""[.!?…"'”’)\]»]+""")
_EDGE_PUNCTUATION = " \t\r\n,;:–—-"
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


def _inside(spans: Sequence[Span], at: int) -> Span | None:
    """The span that ``at`` lies strictly inside, if any: a sentence it cuts, a descriptor."""
    for span in spans:
        if span[0] < at < span[1]:
            return span
    return None


def to_sentences(text: str, start: int, end: int, protected: Sequence[Span] = ()) -> Trimmed:
    """The quote of ``text[start:end]``: stray fragments at either end dropped, ends marked if cut."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if _WORD.search(text, start, end) is None:  # nothing to quote but spaces or punctuation: as it is
        return Trimmed(start, end, cut_before=False, cut_after=False)
    sentences = sentences_near(text, start, end, protected)
    if not sentences:  # a speaker's label and nothing else: as it is
        return Trimmed(start, end, cut_before=False, cut_after=False)
    cut = _inside(sentences, end)
    if cut is not None and _TO_SENTENCE_END.fullmatch(text, end, cut[1]):
        end = cut[1]  # the passage's own full stop, just outside it
    # Outside every sentence there is only a speaker's label. One the quote starts in was coded with
    # its turn (a search hit in a label takes it); one after the last sentence is the next turn's.
    end = min(end, sentences[-1][1])
    starts, ends = _inside(sentences, start) is None, _inside(sentences, end) is None
    if starts and ends:  # whole sentences, as is often coded
        return Trimmed(start, end, cut_before=False, cut_after=False)
    # (where a sentence ends, where the next starts) inside the passage
    boundaries = [(a[1], b[0]) for a, b in pairwise(sentences) if start < a[1] and b[0] < end]
    if boundaries and not starts:
        stop, begin = boundaries[0]
        head = _words(text, start, stop, STRAY_WORDS + 1)
        if head <= STRAY_WORDS and _words(text, begin, end, head) >= head:
            start = begin
    if boundaries and not ends:
        stop, begin = boundaries[-1]
        tail = _words(text, begin, end, STRAY_WORDS + 1)
        if stop > start and tail <= STRAY_WORDS and _words(text, start, stop, tail) >= tail:
            end = stop
    cut_before, cut_after = _inside(sentences, start) is not None, _inside(sentences, end) is not None
    if cut_before:
        while start < end and text[start] in _EDGE_PUNCTUATION and not _inside(protected, start):
            start += 1
    if cut_after:
        while end > start and text[end - 1] in _EDGE_PUNCTUATION and not _inside(protected, end):
            end -= 1
    return Trimmed(start, end, cut_before, cut_after)
