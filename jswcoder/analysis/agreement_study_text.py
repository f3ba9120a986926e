"""The study-wide agreement as plain text: all coders per theme, then a table for each pair of coders."""

from __future__ import annotations

from jswcoder.analysis.agreement import Figures
from jswcoder.analysis.agreement_study import GroupFigures, PairAgreement, StudyAgreement
from jswcoder.analysis.agreement_text import THEME_WIDTH, clip, number, percent


def _width(labels: list[str]) -> int:
    return min(THEME_WIDTH, max(len(label) for label in labels))


def _reasons(rows: list[GroupFigures] | list[Figures]) -> list[str]:
    lines = []
    for reason in sorted({row.undefined for row in rows if row.undefined}):
        labels = ", ".join(row.label for row in rows if row.undefined == reason)
        lines.append(f"n/a ({labels}): {reason}.")
    return lines


def _all_coders(study: StudyAgreement) -> list[str]:
    rows = [*study.themes, study.pooled]
    width = _width([row.label for row in rows])
    header = f"{'Theme':<{width}}  {'Units':>9}  {'Agreement':>9}  {'Fleiss':>6}  {'Alpha':>6}"
    lines = [header, "-" * len(header)]
    for row in rows:
        if row is study.pooled:
            lines.append("-" * len(header))
        lines.append(
            f"{clip(row.label, width):<{width}}  {row.units:>9,}  {row.percent:>8.1f}%  "
            f"{number(row.fleiss_kappa):>6}  {number(row.alpha):>6}"
        )
    return lines + _reasons(rows)


def _pair(pair: PairAgreement) -> list[str]:
    rows = [*pair.themes, pair.pooled]
    width = _width([row.label for row in rows])
    header = (
        f"{'Theme':<{width}}  {'Units':>9}  {'Both':>7}  {'A only':>7}  {'B only':>7}  "
        f"{'Agreement':>9}  {'Kappa':>6}  {'Alpha':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        if row is pair.pooled:
            lines.append("-" * len(header))
        t = row.table
        lines.append(
            f"{clip(row.label, width):<{width}}  {pair.units:>9,}  {t.both:>7,}  {t.only_a:>7,}  "
            f"{t.only_b:>7,}  {percent(row):>9}  {number(row.kappa):>6}  {number(row.alpha):>6}"
        )
    lines.append("(pooled: Both, A only and B only count each unit once per theme)")
    return lines + _reasons(rows)


def render_study_text(study: StudyAgreement) -> str:
    lines = [
        "Coder agreement across the study",
        study.description,
        f"Coders: {', '.join(c.name for c in study.coders)}",
        "",
        "All coders: mean agreement per unit, Fleiss' kappa, Krippendorff's alpha (nominal)",
        *_all_coders(study),
    ]
    for pair in study.pairs:
        lines += [
            "",
            f"A: {pair.coder_a.name} and B: {pair.coder_b.name} ({pair.transcripts} transcript"
            f"{'s' if pair.transcripts != 1 else ''} coded by both): Cohen's kappa",
            *_pair(pair),
        ]
    return "\n".join(lines) + "\n"
