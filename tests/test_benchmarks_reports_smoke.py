"""The reports benchmark runs end to end at a tiny size (no timing is asserted)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_reports_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "reports.json"
    args = [
        "--participants",
        "3",
        "--themes",
        "2",
        "--codings",
        "30",
        "--words",
        "200",
        "--folder",
        str(tmp_path / "b"),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.reports", *args, "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {row["operation"]: row for row in json.loads(out.read_text(encoding="utf-8"))}
    for role in ("fieldworker", "team lead"):
        report = rows[f"{role}: theme report over 30 codings (.docx)"]
        assert report["target"] == 10.0
        assert f"{role}: matrix 3 × 2 to .xlsx (with its build)" in rows
    assert all(isinstance(r["value"], float) and math.isfinite(r["value"]) for r in rows.values())
