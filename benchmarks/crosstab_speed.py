"""Crosstabs and co-occurrence: 60 themes by a 10-value attribute, and 60 themes by themselves.

Run: ``.venv/bin/python -m benchmarks.crosstab_speed --scale {tiny,study,stress} [--json OUT]``. The
targets (issue 17) are stated at stress scale (1,000 transcripts, 200,000 codings): a crosstab of 60
themes × a 10-value attribute within 1 s, the co-occurrence of 60 themes within 2 s. Measured on a copy
of the coding-query benchmark's project (:mod:`benchmarks.query_speed`: the scale's transcripts,
participants, codebook and codings, by two coders), whose participants are given a case attribute
with ten values ("Site 1" … "Site 10"). What is timed, each the median of ``runs`` in a project opened
afresh: the whole :func:`build_crosstab` by that attribute (the matrix read and counted), and the whole
:func:`build_cooccurrence` of the top-level themes by passage and by speaker turn.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from benchmarks.build import median_fresh_ms, open_project
from benchmarks.common import Figure, arguments, emit
from benchmarks.query_speed import project_folder
from benchmarks.scale import Scale, scratch
from jswcoder.analysis.cooccurrence import build_cooccurrence
from jswcoder.analysis.crosstab import build_crosstab
from jswcoder.store import people

SITES = 10


def _with_sites(source: Path) -> Path:
    copy = scratch("crosstab-") / "project"
    shutil.copytree(source, copy)
    project = open_project(copy)
    try:
        with project.db.atomic():
            for n, participant in enumerate(people.participants(project.db)):
                site = {**participant.attributes, "site": f"Site {n % SITES + 1}"}
                people.save_participant(project.db, replace(participant, attributes=site))
    finally:
        project.close()
    return copy


def run(scale: Scale) -> list[Figure]:
    folder = _with_sites(project_folder(scale))
    try:
        project = open_project(folder)
        try:
            table = build_crosstab(project, "site")
            shape = f"{len(table.themes)} themes × {len(table.values)} values"
            codings = sum(map(sum, table.passages))
        finally:
            project.close()
        crosstab = median_fresh_ms(folder, scale.runs, lambda p: build_crosstab(p, "site"))
        by_passage = median_fresh_ms(folder, scale.runs, build_cooccurrence)
        by_turn = median_fresh_ms(folder, scale.runs, lambda p: build_cooccurrence(p, unit="turn"))
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    return [
        Figure("crosstab", f"crosstab of {shape} ({codings:,} passages counted)", crosstab, "ms", "crosstab"),
        Figure(
            "cooccurrence",
            f"co-occurrence of {len(table.themes)} themes, by passage",
            by_passage,
            "ms",
            "cooccurrence",
        ),
        Figure(
            "cooccurrence.turn",
            f"co-occurrence of {len(table.themes)} themes, by speaker turn",
            by_turn,
            "ms",
        ),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
