"""The Framework matrix window over the scale's study project: every participant × every theme.

Run: ``.venv/bin/python -m benchmarks.ui_matrix --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). The project is the scale's study (:mod:`benchmarks.scale`: at study
scale 150 participants, 60 themes each with two sub-themes, 30,000 codings and a summary in every
top-level cell). What is timed, median of ``runs``: opening the window until the grid has painted
(building the matrix, the model, the first paint), the matrix build alone, a move to the next cell (the
pane shows its summary and passages), and a jump to the far corner.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.scale import Corpus, Scale
from benchmarks.ui_open import painted
from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.ui.matrix_window import MatrixWindow


def measure(project: Project, runs: int) -> list[Figure]:
    opens, builds, moves, corners = [], [], [], []
    size = ""
    for _ in range(runs):
        began = time.perf_counter()
        window = MatrixWindow(project, lambda _uuid, _start, _end: None)
        window.show()
        painted(window)
        opens.append(ms_since(began))
        size = f"{window.model.rowCount()} × {window.model.columnCount()}"
        table = window.table
        table.setFocus()
        began = time.perf_counter()
        table.setCurrentIndex(table.model().index(0, 1))  # as the Right arrow does
        painted(window)
        moves.append(ms_since(began))
        began = time.perf_counter()
        table.setCurrentIndex(
            table.model().index(table.model().rowCount() - 1, table.model().columnCount() - 1)
        )
        painted(window)
        corners.append(ms_since(began))
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        began = time.perf_counter()
        build_matrix(project)
        builds.append(ms_since(began))
    return [
        Figure(
            "matrix",
            f"framework matrix window ({size}) open until painted, median of {runs}",
            median(opens),
            "ms",
            "matrix",
        ),
        Figure("matrix.build", "  of it: building the matrix (core)", median(builds), "ms"),
        Figure(
            "matrix.move", "matrix: move to the next cell (summary and passages shown)", median(moves), "ms"
        ),
        Figure("matrix.corner", "matrix: jump to the far corner and paint", median(corners), "ms"),
    ]


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    project = open_project(Corpus(scale).study())
    try:
        figures = measure(project, scale.runs)
    finally:
        project.close()
    del app
    return figures


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
