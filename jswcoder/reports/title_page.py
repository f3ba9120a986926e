"""The theme report's title page: a title, the date, what the report holds, and who coded it.

What it may name depends on whose project it is (:meth:`ExportText.report_title`,
:meth:`ExportText.coder_names`): a team lead's report is titled with the project's name and names the
coders whose passages it quotes; a fieldworker's is titled "Theme report" (or a title typed for it,
through the register) and counts the coders without naming them. Every line is part of the file's
text, so the leak check reads it with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx.shared import Inches, Pt

from jswcoder.reports import docx_common as word

REPORT_NAME = "Theme report"
CONVENTION = "Participants are quoted anonymously, by group and interview number."
TITLE_DOWN = Inches(1.5)
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class TitlePage:
    title: str
    subtitle: str | None
    date: str
    counts: tuple[str, ...]
    coders: str


def day(on: date) -> str:
    """The date as the report says it ("14 March 2025"), whatever language the machine is set to."""
    return f"{on.day} {_MONTHS[on.month - 1]} {on.year}"


def counted(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _joined(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def coders_line(names: Sequence[str], count: int) -> str:
    """Who coded the quotes: named (a lead's report), or counted (a fieldworker's)."""
    if names:
        return f"Coded by {_joined(names)}"
    if not count:
        return "No coded passages"
    return f"Coded by {counted(count, 'coder')} (not named in an anonymised report)"


def title_page(title: str | None, on: date, counts: tuple[str, ...], coders: str) -> TitlePage:
    if title is None:
        return TitlePage(REPORT_NAME, None, day(on), counts, coders)
    return TitlePage(title, REPORT_NAME, day(on), counts, coders)


def render(document: word.Document, body: word.Body, page: TitlePage) -> None:
    """The page, then a page break: the themes start on the next page."""

    def subtitle_setup(style: Any) -> None:
        style.font.size = Pt(15)
        style.font.italic = True

    def title_setup(style: Any) -> None:
        style.font.size = Pt(26)

    normal = word.paragraph_style_named(document, "Normal")
    title = body.paragraph(page.title, word.paragraph_style(document, "Title", setup=title_setup))
    title.paragraph_format.space_before = TITLE_DOWN  # a cover's title stands a little way down
    if page.subtitle is not None:
        body.paragraph(page.subtitle, word.paragraph_style(document, "Subtitle", setup=subtitle_setup))
    for line in (page.date, *page.counts, page.coders, CONVENTION):
        body.paragraph(line, normal)
    body.page_break()
