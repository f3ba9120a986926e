"""Search hits grown to their sentence, paragraph or speaker turn, and the preview that shows them.

Run: ``.venv/bin/python -m benchmarks.search_units --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). Over the scale's study project, each query's hits (at most 500, as the
panel lists) are grown to each unit through ``Project.search.passages`` (reading each transcript's
text and turns from the encrypted database, cutting it into units, joining overlaps): the median of
``runs``. Then the real :class:`SearchPanel` with every hit ticked: a click on "Code selected hits…"
until the preview is on screen with its passages (sentences, the first time), and a click on "Speaker
turn" until the preview has redrawn, each the median of ``runs``.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.scale import Corpus, Scale
from jswcoder.services.passage_units import Unit
from jswcoder.services.search import Search
from jswcoder.ui.search_panel import SearchPanel

QUERIES = (
    ("support", "a common word: the first 500 hits"),
    ("sheriff", "a few hits in every transcript"),
)


def _core(scale: Scale, search: Search) -> list[Figure]:
    figures = []
    for query, purpose in QUERIES:
        hits = search.query(query)
        for unit in (Unit.SENTENCE, Unit.PARAGRAPH, Unit.TURN):
            timings, count = [], 0
            for _ in range(scale.runs):
                began = time.perf_counter()
                count = len(search.passages(hits, unit))
                timings.append(ms_since(began))
            figures.append(
                Figure(
                    f"search.units {query} {unit.value}",
                    f"  {len(hits)} hits of {query} ({purpose}) grown to {count} {unit.value}s",
                    median(timings),
                    "ms",
                )
            )
    return figures


def _preview(scale: Scale, panel: SearchPanel, app: QApplication) -> list[Figure]:
    panel.search(QUERIES[0][0])
    panel.model.set_all_checked(True)
    hits = len(panel.model.checked_hits())
    opened, switched = [], []
    for _ in range(scale.runs):
        panel.unit = Unit.SENTENCE
        began = time.perf_counter()
        QTest.mouseClick(panel.code_button, Qt.MouseButton.LeftButton)
        preview = panel.preview
        assert preview is not None and preview.isVisible() and preview.passages
        app.processEvents()
        opened.append(ms_since(began))
        turn = preview.units.button(3)
        began = time.perf_counter()
        QTest.mouseClick(turn, Qt.MouseButton.LeftButton)
        assert preview.unit() is Unit.TURN
        app.processEvents()
        switched.append(ms_since(began))
        preview.reject()
        app.processEvents()
    return [
        Figure(
            "search.preview",
            f"Code selected hits: {hits} hits grown to sentences, preview shown, median of {scale.runs}",
            median(opened),
            "ms",
            "search.preview",
        ),
        Figure(
            "search.preview turn",
            f"  the same preview switched to speaker turns, median of {scale.runs}",
            median(switched),
            "ms",
        ),
    ]


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    project = open_project(Corpus(scale).study())
    try:
        project.search.query("warm up")  # builds the accent tables once, as the app does on first use
        core = _core(scale, project.search)
        panel = SearchPanel(project)
        panel.resize(400, 700)
        panel.show()
        app.processEvents()
        ui = _preview(scale, panel, app)
        panel.clear()
        panel.close()
        panel.deleteLater()
    finally:
        project.close()
    return [*ui, *core]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
