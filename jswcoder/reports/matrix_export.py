"""The Framework matrix as a file: a sheet (.xlsx) or a landscape table (.docx) per top-level theme.

Columns are grouped under their top-level theme, so a matrix of sub-themes gets one sheet or table
per branch; a matrix of top-level themes gets one each. Rows are the cases with their label and the
value of the grouping attribute; cells hold the analyst's summaries. The workbook also has a
"Passages" sheet: every coded passage behind the cells, with its case, theme path and text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from docx.shared import Emu, Inches

from jswcoder.analysis.matrix import ATTRIBUTES, FrameworkMatrix
from jswcoder.errors import InvalidInput
from jswcoder.reports import docx_common as word
from jswcoder.reports.base import Exporters, Rendered
from jswcoder.reports.privacy import ExportText
from jswcoder.reports.xlsx import Sheet, workbook

CASE_HEADING = "Case"
PASSAGES_SHEET = "Passages"
DEFAULT_GROUPING = "participant_group"
COLUMNS_PER_TABLE = 5  # theme columns in one Word table; more go to a continuation table
EMERGENT_MARK = " (emergent)"


@dataclass(frozen=True)
class ThemeGroup:
    """The columns under one top-level theme: their headings and, row by row, their summaries."""

    title: str
    columns: tuple[int, ...]
    headers: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]


class MatrixContent:
    """What a matrix export holds, every string already through :class:`ExportText`."""

    def __init__(self, matrix: FrameworkMatrix, text: ExportText, by: str | None) -> None:
        attribute = by or DEFAULT_GROUPING
        if attribute not in ATTRIBUTES and not any(attribute in c.attributes for c in matrix.cases):
            raise InvalidInput(
                f"no case has the attribute {attribute!r}; group by one of {', '.join(ATTRIBUTES)}"
            )
        self._matrix = matrix
        self._text = text
        text.releases([attribute])  # the indirect-identification check counts what the rows show
        self.group_heading = ATTRIBUTES.get(attribute, attribute)
        self.labels = tuple(text.case_label(case) for case in matrix.cases)
        self.groups = tuple(
            text.general(text.released(case.uuid, attribute, case.value(attribute))) for case in matrix.cases
        )
        self.themes = tuple(self._theme_groups())

    def _theme_groups(self) -> list[ThemeGroup]:
        matrix, text = self._matrix, self._text
        tops = {c.path: c for c in matrix.project.codebook.all() if c.parent_uuid is None}
        by_top: dict[str, list[int]] = {}
        for index, theme in enumerate(matrix.themes):
            by_top.setdefault(theme.code.path.split("/")[0], []).append(index)
        groups = []
        for top_path, columns in by_top.items():
            top = tops.get(top_path)
            headers = []
            for index in columns:
                theme = matrix.themes[index]
                below = theme.code.path.split("/")[1:]
                name = "/".join(below) if below else theme.code.name
                headers.append(text.general(name) + (EMERGENT_MARK if theme.emergent else ""))
            cells = tuple(
                tuple(text.about(case, matrix.summary(row, column)) for column in columns)
                for row, case in enumerate(matrix.cases)
            )
            title = text.general(top.name if top is not None else top_path)
            groups.append(ThemeGroup(title, tuple(columns), tuple(headers), cells))
        return groups

    @cached_property
    def passages(self) -> tuple[tuple[str, str, str, str], ...]:
        """(case, group, theme path, passage) for every passage behind a cell, theme by theme."""
        matrix, text = self._matrix, self._text
        rows = []
        for group in self.themes:
            for column in group.columns:
                for row in range(len(matrix.cases)):
                    for passage in matrix.passages(row, column):
                        quoted = text.quote(passage.coding)
                        # A quote that narrows to its speaker, generalised: neither label nor group says who.
                        speaker = text.generalised_attribution(passage.coding)
                        rows.append(
                            (
                                speaker or self.labels[row],
                                speaker or self.groups[row],
                                text.general(passage.code_path),
                                quoted,
                            )
                        )
        return tuple(rows)


MATRIX: Exporters[MatrixContent] = Exporters("the matrix")


def render_xlsx(content: MatrixContent) -> Rendered:
    sheets = [
        Sheet(
            group.title,
            (CASE_HEADING, content.group_heading, *group.headers),
            [
                (label, value, *cells)
                for label, value, cells in zip(content.labels, content.groups, group.cells, strict=True)
            ],
            (26, 22, *(40 for _ in group.headers)),
            frozen_columns=2,
        )
        for group in content.themes
    ]
    sheets.append(
        Sheet(
            PASSAGES_SHEET,
            (CASE_HEADING, content.group_heading, "Theme", "Passage"),
            content.passages,
            (26, 22, 36, 90),
            frozen_columns=1,
        )
    )
    return workbook(sheets)


def render_docx(content: MatrixContent) -> Rendered:
    document = word.new_document()
    section = document.sections[0]
    word.landscape(section)
    word.clean_properties(document, "Framework matrix")
    body = word.Body(document)
    body.paragraph("Framework matrix", word.paragraph_style(document, "Title"))
    label_width, group_width = Inches(1.6), Inches(1.3)
    heading, continued = word.heading_style(document, 1), word.heading_style(document, 2)
    for group in content.themes:
        body.paragraph(group.title, heading)
        for first in range(0, len(group.headers), COLUMNS_PER_TABLE):
            chosen = range(first, min(first + COLUMNS_PER_TABLE, len(group.headers)))
            if first:
                body.paragraph(f"{group.title} (continued)", continued)
            theme_width = Emu(
                max(Inches(1.2), (word.usable_width(section) - label_width - group_width) // len(chosen))
            )
            header = [CASE_HEADING, content.group_heading, *(group.headers[i] for i in chosen)]
            rows = [
                [label, value, *(cells[i] for i in chosen)]
                for label, value, cells in zip(content.labels, content.groups, group.cells, strict=True)
            ]
            widths = [label_width, group_width, *(theme_width for _ in chosen)]
            word.add_table(document, header, rows, widths)
    return Rendered(word.saved(document), word.texts(document))
