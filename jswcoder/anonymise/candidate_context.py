"""Where each register candidate occurs, with the words around it (keyword in context), for review.

A fieldworker decides whether "Grant" names someone by reading it where it stands. Given the
candidates and the texts they were found in, :func:`contexts` finds every occurrence in one pass per
text and keeps, for each candidate, how often and in which transcripts it occurs and the first
:data:`SHOWN` occurrences with a few words either side, so the review costs the same however long
the study is. Occurrences follow the detector's counting rules (whole words, case as written,
overlaps to the longest candidate), except that any run of whitespace matches any other: a name
broken over a line is still found. Nothing here reads or writes anything but its arguments.

:func:`keyword_in_context` cuts the words either side; the search's results show their context with
it too (:mod:`jswcoder.services.search`, a layer above), across line ends and without a word limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

SHOWN = 20  # occurrences kept per candidate, with their context
WORDS = 6  # words of context either side, at most…
CHARS = 60  # …and at most this many characters either side

_SPACE = re.compile(r"\s+")
_TrieNode = dict[str, "_TrieNode"]  # "" marks the end of a candidate


@dataclass(frozen=True, slots=True)
class Source:
    """A text candidates may occur in, and what a person calls it."""

    name: str  # "int_3", "int_3 (footnote)", "a memo"…
    text: str
    transcript_uuid: str | None = None  # the transcript it belongs to (its own text or one of its notes)
    transcript_name: str | None = None
    openable: bool = False  # the transcript's own text: an occurrence can be opened at its offsets


@dataclass(frozen=True, slots=True)
class Occurrence:
    """``source``'s ``text[start:end]`` (code points): the candidate, with context on one line."""

    source: str  # the source's name
    transcript_uuid: str | None  # set when the transcript can be opened here, at start…end
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True, slots=True)
class CandidateContext:
    count: int  # every occurrence, in every source
    transcripts: tuple[str, ...]  # the names of the transcripts it occurs in, in the order of the sources
    shown: tuple[Occurrence, ...]  # the first SHOWN occurrences, in the order of the sources


EMPTY = CandidateContext(0, (), ())


def _key(text: str) -> str:
    return " ".join(text.split())


def _atom(char: str) -> str:
    return r"\s+" if char == " " else re.escape(char)


def _trie(node: _TrieNode) -> str:
    """Longer continuations first, then the end of a candidate: the longest one at a start wins."""
    branches = []
    for char, child in sorted(node.items()):
        if not char:
            continue
        chain, below = _atom(char), child
        while len(below) == 1 and "" not in below:  # a run without branches: one literal chain
            ((next_char, below),) = below.items()
            chain += _atom(next_char)
        branches.append(chain + _trie(below))
    if "" in node:
        branches.append(r"(?!\w)")
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _pattern(keys: Iterable[str]) -> re.Pattern[str]:
    """One pattern for every candidate. It does not open with a look-behind, so ``re`` skips ahead to
    the candidates' first characters (capitals, mostly) at C speed; the word boundary before a match is
    checked by :func:`_finds`."""
    root: _TrieNode = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_trie(root))


def _finds(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Whole-word matches, left to right, none overlapping: at each start the longest candidate."""
    found = pattern.search(text)
    while found is not None:
        start = found.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
            found = pattern.search(text, start + 1)
            continue
        yield found
        found = pattern.search(text, max(found.end(), start + 1))


def _fitting(words: list[str], chars: int) -> list[str]:
    """The first of *words* (nearest the match first) that fit in *chars*, a space between each."""
    kept: list[str] = []
    length = -1
    for word in words:
        length += len(word) + 1
        if length > chars:
            break
        kept.append(word)
    return kept


def keyword_in_context(
    text: str,
    start: int,
    end: int,
    *,
    chars: int = CHARS,
    words: int | None = None,
    within_line: bool = False,
) -> tuple[str, str, str]:
    """``text[start:end]`` and the words either side of it (keyword in context), each on one line, runs
    of whitespace as one space: as many whole words a side as fit in *chars* characters, at most
    *words* of them if given, and with *within_line* none from beyond the match's own line (in most
    transcripts, its turn). A side keeps the space that parts it from the match, so that the three
    joined read as the text does: ``("I phoned ", "Morag", " about it.")``."""
    reach = 2 * chars  # enough text for *chars* once runs of whitespace are one space
    lo, hi = max(0, start - reach), min(len(text), end + reach)
    head, tail = text[lo:start], text[end:hi]
    head_cut = lo > 0 and not text[lo - 1].isspace() and not text[lo].isspace()
    tail_cut = hi < len(text) and not text[hi].isspace() and not text[hi - 1].isspace()
    if within_line:
        _, line_start, head = head.rpartition("\n")
        head_cut = head_cut and not line_start
        tail, line_end, _ = tail.partition("\n")
        tail_cut = tail_cut and not line_end
    before, after = head.split()[::-1], tail.split()
    if head_cut and before:
        before.pop()  # a word cut in two by the reach
    if tail_cut and after:
        after.pop()
    if words is not None:
        before, after = before[:words], after[:words]
    left, right = " ".join(_fitting(before, chars)[::-1]), " ".join(_fitting(after, chars))
    if left and head[-1].isspace():
        left += " "
    if right and tail[0].isspace():
        right = " " + right
    return left, _SPACE.sub(" ", text[start:end]), right


def contexts(
    candidates: Iterable[str], sources: Sequence[Source], *, shown: int = SHOWN
) -> dict[str, CandidateContext]:
    """Each candidate's occurrences in ``sources``; candidates found nowhere get :data:`EMPTY`."""
    wanted = list(dict.fromkeys(candidates))
    by_key: dict[str, list[str]] = {}
    for candidate in wanted:
        if key := _key(candidate):
            by_key.setdefault(key, []).append(candidate)
    counts: dict[str, int] = {}
    places: dict[str, dict[str, None]] = {}
    kept: dict[str, list[Occurrence]] = {}
    if by_key:
        pattern = _pattern(by_key)
        for source in sources:
            for found in _finds(pattern, source.text):
                key = _key(found.group())
                counts[key] = counts.get(key, 0) + 1
                if source.transcript_name is not None:
                    places.setdefault(key, {})[source.transcript_name] = None
                its = kept.setdefault(key, [])
                if len(its) < shown:
                    start, end = found.span()
                    transcript = source.transcript_uuid if source.openable else None
                    before, match, after = keyword_in_context(
                        source.text, start, end, words=WORDS, within_line=True
                    )
                    its.append(
                        Occurrence(
                            source.name, transcript, start, end, before.rstrip(), match, after.lstrip()
                        )
                    )
    out = {}
    for key, texts in by_key.items():
        context = CandidateContext(counts.get(key, 0), tuple(places.get(key, {})), tuple(kept.get(key, ())))
        for text in texts:
            out[text] = context
    return {candidate: out.get(candidate, EMPTY) for candidate in wanted}
