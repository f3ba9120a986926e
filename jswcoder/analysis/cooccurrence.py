"""Co-occurrence: which themes travel together (MAXQDA's Code Relations Browser; NVivo's matrix coding
query of themes by themes).

The themes are chosen as the Framework matrix's columns are (the themes at a level of the tree, the
top by default, or named by path), each together with its sub-themes. Codings are read as a coding
query reads them (:mod:`jswcoder.analysis.query`): for each transcript and each coder, the characters
that coder coded with a theme, overlapping and touching codings joined into passages; every coder's
reading counts on its own. A cell is symmetric, and it is defined by a query, so the passages behind
it are what that query finds (:meth:`Cooccurrence.query`):

* unit **passage** (the default): cell (A, B) counts the passages coded with both A and B, which are
  the passages of ``"A"/* AND "B"/*``; the diagonal counts a theme's own passages.
* unit **turn**: cell (A, B) counts the speaker turns in which the same coder coded both A and B (in
  a text without speaker labels a paragraph stands in for a turn, as
  :class:`jswcoder.services.passage_units.TextUnits` cuts it); its passages are those of
  ``"A"/* NEAR/TURN "B"/*``. The diagonal counts the turns a theme was coded in.

**Jaccard** (shared ÷ either) says how much two themes travel together whatever their sizes: in
characters for passages (|A ∩ B| ÷ |A ∪ B|), in turns for turns. None where neither was coded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

from jswcoder.analysis.matrix import choose_themes
from jswcoder.analysis.query import Span, merged
from jswcoder.model import Code
from jswcoder.project import Project
from jswcoder.services.passage_units import TextUnits, Unit
from jswcoder.services.query_parse import quoted
from jswcoder.store import queries as query_rows
from jswcoder.store import transcripts as transcript_rows

CoUnit = Literal["passage", "turn"]
UNITS: tuple[CoUnit, ...] = ("passage", "turn")


@dataclass(frozen=True)
class Cooccurrence:
    """Themes × themes. ``counts[a][b]`` and ``jaccard[a][b]`` for themes ``a`` and ``b`` (indices into
    :attr:`themes`); both are symmetric."""

    themes: tuple[Code, ...]
    unit: CoUnit
    counts: tuple[tuple[int, ...], ...]
    jaccard: tuple[tuple[float | None, ...], ...]

    def query(self, a: int, b: int) -> str:
        """The coding query whose passages lie behind cell (a, b)."""
        first, second = quoted(self.themes[a].path) + "/*", quoted(self.themes[b].path) + "/*"
        if a == b:
            return first
        return f"{first} {'AND' if self.unit == 'passage' else 'NEAR/TURN'} {second}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "themes": [t.path for t in self.themes],
            "counts": [list(row) for row in self.counts],
            "jaccard": [list(row) for row in self.jaccard],
        }


def _jaccard(shared: int, first: int, second: int) -> float | None:
    either = first + second - shared
    return None if either == 0 else shared / either


def _length(spans: Sequence[Span]) -> int:
    return sum(end - start for start, end in spans)


def _overlaps(runs: dict[int, list[Span]]) -> dict[tuple[int, int], tuple[int, int]]:
    """For one transcript and coder: each pair of themes (a < b) whose runs overlap, with how many
    passages they share and how many characters. A sweep over every theme's runs in order of start:
    only runs that really overlap are compared."""
    ordered = sorted((start, end, theme) for theme, spans in runs.items() for start, end in spans)
    shared: dict[tuple[int, int], tuple[int, int]] = {}
    active: list[tuple[int, int]] = []  # (end, theme) of the runs still open
    for start, end, theme in ordered:
        active = [(e, t) for e, t in active if e > start]
        for other_end, other in active:
            if other == theme:
                continue
            pair = (other, theme) if other < theme else (theme, other)
            passages, characters = shared.get(pair, (0, 0))
            shared[pair] = (passages + 1, characters + min(end, other_end) - start)
        active.append((end, theme))
    return shared


def build_cooccurrence(
    project: Project,
    *,
    level: int | None = None,
    themes: Sequence[str] = (),
    unit: CoUnit = "passage",
) -> Cooccurrence:
    """The co-occurrence of the themes at ``level`` (1 by default) or the ``themes`` named by path."""
    codes = project.codebook.all()
    chosen = choose_themes(codes, level=level, paths=themes)
    present = {t.uuid for t in project.transcripts.all()}
    gathered: dict[tuple[str, str], dict[int, list[Span]]] = {}
    for column, code in enumerate(chosen):
        branch = [m.uuid for m in codes if m.uuid == code.uuid or m.path.startswith(code.path + "/")]
        for transcript, coder, start, end in query_rows.coded_spans(project.db, branch):
            if transcript in present:
                gathered.setdefault((transcript, coder), {}).setdefault(column, []).append((start, end))

    size = len(chosen)
    own = [0] * size  # each theme's passages (or turns)
    own_length = [0] * size  # its characters (or turns again)
    shared = [[0] * size for _ in range(size)]
    shared_length = [[0] * size for _ in range(size)]
    units_of: dict[str, TextUnits] = {}
    for (transcript, _coder), by_column in gathered.items():
        runs = {column: merged(spans) for column, spans in by_column.items()}
        if unit == "passage":
            for column, spans in runs.items():
                own[column] += len(spans)
                own_length[column] += _length(spans)
            for (a, b), (passages, characters) in _overlaps(runs).items():
                shared[a][b] += passages
                shared_length[a][b] += characters
            continue
        if transcript not in units_of:
            text = transcript_rows.text(project.db, transcript)
            units_of[transcript] = TextUnits(text, transcript_rows.turns(project.db, transcript))
        units = units_of[transcript]
        touched = {
            column: {turn for span in spans for turn in units.touched(*span, Unit.TURN)}
            for column, spans in runs.items()
        }
        for column, found in touched.items():
            own[column] += len(found)
            own_length[column] += len(found)
        for a, b in combinations(sorted(touched), 2):
            both = len(touched[a] & touched[b])
            shared[a][b] += both
            shared_length[a][b] += both

    counts = [[0] * size for _ in range(size)]
    jaccard: list[list[float | None]] = [[None] * size for _ in range(size)]
    for a in range(size):
        counts[a][a] = own[a]
        jaccard[a][a] = 1.0 if own[a] else None
        for b in range(a + 1, size):
            counts[a][b] = counts[b][a] = shared[a][b]
            jaccard[a][b] = jaccard[b][a] = _jaccard(shared_length[a][b], own_length[a], own_length[b])
    return Cooccurrence(tuple(chosen), unit, tuple(map(tuple, counts)), tuple(tuple(row) for row in jaccard))
