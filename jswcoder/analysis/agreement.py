"""Agreement between two coders on one transcript: per theme and pooled, at character level.

The unit is one character (Unicode code point) of the transcript's canonical text. For each theme
that either coder applied on the transcript, each character is 1 for a coder if that coder has a
coding of exactly that theme covering it, else 0 (overlapping codings of one theme by one coder count
once). Per theme this gives a 2 x 2 table, from which come percentage agreement, Cohen's kappa and
Krippendorff's alpha (nominal, two coders, no missing data: from the coincidence matrix).

Pooled over the themes (every (character, theme) pair a unit): percentage agreement and alpha from
the summed tables, and the pooled kappa of De Vries, Elliott, Kanouse and Teleki (2008, "Using pooled
kappa to summarize interrater agreement across many items", Field Methods 20(3): 272-282):
``(mean p_o - mean p_e) / (1 - mean p_e)``, the means taken over the themes.

Nothing here walks the text character by character: each coder's codings of a theme are merged into
sorted, disjoint stretches, and the tables come from the stretches' boundaries. The numbers are
computed exactly (fractions) and turned into floats at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from typing import Any, Literal

from jswcoder.errors import InvalidInput, NotFound
from jswcoder.model import Coder, Transcript
from jswcoder.project import Project
from jswcoder.store import people
from jswcoder.store.reconciliations import AGREED_CODER

Span = tuple[int, int]  # start, end (exclusive), in code points
Side = Literal["A", "B"]

POOLED_LABEL = "All themes (pooled)"
NO_VARIATION = (
    "every character has the same value from both coders (no variation), so chance agreement is complete"
)


@dataclass(frozen=True)
class Table:
    """The 2 x 2 table of one theme: characters coded by both, by A only, by B only, by neither."""

    both: int
    only_a: int
    only_b: int
    neither: int

    @property
    def total(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def __add__(self, other: Table) -> Table:
        return Table(
            self.both + other.both,
            self.only_a + other.only_a,
            self.only_b + other.only_b,
            self.neither + other.neither,
        )


@dataclass(frozen=True)
class Figures:
    """The statistics of one theme, or of all themes pooled (``code_uuid`` None)."""

    label: str  # the theme's path, or POOLED_LABEL
    code_uuid: str | None
    table: Table
    observed: float  # p_o: the share of units the coders agree on
    expected: float  # p_e: kappa's chance agreement (for the pooled row, the mean over the themes)
    kappa: float | None
    alpha: float | None
    undefined: str | None  # why kappa or alpha is None

    @property
    def percent(self) -> float:
        return 100 * self.observed

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme": self.label,
            "code_uuid": self.code_uuid,
            "both": self.table.both,
            "only_a": self.table.only_a,
            "only_b": self.table.only_b,
            "neither": self.table.neither,
            "percent_agreement": self.percent,
            "observed_agreement": self.observed,
            "expected_agreement": self.expected,
            "kappa": self.kappa,
            "alpha": self.alpha,
            "undefined": self.undefined,
        }


@dataclass(frozen=True)
class Passage:
    """A stretch one coder coded with the theme (their codings of it merged), and its words."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Run:
    """A maximal stretch of characters that only one of the coders coded with the theme."""

    start: int
    end: int
    coded_by: Side
    text: str


@dataclass(frozen=True)
class Disagreement:
    """A place where the coders differ on a theme: what each of them coded there, side by side.

    It gathers the stretches of both coders that overlap one another; ``coder_a`` or ``coder_b`` is
    empty when that coder did not code the theme there at all.
    """

    theme: str
    code_uuid: str
    start: int
    end: int
    coder_a: tuple[Passage, ...]
    coder_b: tuple[Passage, ...]
    runs: tuple[Run, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "code_uuid": self.code_uuid,
            "start": self.start,
            "end": self.end,
            "coder_a": [vars(p) for p in self.coder_a],
            "coder_b": [vars(p) for p in self.coder_b],
            "runs": [vars(r) for r in self.runs],
        }


@dataclass(frozen=True)
class AgreementReport:
    transcript: Transcript
    coder_a: Coder
    coder_b: Coder
    characters: int
    themes: tuple[Figures, ...]  # in the codebook's tree order
    pooled: Figures
    disagreements: tuple[Disagreement, ...]  # by theme, then by position

    @property
    def unit(self) -> str:
        return (
            f"Unit: one character of the transcript text ({self.characters} characters); "
            f"each theme compared as coded / not coded by each coder "
            f"({len(self.themes)} theme{'s' if len(self.themes) != 1 else ''})."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "transcript": {"uuid": self.transcript.uuid, "name": self.transcript.name},
            "coder_a": {"uuid": self.coder_a.uuid, "name": self.coder_a.name},
            "coder_b": {"uuid": self.coder_b.uuid, "name": self.coder_b.name},
            "unit": self.unit,
            "characters": self.characters,
            "themes": [f.as_dict() for f in self.themes],
            "pooled": self.pooled.as_dict(),
            "disagreements": [d.as_dict() for d in self.disagreements],
        }


# -- interval arithmetic ----------------------------------------------------------------------------


def merged(spans: Iterable[Span]) -> list[Span]:
    """Sorted, disjoint stretches covering exactly what the spans cover (touching ones joined)."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _pieces(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int, bool, bool]]:
    """What either coder covers, cut where the coverage changes: (start, end, in A, in B).

    ``a`` and ``b`` are merged stretches. Between two consecutive boundaries nothing changes, so each
    elementary interval lies wholly inside or wholly outside each coder's current stretch.
    """
    bounds = sorted({point for span in (*a, *b) for point in span})
    out: list[tuple[int, int, bool, bool]] = []
    ia = ib = 0
    for left, right in pairwise(bounds):
        while ia < len(a) and a[ia][1] <= left:
            ia += 1
        while ib < len(b) and b[ib][1] <= left:
            ib += 1
        in_a = ia < len(a) and a[ia][0] <= left
        in_b = ib < len(b) and b[ib][0] <= left
        if not (in_a or in_b):
            continue
        if out and out[-1][1] == left and out[-1][2:] == (in_a, in_b):
            out[-1] = (out[-1][0], right, in_a, in_b)
        else:
            out.append((left, right, in_a, in_b))
    return out


def _clusters(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[list[Span], list[Span]]]:
    """Group the two coders' stretches into clusters of stretches that overlap one another."""
    tagged = sorted([(s, e, "A") for s, e in a] + [(s, e, "B") for s, e in b])
    clusters: list[tuple[list[Span], list[Span]]] = []
    reach = -1  # where the current cluster ends
    for start, end, side in tagged:
        if start >= reach:  # shares no character with the cluster so far: a new one
            clusters.append(([], []))
            reach = end
        else:
            reach = max(reach, end)
        clusters[-1][0 if side == "A" else 1].append((start, end))
    return clusters


# -- statistics -------------------------------------------------------------------------------------


def expected_agreement(t: Table) -> Fraction:
    """Cohen's chance agreement: the coders' marginal shares of "coded" and "not coded" multiplied."""
    n = t.total
    return Fraction(
        (t.both + t.only_a) * (t.both + t.only_b) + (t.only_b + t.neither) * (t.only_a + t.neither), n * n
    )


def _kappa(observed: Fraction, expected: Fraction) -> Fraction | None:
    return None if expected == 1 else (observed - expected) / (1 - expected)


def _alpha(t: Table) -> Fraction | None:
    """Krippendorff's alpha, nominal, two coders, no missing data, values 0 and 1.

    Each unit with values (x, y) adds the ordered pairs (x, y) and (y, x) to the coincidence matrix,
    so o11 = 2·both, o00 = 2·neither, o01 = o10 = only_a + only_b; n = 2·total. Then
    alpha = 1 - D_o / D_e = 1 - (n - 1) · o01 / (n0 · n1).
    """
    n = 2 * t.total
    o01 = t.only_a + t.only_b
    n1 = 2 * t.both + o01
    n0 = n - n1
    if n0 == 0 or n1 == 0:
        return None
    return 1 - Fraction((n - 1) * o01, n0 * n1)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def figures(
    label: str, code_uuid: str | None, table: Table, expected: Fraction, no_variation: str = NO_VARIATION
) -> Figures:
    """The row of one theme (or the pooled row, with its own chance agreement): *no_variation* says
    why kappa or alpha is undefined, in the words of the unit counted."""
    observed = Fraction(table.both + table.neither, table.total)
    kappa, alpha = _kappa(observed, expected), _alpha(table)
    return Figures(
        label,
        code_uuid,
        table,
        float(observed),
        float(expected),
        _float(kappa),
        _float(alpha),
        no_variation if kappa is None or alpha is None else None,
    )


# -- the comparison ---------------------------------------------------------------------------------


def compare(
    text: str,
    themes: Sequence[tuple[str, str]],
    spans_a: Mapping[str, Sequence[Span]],
    spans_b: Mapping[str, Sequence[Span]],
    *,
    transcript: Transcript,
    coder_a: Coder,
    coder_b: Coder,
) -> AgreementReport:
    """The report for two coders' codings of one text: ``themes`` are (code UUID, path) in display
    order, ``spans_a``/``spans_b`` each coder's coded spans by code UUID. Themes neither coder applied
    are left out."""
    n = len(text)
    if n == 0:
        raise InvalidInput(f"{transcript.name} has no text to compare")
    rows: list[Figures] = []
    expectations: list[Fraction] = []
    found: list[Disagreement] = []
    for code_uuid, path in themes:
        a, b = merged(spans_a.get(code_uuid, ())), merged(spans_b.get(code_uuid, ()))
        if not a and not b:
            continue
        counts = {(True, True): 0, (True, False): 0, (False, True): 0}
        for cluster_a, cluster_b in _clusters(a, b):
            pieces = _pieces(cluster_a, cluster_b)
            for start, end, in_a, in_b in pieces:
                counts[in_a, in_b] += end - start
            if cluster_a == cluster_b:
                continue
            found.append(
                Disagreement(
                    theme=path,
                    code_uuid=code_uuid,
                    start=min(s for s, _ in (*cluster_a, *cluster_b)),
                    end=max(e for _, e in (*cluster_a, *cluster_b)),
                    coder_a=tuple(Passage(s, e, text[s:e]) for s, e in cluster_a),
                    coder_b=tuple(Passage(s, e, text[s:e]) for s, e in cluster_b),
                    runs=tuple(
                        Run(s, e, "A" if in_a else "B", text[s:e])
                        for s, e, in_a, in_b in pieces
                        if in_a != in_b
                    ),
                )
            )
        both, only_a, only_b = counts[True, True], counts[True, False], counts[False, True]
        table = Table(both, only_a, only_b, n - both - only_a - only_b)
        expected = expected_agreement(table)
        expectations.append(expected)
        rows.append(figures(path, code_uuid, table, expected))
    if not rows:
        raise InvalidInput("neither coder applied any theme to this transcript")
    pooled_table = sum((row.table for row in rows[1:]), rows[0].table)
    pooled = figures(POOLED_LABEL, None, pooled_table, sum(expectations, Fraction(0)) / len(expectations))
    return AgreementReport(transcript, coder_a, coder_b, n, tuple(rows), pooled, tuple(found))


# -- from a project ---------------------------------------------------------------------------------


def coders_of(project: Project, transcript_uuid: str) -> list[Coder]:
    """The coders with codings on a transcript, by name; not the agreed coder of a reconciliation, whose
    codings are the lead's settling of the others' (:mod:`jswcoder.analysis.reconcile`)."""
    uuids = {coding.coder_uuid for coding in project.codings.of_transcript(transcript_uuid)}
    found = [people.coder_by_uuid(project.db, uuid) or Coder(uuid, uuid) for uuid in uuids]
    found = [c for c in found if c.name != AGREED_CODER]
    return sorted(found, key=lambda c: (c.name.casefold(), c.uuid))


def double_coded(project: Project) -> list[Transcript]:
    """The transcripts with codings from at least two coders."""
    return [t for t in project.transcripts.all() if len(coders_of(project, t.uuid)) >= 2]


def _choose(project: Project, transcript: Transcript, coders: tuple[str, str] | None) -> tuple[Coder, Coder]:
    present = coders_of(project, transcript.uuid)
    if coders is None:
        if len(present) != 2:
            count = f"{len(present)} coder{'s' if len(present) != 1 else ''}"
            if len(present) < 2:
                raise InvalidInput(
                    f"{transcript.name} was coded by {count}; agreement needs codings from two coders"
                )
            raise InvalidInput(f"this transcript was coded by {count}; choose two with --coders")
        return present[0], present[1]
    chosen = []
    for ref in coders:
        coder = people.coder_by_uuid(project.db, ref) or people.coder_by_name(project.db, ref)
        if coder is None:
            raise NotFound(f"there is no coder {ref!r} in this project")
        if coder not in present:
            names = ", ".join(c.name for c in present) or "nobody"
            raise InvalidInput(f"{coder.name} has no codings on {transcript.name}; it was coded by: {names}")
        chosen.append(coder)
    if chosen[0] == chosen[1]:
        raise InvalidInput("choose two different coders")
    return chosen[0], chosen[1]


def agreement(
    project: Project, transcript_ref: str, coders: tuple[str, str] | None = None
) -> AgreementReport:
    """Agreement between two coders (names or UUIDs) on a transcript (name or UUID).

    With ``coders`` None the transcript must have codings from exactly two coders (A is the first by
    name). With the local assistant as one of the two, :func:`jswcoder.analysis.assistant.agreement`.
    """
    transcript = project.transcripts.find(transcript_ref)
    coder_a, coder_b = _choose(project, transcript, coders)
    spans: dict[str, dict[str, list[Span]]] = {coder_a.uuid: {}, coder_b.uuid: {}}
    for coding in project.codings.of_transcript(transcript.uuid):
        if coding.coder_uuid in spans:
            spans[coding.coder_uuid].setdefault(coding.code_uuid, []).append((coding.start, coding.end))
    themes = [(code.uuid, code.path) for code in project.codebook.all()]
    known = {uuid for uuid, _ in themes}
    themes += [(u, u) for u in sorted({*spans[coder_a.uuid], *spans[coder_b.uuid]} - known)]
    return compare(
        project.transcripts.text_of(transcript.uuid),
        themes,
        spans[coder_a.uuid],
        spans[coder_b.uuid],
        transcript=transcript,
        coder_a=coder_a,
        coder_b=coder_b,
    )
