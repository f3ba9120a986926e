"""How long the identifier detector takes over a study's transcripts, then after one more is added.

Run: ``.venv/bin/python -m benchmarks.detection_speed [--scale study] [--json OUT]``. The transcripts
are the benchmarks' synthetic interviews (:mod:`benchmarks.corpus`: about 12,000 words each at study
scale, names, places and a court sprinkled in). The first figure is one cold run over all of them,
word lists loaded included, as the first register review of a study pays it. A project keeps each
text's findings (:mod:`jswcoder.anonymise.text_findings`); the second figure is the run after one
transcript is added, the kept findings read back from their saved form included: the added transcript
is read, and each other text's findings are reused once the answers they rest on are checked.
"""

from __future__ import annotations

import time
from dataclasses import astuple

from benchmarks.common import Figure, arguments, emit
from benchmarks.corpus import interview
from jswcoder.anonymise.detect import detect
from jswcoder.anonymise.text_findings import TextFindings


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    texts = [interview(i, words=scale.words).text for i in range(scale.transcripts)]
    began, cpu_began = time.perf_counter(), time.process_time()
    first = detect(texts, {})
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu_began
    characters = sum(len(t) for t in texts)
    kept = {key: found.to_json() for key, found in first.findings.items()}

    added = [*texts, interview(scale.transcripts, words=scale.words).text]
    began, cpu_began = time.perf_counter(), time.process_time()
    saved = {key: found for key, value in kept.items() if (found := TextFindings.from_json(value))}
    second = detect(added, saved)
    again, again_cpu = time.perf_counter() - began, time.process_time() - cpu_began
    if [astuple(c) for c in second.candidates] != [astuple(c) for c in detect(added, {}).candidates]:
        raise SystemExit("the kept findings gave another answer than a fresh run")
    emit(
        [
            Figure(
                "detector.study",
                f"detector over {len(texts)} transcripts ({characters:,} characters, "
                f"{len(first.candidates)} candidates)",
                seconds,
                "s",
                "detector",
            ),
            # On a shared machine the wall clock waits for others; the processor time does not.
            Figure("detector.study.cpu", "  of it, processor time", cpu, "s"),
            Figure(
                "detector.study.added",
                f"  then with one transcript added ({len(second.changed)} read, "
                f"{len(saved)} kept findings reused or checked)",
                again,
                "s",
            ),
            Figure("detector.study.added.cpu", "  of it, processor time", again_cpu, "s"),
        ],
        out,
    )


if __name__ == "__main__":
    main()
