"""Full-text search over every transcript of the scale's study project.

Run: ``.venv/bin/python -m benchmarks.search --scale {tiny,study,stress} [--json OUT]``. Each query is
timed ``runs`` times through ``Project.search.query`` (the FTS5 lookup, reading the texts from the
encrypted database, finding every occurrence); its figure is the median. The headline figure is the
slowest query's. The words come from :mod:`benchmarks.corpus`, which puts each of them where the
query's description says.
"""

from __future__ import annotations

import time

from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, median, ms_since
from benchmarks.scale import Corpus, Scale

# (query, what it exercises)
QUERIES = (
    ("support", "single common word (stops at the first 500 hits)"),
    ("sheriff", "single word, a few times in every transcript (reads all texts)"),
    ("Ùna", "single word with an accent, in one transcript in ten"),
    ("Søren", "a letter with no ASCII form (slower path), in one transcript in ten"),
    ('"court order"', "phrase"),
    ('"community payback order"', "phrase over a line break, in one transcript in five"),
    ("fund*", "prefix"),
    ("sheriff rural", "two words, both everywhere"),
    ("zzyzx", "no match at all"),
)


def run(scale: Scale) -> list[Figure]:
    project = open_project(Corpus(scale).study())
    try:
        project.search.query("warm up")  # builds the accent tables once, as the app does on first use
        rows = []
        for query, purpose in QUERIES:
            timings, hits = [], 0
            for _ in range(scale.runs):
                began = time.perf_counter()
                hits = len(project.search.query(query))
                timings.append(ms_since(began))
            rows.append((query, purpose, hits, median(timings)))
    finally:
        project.close()
    slowest = max(rows, key=lambda row: row[3])
    runs = f"median of {scale.runs}"
    return [
        Figure(
            "search",
            f"full-text search over {scale.transcripts} transcripts: slowest query ({slowest[0]}), {runs}",
            slowest[3],
            "ms",
            "search",
        ),
        *(
            Figure(f"search {query}", f"  search {query}: {purpose}; {hits} hits", ms, "ms", "search")
            for query, purpose, hits, ms in rows
        ),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
