"""Speed of the exports: the theme report over 30,000 codings, the 150 × 60 matrix to Excel and Word.

Run: ``.venv/bin/python -m benchmarks.reports [--folder DIR] [--json OUT]``. The project comes from
:func:`benchmarks.study_data.build_study` (150 participants, 60 themes with two sub-themes each,
30,000 codings, a summary in every top-level cell, a memo per theme, names and a register), built
once and kept in ``--folder`` for later runs. Each export is timed twice, on copies of the project:
as a fieldworker's (the register applied to every string and the file's text searched before it is
written) and as the team lead's (quotes as merged). Real files are written to disk and fsynced.
Target (issue 5): the theme report over 30,000 codings in at most 10 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import keyring

from benchmarks.study_data import build_study
from benchmarks.ui_start import PASSPHRASE, disk_folder
from jswcoder.analysis.matrix import build_matrix
from jswcoder.project import Project
from jswcoder.reports import export_matrix, write_report, write_summary
from jswcoder.security.memory_keychain import MemoryKeychain

REPORT_TARGET_S = 10.0


def _seconds(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def measure(project: Project, out: Path, role: str) -> list[dict[str, object]]:
    codings = project.counts()["codings"]
    rows: list[dict[str, object]] = [
        {
            "operation": f"{role}: theme report over {codings:,} codings (.docx)",
            "value": _seconds(lambda: write_report(project, out / "report.docx")),
            "unit": "s",
            "target": REPORT_TARGET_S,
        }
    ]
    matrix = build_matrix(project)
    shape = f"{len(matrix.cases)} × {len(matrix.themes)}"
    for suffix in (".xlsx", ".docx"):
        seconds = _seconds(lambda s=suffix: export_matrix(build_matrix(project), out / f"matrix{s}"))
        rows.append(
            {
                "operation": f"{role}: matrix {shape} to {suffix} (with its build)",
                "value": seconds,
                "unit": "s",
            }
        )
    seconds = _seconds(lambda: write_summary(project, out / "summary.xlsx"))
    rows.append({"operation": f"{role}: coding summary (.xlsx)", "value": seconds, "unit": "s"})
    return rows


def run(
    folder: Path | None, participants: int, themes: int, codings: int, words: int
) -> list[dict[str, object]]:
    keyring.set_keyring(MemoryKeychain())
    owned = folder is None
    base = disk_folder("reports-") if folder is None else folder
    rows: list[dict[str, object]] = []
    try:
        base.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        built = build_study(
            base, participants=participants, themes=themes, codings=codings, words=words, analysis=True
        )
        built_s = time.perf_counter() - began
        for role in ("fieldworker", "team lead"):
            with tempfile.TemporaryDirectory(dir=base) as scratch:
                copy = Path(scratch) / "project"
                shutil.copytree(built, copy)
                out = Path(scratch) / "out"
                out.mkdir()
                project = Project.open(copy, passphrase=PASSPHRASE, use_keychain=False)
                try:
                    if role == "team lead":
                        project.team.create("Benchmark team")
                    rows += measure(project, out, role)
                finally:
                    project.close()
    finally:
        if owned:
            shutil.rmtree(base, ignore_errors=True)
    rows.append(
        {"operation": "building the project (once; cached with --folder)", "value": built_s, "unit": "s"}
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="keep the built project here and reuse it")
    parser.add_argument("--participants", type=int, default=150)
    parser.add_argument("--themes", type=int, default=60)
    parser.add_argument("--codings", type=int, default=30_000)
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args()
    rows = run(args.folder, args.participants, args.themes, args.codings, args.words)
    width = max(len(str(r["operation"])) for r in rows)
    for row in rows:
        goal = f"  (target {row['target']} s)" if "target" in row else ""
        print(f"{row['operation']!s:<{width}}  {row['value']:9.2f} {row['unit']}{goal}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
