"""Importing Word transcripts: the scale's .docx files into a new project, through the real importer.

Run: ``.venv/bin/python -m benchmarks.import_docx --scale {tiny,study,stress} [--json OUT]``. The files
(:mod:`benchmarks.scale`: 150 at study scale, 1,000 at stress scale, one paragraph a turn with the
speaker's label in bold) go through ``Project.transcripts.import_files``, as the app's import does:
each file vetted, read, its turns found, stored and indexed in its own durable transaction.
"""

from __future__ import annotations

import shutil
import time

from benchmarks.build import new_project
from benchmarks.common import Figure, arguments, emit, ms_since
from benchmarks.scale import Corpus, Scale, scratch


def run(scale: Scale) -> list[Figure]:
    paths = Corpus(scale).docx()
    folder = scratch("import-")
    try:
        project = new_project(folder / "project", "Import benchmark", "Researcher")
        try:
            began = time.perf_counter()
            report = project.transcripts.import_files(paths)
            seconds = ms_since(began) / 1000
        finally:
            project.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if report.rejected or len(report.imported) != len(paths):
        raise SystemExit(f"{len(report.rejected)} of the {len(paths)} .docx transcripts were refused")
    characters = sum(t.length for t in report.imported)
    return [
        Figure(
            "import",
            f"import {len(paths)} .docx transcripts ({characters:,} characters)",
            seconds,
            "s",
            "import",
        ),
        Figure("import.each", "  of it: one transcript, on average", seconds * 1000 / len(paths), "ms"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
