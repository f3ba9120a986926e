"""The agreement report as plain text: the per-theme table, then the disagreements side by side."""

from __future__ import annotations

import textwrap
from itertools import zip_longest

from jswcoder.analysis.agreement import AgreementReport, Disagreement, Figures, Passage

THEME_WIDTH = 40
SIDE_WIDTH = 52
GUTTER = " | "


def number(value: float | None, decimals: int = 3) -> str:
    """A statistic for display: rounded, or "n/a" when it is undefined."""
    return "n/a" if value is None else f"{value:.{decimals}f}"


def percent(figures: Figures) -> str:
    return f"{figures.percent:.1f}%"


def clip(text: str, width: int) -> str:
    """A theme path cut from the left: the last levels are the ones that tell sub-themes apart."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]


def _table(report: AgreementReport) -> list[str]:
    width = min(THEME_WIDTH, max(len(f.label) for f in (*report.themes, report.pooled)))
    header = f"{'Theme':<{width}}  {'Both':>7}  {'A only':>7}  {'B only':>7}  {'Neither':>8}  "
    header += f"{'Agreement':>9}  {'Kappa':>6}  {'Alpha':>6}"
    lines = [header, "-" * len(header)]
    for figures in (*report.themes, report.pooled):
        if figures is report.pooled:
            lines.append("-" * len(header))
        t = figures.table
        lines.append(
            f"{clip(figures.label, width):<{width}}  {t.both:>7}  {t.only_a:>7}  {t.only_b:>7}  "
            f"{t.neither:>8}  {percent(figures):>9}  {number(figures.kappa):>6}  {number(figures.alpha):>6}"
        )
    undefined = [f for f in (*report.themes, report.pooled) if f.undefined]
    for reason in sorted({f.undefined for f in undefined if f.undefined}):
        labels = ", ".join(f.label for f in undefined if f.undefined == reason)
        lines.append(f"n/a ({labels}): {reason}.")
    return lines


def _side(passages: tuple[Passage, ...]) -> list[str]:
    if not passages:
        return ["(not coded)"]
    lines: list[str] = []
    for passage in passages:
        words = " ".join(passage.text.split())
        lines += textwrap.wrap(f"[{passage.start}–{passage.end}] {words}", SIDE_WIDTH) or [""]
    return lines


def _disagreement(item: Disagreement) -> list[str]:
    lines = [f"{item.theme}, characters {item.start}–{item.end}"]
    for left, right in zip_longest(_side(item.coder_a), _side(item.coder_b), fillvalue=""):
        lines.append(f"  {left:<{SIDE_WIDTH}}{GUTTER}{right}".rstrip())
    return lines


def render_text(report: AgreementReport) -> str:
    lines = [
        f"Coder agreement on {report.transcript.name}",
        f"Coder A: {report.coder_a.name}    Coder B: {report.coder_b.name}",
        report.unit,
        "",
        *_table(report),
        "",
    ]
    if not report.disagreements:
        lines.append("No disagreements: the coders coded every theme on exactly the same characters.")
        return "\n".join(lines) + "\n"
    lines.append(f"Disagreements ({len(report.disagreements)})")
    heading = (
        f"  {clip('A: ' + report.coder_a.name, SIDE_WIDTH):<{SIDE_WIDTH}}{GUTTER}B: {report.coder_b.name}"
    )
    lines += [heading, "  " + "-" * (len(heading) - 2)]
    for item in report.disagreements:
        lines += ["", *_disagreement(item)]
    return "\n".join(lines) + "\n"
