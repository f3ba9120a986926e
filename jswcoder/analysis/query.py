"""Coding queries: which passages a query (:mod:`jswcoder.services.query_parse`) finds, and their words.

What a query is evaluated over: for each transcript and each coder who coded in it, the set of the
transcript's characters that coder coded with each theme. Each coder's coding is their own reading of
the text, so the operators combine one coder's codings in one transcript (NVivo's "coded at A AND B",
asked per user); ``coder = "…"`` keeps one coder's. What each part of a query gives:

* ``"T"``: the characters coded with theme T; ``"T"/*``: with T or any theme under it.
* ``A AND B``: the characters coded with both: the overlap, as NVivo's coding query returns it.
* ``A OR B``: the characters coded with either.
* ``A NOT B`` (``A AND NOT B``): A's characters that are not B's. ``NOT B`` alone is the whole text of
  each transcript a coder coded anything in, less B.
* ``A NEAR/n B``: the passages of A that lie within n characters of a passage of B (0: touching), and
  those passages of B. ``NEAR/TURN`` and ``NEAR/PARAGRAPH``: in the same speaker turn or paragraph, as
  :class:`jswcoder.services.passage_units.TextUnits` cuts them (two passages are in the same one when
  the turns or paragraphs each touches share one). A *passage* of a part is a maximal run of its
  characters.
* ``question = "Q7"`` (or the question's text; ``!=``, ``IN``): the answers to that question of a
  survey's respondents (:mod:`jswcoder.services.surveys`), so ``"T" AND question = "Q7"`` is T in the
  answers to Q7 (their overlap, as for two themes).
* a filter (``participant_group = "Client"``, ``council_area != "Fife"``, ``format IN (…)``,
  ``coder = "Ailsa"``, ``fieldworker = "…"``, a case's own attribute by its name): the whole text of
  the transcripts (and coders) it holds for, so ``"T" AND group = "Client"`` is T in the clients'
  interviews. Values are compared without regard to case or repeated spaces; a detail not recorded
  is "". The short forms ``group``, ``area`` and ``interview`` name the study's details.

The result is the passages: each maximal run of the query's characters, per transcript and coder (runs
that touch are one passage), in reading order, each with its words, its coder and the participant's
attribution. Only the codings of the themes named are read; a transcript's text only for the words
of its passages (:func:`with_words`) or for NEAR/TURN and NEAR/PARAGRAPH.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import le, lt
from typing import TypeAlias

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.model import Code, Participant, Transcript
from jswcoder.project import Project
from jswcoder.services.cases import DETAILS, column_key
from jswcoder.services.passage_units import TextUnits, Unit
from jswcoder.services.query_parse import And, Filter, Near, Node, Not, Or, Scope, Theme, parse
from jswcoder.store import matrix as matrix_rows
from jswcoder.store import people
from jswcoder.store import queries as query_rows
from jswcoder.store import surveys as survey_rows
from jswcoder.store import transcripts as transcript_rows

Span = tuple[int, int]
Key = tuple[str, str]  # (transcript UUID, coder UUID)
Found: TypeAlias = dict[Key, list[Span]]  # sorted, apart (not even touching), not empty
Predicate = Callable[[Key], bool]


@dataclass(frozen=True, slots=True)
class Located:
    """Where a passage a query found is, and whose: all but its words."""

    transcript_uuid: str
    transcript: str  # its name
    start: int  # code points, as jswcoder codings --json gives them
    end: int
    coder_uuid: str
    coder: str
    attribution: str | None


@dataclass(frozen=True, slots=True)
class QueryPassage:
    """One passage a query found: where, whose, and the words."""

    transcript_uuid: str
    transcript: str  # its name
    start: int  # code points, as jswcoder codings --json gives them
    end: int
    text: str
    coder_uuid: str
    coder: str
    attribution: str | None  # "Client interview 7"; None when the participant's details are not recorded


# -- spans ------------------------------------------------------------------------------------------------


def merged(spans: Iterable[Span]) -> list[Span]:
    """The same characters as sorted runs, overlapping and touching ones joined."""
    runs: list[Span] = []
    for start, end in sorted(spans):
        if runs and start <= runs[-1][1]:
            if end > runs[-1][1]:
                runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def intersection(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    found: list[Span] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            found.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return found


def difference(a: Sequence[Span], b: Sequence[Span]) -> list[Span]:
    found: list[Span] = []
    j = 0
    for first, end in a:
        while j < len(b) and b[j][1] <= first:
            j += 1
        start, k = first, j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > start:
                found.append((start, b[k][0]))
            start = max(start, b[k][1])
            k += 1
        if start < end:
            found.append((start, end))
    return found


# -- what the filters read ----------------------------------------------------------------------------------


class _Cases:
    """Who each key's transcript belongs to and who coded: what the filters compare."""

    def __init__(self, project: Project, transcripts: Mapping[str, Transcript]) -> None:
        self.participants = {p.uuid: p for p in people.participants(project.db)}
        self.coders = query_rows.coder_names(project.db)
        self._db = project.db
        self._fieldworkers: dict[str, str] | None = None
        self.transcripts = transcripts
        self.attributes = {name for p in self.participants.values() for name in p.attributes}

    def fieldworkers(self) -> dict[str, str]:
        """Who brought each transcript in; read only for a filter on it (it reads every transcript's row)."""
        if self._fieldworkers is None:
            self._fieldworkers = {t: name for t, (_uuid, name) in matrix_rows.importers(self._db).items()}
        return self._fieldworkers

    def participant(self, transcript_uuid: str) -> Participant | None:
        uuid = self.transcripts[transcript_uuid].participant_uuid
        return None if uuid is None else self.participants.get(uuid)

    def reader(self, key: str) -> Callable[[Key], str]:
        """How to read the value a filter's key names, for a (transcript, coder)."""
        detail = column_key(key)
        if detail in DETAILS:

            def of_detail(k: Key) -> str:
                found = self.participant(k[0])
                value = None if found is None else getattr(found, str(detail))
                return "" if value is None else str(value)

            return of_detail
        if key.casefold() == "coder":
            return lambda k: self.coders.get(k[1], "")
        if key.casefold() == "fieldworker":
            return lambda k: self.fieldworkers().get(k[0], "")
        name = key if key in self.attributes else _one_of(key, self.attributes)
        if name is None:
            known = ", ".join([*DETAILS, "coder", "fieldworker", *sorted(self.attributes)])
            raise InvalidInput(f"no detail or attribute is called {key!r}; a query can use: {known}")

        def of_attribute(k: Key) -> str:
            found = self.participant(k[0])
            return "" if found is None else found.attributes.get(str(name), "")

        return of_attribute


def _one_of(key: str, names: Iterable[str]) -> str | None:
    wanted = _folded(key)
    return next((name for name in names if _folded(name) == wanted), None)


def _folded(value: str) -> str:
    return " ".join(value.split()).casefold()


def _is_question(node: Node) -> bool:
    return isinstance(node, Filter) and _folded(node.key) == QUESTION


def _predicate(node: Node, cases: _Cases) -> Predicate | None:
    """A test of each key, when the part is made of filters alone (None when it names a theme or the
    answers to a question: stretches of text, not whole transcripts)."""
    match node:
        case Filter(key, op, values) if not _is_question(node):
            read = cases.reader(key)
            wanted = {_folded(v) for v in values}
            if key.casefold() == "coder":
                unknown = [v for v in values if _folded(v) not in {_folded(n) for n in cases.coders.values()}]
                if unknown:
                    raise NotFound(f"no coder is called {unknown[0]!r}")
            keep = op in ("=", "in")
            return lambda k: (_folded(read(k)) in wanted) == keep
        case Not(operand):
            inner = _predicate(operand, cases)
            return None if inner is None else (lambda k: not inner(k))
        case And(left, right) | Or(left, right):
            first, second = _predicate(left, cases), _predicate(right, cases)
            if first is None or second is None:
                return None
            if isinstance(node, And):
                return lambda k: first(k) and second(k)
            return lambda k: first(k) or second(k)
    return None


# -- evaluation ----------------------------------------------------------------------------------------------


class _Evaluation:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.codes = project.codebook.all()
        self.transcripts = {t.uuid: t for t in project.transcripts.all()}
        self._cases: _Cases | None = None
        self._universe: list[Key] | None = None
        self._units: dict[str, TextUnits] = {}
        self._texts: dict[str, str] = {}

    @property
    def cases(self) -> _Cases:
        if self._cases is None:
            self._cases = _Cases(self.project, self.transcripts)
        return self._cases

    def universe(self) -> list[Key]:
        """Every (transcript, coder) where that coder coded something: what NOT and a filter range over."""
        if self._universe is None:
            pairs = query_rows.coded_pairs(self.project.db)
            self._universe = sorted(p for p in pairs if p[0] in self.transcripts)
        return self._universe

    def whole(self, test: Predicate) -> Found:
        return {k: [(0, self.transcripts[k[0]].length)] for k in self.universe() if test(k)}

    def theme(self, node: Theme) -> Found:
        code = _find_theme(self.codes, node.path)
        uuids = [code.uuid]
        if node.subthemes:
            uuids = [c.uuid for c in self.codes if c.uuid == code.uuid or c.path.startswith(code.path + "/")]
        gathered: dict[Key, list[Span]] = {}
        for transcript, coder, start, end in query_rows.coded_spans(self.project.db, uuids):
            if transcript in self.transcripts:
                gathered.setdefault((transcript, coder), []).append((start, end))
        return {k: merged(spans) for k, spans in gathered.items()}

    def answers(self, node: Filter) -> Found:
        """The answers to the questions a ``question`` filter names (or, with != and NOT IN, to the
        others), for each coder who coded in a survey's document."""
        found = survey_rows.all_answers(self.project.db)
        wanted = {_folded(v) for v in node.values}
        known = {_folded(name) for _t, key, text, _s, _e in found for name in (key, text)}
        unknown = [v for v in node.values if _folded(v) not in known]
        if unknown:
            raise NotFound(f"no survey has a question {unknown[0]!r}; see: jswcoder survey list PROJECT")
        keep = node.op in ("=", "in")
        spans: dict[str, list[Span]] = {}
        for transcript, key, text, start, end in found:
            if (bool({_folded(key), _folded(text)} & wanted)) == keep:
                spans.setdefault(transcript, []).append((start, end))
        return {k: merged(spans[k[0]]) for k in self.universe() if k[0] in spans}

    def run(self, node: Node) -> Found:
        test = None if isinstance(node, Theme) else _predicate(node, self.cases)
        if test is not None:
            return self.whole(test)
        match node:
            case Theme():
                return self.theme(node)
            case Filter():  # only a question's answers reach here: the others are predicates
                return self.answers(node)
            case Not(operand):
                return self.without(self.whole(lambda _k: True), operand)
            case And(left, Not(right)):
                return self.without(self.run(left), right)
            case And(left, right):
                for one, other in ((left, right), (right, left)):
                    keep = _predicate(other, self.cases)
                    if keep is not None:
                        return {k: v for k, v in self.run(one).items() if keep(k)}
                a, b = self.run(left), self.run(right)
                both = ((k, intersection(a[k], b[k])) for k in a.keys() & b.keys())
                return {k: spans for k, spans in both if spans}
            case Or(left, right):
                a, b = self.run(left), self.run(right)
                return {k: merged([*a.get(k, ()), *b.get(k, ())]) for k in a.keys() | b.keys()}
            case Near(left, right, scope):
                return self.near(self.run(left), self.run(right), scope)
        raise TypeError(node)

    def without(self, found: Found, node: Node) -> Found:
        keep = _predicate(node, self.cases)
        if keep is not None:
            return {k: v for k, v in found.items() if not keep(k)}
        taken = self.run(node)
        rest = ((k, difference(spans, taken.get(k, ()))) for k, spans in found.items())
        return {k: spans for k, spans in rest if spans}

    def near(self, a: Found, b: Found, scope: Scope) -> Found:
        both = sorted(a.keys() & b.keys())
        if isinstance(scope, str):  # the stored turns of every transcript that may hold a pair
            bounds = query_rows.turn_bounds(self.project.db, sorted({key[0] for key in both}))
        result: Found = {}
        for key in both:
            left, right = a[key], b[key]
            if isinstance(scope, int):
                kept = [*_near_any(left, left, right, scope), *_near_any(right, right, left, scope)]
            else:
                kept = self.same_unit(key[0], left, right, bounds[key[0]], scope)
            if kept:
                result[key] = merged(kept)
        return result

    def same_unit(
        self,
        transcript_uuid: str,
        left: list[Span],
        right: list[Span],
        turns: tuple[list[int], list[int]],
        scope: str,
    ) -> list[Span]:
        """The passages of either side that share a turn or paragraph with one of the other side's: the
        units each touches overlap. No unit crosses from a stored turn to the text beside it, so only
        passages touching a common stretch (a turn, or the text between two) are looked at closer, and
        only then is the transcript's text read and cut into units."""
        stretch = _stretches(*turns, self.transcripts[transcript_uuid].length)
        left_regions = [(stretch(start), stretch(end - 1) + 1) for start, end in left]
        right_regions = [(stretch(start), stretch(end - 1) + 1) for start, end in right]
        left, right = (
            _near_any(left, left_regions, right_regions, -1),
            _near_any(right, right_regions, left_regions, -1),
        )
        if not left or not right:
            return []
        starts, ends = turns
        if all(map(le, ends[:-1], starts[1:])) and all(map(lt, starts, ends)):
            # Turns in order and apart: the kept passages' stretches are rebuilt exactly from the turns
            # beside them, so only those are cut into units (cutting every turn cost most of the query).
            touched = {
                s for start, end in (*left, *right) for s in range(stretch(start), stretch(end - 1) + 1)
            }
            units = self.units(
                transcript_uuid, {i for s in touched for i in ((s - 1) // 2, s // 2 - 1, s // 2)}
            )
        else:
            units = self.units(transcript_uuid)
        unit = Unit.TURN if scope == "turn" else Unit.PARAGRAPH
        left_ranges = [units.expand(*span, unit) for span in left]
        right_ranges = [units.expand(*span, unit) for span in right]
        return [
            *_near_any(left, left_ranges, right_ranges, -1),
            *_near_any(right, right_ranges, left_ranges, -1),
        ]

    def units(self, transcript_uuid: str, near: set[int] | None = None) -> TextUnits:
        """The transcript's units; with *near*, cut from those stored turns alone (by place in reading
        order), which gives the units of the stretches around them exactly when the turns are in order
        and apart."""
        text = self._texts.get(transcript_uuid)
        if text is None:
            text = self._texts[transcript_uuid] = transcript_rows.text(self.project.db, transcript_uuid)
        if near is not None:
            return TextUnits(text, query_rows.turns_at(self.project.db, transcript_uuid, sorted(near)))
        made = self._units.get(transcript_uuid)
        if made is None:
            made = self._units[transcript_uuid] = TextUnits(
                text, transcript_rows.turns(self.project.db, transcript_uuid)
            )
        return made


def _stretches(starts: list[int], ends: list[int], length: int) -> Callable[[int], int]:
    """Which stretch of the text a character is in, numbered in order: the text before the first stored
    turn is 0, turn i is 2i + 1, the text after it 2i + 2. Stored turns are in order and apart; if
    they are not (not trusted blindly, as :class:`TextUnits` does not), the stretches are those
    :class:`TextUnits` cuts, the turns clipped to follow each other."""
    if not all(map(le, ends[:-1], starts[1:])):  # (the store refuses a turn ending before it starts)
        clipped_starts, clipped_ends, reach = [], [], 0
        for stored_start, stored_end in sorted(zip(starts, ends, strict=True)):
            start, end = max(stored_start, reach, 0), min(stored_end, length)
            if start < end:
                clipped_starts.append(start)
                clipped_ends.append(end)
                reach = end
        starts, ends = clipped_starts, clipped_ends

    def stretch(at: int) -> int:
        i = bisect_right(starts, at) - 1
        return 2 * i + 1 if i >= 0 and at < ends[i] else 2 * i + 2

    return stretch


def _near_any(
    spans: Sequence[Span], ranges: Sequence[Span], others: Sequence[Span], reach: int
) -> list[Span]:
    """The spans whose ranges lie within *reach* characters of one of *others* (-1: overlapping).

    The ranges are the spans themselves, or the units they touch: either way their starts and their
    ends both rise (the spans are apart and in order), so of the others that end late enough, the
    first starts earliest, and it alone needs looking at.
    """
    ends = [end for _start, end in others]
    kept = []
    for span, (start, end) in zip(spans, ranges, strict=True):
        i = bisect_left(ends, start - reach)
        if i < len(others) and others[i][0] - end <= reach:
            kept.append(span)
    return kept


def _find_theme(codes: Sequence[Code], path: str) -> Code:
    wanted = path.strip().strip("/").casefold()
    for code in codes:
        if code.path.casefold() == wanted:
            return code
    hint = ""
    if wanted.endswith("/*"):
        hint = f'; for a theme with its sub-themes write "{path.strip()[:-2].rstrip("/")}"/*'
    raise NotFound(f"no theme has the path {path!r}{hint}; list them with: jswcoder codes PROJECT list")


# -- the query ---------------------------------------------------------------------------------------------------

QUESTION = "question"
FILTER_KEYS: dict[str, str] = {**DETAILS, "coder": "Coder", "fieldworker": "Fieldworker"}
"""The keys a filter can always use, with the labels the query builder shows; a case's own attributes
are used by their names."""


def filter_keys(project: Project) -> dict[str, str]:
    """Every key a filter can use in this project, with its label: the study's details, the coder, the
    fieldworker, then the cases' own attributes."""
    questions = {QUESTION: "Survey question"} if project.surveys.all() else {}
    return {**FILTER_KEYS, **questions, **{name: name for name in project.cases.attribute_names()}}


def filter_values(project: Project, key: str) -> list[str]:
    """The values a filter's key takes in this project, sorted, for a builder to offer."""
    cases = _Cases(project, {t.uuid: t for t in project.transcripts.all()})
    if key == QUESTION:
        found = {q.key for survey in project.surveys.all() for q in survey.open_questions}
    elif key == "coder":
        found = set(cases.coders.values())
    elif key == "fieldworker":
        found = set(cases.fieldworkers().values())
    else:
        read = cases.reader(key)
        found = {read((t, "")) for t in cases.transcripts}
    return sorted((v for v in found if v), key=lambda v: (len(v) if v.isdecimal() else 0, v.casefold()))


def found_spans(project: Project, query: str | Node) -> Found:
    """The characters a query finds, per (transcript, coder): the runs its passages are made of."""
    tree = parse(query) if isinstance(query, str) else query
    return _Evaluation(project).run(tree)


def find_passages(project: Project, query: str | Node) -> list[Located]:
    """Where the passages a query finds are, in reading order (transcript name, position, coder), without
    their words: what a results list shows first, the words read for the rows in view (:func:`with_words`)."""
    evaluation = _Evaluation(project)
    found = evaluation.run(parse(query) if isinstance(query, str) else query)
    cases = evaluation.cases
    rows = [(key, span) for key, spans in found.items() for span in spans]
    names = {uuid: t.name for uuid, t in evaluation.transcripts.items()}
    rows.sort(key=lambda r: (names[r[0][0]].casefold(), r[0][0], r[1], cases.coders.get(r[0][1], "")))
    located = []
    speakers = project.speakers.owners()  # a focus group's passage is its speaker's, where they are cases
    for (transcript, coder), (start, end) in rows:
        participant = cases.participant(transcript)
        speaker = speakers.at(transcript, start)
        attribution = participant.attribution if participant is not None else None
        located.append(
            Located(
                transcript,
                names[transcript],
                start,
                end,
                coder,
                cases.coders.get(coder, coder),
                speaker.attribution if speaker is not None else attribution,
            )
        )
    return located


def with_words(project: Project, located: Sequence[Located]) -> list[QueryPassage]:
    """The passages with their words: each transcript's text read once, however many passages it has."""
    texts: dict[str, str] = {}
    passages = []
    for p in located:
        if p.transcript_uuid not in texts:
            texts[p.transcript_uuid] = transcript_rows.text(project.db, p.transcript_uuid)
        words = texts[p.transcript_uuid][p.start : p.end]
        passages.append(
            QueryPassage(
                p.transcript_uuid, p.transcript, p.start, p.end, words, p.coder_uuid, p.coder, p.attribution
            )
        )
    return passages


def run_query(project: Project, query: str | Node) -> list[QueryPassage]:
    """The passages a query finds, in reading order (transcript name, position, coder), with their words."""
    return with_words(project, find_passages(project, query))
