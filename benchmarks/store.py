"""Speed of the encrypted store: create, unlock, import, code with durable commits, list.

Run: ``.venv/bin/python -m benchmarks.store [--codings N] [--json OUT]``. It prints a table, and
writes JSON when asked. Figures come from the real SQLCipher database, the real key derivation and
the real importers; nothing is mocked except the OS keychain (an in-memory one, as in the tests).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import keyring

from jswcoder.paths import resources_dir
from jswcoder.project import Project
from jswcoder.security.memory_keychain import MemoryKeychain

PASSPHRASE = "benchmark passphrase"


def _ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _synthetic_transcript(folder: Path, characters: int) -> Path:
    rng = random.Random(7)
    words = "we the client worker court order support team office rural funding partner police health".split()
    lines, size = [], 0
    while size < characters:
        speaker = "Interviewer" if len(lines) % 2 == 0 else "P1"
        line = f"{speaker}: " + " ".join(rng.choice(words) for _ in range(rng.randint(8, 60))) + "."
        lines.append(line)
        size += len(line) + 1
    path = folder / "long_interview.txt"
    path.write_text("\n".join(lines)[:characters], encoding="utf-8")
    return path


def run(codings: int) -> list[tuple[str, float, str]]:
    keyring.set_keyring(MemoryKeychain())
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        created: list[Project] = []
        rows.append(
            (
                "create a project (Argon2id twice)",
                _ms(
                    lambda: created.append(
                        Project.create(folder / "p", name="B", coder="C", passphrase=PASSPHRASE)[0]
                    )
                ),
                "ms",
            )
        )
        project = created[0]
        demo = sorted(p for p in (resources_dir() / "demo").iterdir() if p.suffix in (".docx", ".txt"))
        long_text = _synthetic_transcript(folder, 200_000)
        rows.append(
            ("import the 4 demo transcripts", _ms(lambda: project.transcripts.import_files(demo)), "ms")
        )
        rows.append(
            (
                "import a 200,000-character transcript",
                _ms(lambda: project.transcripts.import_file(long_text)),
                "ms",
            )
        )
        project.codebook.add("Theme/Sub-theme")
        rng = random.Random(1)
        latencies = []
        for _ in range(codings):
            start = rng.randrange(0, 199_000)
            latencies.append(
                _ms(
                    lambda s=start: project.codings.add(
                        "long_interview", s, s + rng.randint(20, 900), "Theme/Sub-theme"
                    )
                )
            )
        latencies.sort()
        rows.append(
            (f"apply a code, durable commit: median of {codings}", statistics.median(latencies), "ms")
        )
        rows.append(
            (f"apply a code, durable commit: p95 of {codings}", latencies[int(len(latencies) * 0.95)], "ms")
        )
        rows.append(
            (
                f"list {codings} codings with their text",
                _ms(lambda: project.codings.passages("long_interview")),
                "ms",
            )
        )
        rows.append(
            ("read a 200,000-character text", _ms(lambda: project.transcripts.text("long_interview")), "ms")
        )
        rows.append(("close (checkpoint the log)", _ms(project.close), "ms"))
        opened: list[Project] = []
        rows.append(("open from the keychain", _ms(lambda: opened.append(Project.open(folder / "p"))), "ms"))
        opened[0].close()
        rows.append(
            (
                "open with the passphrase (Argon2id)",
                _ms(
                    lambda: opened.append(
                        Project.open(folder / "p", passphrase=PASSPHRASE, use_keychain=False)
                    )
                ),
                "ms",
            )
        )
        opened[-1].close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=1000)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    rows = run(args.codings)
    width = max(len(name) for name, _, _ in rows)
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:9.1f} {unit}")
    if args.json:
        args.json.write_text(
            json.dumps([{"operation": n, "value": v, "unit": u} for n, v, u in rows], indent=2)
        )


if __name__ == "__main__":
    main()
