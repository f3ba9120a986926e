"""The exports: the theme report over every coding, the matrix to Excel and Word, the coding summary.

Run: ``.venv/bin/python -m benchmarks.reports --scale {tiny,study,stress} [--json OUT]``. The project
is the scale's study (:mod:`benchmarks.scale`: at study scale 150 participants, 60 themes with two
sub-themes each, 30,000 codings, a summary in every top-level cell, a memo per theme, names and a
register). Each export, and the .qdpx for each tool's profile, is timed twice, on copies of the project: as a fieldworker's (the register
applied to every string and the file's text searched before it is written) and as the team lead's
(quotes as merged). Real files are written to disk and fsynced.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, seconds_of
from benchmarks.indirect_review import reviewed
from benchmarks.scale import Corpus, Scale, scratch
from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.refiqda.export_project import write_project
from jswcoder.refiqda.profiles import PROFILES
from jswcoder.reports import export_matrix, write_report, write_summary

ROLES = {"fieldworker": "report", "team lead": "report.lead"}


def measure(project: Project, out: Path, role: str) -> list[Figure]:
    codings = project.counts()["codings"]
    key = ROLES[role]
    figures = [
        Figure(
            key,
            f"{role}: theme report over {codings:,} codings (.docx)",
            seconds_of(lambda: write_report(project, out / "report.docx")),
            "s",
            "report",
        )
    ]
    matrix = build_matrix(project)
    shape = f"{len(matrix.cases)} × {len(matrix.themes)}"
    for suffix in (".xlsx", ".docx"):

        def export(path: Path = out / f"matrix{suffix}") -> None:
            export_matrix(build_matrix(project), path)

        seconds = seconds_of(export)
        figures.append(
            Figure(
                f"{key}.matrix{suffix}",
                f"  {role}: matrix {shape} to {suffix} (with its build)",
                seconds,
                "s",
            )
        )
    seconds = seconds_of(lambda: write_summary(project, out / "summary.xlsx"))
    figures.append(Figure(f"{key}.summary", f"  {role}: coding summary (.xlsx)", seconds, "s"))
    for profile in PROFILES.values():  # the .qdpx for each tool (issue 21): same content, its conventions
        seconds = seconds_of(lambda p=profile: write_project(project, out / f"{p.key}.qdpx", profile=p))
        figures.append(
            Figure(f"{key}.qdpx.{profile.key}", f"  {role}: .qdpx for {profile.tool}", seconds, "s")
        )
    return figures


def run(scale: Scale) -> list[Figure]:
    built = Corpus(scale).study()
    figures: list[Figure] = []
    for role, key in ROLES.items():
        folder = scratch("reports-")
        try:
            shutil.copytree(built, folder / "project")
            (folder / "out").mkdir()
            project = open_project(folder / "project")
            try:
                if role == "team lead":
                    project.team.create("Benchmark team")
                else:  # the register review a fieldworker's export requires saves the detector's findings
                    review = seconds_of(project.register.suggestions)
                    figures.append(
                        Figure(
                            "report.review",
                            "  before: the register review (detector findings saved)",
                            review,
                            "s",
                        )
                    )
                review = reviewed(project)  # the indirect-identification review the exports wait for
                figures.append(
                    Figure(
                        f"{key}.indirect",
                        f"  before: the indirect-identification review, {role} (finding; then dismissed)",
                        review,
                        "s",
                    )
                )
                figures += measure(project, folder / "out", role)
            finally:
                project.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return figures


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
