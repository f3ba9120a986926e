"""Charts for a report, as plain data: what each chart shows, with every label as it may leave.

Three kinds, each built from an analysis and an export's text (:class:`ExportText`, so labels are
anonymised in a fieldworker's project and the file is checked before it is written, like any export):

* :class:`Bars` — theme frequency by an attribute (a crosstab): a group of bars per theme, a bar per
  value, counting passages or the share of cases;
* :class:`HeatMap` — co-occurrence of themes: a grid of cells, each printed with its number;
* :class:`Stripes` — coding stripes along one transcript: a lane per coder and theme, with the coded
  stretches drawn where they lie in the text.

The drawing is Qt's (:mod:`jswcoder.ui.chart_painter`, which registers the ``.png`` and ``.svg``
renderers of :data:`CHART`): the core stays free of Qt, and only a caller that wants a file (the command
line, the app) loads it. Colour is never the only cue: bars and stripes also carry a pattern and a
label, cells their number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jswcoder.analysis.cooccurrence import Cooccurrence
from jswcoder.analysis.crosstab import Crosstab
from jswcoder.analysis.matrix import ATTRIBUTES, Case
from jswcoder.errors import InvalidInput
from jswcoder.project import Project
from jswcoder.reports.base import Exporters
from jswcoder.reports.crosstab_export import released_crosstab
from jswcoder.reports.privacy import ExportText
from jswcoder.store import people

MEASURES = ("passages", "cases")


@dataclass(frozen=True)
class Bars:
    title: str
    categories: tuple[str, ...]  # a group of bars each (themes)
    series: tuple[str, ...]  # a bar each within a group (the attribute's values)
    values: tuple[tuple[float, ...], ...]  # [category][series]
    unit: str  # what a bar counts: "passages", "% of cases"

    def texts(self) -> tuple[str, ...]:
        return (self.title, *self.categories, *self.series, self.unit)


@dataclass(frozen=True)
class HeatMap:
    title: str
    rows: tuple[str, ...]  # the columns are the same, numbered as the rows
    values: tuple[tuple[float | None, ...], ...]  # shading, 0 to the largest
    labels: tuple[tuple[str, ...], ...]  # the number printed in each cell
    note: str

    def texts(self) -> tuple[str, ...]:
        return (self.title, *self.rows, self.note)


@dataclass(frozen=True)
class Lane:
    coder: str
    theme: str
    theme_index: int  # the colour and pattern: the same theme looks the same for every coder
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Stripes:
    title: str
    length: int  # the transcript's length in characters: the width of every lane
    lanes: tuple[Lane, ...]

    def texts(self) -> tuple[str, ...]:
        return (self.title, *(lane.coder for lane in self.lanes), *(lane.theme for lane in self.lanes))


Chart = Bars | HeatMap | Stripes
CHART: Exporters[Chart] = Exporters("a chart")


def _attribute_label(attribute: str) -> str:
    return ATTRIBUTES.get(attribute, attribute.replace("_", " ").capitalize())


def frequency_chart(table: Crosstab, text: ExportText, measure: str = "passages") -> Bars:
    """Bars of a crosstab: passages per theme and value, or the share of each value's cases; the values
    as the indirect-identification check releases them (:func:`released_crosstab`)."""
    if measure not in MEASURES:
        raise InvalidInput(f"a frequency chart counts {' or '.join(MEASURES)}, not {measure!r}")
    table = released_crosstab(table, text)
    if measure == "passages":
        values = tuple(tuple(float(n) for n in row) for row in table.passages)
        unit, what = "passages", "Coded passages"
    else:
        values = tuple(
            tuple(table.cases_percent(t, v) or 0.0 for v in range(len(table.values)))
            for t in range(len(table.themes))
        )
        unit, what = "% of cases", "Share of cases"
    return Bars(
        f"{what} per theme, by {_attribute_label(table.attribute).lower()}",
        tuple(text.general(t.code.path) for t in table.themes),
        tuple(text.general(v) for v in table.values),
        values,
        unit,
    )


def cooccurrence_chart(table: Cooccurrence, text: ExportText, *, jaccard: bool = False) -> HeatMap:
    """A heat map of a co-occurrence table: counts, or Jaccard's index."""
    source: Sequence[Sequence[float | None]] = table.jaccard if jaccard else table.counts
    labels = tuple(
        tuple("" if v is None else (f"{v:.2f}" if jaccard else f"{v:g}") for v in row) for row in source
    )
    what = "passages coded with both" if table.unit == "passage" else "speaker turns with both"
    return HeatMap(
        "Themes coded together" + (" (Jaccard)" if jaccard else ""),
        tuple(text.general(t.path) for t in table.themes),
        tuple(tuple(None if v is None else float(v) for v in row) for row in source),
        labels,
        f"Each cell: {'Jaccard (shared ÷ either) of the ' if jaccard else ''}{what}; "
        "the columns are numbered as the rows.",
    )


def stripes_chart(project: Project, transcript_ref: str, text: ExportText) -> Stripes:
    """Coding stripes along one transcript: a lane per coder and theme, in the tree's order."""
    transcript = project.transcripts.find(transcript_ref)
    codes = project.codebook.all()
    order = {c.uuid: n for n, c in enumerate(codes)}
    paths = {c.uuid: c.path for c in codes}
    codings = project.codings.of_transcript(transcript.uuid)
    names = project.codings.coder_names({c.coder_uuid for c in codings})
    by_name = sorted(names, key=lambda uuid: names[uuid].casefold())
    named = bool(
        text.coder_names(names.values())
    )  # a lead's chart names its coders; a fieldworker's numbers them
    coder = {uuid: names[uuid] if named else f"Coder {n}" for n, uuid in enumerate(by_name, start=1)}
    lanes: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for coding in codings:
        lanes.setdefault((coding.coder_uuid, coding.code_uuid), []).append((coding.start, coding.end))
    participant = (
        people.participant_by_uuid(project.db, transcript.participant_uuid)
        if transcript.participant_uuid
        else None
    )
    case = Case(
        transcript.participant_uuid or transcript.uuid, transcript.name, participant, (transcript.uuid,)
    )
    return Stripes(
        f"Coding stripes: {text.case_label(case)}",
        transcript.length,
        tuple(
            Lane(coder[who], text.general(paths[code]), order[code], tuple(sorted(lanes[(who, code)])))
            for who, code in sorted(lanes, key=lambda key: (by_name.index(key[0]), order[key[1]]))
        ),
    )
