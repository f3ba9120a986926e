"""The theme report (.docx): themes in tree order, each with its "Key points" memo and its quotes.

Each quote is a coded passage of exactly that theme (a sub-theme's passages come under its own
heading), in the order of the matrix's cases, and is followed by its attribution line in the study's
convention: "(Client interview 7)", "(Senior managers / team leaders interview 5)", or
"(Participant)" for a case with no group and interview number; a focus group's quote, where its
speakers were made cases, is attributed to the speaker of the turn it starts in ("(Focus group 3,
participant 2)", the project's template). Headings are Word's "Heading 1" to
"Heading 9" by depth; quotes take the paragraph style "Participant quote" when the template has one,
Word's built-in "Quote" otherwise; their attribution lines take "Quote attribution".

By default (:class:`ReportOptions`) the report is one to hand in: a title page
(:mod:`jswcoder.reports.title_page`), only the themes with quotes or key points (and the themes above
them, for the outline), and quotes trimmed to sentence boundaries (:mod:`jswcoder.reports.quotes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt

from jswcoder.analysis.matrix import build_matrix, choose_themes
from jswcoder.model import Code
from jswcoder.project import Project
from jswcoder.reports import docx_common as word
from jswcoder.reports import title_page as cover
from jswcoder.reports.base import Exporters, Rendered
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.title_page import counted
from jswcoder.store import people

KEY_POINTS = "Key points"
QUOTE_STYLE = "Quote"
CUSTOM_QUOTE_STYLE = "Participant quote"
ATTRIBUTION_STYLE = "Quote attribution"
_BULLETS = ("- ", "* ", "• ")


@dataclass(frozen=True)
class ReportOptions:
    """How the theme report is made. The defaults make a report to hand in."""

    all_themes: bool = False  # also the themes with no quotes or key points, here or below them
    title_page: bool = True
    trimmed: bool = True  # quotes cut at sentence boundaries, "…" where a sentence is cut
    title: str | None = None  # the title page's title (else the project's name in a lead's report)
    on: date | None = None  # the title page's date; today when None


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str
    case: str  # the case's uuid, to count participants
    coder: str  # the uuid of the coder who coded the passage


@dataclass(frozen=True)
class Section:
    level: int  # 1 for a top-level (or chosen) theme, 2 for its sub-themes, ...
    title: str
    key_points: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class ThemeReport:
    sections: tuple[Section, ...]
    base: word.Document | None  # the template, its body cleared; None for Word's defaults
    left_out: int = 0  # themes with nothing in them, here or below, left out
    title_page: cover.TitlePage | None = None

    def count_lines(self) -> tuple[str, ...]:
        """What the report holds ("7 quotes from 4 participants, under 5 themes"), and what it leaves out."""
        quotes = [quote for section in self.sections for quote in section.quotes]
        lines = ["No quotes"]
        if quotes:
            cases = len({quote.case for quote in quotes})
            themes = sum(1 for section in self.sections if section.quotes)
            lines = [f"{counted(len(quotes), 'quote')} from {counted(cases, 'participant')}, under "]
            lines[0] += counted(themes, "theme")
        if self.left_out:
            them = "it is" if self.left_out == 1 else "them are"
            lines.append(f"{counted(self.left_out, 'theme')} with nothing in {them} left out")
        return tuple(lines)

    @property
    def counts(self) -> str:
        return "; ".join(self.count_lines())


REPORT: Exporters[ThemeReport] = Exporters("the theme report")


def _chosen(codes: Sequence[Code], themes: Sequence[str]) -> list[tuple[Code, int, bool]]:
    """(theme, heading level, is a chosen root) in tree order: all themes, or the chosen branches."""
    if not themes:
        return [(c, c.path.count("/") + 1, c.parent_uuid is None) for c in codes]
    roots = choose_themes(codes, paths=themes)
    chosen = []
    for code in codes:
        inside = [r for r in roots if code.path == r.path or code.path.startswith(r.path + "/")]
        if inside:
            outermost = min(inside, key=lambda r: r.path.count("/"))
            chosen.append((code, code.path.count("/") - outermost.path.count("/") + 1, code is outermost))
    return chosen


def report_sections(
    project: Project, text: ExportText, themes: Sequence[str] = (), *, trimmed: bool = False
) -> list[Section]:
    chosen = _chosen(project.codebook.all(), themes)
    wanted = {code.uuid for code, _, _ in chosen}
    # Top-level columns: every coding lies in exactly one; a focus group's quote is its speaker's case's.
    matrix = build_matrix(project, speakers=True)
    quotes: dict[str, list[Quote]] = {}
    for column, theme in enumerate(matrix.themes):
        if not theme.members & wanted:
            continue
        for row, case in enumerate(matrix.cases):
            for passage in matrix.passages(row, column):
                if passage.coding.code_uuid in wanted:
                    quoted = text.quote(passage.coding, to_sentence_boundaries=trimmed)
                    attribution = text.attribution(case, passage.coding)  # generalised for this quote?
                    found = Quote(quoted, attribution, case.uuid, passage.coding.coder_uuid)
                    quotes.setdefault(passage.coding.code_uuid, []).append(found)
    sections = []
    for code, level, root in chosen:
        memo = project.memos.for_target("code", code.uuid)
        title = code.path if root and code.parent_uuid is not None else code.name
        sections.append(
            Section(
                level,
                text.general(title),
                text.general(memo.text) if memo else "",
                tuple(quotes.get(code.uuid, ())),
            )
        )
    return sections


def with_something(sections: Sequence[Section]) -> tuple[list[Section], int]:
    """The sections with quotes or key points, and those above them; and how many were left out."""
    keep = [False] * len(sections)
    for index in range(len(sections) - 1, -1, -1):  # from the last, so what is below is known
        section = sections[index]
        wanted = bool(section.quotes or section.key_points.strip())
        later = index + 1
        while not wanted and later < len(sections) and sections[later].level > section.level:
            wanted = keep[later]
            later += 1
        keep[index] = wanted
    kept = [section for section, wanted in zip(sections, keep, strict=True) if wanted]
    return kept, len(sections) - len(kept)


def report_content(
    project: Project,
    text: ExportText,
    themes: Sequence[str] = (),
    options: ReportOptions | None = None,
    base: word.Document | None = None,
) -> ThemeReport:
    """The report's content, every string through ``text``."""
    options = options or ReportOptions()
    sections = report_sections(project, text, themes, trimmed=options.trimmed)
    left_out = 0
    if not options.all_themes:
        sections, left_out = with_something(sections)
    report = ThemeReport(tuple(sections), base, left_out)
    if not options.title_page:
        return report
    coders = {quote.coder for section in sections for quote in section.quotes}
    named = text.coder_names(_coder_name(project, uuid) for uuid in coders)
    page = cover.title_page(
        text.report_title(options.title),
        options.on or date.today(),
        report.count_lines(),
        cover.coders_line(named, len(coders)),
    )
    return ThemeReport(report.sections, base, left_out, page)


def _coder_name(project: Project, uuid: str) -> str:
    coder = people.coder_by_uuid(project.db, uuid)
    return coder.name if coder is not None else "an unknown coder"


def _quote_styles(document: word.Document) -> tuple[Any, Any]:
    custom = word.paragraph_style_named(document, CUSTOM_QUOTE_STYLE)
    if custom is None:

        def italic(style: Any) -> None:
            style.font.italic = True
            style.paragraph_format.left_indent = Inches(0.5)
            style.paragraph_format.right_indent = Inches(0.5)

        custom = word.paragraph_style(document, QUOTE_STYLE, setup=italic)

    def attribution_setup(style: Any) -> None:
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        style.paragraph_format.space_after = Pt(12)

    attribution = word.paragraph_style(document, ATTRIBUTION_STYLE, custom.name, setup=attribution_setup)
    return custom, attribution


def _key_points(document: word.Document, body: word.Body, memo: str) -> None:
    normal = word.paragraph_style_named(document, "Normal")
    bullet = word.paragraph_style_named(document, "List Bullet")
    body.paragraph(style=normal, keep_with_next=True).add_run(KEY_POINTS).bold = True
    for line in memo.splitlines():
        if not line.strip():
            continue
        if bullet is not None and line.lstrip().startswith(_BULLETS):
            body.paragraph(line.lstrip()[2:].strip(), bullet)
        else:
            body.paragraph(line.strip(), normal)


def render_docx(report: ThemeReport) -> Rendered:
    document = report.base if report.base is not None else word.new_document()
    word.clean_properties(document, "Theme report")
    quote_style, attribution_style = _quote_styles(document)
    headings = {level: word.heading_style(document, level) for level in {s.level for s in report.sections}}
    body = word.Body(document)
    if report.title_page is not None:
        cover.render(document, body, report.title_page)
    if not report.sections:
        normal = word.paragraph_style_named(document, "Normal")
        if report.left_out:
            are = "is" if report.left_out == 1 else "are"
            left_out = f"{counted(report.left_out, 'theme')} without any {are} left out"
            body.paragraph(f"No theme has quotes or key points yet; {left_out}.", normal)
        else:
            body.paragraph("There are no themes to report.", normal)
    for section in report.sections:
        body.paragraph(section.title, headings[section.level])
        if section.key_points.strip():
            _key_points(document, body, section.key_points)
        for quote in section.quotes:
            body.paragraph(quote.text.strip(), quote_style, keep_with_next=True)
            body.paragraph(quote.attribution, attribution_style)
    return Rendered(word.saved(document), word.texts(document))
