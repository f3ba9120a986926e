"""Speed of the Framework matrix window: 150 participants × 60 themes over 30,000 codings.

Run: ``.venv/bin/python -m benchmarks.ui_matrix [--folder DIR] [--json OUT]`` (offscreen unless
QT_QPA_PLATFORM is set). The project (150 synthetic interviews of about 2,000 words, each with a
participant group, number and mode; 60 top-level themes, the last ten emergent, each with two
sub-themes; 30,000 codings spread over every theme: :func:`benchmarks.study_data.build_study`) is
built once with a cheap key derivation, and kept in ``--folder`` for later runs. What is timed, median of ``--runs``: opening the window until
the grid has painted (building the matrix, the model, the first paint), the matrix build alone, a
move to the next cell (the pane shows its summary and passages), and a jump to the far corner.
Target (issue 5): the window shown in at most 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.study_data import build_study
from benchmarks.ui_start import PASSPHRASE, disk_folder
from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.security.memory_keychain import MemoryKeychain
from jswcoder.ui.matrix_window import MatrixWindow

TARGET_MS = 1000.0


def _painted(widget: QWidget) -> None:
    QApplication.processEvents()
    widget.grab()


def _ms(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def measure(project: Project, runs: int) -> list[tuple[str, float, str, float | None]]:
    opens, builds, moves, corners = [], [], [], []
    size = ""
    for _ in range(runs):
        began = time.perf_counter()
        window = MatrixWindow(project, lambda _uuid, _start, _end: None)
        window.show()
        _painted(window)
        opens.append(_ms(began))
        size = f"{window.model.rowCount()} × {window.model.columnCount()}"
        table = window.table
        table.setFocus()
        began = time.perf_counter()
        table.setCurrentIndex(table.model().index(0, 1))  # as the Right arrow does
        _painted(window)
        moves.append(_ms(began))
        began = time.perf_counter()
        table.setCurrentIndex(
            table.model().index(table.model().rowCount() - 1, table.model().columnCount() - 1)
        )
        _painted(window)
        corners.append(_ms(began))
        window.close()
        window.deleteLater()
        QApplication.processEvents()
        began = time.perf_counter()
        build_matrix(project)
        builds.append(_ms(began))
    return [
        (
            f"open the matrix window ({size}) until painted, median of {runs}",
            statistics.median(opens),
            "ms",
            TARGET_MS,
        ),
        (f"building the matrix alone (core), median of {runs}", statistics.median(builds), "ms", None),
        ("move to the next cell (summary and passages shown)", statistics.median(moves), "ms", None),
        ("jump to the far corner and paint", statistics.median(corners), "ms", None),
    ]


def run(
    folder: Path | None, participants: int, themes: int, codings: int, words: int, runs: int
) -> list[tuple[str, float, str, float | None]]:
    """Rows of (operation, value, unit, target)."""
    keyring.set_keyring(MemoryKeychain())
    app = QApplication.instance() or QApplication([])
    owned = folder is None
    base = disk_folder("ui-matrix-") if folder is None else folder
    try:
        base.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        project_folder = build_study(
            base, participants=participants, themes=themes, codings=codings, words=words
        )
        built_s = time.perf_counter() - began
        project = Project.open(project_folder, passphrase=PASSPHRASE, use_keychain=False)
        try:
            rows = measure(project, runs)
        finally:
            project.close()
    finally:
        if owned:
            shutil.rmtree(base, ignore_errors=True)
    del app
    return [*rows, ("building the project (once; cached with --folder)", built_s, "s", None)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="keep the built project here and reuse it")
    parser.add_argument("--participants", type=int, default=150)
    parser.add_argument("--themes", type=int, default=60)
    parser.add_argument("--codings", type=int, default=30_000)
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args()
    rows = run(args.folder, args.participants, args.themes, args.codings, args.words, args.runs)
    width = max(len(name) for name, _, _, _ in rows)
    for name, value, unit, target in rows:
        goal = f"  (target {target:.0f} {unit})" if target is not None else ""
        print(f"{name:<{width}}  {value:9.1f} {unit}{goal}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"operation": n, "value": v, "unit": u, "target": t} for n, v, u, t in rows], indent=2
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
