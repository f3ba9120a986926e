"""The benchmarks still run end to end (``--quick``) and report a figure for every operation.

No timing is checked here: the figures of a smoke run on tiny data mean nothing. What can fail is a
benchmark that crashes, goes missing from the table, or reports no number.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

EXPECTED = {
    "store": "apply a code, durable commit: median",
    "ui_open": "add one highlight",
    "ui_coding": "apply a code (keypress to highlight shown), median",
    "ui_start": "start to first transcript painted",
    "search": "search sheriff",
    "ui_matrix": "open the matrix window",
    "reports": "fieldworker: theme report over",
}


@pytest.mark.slow
def test_quick_run_reports_every_operation(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--json", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = json.loads(out.read_text(encoding="utf-8"))
    for benchmark, operation in EXPECTED.items():
        assert any(r["benchmark"] == benchmark and r["operation"].startswith(operation) for r in rows), (
            f"{benchmark}: no row for {operation!r}"
        )
    for row in rows:
        assert isinstance(row["value"], (int, float)) and math.isfinite(row["value"]), row
        assert row["unit"] and row["operation"]
        assert row["within_target"] is None or isinstance(row["within_target"], bool)
        assert f"{row['benchmark']}: {row['operation']}" in done.stdout  # and in the printed table
