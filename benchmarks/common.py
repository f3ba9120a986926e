"""What every benchmark module shares: its command line, its figures, and how they are shown.

Each module runs as ``python -m benchmarks.NAME --scale {tiny,study,stress} [--json OUT]``, measures
over the scale's cached corpus (:mod:`benchmarks.scale`) and hands back :class:`Figure` values.
:mod:`benchmarks.run` runs them all and prints one table. Standard library only: the start-up benchmark
imports this before its clock starts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.scale import SCALES, Scale
from benchmarks.targets import TARGETS


@dataclass(frozen=True)
class Figure:
    key: str  # the same at every scale: --compare matches figures by it
    operation: str  # what a reader sees, with the sizes measured
    value: float
    unit: str
    target: str | None = None  # a key of benchmarks.targets.TARGETS

    def __post_init__(self) -> None:
        if self.target is not None and TARGETS[self.target].unit != self.unit:
            raise ValueError(f"{self.key} is in {self.unit}, its target in {TARGETS[self.target].unit}")


def ms_since(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def seconds_of(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def ms_of(action: Callable[[], object]) -> float:
    return seconds_of(action) * 1000


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def arguments(description: str) -> tuple[Scale, Path | None]:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", choices=SCALES, default="study", help="the corpus to measure over")
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args()
    return SCALES[args.scale], args.json


def emit(figures: Sequence[Figure], out: Path | None) -> None:
    """Print the figures (with their targets), and write them as JSON when asked."""
    width = max(len(f.operation) for f in figures)
    for f in figures:
        goal = f"  (target {TARGETS[f.target].limit:g} {f.unit})" if f.target else ""
        print(f"{f.operation:<{width}}  {f.value:10.2f} {f.unit}{goal}")
    if out is not None:
        out.write_text(json.dumps([asdict(f) for f in figures], indent=2), encoding="utf-8")


def load(path: Path) -> list[Figure]:
    return [Figure(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
