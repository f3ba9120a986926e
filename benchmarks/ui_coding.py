"""Applying a code in the real window: keypress to highlight shown, durable encrypted commit included.

Run: ``.venv/bin/python -m benchmarks.ui_coding --scale {tiny,study,stress} [--json OUT]`` (offscreen
unless QT_QPA_PLATFORM is set). The real :class:`MainWindow` runs over a copy of the scale's study
project (:mod:`benchmarks.scale`) on disk (not tmpfs, so the commit's fsync is real), with the long
group interview open (200,000 characters, 1,000 codings at study scale). Each keypress selects a
random passage with a ``QTextCursor`` and times from the digit keypress until the new highlight is in
the view and the window has repainted. Every other coding is then undone with Ctrl+Z, timed the same way.
Then passages are coded through the real quick-code box: Ctrl+K, a few letters of a theme's name typed
into the box, Enter, timed until the highlight is shown (the typing is the test driver's, not a person's).
"""

from __future__ import annotations

import random
import shutil
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, median, ms_since, p95
from benchmarks.scale import Corpus, Scale, scratch
from benchmarks.ui_open import main_window
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.ui.quick_code import QuickCodePalette
from jswcoder.ui.transcript_view import TranscriptView

DIGITS = (
    Qt.Key.Key_1,
    Qt.Key.Key_2,
    Qt.Key.Key_3,
    Qt.Key.Key_4,
    Qt.Key.Key_5,
    Qt.Key.Key_6,
    Qt.Key.Key_7,
    Qt.Key.Key_8,
    Qt.Key.Key_9,
)


class _PaintCounter(QObject):
    """Counts paint events on the text viewport, to show that each timed step ended with a repaint."""

    def __init__(self, target: QObject) -> None:
        super().__init__(target)
        self.paints = 0
        target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def _select(view: TranscriptView, offsets: OffsetMap, start: int, end: int) -> None:
    edit = view.text_edit
    cursor = edit.textCursor()
    cursor.setPosition(offsets.to_units(start, Convention.UTF16))
    cursor.setPosition(offsets.to_units(end, Convention.UTF16), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()
    QApplication.processEvents()  # scroll there and paint the selection before the clock starts


def _quick_code(view: TranscriptView, typed: str) -> tuple[float, str | None]:
    """Ctrl+K, *typed* into the box, Enter: the milliseconds until Enter has coded, and the theme taken."""
    taken: list[str | None] = []

    def answer(tries: int = 0) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QuickCodePalette):
            if tries < 100:  # the box did not open (counted as missed): stop looking
                QTimer.singleShot(1, lambda: answer(tries + 1))
            return
        QTest.keyClicks(box.query, typed)
        taken.append(box.chosen())
        QTest.keyClick(box.query, Qt.Key.Key_Return)
        if box.isVisible():
            box.reject()  # Enter did not take: counted as missed, never a hang

    QTimer.singleShot(0, answer)
    began = time.perf_counter()
    QTest.keyClick(view.text_edit, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    return ms_since(began), taken[0] if taken else None


def run(scale: Scale) -> list[Figure]:
    app = QApplication.instance() or QApplication([])
    source = Corpus(scale)
    folder = scratch("ui-coding-")
    try:
        shutil.copytree(source.study(), folder / "project")
        project = open_project(folder / "project")
        window = main_window(project, folder)
        workbench = window.workbench
        assert workbench is not None
        transcript = project.transcripts.find(source.interview(source.long_index).name)
        workbench.open_transcript(transcript.uuid)
        view = workbench.view
        edit = view.text_edit
        counter = _PaintCounter(edit.viewport())
        text = project.transcripts.text_of(transcript.uuid)
        offsets = OffsetMap(text)
        pins = project.pins.all()
        digits = sorted(pins)  # a small codebook pins fewer than nine themes
        rng = random.Random(3)
        applies: list[float] = []
        undos: list[float] = []
        missed = unpainted = 0
        for index in range(scale.keypresses):
            start = rng.randrange(0, len(text) - 600)
            end = start + rng.randint(20, 500)
            digit = rng.choice(digits)
            _select(view, offsets, start, end)
            painted = counter.paints
            began = time.perf_counter()
            QTest.keyClick(edit, DIGITS[digit - 1])
            shown = any(
                h.code_uuid == pins.get(digit) and (h.start, h.end) == (start, end)
                for h in view.highlights_at(start)
            )
            QApplication.processEvents()
            applies.append(ms_since(began))
            missed += not shown
            unpainted += counter.paints == painted
            if index % 2 == 1 and shown:
                painted = counter.paints
                began = time.perf_counter()
                QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
                gone = all((h.start, h.end) != (start, end) for h in view.highlights_at(start))
                QApplication.processEvents()
                undos.append(ms_since(began))
                missed += not gone
                unpainted += counter.paints == painted
        names = [code.name for code in project.codebook.all()]
        quick: list[float] = []
        for _ in range(max(5, scale.keypresses // 10)):
            start = rng.randrange(0, len(text) - 600)
            end = start + rng.randint(20, 500)
            _select(view, offsets, start, end)
            elapsed, code_uuid = _quick_code(view, rng.choice(names).split()[0][:4].lower())
            quick.append(elapsed)
            missed += not any(
                h.code_uuid == code_uuid and (h.start, h.end) == (start, end)
                for h in view.highlights_at(start)
            )
        window.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    del app
    if missed or unpainted:
        raise SystemExit(f"{missed} codings not shown or not undone, {unpainted} without a repaint")
    n = len(applies)
    return [
        Figure(
            "apply.median",
            f"apply a code, keypress to highlight shown and committed, median of {n}",
            median(applies),
            "ms",
            "apply.median",
        ),
        Figure(
            "apply.p95",
            f"apply a code, keypress to highlight shown and committed, p95 of {n}",
            p95(applies),
            "ms",
            "apply.p95",
        ),
        Figure("apply.slowest", f"apply a code, slowest of {n}", max(applies), "ms"),
        Figure(
            "undo.median",
            f"undo a coding, Ctrl+Z to highlight gone, median of {len(undos)}",
            median(undos),
            "ms",
            "undo.median",
        ),
        Figure(
            "quick_code.median",
            f"quick code: Ctrl+K, letters, Enter to highlight shown, median of {len(quick)}",
            median(quick),
            "ms",
        ),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
