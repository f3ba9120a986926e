"""Run every benchmark and print one table: operation, measured, target, within target.

Run: ``.venv/bin/python -m benchmarks.run [--quick] [--json OUT]``. Each benchmark runs in its own
process (so one Qt application, keychain or memory peak does not colour the next) and hands its
figures back as JSON. ``--quick`` shrinks every size and count to a smoke run of a few seconds; its
figures say nothing about speed. Nothing here asserts a time: a row over target is reported, not failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# Targets the store and search benchmarks do not carry in their own output (milliseconds).
APPLY_MEDIAN_MS, APPLY_P95_MS, SEARCH_MS = 16.0, 40.0, 100.0

# (module, arguments for a full run, arguments for --quick)
BENCHMARKS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("benchmarks.store", [], ["--codings", "20"]),
    ("benchmarks.ui_open", [], []),
    ("benchmarks.ui_coding", [], ["--iterations", "10", "--characters", "20000", "--codings", "50"]),
    (
        "benchmarks.ui_start",
        [],
        ["--transcripts", "3", "--words", "500", "--codings", "30", "--runs", "1"],
    ),
    ("benchmarks.search", [], ["--transcripts", "3", "--words", "500"]),
    (
        "benchmarks.ui_matrix",
        [],
        ["--participants", "4", "--themes", "6", "--codings", "60", "--words", "300", "--runs", "1"],
    ),
    ("benchmarks.reports", [], ["--participants", "4", "--themes", "3", "--codings", "40", "--words", "300"]),
)


@dataclass(frozen=True)
class Row:
    benchmark: str
    operation: str
    value: float
    unit: str
    target: float | None
    within_target: bool | None


def _store_target(operation: str) -> float | None:
    if operation.startswith("apply a code, durable commit: median"):
        return APPLY_MEDIAN_MS
    if operation.startswith("apply a code, durable commit: p95"):
        return APPLY_P95_MS
    return None


def rows_of(module: str, figures: list[dict[str, Any]]) -> list[Row]:
    """One shape for the benchmarks' different JSON outputs."""
    name = module.rsplit(".", 1)[-1]
    rows = []
    target: float | None
    for item in figures:
        if "query" in item:  # benchmarks.search
            operation, value, unit, target = f"search {item['query']}", item["median_ms"], "ms", SEARCH_MS
        elif "step" in item:  # ui_open, ui_coding
            operation, value, unit, target = item["step"], item["ms"], "ms", item.get("target")
        else:  # store, ui_start
            operation, value, unit = item["operation"], item["value"], item["unit"]
            target = item["target"] if "target" in item else _store_target(operation)
        within = None if target is None else value <= target
        rows.append(Row(name, operation.strip(), float(value), unit, target, within))
    return rows


def run_one(module: str, arguments: list[str]) -> list[Row]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # never the user's keychain
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        done = subprocess.run(
            [sys.executable, "-m", module, *arguments, "--json", str(out)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0 or not out.is_file():
            sys.stderr.write(done.stdout + done.stderr)
            raise SystemExit(f"{module} failed (exit status {done.returncode})")
        return rows_of(module, json.loads(out.read_text(encoding="utf-8")))


def _print(rows: list[Row]) -> None:
    width = max(len(f"{r.benchmark}: {r.operation}") for r in rows)
    print(f"{'operation':<{width}}  {'measured':>13}  {'target':>11}  within target")
    for r in rows:
        target = f"{r.target:.0f} {r.unit}" if r.target is not None else "—"
        within = "—" if r.within_target is None else ("yes" if r.within_target else "NO")
        label = f"{r.benchmark}: {r.operation}"
        print(f"{label:<{width}}  {r.value:9.1f} {r.unit:<3}  {target:>11}  {within}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few iterations: a smoke run")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the table as JSON")
    args = parser.parse_args()
    rows: list[Row] = []
    for module, full, quick in BENCHMARKS:
        if importlib.util.find_spec(module) is None:
            continue  # benchmarks.search is optional
        began = time.perf_counter()
        print(f"running {module}…", file=sys.stderr, flush=True)
        rows += run_one(module, quick if args.quick else full)
        print(f"  done in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    if args.quick:
        print("--quick: tiny sizes; these figures say nothing about speed")
    _print(rows)
    if args.json:
        bad = [r.operation for r in rows if not math.isfinite(r.value)]
        if bad:
            raise SystemExit(f"no figure for: {', '.join(bad)}")
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
