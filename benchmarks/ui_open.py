"""Speed of the transcript view: open a long coded transcript until painted, and add one highlight.

Run: ``.venv/bin/python -m benchmarks.ui_open [--json OUT]`` (offscreen unless QT_QPA_PLATFORM is set).
The transcript is synthetic: 200,000 characters of speaker turns with a few emoji, 1,000 codings over
60 codes, some of them overlapping. Figures are medians of 5 opens and of 200 adds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from jswcoder.model import Turn
from jswcoder.ui.transcript_view import Highlight, TranscriptView

CHARACTERS = 200_000
CODINGS = 1_000
CODES = 60
WORDS = "we the client worker court order support team office rural funding partner police health 🙂".split()


# Issue 3: open a 200,000-character transcript with 1,000 codings, every highlight shown.
OPEN_TARGET_MS = 150.0


def synthetic(
    characters: int = CHARACTERS, codings: int = CODINGS
) -> tuple[str, list[Turn], list[Highlight]]:
    """A transcript of alternating turns, and codings over it (every fifth one overlaps its neighbour)."""
    rng = random.Random(11)
    parts: list[str] = []
    turns: list[Turn] = []
    size = 0
    while size < characters:
        speaker = "Interviewer" if len(turns) % 2 == 0 else "P1"
        line = f"{speaker}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 70))) + "."
        turns.append(Turn(size, size + len(line), speaker))
        parts.append(line)
        size += len(line) + 1
    text = "\n".join(parts)
    palette = [f"#{rng.randrange(0x1000000):06x}" for _ in range(CODES)]
    highlights: list[Highlight] = []
    for index in range(codings):
        start = rng.randrange(0, len(text) - 600)
        if index % 5 == 1:  # overlap the previous one
            start = highlights[-1].start + (highlights[-1].end - highlights[-1].start) // 2
        end = min(len(text), start + rng.randint(20, 500))
        code = index % CODES
        highlights.append(Highlight(f"c{index}", start, end, f"k{code}", f"Theme {code}", palette[code]))
    return text, turns, highlights


def _painted(view: TranscriptView) -> None:
    QApplication.processEvents()
    view.grab()


def run() -> list[tuple[str, float, str]]:
    app = QApplication.instance() or QApplication([])
    text, turns, highlights = synthetic()
    view = TranscriptView()
    view.resize(1200, 800)
    view.show()
    _painted(view)
    opens = []
    for _ in range(5):
        view.clear()
        _painted(view)
        start = time.perf_counter()
        view.set_document(text, turns, highlights)
        _painted(view)
        opens.append((time.perf_counter() - start) * 1000)
    view.select_range(len(text) // 2, len(text) // 2 + 10)  # somewhere in the middle
    _painted(view)
    rng = random.Random(5)
    adds = []
    for index in range(200):
        begin = rng.randrange(0, len(text) - 300)
        extra = Highlight(f"new{index}", begin, begin + 200, "k0", "Theme 0", "#3366cc")
        start = time.perf_counter()
        view.add_highlight(extra)
        adds.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    _painted(view)
    repaint = (time.perf_counter() - start) * 1000
    view.close()
    del app
    return [
        ("open 200,000 chars + 1,000 codings, painted", statistics.median(opens), "median of 5"),
        ("add one highlight", statistics.median(adds), "median of 200"),
        ("add one highlight, slowest", max(adds), "of 200"),
        ("repaint after the adds", repaint, "once"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args()
    rows = run()
    width = max(len(name) for name, _, _ in rows)
    for name, ms, note in rows:
        print(f"{name:<{width}}  {ms:8.2f} ms  ({note})")
    if args.json:
        figures = [
            {
                "step": n,
                "ms": round(ms, 3),
                "note": note,
                **({"target": OPEN_TARGET_MS} if n.startswith("open") else {}),
            }
            for n, ms, note in rows
        ]
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
