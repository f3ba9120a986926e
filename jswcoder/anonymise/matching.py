"""Find register entries (names, places, phone numbers...) in a transcript, exactly and fast.

A :class:`Term` is one register entry; :class:`Matcher` compiles a register once and finds every
occurrence in a text as sorted, non-overlapping :class:`Match` objects whose offsets are code points
into the *original* text. The rules, in the order they apply:

* **Whole words.** No letter, digit or underscore (``\\w``) directly before or after a match, so
  "Lorn" is not found in "Lorna" and "Grant" not in "Grantown". This holds for every term, even one
  that starts or ends with punctuation such as ``(01632) 960 218``.
* **Loose spelling.** Any run of whitespace in a term matches any run of whitespace in the text
  (``\\n``, U+00A0...); the apostrophes ``'`` ``’`` ``ʼ`` ``‘`` are interchangeable; a letter matches
  with or without diacritics ("Ùna" and "Una"), precomposed or followed by combining marks.
* **Case.** An occurrence matches whatever its case ("GRANT MAXWELL" in a heading matches the entry
  "Grant Maxwell"), *except* that an all-lowercase occurrence never matches an entry that has a
  capital letter: "grant" (funding) and "rose" (the verb) are left alone while "Grant" and "Rose"
  are replaced. An entry written all in lowercase (an email address) matches any case.
  ``Matcher(terms, any_case=True)`` drops that exception, for the leak check: what replacement spares
  ("siobhan kerr" typed in lower case) must still be shown to the user (:func:`spared_by_case`).
* **Longest first.** Overlapping candidates resolve to the longest span, ties to the earliest start:
  "Argyll and Bute Council" beats "Argyll and Bute", which beats "Bute".
* When several entries match the same span, the one spelled exactly as the occurrence (case,
  accents) wins, then the earliest in the register.

Possessives need no rule: in "Siobhan's" the apostrophe is not a word character, so "Siobhan" is
matched and the "'s" stays after its replacement.

How: the text is *folded* one character for one character (lowercase, diacritics and apostrophe
variants removed), so a position in the folded text is the same position in the original. The
folded entries go into one trie-shaped regular expression that finds, at each possible start, the
longest entry there; shorter entries that are prefixes of it are then tried at that start alone.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

__all__ = ["Match", "Matcher", "Term", "find_matches", "fold", "spared_by_case"]


@dataclass(frozen=True, slots=True)
class Term:
    """One register entry: the identifying ``text`` and the descriptor that replaces it."""

    text: str  # as entered in the register, e.g. "Siobhan Kerr", "O'Neill", "Perth and Kinross"
    replacement: str  # e.g. "[TEAM LEADER]"
    key: str = ""  # the register entry's id, carried through


@dataclass(frozen=True, slots=True)
class Match:
    """``text[start:end]`` is an occurrence of ``term`` (code points, ``end`` exclusive)."""

    start: int
    end: int
    term: Term


_APOSTROPHES: Final = frozenset("'\u2019\u02bc\u2018")
_NON_ASCII: Final = re.compile(r"[^\x00-\x7f]")
# Combining marks that may follow a letter in text that is not in NFC (Word on a Mac, pasted text).
_MARKS: Final = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_HAS_MARK: Final = re.compile(f"[{_MARKS}]")
_ANY_MARKS: Final = f"[{_MARKS}]*"
_BEFORE: Final = r"(?<!\w)"
_AFTER: Final = r"(?!\w)"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character folded to one character: lowercase, no diacritics, one apostrophe."""
    if char in _APOSTROPHES:
        return "'"
    low = char.lower()
    if len(low) != 1:  # "İ" lowercases to two characters; keep it as it is
        low = char
    if low == "\u03c2":  # final sigma: str.lower() picks σ or ς from the context
        return "\u03c3"
    bare = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
    return bare if len(bare) == 1 else low


def fold(text: str) -> str:
    """``text`` with each character folded for matching; always exactly as long as ``text``."""
    if text.isascii():
        return text.lower()
    low = text.lower()
    if len(low) != len(text):  # a character that lowercases to two; rare, so go one by one
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    # A transcript has few distinct non-ASCII characters (’, é, U+00A0...): replace each wholesale.
    for char in set(_NON_ASCII.findall(low)):
        folded = _fold_char(char)
        if folded != char:
            low = low.replace(char, folded)
    return low


def _key(text: str) -> str:
    """The folded form of an entry, or of a matched stretch: one space for each run of whitespace."""
    folded = fold(unicodedata.normalize("NFC", text))
    if not folded.isascii():
        folded = _HAS_MARK.sub("", folded)
    return " ".join(folded.split())


def _spelling(text: str) -> str:
    """What must be equal for an entry to be "spelled exactly as" an occurrence."""
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join("'" if c in _APOSTROPHES else c for c in text).split())


def _has_capital(text: str) -> bool:
    return any(c.isupper() or c.istitle() for c in text)


def spared_by_case(entry: str, occurrence: str) -> bool:
    """True where replacement leaves ``occurrence`` of ``entry`` alone for its case: "grant" of "Grant"."""
    return occurrence.islower() and _has_capital(entry)


def _atom(char: str, marks: bool) -> str:
    if char == " ":
        return r"\s+"
    if marks and char.isalpha():
        return re.escape(char) + _ANY_MARKS
    return re.escape(char)


_Trie = dict[str, "_Trie"]  # "" marks the end of an entry


def _trie_regex(node: _Trie, marks: bool) -> str:
    """A regex for the entries below ``node``: longer continuations before the end of an entry."""
    alternatives = []
    for char, child in sorted(node.items()):
        if not char:
            continue
        chain, below = _atom(char, marks), child
        while len(below) == 1 and "" not in below:  # a run without branches: one literal chain
            ((next_char, below),) = below.items()
            chain += _atom(next_char, marks)
        alternatives.append(chain + _trie_regex(below, marks))
    if "" in node:
        alternatives.append(_AFTER)  # tried last, so the longest entry at a start wins
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def _compile(keys: Sequence[str], marks: bool) -> list[re.Pattern[str]]:
    """One pattern for all keys, or several if a hostile register nests too deep for ``re``."""
    root: _Trie = {}
    for key in keys:
        node = root
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    try:
        return [re.compile(_BEFORE + _trie_regex(root, marks))]
    except (RecursionError, OverflowError, re.error):
        if len(keys) == 1:
            raise
        half = len(keys) // 2
        return _compile(keys[:half], marks) + _compile(keys[half:], marks)


class Matcher:
    """A register compiled once, to be run over many texts.

    The patterns are compiled on first use and cached; nothing else changes after construction.
    With ``any_case`` an all-lowercase occurrence matches every entry too (the leak check's view).
    """

    __slots__ = ("_any_case", "_groups", "_key_patterns", "_keys", "_patterns", "_prefixes")

    def __init__(self, terms: Sequence[Term], *, any_case: bool = False) -> None:
        self._any_case = any_case
        groups: dict[str, list[Term]] = {}
        for term in terms:
            key = _key(term.text)
            if key:  # empty and whitespace-only entries are ignored
                groups.setdefault(key, []).append(term)
        self._groups: dict[str, tuple[Term, ...]] = {k: tuple(v) for k, v in groups.items()}
        self._keys = tuple(sorted(groups))
        # For each key, the other keys that are its prefixes, longest first: the trie pattern only
        # reports the longest key at a start, and a shorter one there may still be the one chosen.
        prefixes: dict[str, tuple[str, ...]] = {}
        for key in self._keys:
            found = [key[:i] for i in range(len(key) - 1, 0, -1) if key[:i] in groups]
            if found:
                prefixes[key] = tuple(found)
        self._prefixes = prefixes
        self._patterns: dict[bool, list[re.Pattern[str]]] = {}
        self._key_patterns: dict[tuple[str, bool], re.Pattern[str]] = {}

    def __repr__(self) -> str:
        return f"Matcher(entries={len(self._keys)})"

    def _pattern(self, marks: bool) -> list[re.Pattern[str]]:
        if marks not in self._patterns:
            self._patterns[marks] = _compile(self._keys, marks) if self._keys else []
        return self._patterns[marks]

    def _key_pattern(self, key: str, marks: bool) -> re.Pattern[str]:
        pattern = self._key_patterns.get((key, marks))
        if pattern is None:
            body = "".join(_atom(c, marks) for c in key)
            pattern = self._key_patterns[key, marks] = re.compile(_BEFORE + body + _AFTER)
        return pattern

    def _candidates(self, folded: str, marks: bool) -> Iterator[tuple[int, int, str]]:
        """Every (start, end, key) where some key occurs as a whole word, overlaps included."""
        for pattern in self._pattern(marks):
            found = pattern.search(folded)
            while found is not None:
                start, end = found.span()
                key = found.group()
                if key not in self._groups:  # a stretch with other whitespace or combining marks
                    key = _key(key) if marks else " ".join(key.split())
                yield start, end, key
                for shorter in self._prefixes.get(key, ()):
                    other = self._key_pattern(shorter, marks).match(folded, start)
                    if other is not None:
                        yield start, other.end(), shorter
                found = pattern.search(folded, start + 1)

    def _term_for(self, key: str, occurrence: str) -> Term | None:
        group = self._groups[key]
        if len(group) == 1:
            spared = not self._any_case and spared_by_case(group[0].text, occurrence)
            return None if spared else group[0]
        allowed = [t for t in group if not spared_by_case(t.text, occurrence)]
        if not allowed:
            if not self._any_case:
                return None
            allowed = list(group)
        if len(allowed) == 1:
            return allowed[0]
        spelling = _spelling(occurrence)
        return next((t for t in allowed if _spelling(t.text) == spelling), allowed[0])

    def find(self, text: str) -> list[Match]:
        """The occurrences of the register's entries in ``text``: sorted, non-overlapping."""
        if not self._keys or not text:
            return []
        folded = fold(text)
        marks = not folded.isascii() and _HAS_MARK.search(folded) is not None
        candidates = []
        for start, end, key in self._candidates(folded, marks):
            term = self._term_for(key, text[start:end])
            if term is not None:
                candidates.append(Match(start, end, term))
        candidates.sort(key=lambda m: (m.start - m.end, m.start))
        # Greedy, longest first: keep a candidate unless it overlaps one already kept.
        starts: list[int] = []
        kept: list[Match] = []
        for match in candidates:
            i = bisect_left(starts, match.start)
            if i and kept[i - 1].end > match.start:
                continue
            if i < len(kept) and kept[i].start < match.end:
                continue
            starts.insert(i, match.start)
            kept.insert(i, match)
        return kept


def find_matches(text: str, terms: Sequence[Term]) -> list[Match]:
    """Occurrences of ``terms`` in ``text`` (see the module docstring); compile a :class:`Matcher`
    instead when the same register runs over many texts."""
    return Matcher(terms).find(text)
