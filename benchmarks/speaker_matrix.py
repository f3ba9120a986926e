"""The Framework matrix with a focus group's speakers as cases, beside the matrix without them.

Run: ``.venv/bin/python -m benchmarks.speaker_matrix --scale {tiny,study,stress} [--json OUT]``. Measured
on a copy of the coding-query benchmark's project (:mod:`benchmarks.query_speed`: the scale's transcripts
and codings by two coders) in which every third transcript's speakers are made cases (issue 17, item 4).
A transcript split by speaker has its codings read and placed by the turn they start in, where the others
are counted by SQLite; what is timed, each the median of ``runs`` in a project opened afresh, is the
whole :func:`build_matrix` of the top-level themes with ``speakers`` and without.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.build import median_fresh_ms, open_project
from benchmarks.common import Figure, arguments, emit
from benchmarks.query_speed import project_folder
from benchmarks.scale import Scale, scratch
from jswcoder.analysis.matrix import build_matrix
from jswcoder.errors import JswError

EVERY = 3  # a third of the study's interviews are focus groups


def _with_speaker_cases(source: Path) -> tuple[Path, int]:
    copy = scratch("speakers-") / "project"
    shutil.copytree(source, copy)
    project = open_project(copy)
    made = 0
    try:
        for transcript in project.transcripts.all()[::EVERY]:
            try:
                made += len(project.speakers.make_cases(transcript.uuid))
            except JswError:
                continue  # no speakers but the interviewer's
    finally:
        project.close()
    return copy, made


def run(scale: Scale) -> list[Figure]:
    folder, made = _with_speaker_cases(project_folder(scale))
    try:
        project = open_project(folder)
        try:
            rows = len(build_matrix(project, speakers=True).cases)
            plain = len(build_matrix(project).cases)
        finally:
            project.close()
        without = median_fresh_ms(folder, scale.runs, build_matrix)
        with_speakers = median_fresh_ms(folder, scale.runs, lambda p: build_matrix(p, speakers=True))
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    return [
        Figure("speaker_matrix.without", f"matrix of {plain:,} cases", without, "ms"),
        Figure(
            "speaker_matrix.with",
            f"matrix with {made:,} speaker cases ({rows:,} rows)",
            with_speakers,
            "ms",
        ),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
