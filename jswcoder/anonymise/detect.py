"""Offline suggestions of identifying details in transcripts, for the user to accept or dismiss.

Three sources, merged longest-first: shaped identifiers (phones, emails, postcodes, dates, references,
streets: :mod:`jswcoder.anonymise.patterns`), the shipped gazetteer of Scottish places, prisons and
bodies (:mod:`jswcoder.anonymise.gazetteer`), and capitalised words that English does not capitalise.
That last judgement uses where a word stands (mid-sentence, sentence start, speaker label, ALL-CAPS
heading) and, for sentence starts, how common the word is in English (``wordfreq``'s bundled data; no
network). Nothing here reads or writes anything but the shipped lists.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache

from jswcoder.anonymise.gazetteer import Gazetteer, load_gazetteer
from jswcoder.anonymise.patterns import Span, pattern_spans
from jswcoder.anonymise.text_findings import Asking, Pass, TextFindings
from jswcoder.ids import text_sha256

CATEGORIES = (
    "PERSON", "PLACE", "ORG", "PHONE", "EMAIL", "DATE", "ADDRESS", "POSTCODE", "CASE_REF", "PRISON", "COURT", "OTHER",
)  # fmt: skip


# Projects keep the detector's findings (see Register.suggestions): change this whenever what it finds
# changes (its code or the gazetteer), so that they are found afresh.
DETECTOR_VERSION = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str  # exactly as it appears in the transcript
    category: str  # one of CATEGORIES
    replacement: str  # a suggested descriptor such as "[NAME OF TOWN]"
    occurrences: int  # whole-word, case-sensitive, longest-first occurrences across the texts given


# A capitalised word: O'Neill, MacRae, Lacey-Mae, Bar-L. A trailing "'s" is left out (possessive).
# Letters may carry accents (Ùisdean, Seònaid, Ó Briain); a Gaelic name may open with the "t-" or "h-"
# that follows "an" and "na" ("Nic an t-Saoir", "Tobar na h-Aibhne").
_UPPER = "A-ZÀ-ÖØ-Þ"
_LETTER = r"[^\W\d_]"
# (It opens with the class of its first character, then looks behind: several times faster than a
# leading look-behind, which is tried at every position.)
_TOKEN = re.compile(
    rf"[th{_UPPER}](?<![\w'’-].)(?:(?<=[th])-[{_UPPER}]|(?<=[{_UPPER}])){_LETTER}*(?:['’][{_UPPER}]{_LETTER}*)?"
    r"(?:-[^\W\d_]+)*(?![\w-]|['’](?:t|ll|ve|re|d|m)\b)"  # not the "Don" of "Don't"
)
# What may join the words of one name: a space of any width (no-break, thin, narrow no-break: word
# processors put them inside names), and between Gaelic words a particle ("Baile a' Mhanaich", "Màiri
# nic Dhòmhnaill", "Tobar na Màthar").
SPACE = "[ \u00a0\u2000-\u200a\u202f\u205f\u3000]"
_ANY_SPACE = re.compile(SPACE)
_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_PARTICLE_GAP = re.compile(rf"{SPACE}(?:a['’]|an|na|nam|nan|mac|nic|mhic|ic){SPACE}\Z")
_LABEL = re.compile(r"^[ \t]*([A-Z][A-Za-z'’-]*)[ \t]*:", re.MULTILINE)
_TITLES = frozenset(
    "Mr Mrs Ms Miss Dr DS DC DI DCI PC PS Sgt Sergeant Inspector Constable Councillor Professor Big Wee".split()
)
_ORG_HEADS = frozenset(
    "Hub Project Group Pantry Larder Network Centre Center Trust Partnership Association Foundation Society "
    "Club Unit College School Academy Hospital Clinic Practice Service Services Team Church Housing Bank "
    "Recovery Alliance Forum Agency Initiative Café Cafe Aid Hostel Kitchen Shed Collective Mission".split()
)
_PLACE_PREPOSITIONS = frozenset(
    "in at from to near into around outside past on across over through round towards toward via".split()
)
_SENTENCE_END = frozenset('.!?:;|"“”([]…–')
# A role label inside a metadata line ("| Interviewer: Rachel", ". Interviewer: Tom."): its value is a name.
_ROLE_VALUE = re.compile(
    r"(?<=[^\s])[ \t]*[|.;,][ \t]*(?:Interviewer|Facilitator|Participant|Researcher|Moderator|Chair)[ \t]*:[ \t]*"
    r"([A-Z][a-z]+)(?=[ \t]*(?:[.,;|)]|$))",
    re.MULTILINE,
)
# A sentence-initial word followed by an apposition or relative clause: "Janice, the coordinator".
_APPOSITION = re.compile(r"\A,\s(?:the|who|our|my|a|an|one)\b")
_ORG_AFTER_PLACE = re.compile(
    r"\s(?:(Council|HSCP|IJB|Health and Social Care Partnership)|((?:[A-Z]{2,5} )?team))\b"
)
_SHERIFF_COURT = re.compile(r"\sSheriff Court\b")
# A place, then up to three capitalised words and an organisation word: "Dumfries and Galloway Women's Aid"
# (the place alone is the longer run's match otherwise, and the organisation is lost).
_ORG_NAMED_AFTER_PLACE = re.compile(
    rf"(?:{SPACE}[{_UPPER}][\w'’-]*){{0,3}}{SPACE}(?:{'|'.join(sorted(_ORG_HEADS))})(?![\w-])"
)
_HMP = re.compile(r"(?<!\w)(?:HMP|HMYOI|HMP YOI|HMP & YOI) [A-Z][a-z]+(?: [A-Z][a-z]+)?(?![\w'’])")
_HMP_ANY_SPACE = re.compile(_HMP.pattern.replace(" ", SPACE))

COMMON_ZIPF = 4.0  # at or above this a word is everyday English (wordfreq's Zipf scale)
RARE_ZIPF = 3.0  # below this a sentence-initial capitalised word is taken for a name


@cache
def _zipf(word: str) -> float:
    # 0.3 s to load its tables: only when detection is asked for, not when the app starts.
    from wordfreq import zipf_frequency  # noqa: PLC0415

    return float(zipf_frequency(word.lower(), "en"))


def _alternation(strings: Iterable[str], space: str = " ") -> str:
    """One group matching any of ``strings``, the longest first, factored by first character.

    Python's regular expressions try every alternative at every position; opening with a look-ahead
    for the possible first characters, then one branch per first character, skips most positions at
    once (four to six times faster over a long transcript than the plain alternation).
    """
    by_first: dict[str, list[str]] = defaultdict(list)
    for s in sorted(set(strings) - {""}, key=lambda s: (-len(s), s)):
        by_first[s[0]].append(re.escape(s[1:]).replace(r"\ ", space))
    firsts = "".join(re.escape(c) for c in sorted(by_first))
    branches = "|".join(f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in by_first.items())
    return f"(?=[{firsts}])(?:{branches})"


@dataclass(slots=True)
class _Token:
    text: str
    start: int
    end: int


def _is_initial(text: str, start: int) -> bool:
    """Whether a word at ``start`` begins a sentence, a turn, a line or a metadata field."""
    i = start - 1
    while i >= 0 and text[i] in " \t\u00a0":
        i -= 1
    return i < 0 or text[i] == "\n" or text[i] in _SENTENCE_END


def _runs(text: str) -> list[list[_Token]]:
    """Maximal runs of capitalised words joined by one space (or one line break, or "'s ")."""
    runs: list[list[_Token]] = []
    for m in _TOKEN.finditer(text):
        tok = _Token(m.group(), m.start(), m.end())
        if runs:
            prev = runs[-1][-1]
            gap = text[prev.end : tok.start]
            label_next = text[tok.end : tok.end + 1] == ":"
            if (
                (len(gap) == 1 and re.fullmatch(SPACE, gap))
                or (gap == "\n" and not label_next)
                or gap in ("'s ", "’s ")
                or _PARTICLE_GAP.match(gap)
            ):
                runs[-1].append(tok)
                continue
        runs.append([tok])
    return runs


class _Detector:
    """The rules over one text at a time; what they ask of the study is asked of ``known`` and
    ``lower_words``, which :meth:`read` sets for each pass (see :mod:`jswcoder.anonymise.text_findings`)."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gaz = gaz
        self.lower_words: Container[str] = frozenset()  # words the study writes in lower case
        self.known: Container[str] = frozenset()  # words seen capitalised mid-sentence or as a speaker label
        self._runs: dict[str, list[list[_Token]]] = {}  # each text's runs, found once for both passes
        self.gaz_rx = re.compile(rf"(?<![\w'’-]){_alternation(gaz.entries)}(?![\w-])")
        # A gazetteer entry's spaces match any width of space: "HMP\u00a0Low\u00a0Moss" is HMP Low Moss.
        # Slower, so only over texts that hold such a space.
        self.gaz_any_space_rx = re.compile(rf"(?<![\w'’-]){_alternation(gaz.entries, SPACE)}(?![\w-])")

    def facts(self, text: str) -> TextFindings:
        """What ``text`` alone tells: its lower-case words, the words it shows to be names, and the
        identifiers that depend on nothing else (shapes and the gazetteer)."""
        known: set[str] = set()
        appositive: set[str] = set()
        for run in self.runs(text):
            plain = [tok for tok in run if self._plain(tok.text)]
            # Only a lone capitalised word vouches for itself; "National Care Service" does not.
            if len(plain) == 1 and not _is_initial(text, plain[0].start):
                known.add(plain[0].text)
            lone = run[0].text
            if (
                len(run) == 1
                and _APPOSITION.match(text[run[0].end :])
                and self._plain(lone)
                and _zipf(lone) < COMMON_ZIPF
            ):
                appositive.add(lone)  # a name unless the study writes it in lower case
        known.update(m.group(1) for m in _ROLE_VALUE.finditer(text))
        for m in _LABEL.finditer(text):
            if self._plain(m.group(1)) and not m.group(1).isupper():
                known.add(m.group(1))
        return TextFindings(
            lower=frozenset(re.findall(r"\b[a-z][a-z'’-]*\b", text)),
            known=frozenset(known),
            appositive=frozenset(appositive),
            fixed=(*pattern_spans(text), *self.gazetteer_spans(text)),
        )

    def read(
        self,
        text: str,
        known: AbstractSet[str],
        lower: AbstractSet[str],
        accepted: AbstractSet[str],
        fixed: Sequence[Span] | None = None,
    ) -> Pass:
        """One pass of the capitalised-word rules over ``text``, noting every question asked of the
        study; with ``fixed``, the spans resolved against them (the second pass)."""
        self.known, self.lower_words = asked_known, asked_lower = Asking(known), Asking(lower)
        asked_accepted = Asking(accepted)
        spans = self.run_spans(text, asked_accepted)
        if fixed is not None:
            spans = _resolve([*fixed, *spans])
        return Pass(tuple(spans), asked_known.answers, asked_lower.answers, asked_accepted.answers)

    def runs(self, text: str) -> list[list[_Token]]:
        if (found := self._runs.get(text)) is None:
            found = self._runs[text] = _runs(text)
        return found

    def _plain(self, word: str) -> bool:
        return word not in self.gaz.stop and word not in _TITLES and not word.isupper()

    def _common(self, word: str) -> bool:
        return word not in self.known and word not in self.gaz.entries and _zipf(word) >= COMMON_ZIPF

    def _name_like(self, word: str) -> bool:
        """A sentence-initial word that is a name: known from elsewhere, a place, or rare in English."""
        if word in self.gaz.stop or word.isupper():
            return False
        if word in self.known or word in self.gaz.entries:
            return True
        if word.lower() in self.lower_words:
            return False
        # A listed first name the study never writes in lower case ("Craig said…", "Megan's door").
        return _zipf(word) < RARE_ZIPF or word in self.gaz.first_names

    def gazetteer_spans(self, text: str) -> list[Span]:
        spans: list[Span] = []
        odd_spaces = _ODD_SPACE.search(text) is not None
        for m in (self.gaz_any_space_rx if odd_spaces else self.gaz_rx).finditer(text):
            category, replacement = self.gaz.entries[_ANY_SPACE.sub(" ", m.group())]
            spans.append(Span(m.start(), m.end(), category, replacement))
            if category == "PLACE":  # matched at a position: no copy of the rest of the text per hit
                if court := _SHERIFF_COURT.match(text, m.end()):
                    spans.append(Span(m.start(), court.end(), "COURT", "[NAME OF COURT]"))
                if org := _ORG_AFTER_PLACE.match(text, m.end()):
                    replacement = (
                        "[NAME OF COUNCIL]" if org.group(1) == "Council" else "[PARTNER ORGANISATION]"
                    )
                    if org.group(2):
                        replacement = "[NAME OF TEAM]"
                    spans.append(Span(m.start(), org.end(), "ORG", replacement))
                elif named := _ORG_NAMED_AFTER_PLACE.match(text, m.end()):
                    spans.append(Span(m.start(), named.end(), "ORG", "[PARTNER ORGANISATION]"))
        for m in (_HMP_ANY_SPACE if odd_spaces else _HMP).finditer(text):
            spans.append(Span(m.start(), m.end(), "PRISON", "[NAME OF PRISON]"))
        return spans

    def _category(self, text: str, words: list[str], start: int) -> tuple[str, str]:
        if words[0] in _TITLES:
            return "PERSON", "[PERSON]"
        if len(words) > 1 and words[-1] in _ORG_HEADS:
            return "ORG", "[PARTNER ORGANISATION]"
        if words[-1] == "Court" and "Sheriff" in words:
            return "COURT", "[NAME OF COURT]"
        named = self._full_name(words) or (len(words) == 1 and words[0] in self.gaz.first_names)
        if named and words[0] not in self.gaz.entries:
            return "PERSON", "[PERSON]"
        if all(w in self.gaz.entries for w in words):
            return "PLACE", "[NAME OF AREA]" if len(words) > 1 else self.gaz.entries[words[0]][1]
        before = re.search(r"([A-Za-z]+)\W*$", text[max(0, start - 20) : start])
        if before and before.group(1) in _PLACE_PREPOSITIONS:
            return "PLACE", "[PLACE]"
        return "PERSON", "[PERSON]"

    def run_spans(self, text: str, accepted: Container[str]) -> list[Span]:
        spans: list[Span] = []
        for run in self.runs(text):
            whole = text[run[0].start : run[-1].end]
            if whole in self.gaz.stop:
                continue
            toks = list(run)
            if len(toks) == 1 and (short := self._the_initialism(text, toks[0], accepted)):
                spans.append(short)
                continue
            if all(t.text.isupper() and len(t.text) > 1 for t in toks):
                # An ALL-CAPS heading: a name only when it is written in mixed case elsewhere.
                if len(toks) > 1:
                    for i in range(len(toks)):
                        for j in range(len(toks), i + 1, -1):
                            title = " ".join(t.text.capitalize() for t in toks[i:j])
                            if title in accepted:
                                spans.append(Span(toks[i].start, toks[j - 1].end, "PERSON", "[PERSON]"))
                continue
            initial = _is_initial(text, toks[0].start)
            # Trim words that cannot belong to a name: stop words, acronyms, a common sentence opener.
            while (
                toks
                and toks[0].text not in _TITLES
                and (
                    toks[0].text in self.gaz.stop
                    or toks[0].text.isupper()
                    or (
                        initial
                        and len(toks) > 1
                        and self._common(toks[0].text)
                        and not self._everyday_full_name([t.text for t in toks])
                    )
                )
            ):
                toks.pop(0)
                initial = True
            while toks and (
                toks[-1].text in self.gaz.stop or toks[-1].text in _TITLES or toks[-1].text.isupper()
            ):
                toks.pop()
            if not toks:
                continue
            words = [t.text for t in toks]
            trimmed = len(toks) < len(run)
            if len(toks) == 1:
                word = words[0]
                ok = self._name_like(word) if (initial or trimmed) else self._plain(word)
            elif words[0] in _TITLES:
                ok = True
            else:
                # Ordinary words and an organisation word, mid-sentence, name one: "Women's Aid".
                ok = (
                    any(not self._common(w) for w in words if w not in _TITLES)
                    or (not initial and words[-1] in _ORG_HEADS)
                    or self._full_name(words)
                )
            if ok:
                start, end = toks[0].start, toks[-1].end
                category, replacement = self._category(text, words, start)
                if len(toks) == 1 and not initial and self._the_nickname(text, toks[0]):
                    start, category, replacement = start - 4, "PLACE", "[PLACE]"
                spans.append(Span(start, end, category, replacement))
        return spans

    def _full_name(self, words: list[str]) -> bool:
        """A listed first name then a listed surname, each an everyday word maybe: "Will Grant", "Grace Hunter"."""
        return len(words) in (2, 3) and words[0] in self.gaz.first_names and words[-1] in self.gaz.surnames

    def _everyday_full_name(self, words: list[str]) -> bool:
        """A listed first name and surname, both everyday words ("Grace Hunter"): the first is kept at a
        sentence start. With a rarer word ("Mark Dunmore's case"), the rare word carries the name alone."""
        return len(words) == 2 and self._full_name(words) and all(self._common(w) for w in words)

    def _the_nickname(self, text: str, tok: _Token) -> bool:
        """'the' and a capitalised word English does not have: a place's or institution's nickname."""
        return (
            text[max(0, tok.start - 4) : tok.start] == "the "
            and tok.text not in self.gaz.entries
            and tok.text not in _ORG_HEADS
            and _zipf(tok.text) < COMMON_ZIPF
        )

    def _the_initialism(self, text: str, tok: _Token, accepted: Container[str]) -> Span | None:
        """'the BGH': a local hospital's, service's or place's short form (national ones are stop words).

        Once found so, the initialism on its own is found too.
        """
        word = tok.text
        if not (word.isupper() and word.isalpha() and 2 <= len(word) <= 5) or word in self.gaz.stop:
            return None
        if text[max(0, tok.start - 4) : tok.start] == "the ":
            return Span(tok.start - 4, tok.end, "ORG", "[NAME OF SERVICE]")
        if f"the {word}" in accepted:
            return Span(tok.start, tok.end, "ORG", "[NAME OF SERVICE]")
        return None


def _resolve(spans: Iterable[Span]) -> list[Span]:
    """Non-overlapping spans, longest first; on a tie the earlier source (patterns, then gazetteer) wins."""
    ordered = sorted(enumerate(spans), key=lambda p: (-(p[1].end - p[1].start), p[0]))
    kept: list[Span] = []
    taken: list[tuple[int, int]] = []
    for _, span in ordered:
        if any(span.start < e and s < span.end for s, e in taken):
            continue
        kept.append(span)
        taken.append((span.start, span.end))
    return sorted(kept)


def whole_word_spans(needle: str, text: str) -> list[tuple[int, int]]:
    """Exact, case-sensitive matches of ``needle`` with no letter, digit or underscore either side."""
    rx = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")
    return [(m.start(), m.end()) for m in rx.finditer(text)]


def count_occurrences(strings: Iterable[str], texts: Sequence[str]) -> dict[str, int]:
    """Occurrences by the corpus rules: whole-word, case-sensitive, a stretch counted under its longest string.

    Longest first: strings claim their whole-word matches in order of length, and a match overlapping
    a stretch already claimed is not counted. At any one position only the longest whole-word string
    can count (a shorter one there shares its first character), so one combined pattern per text finds
    exactly the matches that can count, in one pass.
    """
    ordered = sorted(set(strings) - {""}, key=lambda s: (-len(s), s))
    if not ordered:
        return {}
    rank = {s: i for i, s in enumerate(ordered)}
    finder = re.compile(rf"(?<!\w)(?=({_alternation(ordered)})(?!\w))")
    counts: dict[str, int] = {}
    for text in texts:
        found = sorted(
            (rank[m.group(1)], m.start(), m.start() + len(m.group(1))) for m in finder.finditer(text)
        )
        taken = [False] * len(text)
        for position, a, b in found:
            if not any(taken[a:b]):
                taken[a:b] = [True] * (b - a)
                counts[ordered[position]] = counts.get(ordered[position], 0) + 1
    return counts


@dataclass(frozen=True)
class Detection:
    candidates: list[Candidate]  # sorted by category then text
    findings: dict[str, TextFindings]  # every text's, by its hash (jswcoder.ids.text_sha256)
    changed: frozenset[str]  # the keys whose findings were made or remade in this run


def detect(texts: Sequence[str], saved: Mapping[str, TextFindings]) -> Detection:
    """Candidates found in ``texts``, reusing the findings ``saved`` (by each text's hash) where they hold.

    The result is the same whatever was saved: a saved pass is used only while every answer it rests
    on still holds (:meth:`Pass.holds`); otherwise the text is read again.
    """
    gaz = load_gazetteer()
    detector = _Detector(gaz)
    keys = [text_sha256(text) for text in texts]
    findings: dict[str, TextFindings] = {}
    changed: set[str] = set()
    for text, key in zip(texts, keys, strict=True):
        if key not in findings:
            record = saved.get(key)
            if record is None:
                record = detector.facts(text)
                changed.add(key)
            findings[key] = record
    records = [findings[key] for key in keys]
    lower = frozenset[str]().union(*(r.lower for r in records))
    known = set[str]().union(*(r.known for r in records))
    known.update(word for r in records for word in r.appositive if word.lower() not in lower)
    known -= gaz.stop
    # First pass: what is found, with what each text teaches the next (a full name's first name).
    accepted: set[str] = set()
    for text, key, record in zip(texts, keys, records, strict=True):
        first = record.first
        if first is None or not first.holds(known, lower, frozenset()):
            first = record.first = detector.read(text, known, lower, frozenset())
            changed.add(key)
        for span in (*record.fixed, *first.spans):
            found = text[span.start : span.end]
            accepted.add(found)
            words = found.split()
            # The first name of a full name is a name on its own too ("Alison's been brilliant").
            if span.category == "PERSON" and len(words) > 1 and words[0] not in _TITLES:
                known.add(words[0])
    votes: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    for text, key, record in zip(texts, keys, records, strict=True):
        second = record.second
        if second is None or not second.holds(known, lower, accepted):
            second = record.second = detector.read(text, known, lower, accepted, record.fixed)
            changed.add(key)
        for span in second.spans:
            votes[text[span.start : span.end]][(span.category, span.replacement)] += 1
    counts = count_occurrences(votes, texts)
    out = []
    for found, vote in votes.items():
        if not counts.get(found):
            continue
        (category, replacement), _ = min(vote.items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(Candidate(found, category, replacement, counts[found]))
    candidates = sorted(out, key=lambda c: (c.category, c.text))
    return Detection(candidates, findings, frozenset(changed))


def suggest(texts: Sequence[str], *, ignore: Iterable[str] = ()) -> list[Candidate]:
    """Candidates for the anonymisation register found in ``texts``, sorted by category then text.

    ``ignore`` holds strings already in the register or dismissed (compared case-insensitively).
    """
    ignored = {s.casefold() for s in ignore}
    return [c for c in detect(texts, {}).candidates if c.text.casefold() not in ignored]
