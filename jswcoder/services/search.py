"""Full-text search across transcripts: every occurrence, with its offsets and a line of context.

The FTS5 index (see :mod:`jswcoder.store.search`) says which transcripts hold every term; the exact
passages are then found here, in the canonical text, so offsets are code points a coding can use.
Matching agrees with the index's tokenizer (``unicode61 remove_diacritics 2``): words are runs of
letters and digits, compared without case or accents ("una" finds "Ùna"), whole words only.

Query syntax, for people rather than for FTS5:

* ``rose``: the word (not "rosemary"); ``ros*``: any word starting so.
* ``"court order"``: the phrase, across any run of spaces or line breaks; ``"court ord"*`` as prefix.
* ``ring-fenced``, ``child's``: one phrase, its parts separated by any punctuation or space.
* several of these: every one must occur in a transcript; each occurrence is listed.

Anything else (brackets, ``AND``, ``NEAR/2``, stray quotes) is searched as words or ignored.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import pairwise

from sqlite_utils import Database

from jswcoder.anonymise.candidate_context import keyword_in_context
from jswcoder.errors import InvalidInput, NotFound
from jswcoder.services.passage_units import TextUnits, Unit
from jswcoder.store import search, transcripts

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
CONTEXT_CHARS = 60

# Combining marks (the common blocks): part of the word they follow, ignored when comparing.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARK = f"[{_MARKS}]"
_WORD_CHAR = r"[^\W_]"  # a letter or digit; the tokenizer, unlike \w, splits at "_"
_IN_WORD = f"(?:{_WORD_CHAR}|{_MARK})"
_WORD = re.compile(f"(?:{_WORD_CHAR}{_MARK}*)+")
_CHUNK = re.compile(r'"([^"]*)(?:"|$)(\*?)|([^\s"]+)')
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_HAS_MARK = re.compile(_MARK)
_MARK_RUN = re.compile(f"{_MARK}+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})


@dataclass(frozen=True)
class SearchHit:
    """One occurrence: ``text[start:end]`` in code points; context collapsed onto one line for display."""

    transcript_uuid: str
    transcript_name: str
    start: int
    end: int
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Passage:
    """What one coding made from search hits covers: ``text`` is exactly the transcript's ``[start:end]``.

    ``hits`` are the ranges of the hits inside it, counted from ``start``; ``before`` and ``after`` are
    a line of context either side, for display only; ``speaker`` is whose turn it starts in, if known.
    """

    transcript_uuid: str
    transcript_name: str
    start: int
    end: int
    text: str
    hits: tuple[tuple[int, int], ...]
    speaker: str | None
    before: str
    after: str


@dataclass(frozen=True)
class _Term:
    words: tuple[str, ...]
    loose: tuple[bool, ...]  # per gap between words: any separator (True) or whitespace only
    prefix: bool

    def for_index(self) -> search.Term:
        return search.Term(self.words, self.prefix)

    def finder(self, text: _Folded) -> Iterator[re.Match[str]] | Iterator[re.Match[bytes]]:
        if all(_query_word(word).isascii() for word in self.words):
            return _bytes_pattern(self, b"\x01" in text.as_bytes).finditer(text.as_bytes)
        return _text_pattern(self, _HAS_MARK.search(text.text) is not None).finditer(text.as_text)


def parse(text: str) -> list[_Term]:
    """Split a query into terms; raises :class:`InvalidInput` when nothing searchable is left."""
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidInput(f"a search can be at most {MAX_QUERY_CHARS} characters long")
    terms: list[_Term] = []
    for chunk in _CHUNK.finditer(unicodedata.normalize("NFC", text).translate(_QUOTES)):
        quoted, star, bare = chunk.group(1), chunk.group(2), chunk.group(3)
        body = quoted if bare is None else bare
        words = list(_WORD.finditer(body))
        if not words:
            continue
        gaps = tuple(not body[a.end() : b.start()].isspace() for a, b in pairwise(words))
        prefix = bool(star) if bare is None else bare.endswith("*")
        term = _Term(tuple(w.group() for w in words), gaps, prefix)
        if term not in terms:
            terms.append(term)
    if not terms:
        raise InvalidInput('type a word to search for, a "phrase in quotes", or the start of a word and *')
    if len(terms) > MAX_TERMS:
        raise InvalidInput(f"a search can have at most {MAX_TERMS} words or phrases")
    return terms


def _strip(text: str) -> str:
    """Accents off (by canonical decomposition), then lower case: not casefold, since ß stays ß."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return "".join(c for c in bare.lower() if not unicodedata.combining(c))


# Two ways to fold a text into what the index compares, both one unit per code point so that offsets
# carry over. Most queries fold to ASCII, and then the text is folded into bytes: a letter or digit
# becomes its bare lower-case ASCII form, or \x02 if it has none; a combining mark \x01; other
# whitespace a space; anything else "?". Encoding runs in C, where a pass over a long str with one
# curly quote in it (a "wide" str) would otherwise cost several times more in Python.


class _AsciiFold(dict[int, str]):
    def __missing__(self, point: int) -> str:
        char = chr(point)
        bare = _strip(char)
        if len(bare) == 1 and bare.isascii() and bare.isalnum():
            folded = bare
        elif char.isalnum():
            folded = "\x02"
        elif unicodedata.category(char) in ("Mn", "Me"):
            folded = "\x01"
        else:
            folded = " " if char.isspace() else "?"
        self[point] = folded
        return folded


_ASCII_FOLD = _AsciiFold()
# The commonest characters outside ASCII in transcripts, replaced in bulk before encoding: calling
# the error handler for each of them would cost more than the rest of a search.
_PUNCTUATION: tuple[tuple[str, str], ...] = (
    *((char, "?") for char in "’‘“”–—…"),
    ("\xa0", " "),
)


def _ascii_fold_error(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeEncodeError)
    return error.object[error.start : error.end].translate(_ASCII_FOLD), error.end


codecs.register_error("jswcoder-search-fold", _ascii_fold_error)


def fold_bytes(text: str) -> bytes:
    """The fast fold (see above), for queries whose words fold to ASCII."""
    for char, replacement in _PUNCTUATION:
        if char in text:
            text = text.replace(char, replacement)
    return text.encode("ascii", "jswcoder-search-fold").lower()


@cache
def _fold_table() -> dict[int, str]:
    """Lower-case letter -> its bare letter ("ù" -> "u"), for letters that fold to one character."""
    table: dict[int, str] = {}
    for point in range(0x80, 0x10000):
        char = chr(point)
        if char.isalnum() and len(bare := _strip(char)) == 1 and bare != char:
            table[point] = bare
    return table


def fold_text(text: str) -> str:
    """The slower, general fold, for queries with letters outside ASCII (ø, ß, Greek, ...)."""
    if text.isascii():
        return text.lower()
    table = _fold_table()
    # U+0130 (İ) is the one character whose lower case is two characters long.
    return _NON_ASCII.sub(lambda run: run.group().translate(table), text.replace("\u0130", "i").lower())


class _Folded:
    """One text's folds, each made once and only if a term needs it."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def as_bytes(self) -> bytes:
        return fold_bytes(self.text)

    @cached_property
    def as_text(self) -> str:
        return fold_text(self.text)


@dataclass(frozen=True)
class _Alphabet:
    """Regex pieces for one fold: a letter or digit, a combining mark, separators."""

    word: str
    mark: str
    loose: str  # a run of anything between words
    space: str  # a run of whitespace


_BYTES = _Alphabet(r"[a-z0-9\x02]", r"\x01", r"[^a-z0-9\x01\x02]+", r"\s+")
_TEXT = _Alphabet(_WORD_CHAR, _MARK, r"[\W_]+", r"\s+")


def _query_word(word: str) -> str:
    return _MARK_RUN.sub("", fold_text(word))


def _compile(term: _Term, alphabet: _Alphabet, marks: bool) -> str:
    letters = [[re.escape(c) for c in _query_word(word)] for word in term.words]
    mark = f"{alphabet.mark}*" if marks else ""
    in_word = f"(?:{alphabet.word}|{alphabet.mark})"
    # The left word boundary is checked after the term's opening literal, not before it: a leading
    # lookbehind stops the regex engine from skipping ahead to that literal, and it then crawls.
    split = 1 if marks else len(letters[0])
    boundary = f"(?<!{in_word}[\\s\\S]{{{split}}})"
    pattern = "".join(letters[0][:split]) + boundary + mark + "".join(c + mark for c in letters[0][split:])
    for word, loose in zip(letters[1:], term.loose, strict=True):
        pattern += (alphabet.loose if loose else alphabet.space) + "".join(c + mark for c in word)
    return pattern + (f"{in_word}*" if term.prefix else f"(?!{in_word})")


@lru_cache(maxsize=64)
def _text_pattern(term: _Term, marks: bool) -> re.Pattern[str]:
    return re.compile(_compile(term, _TEXT, marks))


@lru_cache(maxsize=64)
def _bytes_pattern(term: _Term, marks: bool) -> re.Pattern[bytes]:
    return re.compile(_compile(term, _BYTES, marks).encode("ascii"))


def occurrences(text: str, terms: list[_Term]) -> list[tuple[int, int]]:
    """Spans of every term in *text*, in order; empty unless every term occurs."""
    spans: set[tuple[int, int]] = set()
    folded = _Folded(text)
    for term in terms:
        found = {m.span() for m in term.finder(folded)}
        if not found:
            return []
        spans |= found
    return sorted(spans)


class Search:
    """Finds passages by their words, for reading them in place or coding them all at once."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def query(self, text: str, *, limit: int = 500) -> list[SearchHit]:
        """Every occurrence of the query, by transcript name then offset; at most *limit* of them."""
        if limit < 1:
            raise InvalidInput("the number of hits to show must be at least 1")
        return list(self._hits(parse(text), limit))

    def passages(self, hits: list[SearchHit], unit: Unit) -> list[Passage]:
        """The passages to code for *hits*, each hit grown to its *unit*; transcripts in the order of
        their first hit, passages in text order. Hits whose units overlap (two in one sentence) make one
        passage, so nothing is coded twice."""
        by_transcript: dict[str, list[SearchHit]] = {}
        for hit in hits:
            by_transcript.setdefault(hit.transcript_uuid, []).append(hit)
        found: list[Passage] = []
        for uuid, its_hits in by_transcript.items():
            try:
                text = transcripts.text(self._db, uuid)
            except KeyError:
                raise NotFound(
                    f"{its_hits[0].transcript_name} is no longer in the project; search again"
                ) from None
            units = TextUnits(text, transcripts.turns(self._db, uuid))
            name = its_hits[0].transcript_name
            for start, end, inside in units.cover([(h.start, h.end) for h in its_hits], unit):
                before, _, after = keyword_in_context(text, start, end, chars=CONTEXT_CHARS)
                relative = tuple((s - start, e - start) for s, e in inside)
                speaker = units.speaker_at(start)
                found.append(
                    Passage(uuid, name, start, end, text[start:end], relative, speaker, before, after)
                )
        return found

    def _hits(self, terms: list[_Term], limit: int) -> Iterator[SearchHit]:
        count = 0
        for uuid, name in search.matching_transcripts(self._db, [t.for_index() for t in terms]):
            text = transcripts.text(self._db, uuid)
            for start, end in occurrences(text, terms):
                yield SearchHit(
                    uuid, name, start, end, *keyword_in_context(text, start, end, chars=CONTEXT_CHARS)
                )
                count += 1
                if count >= limit:
                    return
