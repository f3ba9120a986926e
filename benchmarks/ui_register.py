"""The register review in the real window, over the scale's study, once the detector has run.

Run: ``.venv/bin/python -m benchmarks.ui_register --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). A copy of the scale's study project (:mod:`benchmarks.scale`: 150
transcripts of about 12,000 words at study scale, with memos and matrix summaries that name people)
has the people's names taken out of its register, so they are candidates again, while the places stay
in it (their lower-case forms are looked for too). The review runs once, which saves the detector's
findings and the lower-case hits in the project, and the project is closed: that is "once the
detector has run". Then the real :class:`MainWindow` opens it and what is timed is, median of ``runs``:

* Ctrl+Shift+R until the review is up and painted with every candidate listed, each with its
  occurrences and transcripts, and the first one's words in context (a new review window each time);
* opening it again, where it was left (the window set aside is refreshed);
* Add to register on the current candidate, and Dismiss on the next, until the list has painted (the
  register changes, so an addition looks for lower-case hits of the new entry across the study).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks import corpus
from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.scale import Corpus, Scale, scratch
from benchmarks.ui_open import main_window, painted
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.register_window import RegisterWindow

REVIEW_KEYS = (Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def _prepare(folder: Corpus, target: str) -> None:
    """The study with its people's names back among the candidates, the detector's findings saved."""
    shutil.copytree(folder.study(), target)
    project = open_project(target)
    names = set(corpus.PEOPLE + corpus.ACCENTED)
    for entry in project.register.entries():
        if entry.text in names:
            project.register.remove(entry.uuid)
    project.register.suggestions()
    project.close()


def _while_open(window: MainWindow, act: Callable[[RegisterWindow], None]) -> float:
    """Press Ctrl+Shift+R, hand the review to *act* once it is up, close it; ms until *act* began."""
    seen: list[float] = []

    def look() -> None:
        shown = QApplication.activeModalWidget()
        if not isinstance(shown, RegisterWindow):
            QTimer.singleShot(1, look)
            return
        painted(shown)
        seen.append(ms_since(began))
        act(shown)
        shown.reject()

    window.activateWindow()  # as the window manager does when a dialog closes
    while not window.isActiveWindow():
        QApplication.processEvents()
    began = time.perf_counter()
    QTimer.singleShot(0, look)
    QTest.keyClick(window, *REVIEW_KEYS)  # returns when the review is closed
    if not seen:
        raise SystemExit("the register review did not open")
    return seen[0]


def _timed_click(review: RegisterWindow, button_name: str) -> float:
    button = getattr(review, button_name)
    began = time.perf_counter()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    painted(review)
    return ms_since(began)


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    source = Corpus(scale)
    folder = scratch("ui-register-")
    try:
        _prepare(source, str(folder / "project"))
        project = open_project(folder / "project")
        window = main_window(project, folder)
        workbench = window.workbench
        assert workbench is not None
        listed: list[int] = []
        first_shown: list[int] = []

        def look(review: RegisterWindow) -> None:
            listed.append(review.candidates_model.rowCount())
            first_shown.append(review.occurrences_model.rowCount())

        opens, reopens, adds, dismissals = [], [], [], []
        for _ in range(scale.runs):
            RegisterWindow.forget(workbench)  # a review window built afresh
            opens.append(_while_open(window, look))
            reopens.append(_while_open(window, look))

        def act(review: RegisterWindow) -> None:
            adds.append(_timed_click(review, "add_button"))
            dismissals.append(_timed_click(review, "dismiss_button"))

        for _ in range(scale.runs):
            _while_open(window, act)
        transcripts = len(project.transcripts.all())
        window.close_project()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    del app
    if not listed or min(listed) == 0 or min(first_shown) == 0:
        raise SystemExit(f"the review listed {listed} candidates, the first with {first_shown} occurrences")
    sizes = f"{transcripts} transcripts, {max(listed)} candidates"
    return [
        Figure("register.open", f"register review opens ({sizes})", median(opens), "ms", "register.open"),
        Figure("register.reopen", "  opened again, where it was left", median(reopens), "ms"),
        Figure("register.add", "  Add to register, list refreshed", median(adds), "ms"),
        Figure("register.dismiss", "  Dismiss, list refreshed", median(dismissals), "ms"),
    ]


if __name__ == "__main__":
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)
