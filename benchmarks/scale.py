"""Named benchmark scales, and the real encrypted projects built from :mod:`benchmarks.corpus` for each.

``tiny`` is a smoke run of seconds (CI; its figures mean nothing); ``study`` is the size the app is
for (150 transcripts averaging 12,000 words, 60 themes, 30,000 codings, 6 fieldworkers); ``stress`` is
well beyond it (1,000 transcripts, 200,000 codings, 10 fieldworkers). One transcript of each scale is
a long group interview with a fixed length and number of codings (200,000 characters and 1,000 at
study and stress scale): the one the transcript-view benchmarks open.

:class:`Corpus` builds, once, everything the benchmarks read, and keeps it under a folder named by the
scale and :data:`benchmarks.corpus.VERSION` (``~/.cache/jswcoder-benchmarks`` unless
``JSWCODER_BENCHMARK_CACHE`` says otherwise; on disk, so commits really reach one):

``study/``
    one coder's project holding the whole corpus: the codebook (each theme with two sub-themes, the
    last ten emergent), every transcript with its participant details, every coding, a summary in every
    cell of the top-level matrix, a memo per theme, and a register that covers the names (the
    detector's other suggestions reviewed), so a fieldworker's export has real anonymising to do;
``team/``
    the lead's project (the same codebook, published in a team file), one project per fieldworker
    holding their share of the transcripts and of the codings, and the exchange folder with each
    fieldworker's join request and first package, ready for the lead to merge;
``docx/``
    the first transcripts again as Word files (one paragraph a turn, the speaker's label in bold).

Each part is built under a file lock and marked done only when complete, so an interrupted build is
redone and a finished one reused. Projects use a cheap key derivation: building is not what is measured
(start-up adds the real Argon2id separately). Benchmarks that write work on copies (:func:`scratch`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from filelock import FileLock

from benchmarks import corpus

PASSPHRASE = "benchmark passphrase"
EMERGENT = 10  # the last themes are emergent


@dataclass(frozen=True)
class Scale:
    name: str
    transcripts: int
    words: int  # mean words per transcript
    themes: int  # top-level themes; each has two sub-themes
    codings: int
    fieldworkers: int
    long_characters: int  # one group interview of exactly this length…
    long_codings: int  # …with this many codings
    docx: int  # .docx files imported by the import benchmark
    export: int  # transcripts in the exported package
    runs: int  # repeats of each timed step (the figure is their median)
    keypresses: int  # codes applied in the coding benchmark


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale("tiny", 6, 300, 4, 150, 2, 6_000, 40, 4, 2, 1, 10),
        Scale("study", 150, 12_000, 60, 30_000, 6, 200_000, 1_000, 150, 25, 5, 300),
        Scale("stress", 1_000, 12_000, 60, 200_000, 10, 200_000, 1_000, 1_000, 25, 5, 300),
    )
}


def cache_root() -> Path:
    configured = os.environ.get("JSWCODER_BENCHMARK_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "jswcoder-benchmarks"


def scratch(prefix: str) -> Path:
    """A fresh folder beside the cache (on the same disk: commits are real, copies are quick)."""
    root = cache_root()
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root))


def built_once(scale: Scale, name: str, build: Callable[[Corpus, Path], None], **settings: object) -> Path:
    """The project ``build`` makes from the scale's corpus, kept under the cache as ``<scale>-<name>``
    and made again only when the scale, the corpus version or ``settings`` differ from the last build
    (and under a file lock, so two benchmarks never build it at once). Returns the project's folder."""
    folder = cache_root() / f"{scale.name}-{name}-v{corpus.VERSION}"
    marker = folder.with_suffix(".built.json")
    wanted = {"scale": scale.name, "version": corpus.VERSION, **settings}
    with FileLock(str(folder) + ".lock"):
        if not (marker.is_file() and json.loads(marker.read_text(encoding="utf-8")) == wanted):
            marker.unlink(missing_ok=True)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build(Corpus(scale), folder / "project")
            marker.write_text(json.dumps(wanted), encoding="utf-8")
    return folder / "project"


def code_paths(themes: int) -> list[str]:
    """Every code's path, tree order: each theme, then its two sub-themes."""
    return [
        path
        for number in range(1, themes + 1)
        for path in (f"Theme {number}", f"Theme {number}/Aspect 1", f"Theme {number}/Aspect 2")
    ]


@dataclass(frozen=True)
class TeamFolders:
    lead: Path
    fieldworkers: list[Path]
    exchange: Path


class Corpus:
    """The texts of one scale, and the projects and files built from them (on first use, then cached)."""

    def __init__(self, scale: Scale, root: Path | None = None) -> None:
        self.scale = scale
        self.folder = (root or cache_root()) / f"{scale.name}-v{corpus.VERSION}"

    # -- the texts ----------------------------------------------------------------------------------

    @property
    def long_index(self) -> int:
        """The long group interview: in the middle, so it is not the one the app opens first."""
        return self.scale.transcripts // 2

    @cached_property
    def _words(self) -> list[int]:
        return corpus.word_counts(self.scale.transcripts, self.scale.words)

    @cached_property
    def _coding_counts(self) -> list[int]:
        others = [w for i, w in enumerate(self._words) if i != self.long_index]
        counts = corpus.shares(self.scale.codings - self.scale.long_codings, others)
        counts.insert(self.long_index, self.scale.long_codings)
        return counts

    def interview(self, index: int) -> corpus.Interview:
        if index == self.long_index:
            return corpus.interview(index, characters=self.scale.long_characters, speakers=5)
        return corpus.interview(index, words=self._words[index])

    def codings(self, index: int, length: int) -> list[tuple[int, int, int]]:
        return corpus.codings(index, length, self._coding_counts[index], 3 * self.scale.themes)

    def interviews(self, indices: Sequence[int] | None = None) -> Iterator[corpus.Interview]:
        for index in range(self.scale.transcripts) if indices is None else indices:
            yield self.interview(index)

    # -- what is built from them --------------------------------------------------------------------

    def study(self) -> Path:
        """The whole study in one coder's project (see the module's docstring)."""
        return self._cached("study", self._build_study) / "project"

    def team(self) -> TeamFolders:
        folder = self._cached("team", self._build_team)
        return TeamFolders(
            folder / "lead",
            [folder / f"fieldworker_{n + 1}" for n in range(self.scale.fieldworkers)],
            folder / "exchange",
        )

    def docx(self) -> list[Path]:
        folder = self._cached("docx", self._build_docx)
        return sorted(folder.glob("*.docx"))

    def build_all(self) -> None:
        self.study()
        self.team()
        self.docx()

    def _cached(self, part: str, build: Callable[[Path], None]) -> Path:
        target, marker = self.folder / part, self.folder / f"{part}.built.json"
        wanted = {"scale": asdict(self.scale), "version": corpus.VERSION, "wordfreq": version("wordfreq")}
        self.folder.mkdir(parents=True, exist_ok=True)
        with FileLock(self.folder / f"{part}.lock"):
            if marker.is_file() and json.loads(marker.read_text(encoding="utf-8"))["built"] == wanted:
                return target
            marker.unlink(missing_ok=True)
            shutil.rmtree(target, ignore_errors=True)
            print(f"building the {self.scale.name} corpus: {part}…", file=sys.stderr, flush=True)
            began = time.perf_counter()
            build(target)
            seconds = time.perf_counter() - began
            marker.write_text(json.dumps({"built": wanted, "seconds": seconds}), encoding="utf-8")
            print(f"  built in {seconds:.0f} s", file=sys.stderr, flush=True)
        return target

    def _build_study(self, target: Path) -> None:
        from benchmarks import build  # noqa: PLC0415  (the app loads only when something is built)

        build.study(self, target)

    def _build_team(self, target: Path) -> None:
        from benchmarks import build  # noqa: PLC0415

        build.team(self, target)

    def _build_docx(self, target: Path) -> None:
        from benchmarks import build  # noqa: PLC0415

        build.docx_files(self, target)


def main() -> None:
    parser = argparse.ArgumentParser(description="Build (or check) the cached corpus of a scale.")
    parser.add_argument("--scale", choices=SCALES, default="study")
    args = parser.parse_args()
    Corpus(SCALES[args.scale]).build_all()
    print(f"{SCALES[args.scale].name}: ready", file=sys.stderr)


if __name__ == "__main__":
    main()
