"""The window while the lead's sync merges every package: how long the UI thread is ever kept busy.

Run: ``.venv/bin/python -m benchmarks.ui_merge --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). The real :class:`MainWindow` runs over a copy of the scale's lead
project (:mod:`benchmarks.scale`), with the exchange folder holding every fieldworker's first package.
A timer ticks every 5 ms on the UI thread while Ctrl+Shift+S is pressed and the sync runs in the
background (:mod:`jswcoder.ui.workers`), until its report is on screen. The longest gap between two ticks
is the longest the window was unresponsive: during the merge itself, and over the whole sync, which
adds the refresh of the views in place and the report afterwards, on the UI thread.
"""

from __future__ import annotations

import shutil
import time
from itertools import pairwise

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit
from benchmarks.scale import Corpus, Scale, scratch
from benchmarks.ui_open import main_window

TICK_MS = 5
SYNC = (Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    team = Corpus(scale).team()
    folder = scratch("ui-merge-")
    try:
        for source in [team.lead, team.exchange]:
            shutil.copytree(source, folder / source.name)
        lead = open_project(folder / team.lead.name)
        window = main_window(lead, folder)
        window.settings.set_exchange_folder(lead.uuid, folder / team.exchange.name)
        ticks: list[float] = []
        ended: list[float] = []  # when the job handed its report back (the worker's part is over)
        window.jobs.changed.connect(lambda job: ended.append(time.perf_counter()) if job is None else None)
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(TICK_MS)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start()
        QTest.qWait(50)  # the timer settles
        began = time.perf_counter()
        ticks.append(began)
        QTest.keyClick(window, *SYNC)
        while window.team.report_dialog is None:
            if time.perf_counter() - began > 600:
                raise SystemExit("the sync did not end within 10 minutes")
            app.processEvents()
            time.sleep(0.001)
        shown = time.perf_counter()
        ticks.append(shown)
        timer.stop()
        total = shown - began
        headline = window.team.report_dialog.headline.text()
        counts = lead.counts()
        window.team.report_dialog.reject()
        window.close_project()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if not ended or "Merged" not in headline:
        raise SystemExit(f"the sync did not merge: {headline!r}")
    during = [t for t in ticks if t <= ended[0]]
    gaps = [(b - a) * 1000 for a, b in pairwise(ticks)]
    job_gaps = [(b - a) * 1000 for a, b in pairwise(during)]
    return [
        Figure(
            "merge.stall",
            f"lead's sync in the window: longest UI-thread stall, keypress to report "
            f"({scale.fieldworkers} packages, {counts['codings']:,} codings)",
            max(gaps),
            "ms",
            "merge.stall",
        ),
        Figure("merge.stall.job", "  of it, while the worker merged: longest stall", max(job_gaps), "ms"),
        Figure("merge.ticks", f"  timer ticks ({TICK_MS} ms) while the worker merged", len(during), "count"),
        Figure("merge.window", "  keypress to the report on screen", total, "s"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
