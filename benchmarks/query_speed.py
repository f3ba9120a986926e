"""Coding queries: two themes combined each way, over the scale's transcripts and codings.

Run: ``.venv/bin/python -m benchmarks.query_speed --scale {tiny,study,stress} [--json OUT]``. The
target (issue 17) is any two-theme query within 300 ms at stress scale: 1,000 transcripts, 200,000
codings. The study project of :mod:`benchmarks.scale` also carries a reviewed register, whose detector
run takes long at stress scale and which a query never reads; so this benchmark builds its own real
encrypted project beside the cache, once per scale and corpus version: the scale's transcripts (their
texts, participants and lengths) imported through the real importer, the scale's codebook (each theme
with two sub-themes), and the scale's codings, spread over the codes as in the study project and over
two coders. What is timed, each the median of ``runs`` in a project opened afresh, for a theme with its
sub-themes combined with another each way (AND, OR, NOT, NEAR/200, NEAR/TURN, NEAR/PARAGRAPH) and
with a group filter: :func:`jswcoder.analysis.query.find_passages` (parse, codings read, combined, the
passages located with their coder and attribution: what a results list needs to show its rows, the
words read for the rows in view), against the target; and :func:`~jswcoder.analysis.query.run_query`,
the same with every passage's words (each transcript holding one read whole), as the command line's
``--json`` prints them.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

from benchmarks.build import add_codebook, new_project, open_project
from benchmarks.common import Figure, arguments, emit, median, ms_of
from benchmarks.scale import Corpus, Scale, built_once, code_paths
from jswcoder.analysis.query import find_passages, run_query
from jswcoder.ids import new_uuid, now
from jswcoder.model import INTERVIEW_MODES, PARTICIPANT_GROUPS, Coding
from jswcoder.services.transcripts import ParticipantFields
from jswcoder.store import codings as coding_rows
from jswcoder.store import people

QUERIES = {
    "and": '"Theme 1"/* AND "Theme 2"/*',
    "or": '"Theme 1"/* OR "Theme 2"/*',
    "not": '"Theme 1"/* NOT "Theme 2"/*',
    "near": '"Theme 1"/* NEAR/200 "Theme 2"/*',
    "turn": '"Theme 1"/* NEAR/TURN "Theme 2"/*',
    "paragraph": '"Theme 1"/* NEAR/PARAGRAPH "Theme 2"/*',
    "filtered": '("Theme 1"/* OR "Theme 2"/*) AND participant_group = "Client"',
}


def build(source: Corpus, target: Path) -> None:
    project = new_project(target, f"{source.scale.name} queries", "Researcher")
    try:
        add_codebook(project, source.scale.themes)
        second = people.ensure_coder(project.db, "Second coder")
        by_path = {code.path: code.uuid for code in project.codebook.all()}
        codes = [by_path[path] for path in code_paths(source.scale.themes)]
        inbox = target.parent / "inbox"
        inbox.mkdir(exist_ok=True)
        for interview in source.interviews():
            path = inbox / f"{interview.name}.txt"
            path.write_text(interview.text, encoding="utf-8")
            fields = ParticipantFields(
                PARTICIPANT_GROUPS[interview.index % len(PARTICIPANT_GROUPS)],
                interview.index + 1,
                format=interview.format,
                mode=INTERVIEW_MODES[interview.index % len(INTERVIEW_MODES)],
            )
            transcript, _ = project.transcripts.import_file(path, fields)
            path.unlink()
            coders = (project.coder.uuid, second.uuid)
            with project.db.atomic():  # one commit per transcript: building is not what is measured
                coding_rows.insert_many(
                    project.db,
                    (
                        Coding(
                            new_uuid(), transcript.uuid, codes[code], start, end, coders[n % 7 == 0], now()
                        )
                        for n, (start, end, code) in enumerate(
                            source.codings(interview.index, transcript.length)
                        )
                    ),
                )
        shutil.rmtree(inbox)
    finally:
        project.close()


def project_folder(scale: Scale) -> Path:
    return built_once(scale, "queries", build)


def run(scale: Scale) -> list[Figure]:
    folder = project_folder(scale)
    figures = []
    project = open_project(folder)
    try:
        codings = len(coding_rows.spans(project.db))
        transcripts = len(project.transcripts.all())
        sizes = f"{transcripts:,} transcripts, {codings:,} codings"
        for name, query in QUERIES.items():
            found = len(find_passages(project, query))
            timings: dict[str, list[float]] = {"found": [], "words": []}
            for _ in range(scale.runs):
                for step, action in (("found", find_passages), ("words", run_query)):
                    project.close()
                    project = open_project(folder)  # a fresh connection: nothing of the last run cached
                    timings[step].append(ms_of(partial(action, project, query)))
            figures.append(
                Figure(
                    f"query.{name}",
                    f"query {query}: {found:,} passages found ({sizes})",
                    median(timings["found"]),
                    "ms",
                    "query",
                )
            )
            figures.append(
                Figure(
                    f"query.{name}.words",
                    f"query {query}: the same with every passage's words",
                    median(timings["words"]),
                    "ms",
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
