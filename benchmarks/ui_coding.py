"""Speed of applying a code in the real window: keypress to highlight shown, durable commit included.

Run: ``.venv/bin/python -m benchmarks.ui_coding [--iterations N] [--json OUT]`` (offscreen unless
QT_QPA_PLATFORM is set). The real :class:`MainWindow` runs over a real encrypted project on disk (not
tmpfs, so the commit's fsync is real) with the study codebook, a 200,000-character transcript and
1,000 codings over 60 codes. Each iteration selects a random passage with a ``QTextCursor`` and times
from the digit keypress until the new highlight is in the view and the window has repainted. Every
other coding is then undone with Ctrl+Z, timed the same way. Targets: median 16 ms, p95 40 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from pathlib import Path

import keyring
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from benchmarks.search import FAST_KDF
from benchmarks.ui_open import synthetic
from benchmarks.ui_start import PASSPHRASE, disk_folder
from jswcoder import templates
from jswcoder.offsets import Convention, OffsetMap
from jswcoder.project import Project
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.ui.main_window import MainWindow
from jswcoder.ui.settings import Settings
from jswcoder.ui.transcript_view import TranscriptView

CODES = 60
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
TARGET_MEDIAN_MS = 16.0
TARGET_P95_MS = 40.0


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


def build(folder: Path, characters: int, codings: int) -> tuple[Project, str]:
    """A project with the study codebook (topped up to 60 codes), one long transcript and its codings."""
    project, _ = Project.create(
        folder / "p", name="Benchmark", coder="C", passphrase=PASSPHRASE, kdf=FAST_KDF
    )
    templates.apply(templates.by_key("jsw-study"), project.codebook)
    extra = 0
    while len(project.codebook.all()) < CODES:
        extra += 1
        project.codebook.add(f"Benchmark extras/Extra {extra}")
    text, _turns, ranges = synthetic(characters, codings)
    source = folder / "long_interview.txt"
    source.write_text(text, encoding="utf-8")
    transcript, _ = project.transcripts.import_file(source)
    length = transcript.length
    codes = [code.uuid for code in project.codebook.all()][:CODES]
    for index, passage in enumerate(ranges):
        end = min(passage.end, length)
        if passage.start < end:
            project.codings.add(transcript.uuid, passage.start, end, codes[index % CODES])
    return project, transcript.uuid


def _select(view: TranscriptView, offsets: OffsetMap, start: int, end: int) -> None:
    edit = view.text_edit
    cursor = edit.textCursor()
    cursor.setPosition(offsets.to_units(start, Convention.UTF16))
    cursor.setPosition(offsets.to_units(end, Convention.UTF16), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()
    QApplication.processEvents()  # scroll there and paint the selection before the clock starts


def run(iterations: int, characters: int, codings: int) -> list[tuple[str, float, str, float | None]]:
    """Rows of (step, milliseconds, note, target in milliseconds)."""
    keyring.set_keyring(MemoryKeychain())
    app = QApplication.instance() or QApplication([])
    folder = disk_folder("ui-coding-")
    try:
        project, transcript_uuid = build(folder, characters, codings)
        settings = Settings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
        window = MainWindow(project, settings)
        window.show()
        QTest.qWaitForWindowExposed(window)
        window.activateWindow()
        if window.workbench is None:
            raise SystemExit("the window opened without a workbench")
        view = window.workbench.view
        edit = view.text_edit
        counter = _PaintCounter(edit.viewport())
        text = project.transcripts.text_of(transcript_uuid)
        offsets = OffsetMap(text)
        pins = project.pins.all()
        rng = random.Random(3)
        applies: list[float] = []
        undos: list[float] = []
        missed = unpainted = 0
        for index in range(iterations):
            start = rng.randrange(0, len(text) - 600)
            end = start + rng.randint(20, 500)
            digit = rng.randrange(1, 10)
            _select(view, offsets, start, end)
            painted = counter.paints
            began = time.perf_counter()
            QTest.keyClick(edit, DIGITS[digit - 1])
            shown = any(
                h.code_uuid == pins.get(digit) and (h.start, h.end) == (start, end)
                for h in view.highlights_at(start)
            )
            QApplication.processEvents()
            applies.append((time.perf_counter() - began) * 1000)
            missed += not shown
            unpainted += counter.paints == painted
            if index % 2 == 1 and shown:
                painted = counter.paints
                began = time.perf_counter()
                QTest.keyClick(edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
                gone = all((h.start, h.end) != (start, end) for h in view.highlights_at(start))
                QApplication.processEvents()
                undos.append((time.perf_counter() - began) * 1000)
                missed += not gone
                unpainted += counter.paints == painted
        window.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    del app
    applies.sort()
    n = len(applies)
    checks = f"{missed} not shown, {unpainted} without a repaint"
    return [
        (
            "apply a code (keypress to highlight shown), median",
            statistics.median(applies),
            f"of {n}",
            TARGET_MEDIAN_MS,
        ),
        ("apply a code, p95", applies[min(n - 1, int(n * 0.95))], f"of {n}", TARGET_P95_MS),
        ("apply a code, slowest", applies[-1], f"of {n}; {checks}", None),
        (
            "undo a coding (Ctrl+Z to highlight gone), median",
            statistics.median(undos),
            f"of {len(undos)}",
            TARGET_MEDIAN_MS,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--characters", type=int, default=200_000)
    parser.add_argument("--codings", type=int, default=1_000)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args()
    rows = run(args.iterations, args.characters, args.codings)
    width = max(len(name) for name, _, _, _ in rows)
    for name, ms, note, target in rows:
        goal = f", target {target:.0f} ms" if target is not None else ""
        print(f"{name:<{width}}  {ms:8.2f} ms  ({note}{goal})")
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"step": n, "ms": round(ms, 3), "note": note, "target": t} for n, ms, note, t in rows],
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
