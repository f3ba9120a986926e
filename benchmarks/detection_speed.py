"""How long the identifier detector takes over a study's transcripts, in one pass, in a fresh process.

Run: ``.venv/bin/python -m benchmarks.detection_speed [--scale study] [--json OUT]``. The transcripts
are the benchmarks' synthetic interviews (:mod:`benchmarks.corpus`: about 12,000 words each at study
scale, names, places and a court sprinkled in); the figure is one cold run of ``suggest`` over all of
them, word lists loaded included, as the first register review of a study pays it. A project keeps the
findings afterwards and looks again only at added transcripts (``Register.suggestions``).
"""

from __future__ import annotations

import time

from benchmarks.common import Figure, arguments, emit
from benchmarks.corpus import interview
from jswcoder.anonymise.detect import suggest


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    texts = [interview(i, words=scale.words).text for i in range(scale.transcripts)]
    began, cpu_began = time.perf_counter(), time.process_time()
    candidates = suggest(texts)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    characters = sum(len(t) for t in texts)
    emit(
        [
            Figure(
                "detector.study",
                f"detector over {len(texts)} transcripts ({characters:,} characters, "
                f"{len(candidates)} candidates)",
                seconds,
                "s",
                "detector",
            ),
            # On a shared machine the wall clock waits for others; the processor time does not.
            Figure("detector.study.cpu", "  of it, processor time", cpu, "s"),
        ],
        out,
    )


if __name__ == "__main__":
    main()
