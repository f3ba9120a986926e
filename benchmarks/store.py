"""The encrypted store alone: create, unlock, import, code with durable commits, list.

Run: ``.venv/bin/python -m benchmarks.store --scale {tiny,study,stress} [--json OUT]``. Figures come
from the real SQLCipher database, the real key derivation (Argon2id with the default settings) and the
real importers, in a new project on disk; nothing is mocked except the OS keychain (an in-memory one,
as in the tests). The long transcript is the scale's long group interview (:mod:`benchmarks.corpus`),
coded as many times as it is in the scale's study, each coding its own durable commit.
"""

from __future__ import annotations

import random
import shutil
from functools import partial

import keyring

from benchmarks.common import Figure, arguments, emit, median, ms_of, p95
from benchmarks.scale import PASSPHRASE, Corpus, Scale, scratch
from jswcoder.project import Project
from jswcoder.resources import DEMO, resource
from jswcoder.security.memory_keychain import MemoryKeychain


def run(scale: Scale) -> list[Figure]:
    keyring.set_keyring(MemoryKeychain())
    source = Corpus(scale)
    long = source.interview(source.long_index)
    folder = scratch("store-")
    try:
        created: list[Project] = []
        create = ms_of(
            lambda: created.append(
                Project.create(folder / "p", name="B", coder="C", passphrase=PASSPHRASE)[0]
            )
        )
        project = created[0]
        demo = sorted(p for p in resource(DEMO).iterdir() if p.suffix in (".docx", ".txt"))
        path = folder / f"{long.name}.txt"
        path.write_text(long.text, encoding="utf-8")
        import_demo = ms_of(lambda: project.transcripts.import_files(demo))
        import_long = ms_of(lambda: project.transcripts.import_file(path))
        project.codebook.add("Theme/Sub-theme")
        rng = random.Random(1)
        latencies = []
        for _ in range(scale.long_codings):
            start = rng.randrange(0, len(long.text) - 1000)
            end = start + rng.randint(20, 900)
            latencies.append(ms_of(partial(project.codings.add, long.name, start, end, "Theme/Sub-theme")))
        listing = ms_of(lambda: project.codings.passages(long.name))
        reading = ms_of(lambda: project.transcripts.text(long.name))
        closing = ms_of(project.close)
        opened: list[Project] = []
        from_keychain = ms_of(lambda: opened.append(Project.open(folder / "p")))
        opened[0].close()
        with_passphrase = ms_of(
            lambda: opened.append(Project.open(folder / "p", passphrase=PASSPHRASE, use_keychain=False))
        )
        opened[-1].close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    n, size = len(latencies), f"{len(long.text):,}-character"
    return [
        Figure("store.create", "store: create a project (Argon2id twice)", create, "ms"),
        Figure("store.import.demo", f"store: import the {len(demo)} demo transcripts", import_demo, "ms"),
        Figure("store.import.long", f"store: import a {size} transcript", import_long, "ms"),
        Figure(
            "store.apply.median",
            f"store: apply a code, durable commit, median of {n}",
            median(latencies),
            "ms",
            "apply.median",
        ),
        Figure(
            "store.apply.p95",
            f"store: apply a code, durable commit, p95 of {n}",
            p95(latencies),
            "ms",
            "apply.p95",
        ),
        Figure("store.passages", f"store: list {n} codings with their text", listing, "ms"),
        Figure("store.text", f"store: read a {size} text", reading, "ms"),
        Figure("store.close", "store: close (checkpoint the log)", closing, "ms"),
        Figure("store.open.keychain", "store: open from the keychain", from_keychain, "ms"),
        Figure("store.open.passphrase", "store: open with the passphrase (Argon2id)", with_passphrase, "ms"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
