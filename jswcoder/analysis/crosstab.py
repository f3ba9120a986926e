"""Crosstabs: themes down the side, the values of one attribute across the top (NVivo's matrix coding
query of themes by a case attribute; MAXQDA's crosstabs).

Each cell holds two counts for a theme and an attribute value: the coded passages of the theme in the
cases with that value, and how many of those cases have at least one. A theme is counted together with
its sub-themes, as a column of the Framework matrix is, and the crosstab is built on the matrix
(:func:`jswcoder.analysis.matrix.build_matrix`): the same cases, the same coders (each transcript's own
coder and the project's, unless every coder is asked for), the same attribute values, "(not recorded)"
where a case has none. So a crosstab's cell always equals the sum of the matrix cells in that group.

Percentages, as a researcher reads them:

* **row %**: of a theme's passages, the share in each value (where the theme was talked about);
* **column %**: of a value's passages, the share of each theme (what that group talked about);
* **cases %**: of the cases with a value, the share with at least one passage of the theme
  ("7 of 10 clients").

A cell's passages are read only when asked for (:meth:`Crosstab.passages`), one transcript at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jswcoder.analysis.matrix import (
    ATTRIBUTES,
    NOT_RECORDED,
    Case,
    FrameworkMatrix,
    Passage,
    Theme,
    build_matrix,
)
from jswcoder.errors import InvalidInput
from jswcoder.model import PARTICIPANT_GROUPS
from jswcoder.project import Project
from jswcoder.store import people


def _percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


@dataclass(frozen=True)
class Crosstab:
    """Themes × the values of one attribute. ``passages[t][v]`` and ``cases[t][v]`` are the counts of
    theme ``t`` (an index into :attr:`themes`) in value ``v`` (an index into :attr:`values`)."""

    matrix: FrameworkMatrix
    attribute: str
    values: tuple[str, ...]
    rows_of_value: tuple[tuple[int, ...], ...]  # the matrix rows (cases) with each value
    passages: tuple[tuple[int, ...], ...]
    cases: tuple[tuple[int, ...], ...]

    @property
    def themes(self) -> list[Theme]:
        return self.matrix.themes

    def cases_with(self, value: int) -> int:
        """How many cases have the value (the denominator of cases %)."""
        return len(self.rows_of_value[value])

    def theme_total(self, theme: int) -> int:
        return sum(self.passages[theme])

    def value_total(self, value: int) -> int:
        return sum(row[value] for row in self.passages)

    def row_percent(self, theme: int, value: int) -> float | None:
        return _percent(self.passages[theme][value], self.theme_total(theme))

    def column_percent(self, theme: int, value: int) -> float | None:
        return _percent(self.passages[theme][value], self.value_total(value))

    def cases_percent(self, theme: int, value: int) -> float | None:
        return _percent(self.cases[theme][value], self.cases_with(value))

    def passages_in(self, theme: int, value: int) -> list[Passage]:
        """The coded passages behind a cell, case by case in the matrix's order."""
        return [p for row in self.rows_of_value[value] for p in self.matrix.passages(row, theme)]

    def on(self, project: Project) -> Crosstab:
        """The same crosstab, its passages read through another connection to the same project."""
        return Crosstab(
            self.matrix.on(project),
            self.attribute,
            self.values,
            self.rows_of_value,
            self.passages,
            self.cases,
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``: theme paths, values, and per cell the counts and percentages."""
        return {
            "attribute": self.attribute,
            "values": [{"value": value, "cases": self.cases_with(v)} for v, value in enumerate(self.values)],
            "themes": [
                {
                    "theme": theme.code.path,
                    "passages": self.theme_total(t),
                    "cells": [
                        {
                            "value": value,
                            "passages": self.passages[t][v],
                            "cases": self.cases[t][v],
                            "row_percent": self.row_percent(t, v),
                            "column_percent": self.column_percent(t, v),
                            "cases_percent": self.cases_percent(t, v),
                        }
                        for v, value in enumerate(self.values)
                    ],
                }
                for t, theme in enumerate(self.themes)
            ],
        }


def _value_order(attribute: str, value: str) -> tuple[int, int, str]:
    """The study's participant groups in its order; any other value alphabetically; "(not recorded)" last."""
    known = PARTICIPANT_GROUPS if attribute == "participant_group" else ()
    rank = known.index(value) if value in known else len(known)
    return (value == NOT_RECORDED, rank, value.casefold())


def attributes_of(matrix: FrameworkMatrix) -> list[str]:
    """The attributes a crosstab can be made by: the usual ones, then the cases' own, by name."""
    own = sorted(
        {name for case in matrix.cases for name in case.attributes} - set(ATTRIBUTES), key=str.casefold
    )
    return [*ATTRIBUTES, *own]


def attribute_names(project: Project) -> list[str]:
    """What a crosstab can be made by in this project: the usual attributes, then the participants' own."""
    own = {name for participant in people.participants(project.db) for name in participant.attributes}
    return [*ATTRIBUTES, *sorted(own - set(ATTRIBUTES), key=str.casefold)]


def crosstab_of(
    matrix: FrameworkMatrix,
    by: str,
    value_of: Callable[[Case], str] | None = None,
    *,
    order: Callable[[str], int] | None = None,
) -> Crosstab:
    """Count a built matrix's cells by the values of ``by``: each case's own, or what ``value_of``
    says it is (an export prints a generalised value, "[a council area]", where the user chose one);
    the values in the study's order for ``by``, or ranked by ``order``."""
    known = attributes_of(matrix)
    if by not in known:
        raise InvalidInput(f"no case has the attribute {by!r}; crosstabs can be made by: {', '.join(known)}")
    read = value_of if value_of is not None else (lambda case: case.value(by))
    rows: dict[str, list[int]] = {}
    for row, case in enumerate(matrix.cases):
        rows.setdefault(read(case), []).append(row)
    values = tuple(sorted(rows, key=lambda value: (order(value) if order else 0, _value_order(by, value))))
    rows_of_value = tuple(tuple(rows[value]) for value in values)
    passages, cases = [], []
    for column in range(len(matrix.themes)):
        counts = [[matrix.count(row, column) for row in members] for members in rows_of_value]
        passages.append(tuple(sum(c) for c in counts))
        cases.append(tuple(sum(1 for n in c if n) for c in counts))
    return Crosstab(matrix, by, values, rows_of_value, tuple(passages), tuple(cases))


def build_crosstab(
    project: Project,
    by: str,
    *,
    level: int | None = None,
    themes: Sequence[str] = (),
    where: Mapping[str, Sequence[str]] | None = None,
    all_coders: bool = False,
    speakers: bool = False,
) -> Crosstab:
    """The crosstab of the themes at ``level`` (1, the top, by default) or the ``themes`` named by
    path, by the values of the attribute ``by``; cases kept as :func:`build_matrix` keeps them (with
    ``speakers``, a focus group's speaker cases are cases too)."""
    matrix = build_matrix(
        project, level=level, themes=themes, by=by, where=where, all_coders=all_coders, speakers=speakers
    )
    return crosstab_of(matrix, by)
