"""Speed of anonymisation: a register of 500 entries over 150 synthetic transcripts of ~80,000 characters.

Run: ``.venv/bin/python -m benchmarks.anonymise [--transcripts N] [--chars N] [--terms N] [--json OUT]``.
Each step is timed three times over the whole set and the table shows the median. The target is the
whole job (matching plus replacing) well under 2 s. The register mixes first names, full names,
places inside council and court names, phone numbers, emails and case references, and a few names
that are also common words ("Grant", "Rose", "Will"), whose lowercase uses must be looked at and
left alone (the transcripts of :mod:`benchmarks.corpus` use those words in lowercase); the transcripts
carry typographic apostrophes and accents, and an identifier about one word in fifty.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.corpus import interview
from benchmarks.targets import TARGETS
from jswcoder.anonymise.matching import Matcher, Term, fold
from jswcoder.anonymise.remap import anonymise

TARGET_S = TARGETS["anonymise"].limit
COMMON_WORD_NAMES = ("Grant", "Rose", "Will", "Mark", "May", "Bill")


def _pseudo(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice("abcdefghiklmnoprstuvwy") for _ in range(rng.randint(low, high)))


def _register(rng: random.Random, size: int) -> list[Term]:
    texts: list[str] = list(COMMON_WORD_NAMES)
    while len(texts) < size:
        kind = rng.randrange(8)
        first, last = _pseudo(rng, 3, 8).capitalize(), _pseudo(rng, 4, 9).capitalize()
        texts += [
            [first],
            [f"{first} {last}", first],
            [f"{first}ùn O’{last}"],
            [last, f"{last} and {first}", f"{last} and {first} Council"],
            [f"{last} Sheriff Court"],
            [f"(01632) 960 {rng.randrange(1000):03d}"],
            [f"{first.lower()}.{last.lower()}@jswstudy.example"],
            [f"CJ/{first[:2].upper()}/22/{rng.randrange(10_000):04d}"],
        ][kind]
    return [Term(text, f"[ENTRY {i}]", key=str(i)) for i, text in enumerate(texts[:size])]


def _median(step: Callable[[], object]) -> float:
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        step()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def run(transcripts: int, chars: int, size: int) -> list[tuple[str, float, int]]:
    """Rows of (step, median seconds, how many things it produced)."""
    rng = random.Random(7)
    terms = _register(rng, size)
    spelled = [term.text + ending for term in terms for ending in ("", "’s", ",", ".")]
    texts = [
        interview(i, characters=chars, identifiers=spelled, identifier_rate=1 / 50, seed="anonymise").text
        for i in range(transcripts)
    ]
    rows: list[tuple[str, float, int]] = []
    compile_s = _median(lambda: Matcher(terms).find("warm up"))
    rows.append(("compile the register", compile_s, size))
    matcher = Matcher(terms)
    matcher.find("warm up")
    rows.append(("fold the texts (part of find)", _median(lambda: [fold(t) for t in texts]), transcripts))
    found = [matcher.find(t) for t in texts]
    rows.append(("find matches", _median(lambda: [matcher.find(t) for t in texts]), sum(map(len, found))))
    done = [anonymise(t, m) for t, m in zip(texts, found, strict=True)]
    rows.append(
        (
            "anonymise",
            _median(lambda: [anonymise(t, m) for t, m in zip(texts, found, strict=True)]),
            len(done),
        )
    )
    ranges = []
    for text in texts:
        for _ in range(1000):
            start = rng.randrange(len(text))
            ranges.append(sorted((start, min(len(text), start + rng.randrange(2000)))))
    per_text = [ranges[i * 1000 : (i + 1) * 1000] for i in range(transcripts)]

    def remap() -> None:
        for anonymised, codings in zip(done, per_text, strict=True):
            for start, end in codings:
                anonymised.map_range(start, end)

    rows.append(("map 1,000 codings per transcript", _median(remap), len(ranges)))
    whole = compile_s + rows[2][1] + rows[3][1]
    rows.append(("whole job: compile + find + anonymise", whole, transcripts))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=150)
    parser.add_argument("--chars", type=int, default=80_000)
    parser.add_argument("--terms", type=int, default=500)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows = run(args.transcripts, args.chars, args.terms)
    print(
        f"{args.terms} entries, {args.transcripts} transcripts of ~{args.chars:,} characters; "
        f"median of 3; target {TARGET_S:.0f} s for the whole job"
    )
    width = max(len(step) for step, _, _ in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  {'count':>8}")
    for step, seconds, count in rows:
        flag = "  (over target)" if step.startswith("whole") and seconds > TARGET_S else ""
        print(f"{step:<{width}}  {seconds:8.3f}  {count:8,}{flag}")
    if args.json:
        args.json.write_text(
            json.dumps([{"step": s, "seconds": t, "count": c} for s, t, c in rows], indent=2)
        )


if __name__ == "__main__":
    main()
