"""The theme report (.docx): themes in tree order, each with its "Key points" memo and its quotes.

Each quote is a coded passage of exactly that theme (a sub-theme's passages come under its own
heading), in the order of the matrix's cases, and is followed by its attribution line in the study's
convention: "(Client interview 7)", "(Senior managers / team leaders interview 5)", or
"(Participant)" for a case with no group and interview number. Headings are Word's "Heading 1" to
"Heading 9" by depth; quotes take the paragraph style "Participant quote" when the template has one,
Word's built-in "Quote" otherwise; their attribution lines take "Quote attribution".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt

from jswcoder.analysis.matrix import build_matrix, choose_themes
from jswcoder.model import Code
from jswcoder.project import Project
from jswcoder.reports import docx_common as word
from jswcoder.reports.base import Exporters, Rendered
from jswcoder.reports.privacy import ExportText

KEY_POINTS = "Key points"
QUOTE_STYLE = "Quote"
CUSTOM_QUOTE_STYLE = "Participant quote"
ATTRIBUTION_STYLE = "Quote attribution"
_BULLETS = ("- ", "* ", "• ")


@dataclass(frozen=True)
class Quote:
    text: str
    attribution: str


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


def report_sections(project: Project, text: ExportText, themes: Sequence[str] = ()) -> list[Section]:
    chosen = _chosen(project.codebook.all(), themes)
    wanted = {code.uuid for code, _, _ in chosen}
    matrix = build_matrix(project)  # top-level columns: every coding lies in exactly one
    quotes: dict[str, list[Quote]] = {}
    for column, theme in enumerate(matrix.themes):
        if not theme.members & wanted:
            continue
        for row, case in enumerate(matrix.cases):
            attribution = None
            for passage in matrix.passages(row, column):
                if passage.coding.code_uuid in wanted:
                    attribution = attribution or text.attribution(case)
                    found = Quote(text.quote(passage.coding), attribution)
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
    if not report.sections:
        body.paragraph("There are no themes to report.", word.paragraph_style_named(document, "Normal"))
    for section in report.sections:
        body.paragraph(section.title, headings[section.level])
        if section.key_points.strip():
            _key_points(document, body, section.key_points)
        for quote in section.quotes:
            body.paragraph(quote.text.strip(), quote_style, keep_with_next=True)
            body.paragraph(quote.attribution, attribution_style)
    return Rendered(word.saved(document), word.texts(document))
