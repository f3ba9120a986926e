"""The team benchmark runs end to end at a tiny size (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_team_benchmark_runs(tmp_path: Path) -> None:
    out = tmp_path / "team.json"
    args = [
        "--transcripts",
        "2",
        "--fieldworkers",
        "2",
        "--codings",
        "40",
        "--words",
        "400",
        "--json",
        str(out),
    ]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.team", *args], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {row["operation"]: row["value"] for row in json.loads(out.read_text(encoding="utf-8"))}
    assert rows["lead project after merging: transcripts"] == 4
    assert rows["lead project after merging: codings"] == 80
    assert all(isinstance(v, int | float) for v in rows.values())
