"""Opening the long coded transcript in the real main window, and adding highlights to the view.

Run: ``.venv/bin/python -m benchmarks.ui_open --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). The scale's study project (:mod:`benchmarks.scale`) opens in the real
:class:`MainWindow`; each run goes back to the first transcript, then times the workbench opening the
long group interview (200,000 characters and 1,000 codings at study scale, some overlapping: its text,
turns and codings read from the encrypted database, every highlight built) until the view has painted.
Then 200 highlights are added to the view one by one, and the view repainted.
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.scale import Corpus, Scale
from jswcoder.project import Project
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.transcript_view import Highlight

ADDS = 200


def painted(widget: QWidget) -> None:
    QApplication.processEvents()
    widget.grab()


def main_window(project: Project, settings_folder: Path) -> MainWindow:
    """The real main window over *project*, shown (offscreen) and active."""
    settings = Settings(QSettings(str(settings_folder / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(project, settings)
    window.show()
    QTest.qWaitForWindowExposed(window)
    window.activateWindow()
    if window.workbench is None:
        raise SystemExit("the window opened without a workbench")
    return window


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    source = Corpus(scale)
    folder = source.study()
    project = open_project(folder)
    window = main_window(project, folder.parent)
    workbench = window.workbench
    assert workbench is not None
    view = workbench.view
    long = project.transcripts.find(source.interview(source.long_index).name)
    first = project.transcripts.all()[0]
    codings = len(project.codings.of_transcript(long.uuid))
    opens = []
    for _ in range(scale.runs):
        workbench.open_transcript(first.uuid)
        painted(view)
        began = time.perf_counter()
        workbench.open_transcript(long.uuid)
        painted(view)
        opens.append(ms_since(began))
    view.select_range(long.length // 2, long.length // 2 + 10)  # somewhere in the middle
    painted(view)
    rng = random.Random(5)
    adds = []
    for index in range(ADDS):
        start = rng.randrange(0, long.length - 300)
        extra = Highlight(f"new{index}", start, start + 200, "k0", "Theme 0", "#3366cc")
        began = time.perf_counter()
        view.add_highlight(extra)
        adds.append(ms_since(began))
    began = time.perf_counter()
    painted(view)
    repaint = ms_since(began)
    window.close()  # closes the project
    del app
    runs = f"median of {scale.runs}"
    return [
        Figure(
            "open",
            f"open a {long.length:,}-character transcript with {codings:,} codings, painted, {runs}",
            median(opens),
            "ms",
            "open",
        ),
        Figure("highlight.add", f"add one highlight to the view, median of {ADDS}", median(adds), "ms"),
        Figure("highlight.add.slowest", f"add one highlight to the view, slowest of {ADDS}", max(adds), "ms"),
        Figure("highlight.repaint", "repaint after the adds", repaint, "ms"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
