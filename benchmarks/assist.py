"""The local assistant (issue 20 "Speed"): indexing, the index loaded, passages like this, suggestions.

Run: ``.venv/bin/python -m benchmarks.assist --scale {tiny,study,stress} [--json OUT]``. The project is
:mod:`benchmarks.query_speed`'s (the scale's transcripts through the real importer, the codebook, the
codings over two coders), copied beside the cache and indexed whole once by the real model (at study
scale about 100,000 passages: many minutes on two cores; the time it took is kept beside it and shown).
What is timed, with the real model on the CPU:

* **indexing**, in each run: the index rows of a sample of transcripts (a tenth, at most 10) taken
  out and :meth:`~jswcoder.services.assistance.Assistance.update` run to put them back: cutting,
  embedding and the encrypted commit, the model already loaded; given as milliseconds a passage
  against the target of at least 50 passages a second (20 ms). The build's whole-study rate is shown
  too (text: the corpus's synthetic interviews, word mixes of this field and everyday English);
* **the index loaded**: :meth:`~Assistance.loaded` after :meth:`~Assistance.forget` (the rows read and
  decrypted, every vector unpacked into one matrix), median of ``runs``;
* **passages like this**: :meth:`~Assistance.similar` for 50 stretches of the transcripts' own words,
  median and max, with the query's embedding by the model and without it (the embedding timed inside
  the same call and taken off);
* **theme suggestions** for one transcript (:meth:`~Assistance.suggest`, the index and model loaded):
  a transcript of median length, and the long group interview;
* **the assistant's agreement with the coder** over every transcript they coded
  (:func:`jswcoder.analysis.assistant.theme_agreement`: what the app shows beside a suggestion, from
  a worker), once;
* the process's **peak memory**: after the queries (the model and the index loaded), and at the end.
"""

from __future__ import annotations

import json
import random
import resource
import shutil
import sys
import time
from functools import partial
from pathlib import Path

from benchmarks import query_speed
from benchmarks.build import open_project
from benchmarks.common import Figure, arguments, emit, median, ms_of, seconds_of
from benchmarks.scale import Corpus, Scale, built_once
from jswcoder.analysis.assistant import theme_agreement
from jswcoder.assist import model
from jswcoder.project import Project
from jswcoder.services.assistance import Progress
from jswcoder.store import passage_index

QUERIES = 50
SAMPLE_SHARE = 10  # a tenth of the transcripts re-indexed each run…
SAMPLE_MOST = 10  # …at most this many
BUILD_FILE = "indexing.json"


def _progress_every(seconds: float) -> Progress:
    shown = [time.monotonic()]

    def progress(done: int, total: int, _name: str) -> None:
        if time.monotonic() - shown[0] >= seconds:
            shown[0] = time.monotonic()
            print(f"  indexing: {done:,} of {total:,} passages", file=sys.stderr, flush=True)

    return progress


def build(source: Corpus, target: Path) -> None:
    shutil.copytree(query_speed.project_folder(source.scale), target)
    project = open_project(target)
    try:
        done = project.assistance.update(progress=_progress_every(60))
    finally:
        project.close()
    record = {"transcripts": done.transcripts, "passages": done.passages, "seconds": done.seconds}
    (target.parent / BUILD_FILE).write_text(json.dumps(record), encoding="utf-8")


def project_folder(scale: Scale) -> Path:
    return built_once(scale, "assist", build, model=model.MODEL_ID)


def _queries(project: Project, count: int) -> list[str]:
    """Stretches of 8 to 25 words from the transcripts, chosen the same way every run."""
    rng = random.Random("assist-queries")
    transcripts = project.transcripts.all()
    out = []
    for _ in range(count):
        words = project.transcripts.text_of(rng.choice(transcripts).uuid).split()
        size = rng.randint(8, 25)
        first = rng.randrange(max(1, len(words) - size))
        out.append(" ".join(words[first : first + size]))
    return out


def _indexing(project: Project) -> Figure:
    transcripts = project.transcripts.all()
    count = min(SAMPLE_MOST, max(1, len(transcripts) // SAMPLE_SHARE))
    sample = transcripts[:: len(transcripts) // count][:count]  # spread over the study
    with project.db.atomic():
        for transcript in sample:
            passage_index.remove(project.db, transcript.uuid)
    done = project.assistance.update()
    rate = done.passages / done.seconds
    return Figure(
        "assist.index",
        f"indexing {done.passages:,} passages of {done.transcripts} transcripts "
        f"(the study's text, model loaded): {rate:,.0f} passages/s",
        1000 * done.seconds / done.passages,
        "ms",
        "assist.index",
    )


def _built(folder: Path) -> Figure | None:
    record = folder.parent / BUILD_FILE
    if not record.is_file():
        return None
    built = json.loads(record.read_text(encoding="utf-8"))
    rate = built["passages"] / built["seconds"]
    return Figure(
        "assist.index.whole",
        f"indexing the whole study once, at the build ({built['passages']:,} passages of "
        f"{built['transcripts']} transcripts in {built['seconds']:,.0f} s, model load included): "
        f"{rate:,.0f} passages/s",
        1000 * built["seconds"] / built["passages"],
        "ms",
        "assist.index",
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run(scale: Scale) -> list[Figure]:
    folder = project_folder(scale)
    figures = []
    project = open_project(folder)
    try:
        assistance = project.assistance
        model.shared()  # loaded once per process; its 0.3 s is not what these figures are about
        whole = _built(folder)
        figures += [whole] if whole is not None else []

        loads = []
        for _ in range(scale.runs):
            assistance.forget()
            loads.append(seconds_of(assistance.loaded))
        index = assistance.loaded()
        status = assistance.status()
        sizes = f"{len(index):,} passages of {status.indexed} transcripts"
        figures.append(
            Figure("assist.load", f"the passage index loaded ({sizes})", median(loads), "s", "assist.load")
        )

        embedding: list[float] = []
        embed_text = assistance.embed_text

        def timed_embedding(text: str) -> object:
            began = time.perf_counter()
            vector = embed_text(text)
            embedding.append((time.perf_counter() - began) * 1000)
            return vector

        assistance.embed_text = timed_embedding  # type: ignore[method-assign,assignment]
        whole_query = []
        for query in _queries(project, QUERIES):
            whole_query.append(ms_of(partial(assistance.similar, query, top=20)))
        del assistance.embed_text
        searched = [total - embedded for total, embedded in zip(whole_query, embedding, strict=True)]
        for key, label, values in (
            ("assist.query", "the query embedded by the model included", whole_query),
            ("assist.search", "the search alone, the query's embedding left out", searched),
        ):
            figures.append(
                Figure(
                    f"{key}.median",
                    f"passages like this, 20 of {sizes}: {label}: median of {QUERIES}",
                    median(values),
                    "ms",
                    "assist.query",
                )
            )
            figures.append(
                Figure(
                    f"{key}.max",
                    f"passages like this, 20 of {sizes}: {label}: max of {QUERIES}",
                    max(values),
                    "ms",
                    "assist.query",
                )
            )

        figures.append(
            Figure(
                "assist.memory.search",
                "peak memory so far: the model and the index loaded, 50 queries",
                _peak_mb(),
                "MB",
            )
        )
        figures.append(_indexing(project))

        transcripts = sorted(project.transcripts.all(), key=lambda t: t.length)
        typical, longest = transcripts[len(transcripts) // 2], transcripts[-1]
        for key, transcript in (("assist.suggest", typical), ("assist.suggest.long", longest)):
            found = len(assistance.suggest(transcript.uuid))
            timings = [seconds_of(partial(assistance.suggest, transcript.uuid)) for _ in range(scale.runs)]
            figures.append(
                Figure(
                    key,
                    f"theme suggestions for a transcript of {transcript.length:,} characters "
                    f"({len(index.rows_of(transcript.uuid)):,} passages, {found} suggested; "
                    f"{len(project.codebook.all())} themes; index and model loaded)",
                    median(timings),
                    "s",
                    "assist.suggest",
                )
            )

        began = time.perf_counter()
        agreed = theme_agreement(project, project.coder.uuid)
        seconds = time.perf_counter() - began
        pooled = agreed.pooled
        kappa = "none" if pooled is None or pooled.kappa is None else f"{pooled.kappa:.2f}"
        figures.append(
            Figure(
                "assist.agreement",
                f"the assistant against the coder, every theme over "
                f"{0 if pooled is None else pooled.transcripts} transcripts (pooled kappa {kappa})",
                seconds,
                "s",
            )
        )
    finally:
        project.close()
    figures.append(
        Figure("assist.memory", "peak memory of the whole run (suggestions the most)", _peak_mb(), "MB")
    )
    return figures


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
