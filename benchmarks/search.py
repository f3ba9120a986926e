"""Speed of full-text search: 150 synthetic transcripts of about 12,000 words each, in a real project.

Run: ``.venv/bin/python -m benchmarks.search [--transcripts N] [--words N] [--json OUT]``. Each query
is timed five times through ``Project.search.query`` (FTS5 lookup, reading the texts from the
encrypted database, finding every occurrence); the table shows the median. The target is 100 ms.
Only the key derivation is cheapened (as in the tests): it does not touch search.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import keyring

from jswcoder.project import Project
from jswcoder.security.keyfile import KdfParams
from jswcoder.security.memory_keychain import MemoryKeychain

FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
TARGET_MS = 100.0
COMMON = (
    "we the client worker court order support team office rural funding partner police health "
    "and to of a in that it was they she he for on with is not but don’t it’s"
).split()
# (query, what it exercises)
QUERIES = (
    ("support", "single common word (stops at the first 500 hits)"),
    ("sheriff", "single word, a few times in every transcript (reads all texts)"),
    ("Ùna", "single word with an accent, in one transcript in ten"),
    ("Søren", "a letter with no ASCII form (slower path), in one transcript in ten"),
    ('"court order"', "phrase"),
    ('"community payback order"', "phrase, in one transcript in five"),
    ("fund*", "prefix"),
    ("sheriff rural", "two words, both everywhere"),
    ("zzyzx", "no match at all"),
)


def _pseudo_words(rng: random.Random, count: int) -> list[str]:
    letters = "abcdefghijklmnoprstuvwy"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(count)]


def _transcript(rng: random.Random, index: int, words: int, vocabulary: list[str]) -> str:
    lines, count = [], 0
    while count < words:
        speaker = "Interviewer" if len(lines) % 2 == 0 else "P1"
        size = rng.randint(8, 60)
        chosen = [rng.choice(COMMON) if rng.random() < 0.5 else rng.choice(vocabulary) for _ in range(size)]
        if rng.random() < 0.2:
            chosen[rng.randrange(size)] = rng.choice(("funding", "funded", "fundamental"))
        lines.append(f"{speaker}: " + " ".join(chosen) + ".")
        count += size
    for _ in range(3):
        lines[rng.randrange(len(lines))] += " The sheriff said so."
    if index % 10 == 0:
        lines[rng.randrange(len(lines))] += " Ùna’s caseworker knew. So did Søren."
    if index % 5 == 0:
        lines[rng.randrange(len(lines))] += " A community\npayback order was made."
    return "\n".join(lines) + "\n"


def run(transcripts: int, words: int) -> list[tuple[str, str, int, float]]:
    """Rows of (query, what it exercises, hits, median milliseconds)."""
    keyring.set_keyring(MemoryKeychain())
    rng = random.Random(11)
    vocabulary = _pseudo_words(rng, 3000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inbox = folder / "inbox"
        inbox.mkdir()
        paths = []
        for index in range(transcripts):
            path = inbox / f"interview_{index:03d}.txt"
            path.write_text(_transcript(rng, index, words, vocabulary), encoding="utf-8")
            paths.append(path)
        project, _ = Project.create(folder / "p", name="B", coder="C", passphrase="benchmark", kdf=FAST_KDF)
        try:
            report = project.transcripts.import_files(paths)
            if report.rejected:
                raise SystemExit(f"{len(report.rejected)} synthetic transcripts were refused")
            project.search.query("warm up")  # builds the accent tables once, as the app does on first use
            rows = []
            for query, purpose in QUERIES:
                timings, hits = [], 0
                for _ in range(5):
                    start = time.perf_counter()
                    hits = len(project.search.query(query))
                    timings.append((time.perf_counter() - start) * 1000)
                rows.append((query, purpose, hits, statistics.median(timings)))
        finally:
            project.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=150)
    parser.add_argument("--words", type=int, default=12_000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows = run(args.transcripts, args.words)
    width = max(len(q) for q, _, _, _ in rows)
    print(f"{args.transcripts} transcripts of ~{args.words:,} words; median of 5; target {TARGET_MS:.0f} ms")
    print(f"{'query':<{width}}  {'hits':>5}  {'ms':>7}  what it exercises")
    for query, purpose, hits, ms in rows:
        flag = "" if ms <= TARGET_MS else "  (over target)"
        print(f"{query:<{width}}  {hits:>5}  {ms:7.1f}  {purpose}{flag}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [{"query": q, "purpose": p, "hits": h, "median_ms": m} for q, p, h, m in rows], indent=2
            )
        )


if __name__ == "__main__":
    main()
