"""Agreement across the study: every transcript coded by two or more coders, per theme and pooled.

The units, and when a unit counts as coded with a theme by a coder, are :mod:`agreement_units`'
(character, sentence, paragraph or speaker turn; any overlap; optionally leaving out units nobody
coded). A theme is compared exactly (a sub-theme is a theme of its own), and only where someone
applied it: a theme nobody applied in the compared transcripts is not in the tables.

Two kinds of figures:

* **Each pair of coders** who coded at least one transcript both: over the units of the transcripts
  they both coded, the 2 x 2 table per theme, percentage agreement, Cohen's kappa and Krippendorff's
  alpha, as in the one-transcript report (:mod:`jswcoder.analysis.agreement`, whose arithmetic this
  reuses); pooled over the themes as there: the summed table, and De Vries et al.'s (2008) pooled kappa
  ``(mean p_o - mean p_e) / (1 - mean p_e)`` over the themes either of the pair applied.
* **All coders at once**, over every unit of every compared transcript: Fleiss' kappa (1971) and
  Krippendorff's alpha (nominal). Alpha allows transcripts coded by different numbers of coders (a coder
  who did not code a transcript is missing there, not "not coded"); Fleiss' kappa needs the same number
  of coders on every unit, so it is n/a when the numbers differ. The percentage shown is Fleiss' mean
  observed agreement: the share of agreeing coder pairs per unit, averaged over the units. Pooled over
  the themes: alpha from the coincidences summed over every (unit, theme), and Fleiss' kappa pooled the
  way De Vries pools Cohen's (the means of P-bar and P-bar-e over the themes).

Counts are exact (fractions) until the end, so the figures equal the textbook formulas'; the tests hold
them to scikit-learn, ``krippendorff`` and statsmodels on random codings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations
from typing import Any

from jswcoder.analysis.agreement import (
    POOLED_LABEL,
    Figures,
    Span,
    Table,
    expected_agreement,
    figures,
)
from jswcoder.analysis.agreement_units import AgreementUnit, CodedUnits, coded_units
from jswcoder.errors import InvalidInput
from jswcoder.model import Coder
from jswcoder.project import Project
from jswcoder.store import codings as codings_store
from jswcoder.store import people
from jswcoder.store.reconciliations import AGREED_CODER

NO_VARIATION = "every unit has the same value from every coder (no variation)"
UNEQUAL_CODERS = (
    "the transcripts were coded by different numbers of coders; Fleiss' kappa needs the same number "
    "on every unit (alpha does not)"
)
NO_DOUBLE_CODING = (
    "no transcript has codings from two coders yet; agreement needs transcripts that two or more "
    "coders coded independently (double coding)"
)


@dataclass(frozen=True)
class PairAgreement:
    """Two coders over the transcripts they both coded: a row per theme, and the pooled row."""

    coder_a: Coder
    coder_b: Coder
    transcripts: int
    units: int
    themes: tuple[Figures, ...]
    pooled: Figures

    def as_dict(self) -> dict[str, Any]:
        return {
            "coder_a": {"uuid": self.coder_a.uuid, "name": self.coder_a.name},
            "coder_b": {"uuid": self.coder_b.uuid, "name": self.coder_b.name},
            "transcripts": self.transcripts,
            "units": self.units,
            "themes": [f.as_dict() for f in self.themes],
            "pooled": self.pooled.as_dict(),
        }


@dataclass(frozen=True)
class GroupFigures:
    """All coders on one theme, or on all themes pooled (``code_uuid`` None)."""

    label: str
    code_uuid: str | None
    units: int
    observed: float  # Fleiss' P-bar: the mean share of agreeing coder pairs per unit
    expected: float  # Fleiss' P-bar-e (pooled: the mean over the themes)
    fleiss_kappa: float | None
    alpha: float | None
    undefined: str | None  # why a figure is None

    @property
    def percent(self) -> float:
        return 100 * self.observed

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme": self.label,
            "code_uuid": self.code_uuid,
            "units": self.units,
            "percent_agreement": self.percent,
            "observed_agreement": self.observed,
            "expected_agreement": self.expected,
            "fleiss_kappa": self.fleiss_kappa,
            "alpha": self.alpha,
            "undefined": self.undefined,
        }


@dataclass(frozen=True)
class StudyAgreement:
    unit: AgreementUnit
    skip_uncoded: bool
    transcripts: int
    coders: tuple[Coder, ...]
    units: int
    themes: tuple[GroupFigures, ...]  # in the codebook's tree order
    pooled: GroupFigures
    pairs: tuple[PairAgreement, ...]  # by the coders' names

    @property
    def description(self) -> str:
        uncoded = ", leaving out those no coder coded with any theme" if self.skip_uncoded else ""
        return (
            f"Unit: one {self.unit.value} ({self.units:,} units in {self.transcripts} transcript"
            f"{'s' if self.transcripts != 1 else ''} coded by two or more coders{uncoded}); a {self.unit.value} "
            "counts as coded with a theme when a coding of that theme touches it."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.value,
            "skip_uncoded": self.skip_uncoded,
            "description": self.description,
            "transcripts": self.transcripts,
            "coders": [{"uuid": c.uuid, "name": c.name} for c in self.coders],
            "units": self.units,
            "themes": [f.as_dict() for f in self.themes],
            "pooled": self.pooled.as_dict(),
            "pairs": [p.as_dict() for p in self.pairs],
        }


# -- one pair ---------------------------------------------------------------------------------------


def _pair_table(found: CodedUnits, code: str, a: int, b: int) -> Table:
    both = only_a = only_b = 0
    bit_a, bit_b = 1 << a, 1 << b
    for mask, count in found.themes.get(code, {}).items():
        in_a, in_b = bool(mask & bit_a), bool(mask & bit_b)
        if in_a and in_b:
            both += count
        elif in_a:
            only_a += count
        elif in_b:
            only_b += count
    return Table(both, only_a, only_b, found.units - both - only_a - only_b)


def _pair(
    coder_a: Coder, coder_b: Coder, shared: Sequence[CodedUnits], themes: Sequence[tuple[str, str]]
) -> PairAgreement | None:
    tables: dict[str, Table] = {}
    for found in shared:
        a, b = found.coders.index(coder_a.uuid), found.coders.index(coder_b.uuid)
        for code, _ in themes:
            table = _pair_table(found, code, a, b)
            tables[code] = tables[code] + table if code in tables else table
    units = sum(found.units for found in shared)
    rows = [
        figures(path, code, tables[code], expected_agreement(tables[code]), NO_VARIATION)
        for code, path in themes
        if code in tables and tables[code].total > tables[code].neither
    ]
    if not rows or units == 0:
        return None
    pooled_table = sum((row.table for row in rows[1:]), rows[0].table)
    mean_expected = sum((expected_agreement(row.table) for row in rows), Fraction(0)) / len(rows)
    pooled = figures(POOLED_LABEL, None, pooled_table, mean_expected, NO_VARIATION)
    return PairAgreement(coder_a, coder_b, len(shared), units, tuple(rows), pooled)


# -- all coders -------------------------------------------------------------------------------------


@dataclass
class _Group:
    """What Fleiss' kappa and alpha need for one theme, summed over the transcripts: how many units
    had *m* coders of whom *k* coded the theme. Whole numbers while counting (a study has few distinct
    (m, k)); the fractions are made once, from these."""

    counts: Counter[tuple[int, int]] = field(default_factory=Counter)

    def add(self, units: int, coders: int, coded_by: int) -> None:
        """*units* units that *coded_by* of their *coders* coded with the theme."""
        self.counts[coders, coded_by] += units

    def __iadd__(self, other: _Group) -> _Group:
        self.counts.update(other.counts)
        return self

    @property
    def units(self) -> int:
        return sum(self.counts.values())

    @property
    def observed(self) -> Fraction:
        """P-bar: the mean over units of P_i = (k(k-1) + (m-k)(m-k-1)) / (m(m-1))."""
        agreeing = sum(
            (
                Fraction(n * (k * (k - 1) + (m - k) * (m - k - 1)), m * (m - 1))
                for (m, k), n in self.counts.items()
            ),
            Fraction(0),
        )
        return agreeing / self.units

    @property
    def expected(self) -> Fraction:
        """P-bar-e: the squared shares of the ratings "coded" and "not coded"."""
        ones = sum(n * k for (_, k), n in self.counts.items())
        share = Fraction(ones, sum(n * m for (m, _), n in self.counts.items()))
        return share * share + (1 - share) * (1 - share)

    def alpha(self) -> Fraction | None:
        """Nominal alpha from the coincidence matrix: each unit adds k(m-k)/(m-1) to o01 (and to o10),
        k(k-1)/(m-1) to o11 and (m-k)(m-k-1)/(m-1) to o00; alpha = 1 - (n - 1) · o01 / (n0 · n1)."""
        o01 = o11 = o00 = Fraction(0)
        for (m, k), n in self.counts.items():
            o01 += Fraction(n * k * (m - k), m - 1)
            o11 += Fraction(n * k * (k - 1), m - 1)
            o00 += Fraction(n * (m - k) * (m - k - 1), m - 1)
        n1, n0 = o11 + o01, o00 + o01
        if n0 == 0 or n1 == 0:
            return None
        return 1 - (n0 + n1 - 1) * o01 / (n0 * n1)


def _kappa(observed: Fraction, expected: Fraction) -> Fraction | None:
    return None if expected == 1 else (observed - expected) / (1 - expected)


def _group_figures(
    label: str,
    code: str | None,
    units: int,
    observed: Fraction,
    expected: Fraction,
    alpha: Fraction | None,
    equal_coders: bool,
) -> GroupFigures:
    kappa = _kappa(observed, expected) if equal_coders else None
    reasons = []
    if not equal_coders:
        reasons.append(UNEQUAL_CODERS)
    if alpha is None or (equal_coders and kappa is None):
        reasons.append(NO_VARIATION)
    return GroupFigures(
        label,
        code,
        units,
        float(observed),
        float(expected),
        None if kappa is None else float(kappa),
        None if alpha is None else float(alpha),
        "; ".join(reasons) or None,
    )


def _groups(found: Sequence[CodedUnits], themes: Sequence[tuple[str, str]]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for item in found:
        m = len(item.coders)
        for code, _ in themes:
            counts: dict[int, int] = defaultdict(int)
            for mask, count in item.themes.get(code, {}).items():
                counts[mask.bit_count()] += count
            counts[0] = item.units - sum(counts.values())
            group = groups.setdefault(code, _Group())
            for k, count in counts.items():
                if count:
                    group.add(count, m, k)
    return groups


# -- the study --------------------------------------------------------------------------------------


def compare_study(
    found: Sequence[CodedUnits],
    themes: Sequence[tuple[str, str]],
    coders: Iterable[Coder],
    unit: AgreementUnit,
    *,
    skip_uncoded: bool = False,
) -> StudyAgreement:
    """The study's figures from each compared transcript's coded units: ``themes`` are (code UUID,
    path) in display order; ``coders`` every coder named in ``found``."""
    found = [item for item in found if len(item.coders) >= 2 and item.units > 0]
    if not found:
        raise InvalidInput(NO_DOUBLE_CODING)
    by_uuid = {c.uuid: c for c in coders}
    applied = {code for item in found for code in item.themes}
    shown = [(code, path) for code, path in themes if code in applied]
    if not shown:
        raise InvalidInput(f"no coding touches a {unit.value} of the transcripts coded by two or more coders")
    equal_coders = len({len(item.coders) for item in found}) == 1
    groups = _groups(found, shown)
    rows, observed, expected = [], [], []
    total = _Group()
    for code, path in shown:
        group = groups[code]
        observed.append(group.observed)
        expected.append(group.expected)
        rows.append(
            _group_figures(path, code, group.units, observed[-1], expected[-1], group.alpha(), equal_coders)
        )
        total += group
    mean_observed = sum(observed, Fraction(0)) / len(shown)
    mean_expected = sum(expected, Fraction(0)) / len(shown)
    units = sum(item.units for item in found)
    pooled = _group_figures(
        POOLED_LABEL, None, units, mean_observed, mean_expected, total.alpha(), equal_coders
    )
    present = sorted(
        {by_uuid[uuid] for item in found for uuid in item.coders}, key=lambda c: (c.name.casefold(), c.uuid)
    )
    pairs = []
    for coder_a, coder_b in combinations(present, 2):
        shared = [item for item in found if coder_a.uuid in item.coders and coder_b.uuid in item.coders]
        pair = _pair(coder_a, coder_b, shared, shown) if shared else None
        if pair is not None:
            pairs.append(pair)
    return StudyAgreement(
        unit, skip_uncoded, len(found), tuple(present), units, tuple(rows), pooled, tuple(pairs)
    )


def study_agreement(
    project: Project,
    unit: AgreementUnit = AgreementUnit.CHARACTER,
    *,
    skip_uncoded: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> StudyAgreement:
    """Agreement over every transcript of *project* that two or more coders coded. *progress* is told
    (transcripts done, transcripts to do) as each is counted."""
    spans: dict[str, dict[str, dict[str, list[Span]]]] = {}  # transcript -> coder -> code -> spans
    agreed = people.coder_by_name(project.db, AGREED_CODER)  # a reconciliation's: not a coder compared
    for transcript, coder, code, start, end in codings_store.of_shared_transcripts(project.db):
        if agreed is not None and coder == agreed.uuid:
            continue
        spans.setdefault(transcript, {}).setdefault(coder, {}).setdefault(code, []).append((start, end))
    compared = sorted(spans)
    if not compared:
        raise InvalidInput(NO_DOUBLE_CODING)
    found = []
    for done, uuid in enumerate(compared):
        if progress is not None:
            progress(done, len(compared))
        text = project.transcripts.text_of(uuid)
        turns = project.transcripts.turns(uuid) if unit is not AgreementUnit.CHARACTER else []
        by_coder = dict(sorted(spans[uuid].items()))
        found.append(coded_units(uuid, text, turns, by_coder, unit, skip_uncoded=skip_uncoded))
    themes = [(code.uuid, code.path) for code in project.codebook.all()]
    known = {uuid for uuid, _ in themes}
    themes += [(u, u) for u in sorted({c for item in found for c in item.themes} - known)]
    coder_uuids = {uuid for item in found for uuid in item.coders}
    coders = [people.coder_by_uuid(project.db, uuid) or Coder(uuid, uuid) for uuid in coder_uuids]
    return compare_study(found, themes, coders, unit, skip_uncoded=skip_uncoded)
