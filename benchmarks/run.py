"""Run every benchmark at one scale and print one table: each figure beside its target.

Run: ``.venv/bin/python -m benchmarks.run --scale {tiny,study,stress} [--json OUT] [--only NAME …]``
(``--quick`` is ``--scale tiny``: a smoke run of seconds whose figures say nothing about speed). The
scale's corpus is built first, or reused from its cache (:mod:`benchmarks.scale`); then each benchmark
runs in its own process (so one Qt application, keychain or memory peak does not colour the next) and
hands its figures back as JSON. A benchmark that fails is reported and the others still run. The JSON
is rewritten after each benchmark, so an interrupted run keeps what it measured; ``--only`` reruns some.

``--compare A.json B.json`` prints how each figure grows from one run to another (study to stress).

Targets are stated for study scale (:mod:`benchmarks.targets`); at stress scale they are shown as a
yardstick. Nothing here asserts a time: a figure over target is reported, not failed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, load
from benchmarks.scale import SCALES, Scale
from benchmarks.targets import ISSUE_8, TARGETS

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = (
    "ui_start",
    "ui_open",
    "ui_coding",
    "search",
    "search_units",
    "import_docx",
    "team",
    "ui_merge",
    "ui_matrix",
    "ui_cases",
    "ui_register",
    "withdrawal",
    "reports",
    "store",
    "query_speed",
    "crosstab_speed",
    "agreement_study",
    "speaker_matrix",
    "survey_import",
    "survey_grid",
    "recording_import",
    "transcription",
    "playback_seek",
    "assist",
)


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _subprocess(arguments: list[str], *, capture: bool = True) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # never the user's keychain
    return subprocess.run(
        [sys.executable, "-m", *arguments], cwd=REPO, env=env, capture_output=capture, text=True, check=False
    )


def run_one(name: str, scale: Scale) -> list[Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "figures.json"
        done = _subprocess([f"benchmarks.{name}", "--scale", scale.name, "--json", str(out)])
        if done.returncode != 0 or not out.is_file():
            sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
            raise RuntimeError(f"benchmarks.{name} failed (exit status {done.returncode})")
        return load(out)


def row(name: str, figure: Figure) -> dict[str, Any]:
    target = TARGETS[figure.target] if figure.target else None
    return {
        "benchmark": name,
        **asdict(figure),
        "target_value": None if target is None else target.limit,
        "within_target": None if target is None else figure.value <= target.limit,
        "issue_8": figure.key in ISSUE_8,
    }


def _ordered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue 8's rows first, in its order; then every other figure, benchmark by benchmark."""
    headline = sorted((r for r in rows if r["issue_8"]), key=lambda r: ISSUE_8.index(r["key"]))
    return headline + [r for r in rows if not r["issue_8"]]


def _value(value: float, unit: str) -> str:
    if unit == "count":
        return f"{value:,.0f}"
    return f"{value:.3f} {unit}" if unit == "RTF" else f"{value:,.1f} {unit}"  # a real-time factor: 0.150


def print_table(report: dict[str, Any]) -> None:
    scale = report["scale"]
    print(
        f"scale {scale['name']}: {scale['transcripts']:,} transcripts of ~{scale['words']:,} words, "
        f"{scale['themes']} themes, {scale['codings']:,} codings, {scale['fieldworkers']} fieldworkers; "
        f"load average {report['load_before']} at the start, {report['load_after']} at the end "
        f"({report['cpus']} CPUs)"
    )
    if scale["name"] != "study":
        print(
            "targets are the study-scale targets"
            + (": tiny figures mean nothing" if scale["name"] == "tiny" else "")
        )
    rows = _ordered(report["figures"])
    width = max(len(r["operation"]) for r in rows)
    print(f"{'operation':<{width}}  {'measured':>12}  {'target':>10}  within")
    for number, r in enumerate(rows):
        if number == sum(x["issue_8"] for x in rows):
            print(f"{'— the other figures —':<{width}}")
        target = "" if r["target_value"] is None else _value(r["target_value"], r["unit"])
        within = "" if r["within_target"] is None else ("yes" if r["within_target"] else "NO")
        print(f"{r['operation']:<{width}}  {_value(r['value'], r['unit']):>12}  {target:>10}  {within}")
    missing = [key for key in ISSUE_8 if not any(r["key"] == key for r in rows)]
    if missing or report["failed"]:
        print(f"missing: {', '.join(missing) or '—'}; failed: {', '.join(report['failed']) or '—'}")


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def run(scale: Scale, only: list[str], out: Path | None) -> dict[str, Any]:
    report: dict[str, Any] = {
        "scale": asdict(scale),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": _load(),
        "load_after": None,
        "figures": [],
        "failed": [],
        "complete": False,
    }
    began = time.perf_counter()
    built = _subprocess(["benchmarks.scale", "--scale", scale.name], capture=False)  # progress shows
    if built.returncode != 0:
        raise SystemExit(f"the {scale.name} corpus could not be built")
    report["build_seconds"] = round(time.perf_counter() - began, 1)
    for name in only or BENCHMARKS:
        print(f"running benchmarks.{name} (load {_load()})…", file=sys.stderr, flush=True)
        began = time.perf_counter()
        try:
            figures = run_one(name, scale)
        except RuntimeError as error:
            print(f"  {error}", file=sys.stderr, flush=True)
            report["failed"].append(name)
            continue
        report["figures"] += [row(name, f) for f in figures]
        print(f"  done in {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
        if out is not None:
            out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    report["load_after"] = _load()
    report["complete"] = not report["failed"]
    bad = [r["key"] for r in report["figures"] if not math.isfinite(r["value"])]
    if bad:
        report["failed"].append(f"no figure for {', '.join(bad)}")
    if out is not None:
        out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return report


def compare(first: Path, second: Path) -> None:
    """How each figure grows from one report to the other (the second divided by the first)."""
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    sa, sb = a["scale"], b["scale"]
    print(
        f"{sa['name']} → {sb['name']}: transcripts ×{sb['transcripts'] / sa['transcripts']:.1f}, "
        f"codings ×{sb['codings'] / sa['codings']:.1f}; load {a['load_before']} and {b['load_before']}"
    )
    theirs = {r["key"]: r for r in b["figures"]}
    rows = [(r, theirs[r["key"]]) for r in _ordered(a["figures"]) if r["key"] in theirs]
    width = max(len(r["operation"]) for r, _ in rows)
    print(
        f"{'operation (as measured at ' + sa['name'] + ')':<{width}}  {sa['name']:>12}  {sb['name']:>12}  growth"
    )
    for r, s in rows:
        growth = f"×{s['value'] / r['value']:.2f}" if r["value"] else "—"
        flag = "" if s["within_target"] in (None, True) else "  (over the study target)"
        print(
            f"{r['operation']:<{width}}  {_value(r['value'], r['unit']):>12}  "
            f"{_value(s['value'], s['unit']):>12}  {growth}{flag}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="study")
    parser.add_argument("--quick", action="store_true", help="the tiny scale: a smoke run")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=[], metavar="NAME")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A.json", "B.json"))
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    report = run(SCALES["tiny" if args.quick else args.scale], args.only, args.json)
    print_table(report)
    if report["failed"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
