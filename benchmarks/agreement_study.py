"""Agreement across the study: every double-coded transcript, per theme and pooled, each unit.

Run: ``.venv/bin/python -m benchmarks.agreement_study --scale {tiny,study,stress} [--json OUT]``. The
target (issue 17) is study-wide agreement over 150 double-coded transcripts within 3 s, stated at
stress scale (1,000 transcripts, 200,000 codings). The scale's study project has one coder, so this
benchmark builds its own real encrypted project beside the cache, once per scale and corpus version:
the scale's transcripts imported through the real importer (their stored speaker turns with them),
the scale's codebook and codings as the first coder's, and for the first 150 transcripts a second
coder's codings made from the first's as a second coder would differ: about one in ten left out,
one in ten given a neighbouring theme, the rest with both ends moved by up to 40 characters, and one
extra coding in twenty. What is timed, each the median of ``runs`` in a project opened afresh: the
whole :func:`jswcoder.analysis.agreement_study.study_agreement` (codings and texts read, units cut,
every pair's and all coders' figures) by character, sentence, paragraph and turn, and by sentence
leaving out the uncoded.
"""

from __future__ import annotations

import random
import shutil
from functools import partial
from pathlib import Path

from benchmarks import corpus
from benchmarks.build import add_codebook, new_project, open_project
from benchmarks.common import Figure, arguments, emit, median, seconds_of
from benchmarks.scale import Corpus, Scale, built_once, code_paths
from jswcoder.analysis.agreement_study import study_agreement
from jswcoder.analysis.agreement_units import AgreementUnit
from jswcoder.ids import new_uuid, now
from jswcoder.model import Coding
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import codings as coding_rows
from jswcoder.store import people

DOUBLE_CODED = 150
SHIFT = 40


def _second(
    rng: random.Random, first: list[tuple[int, int, int]], length: int, codes: int
) -> list[tuple[int, int, int]]:
    """A second coder's codings of a transcript the first coded: see the module's docstring."""
    out = set()
    for first_start, first_end, first_code in first:
        roll = rng.random()
        if roll < 0.1:
            continue
        code = (first_code + rng.choice((-1, 1))) % codes if roll < 0.2 else first_code
        start = min(max(0, first_start + rng.randint(-SHIFT, SHIFT)), length - 1)
        end = min(length, max(start + 1, first_end + rng.randint(-SHIFT, SHIFT)))
        out.add((start, end, code))
    for _ in range(len(first) // 20):
        start = rng.randrange(length - 1)
        out.add((start, min(length, start + rng.randint(20, 400)), rng.randrange(codes)))
    return sorted(out)


def build(source: Corpus, target: Path) -> None:
    project = new_project(target, f"{source.scale.name} agreement", "First coder")
    try:
        add_codebook(project, source.scale.themes)
        second = people.ensure_coder(project.db, "Second coder")
        by_path = {code.path: code.uuid for code in project.codebook.all()}
        codes = [by_path[path] for path in code_paths(source.scale.themes)]
        rng = random.Random(f"{corpus.SEED}/agreement")
        inbox = target.parent / "inbox"
        inbox.mkdir(exist_ok=True)
        for interview in source.interviews():
            path = inbox / f"{interview.name}.txt"
            path.write_text(interview.text, encoding="utf-8")
            fields = ParticipantFields("Client", interview.index + 1, format=interview.format)
            transcript, _ = project.transcripts.import_file(path, fields)
            path.unlink()
            first = source.codings(interview.index, transcript.length)
            rows = [(project.coder.uuid, coding) for coding in first]
            if interview.index < DOUBLE_CODED:
                rows += [(second.uuid, c) for c in _second(rng, first, transcript.length, len(codes))]
            with project.db.atomic():  # one commit per transcript: building is not what is measured
                coding_rows.insert_many(
                    project.db,
                    (
                        Coding(new_uuid(), transcript.uuid, codes[code], start, end, coder, now())
                        for coder, (start, end, code) in rows
                    ),
                )
        shutil.rmtree(inbox)
    finally:
        project.close()


def project_folder(scale: Scale) -> Path:
    return built_once(scale, "agreement", build, double_coded=DOUBLE_CODED, shift=SHIFT)


def run(scale: Scale) -> list[Figure]:
    folder = project_folder(scale)
    figures = []
    project = open_project(folder)
    try:
        codings = len(coding_rows.spans(project.db))
        transcripts = len(project.transcripts.all())
        cases = [(unit, False) for unit in AgreementUnit] + [(AgreementUnit.SENTENCE, True)]
        for unit, skip in cases:
            result = study_agreement(project, unit, skip_uncoded=skip)
            timings = []
            for _ in range(scale.runs):
                project.close()
                project = open_project(folder)  # a fresh connection: nothing of the last run cached
                timings.append(seconds_of(partial(study_agreement, project, unit, skip_uncoded=skip)))
            pooled = result.pairs[0].pooled
            figures.append(
                Figure(
                    f"agreement.{unit.value}{'.skip' if skip else ''}",
                    f"agreement by {unit.value}{', uncoded left out' if skip else ''} over "
                    f"{result.transcripts} double-coded transcripts ({result.units:,} units, "
                    f"{len(result.themes)} themes, pooled kappa {pooled.kappa or 0:.2f}; "
                    f"{transcripts:,} transcripts, {codings:,} codings)",
                    median(timings),
                    "s",
                    "agreement",
                )
            )
    finally:
        project.close()
    return figures


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
