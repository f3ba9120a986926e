"""Importing a questionnaire export: 5,000 respondents × 40 columns into a new encrypted project (issue 18).

Run: ``.venv/bin/python -m benchmarks.survey_import --scale {tiny,study,stress} [--json OUT]``. The export
is written as a real UTF-8 CSV, as a survey platform writes it: an ID, five identifying columns (start
and end times, email, name, IP address), four of the platform's own (status, progress, duration,
finished), 20 closed answers and 10 open answers of one to four sentences (about
45 words on average; one in ten left blank). It then goes through the three steps the app and the
command line take: :func:`~jswcoder.importing.survey_files.read_survey` (the file's bytes to a table),
:func:`~jswcoder.importing.survey_mapping.guess_mapping` (the columns' kinds) and
``project.surveys.import_table`` (respondents, documents and answers stored in one transaction), each
timed once on a fresh project (an import is done once per export, so a cold first run is the figure).
The tiny scale imports 50 respondents: a smoke run, its figures say nothing.
"""

from __future__ import annotations

import csv
import io
import random
import shutil
import time
from pathlib import Path

from benchmarks.build import new_project
from benchmarks.common import Figure, arguments, emit, ms_since
from benchmarks.scale import Scale, scratch
from jswcoder.importing.survey_files import read_survey
from jswcoder.importing.survey_mapping import guess_mapping

RESPONDENTS = {"tiny": 50, "study": 5_000, "stress": 5_000}
OPEN = 10
ATTRIBUTES = 20
IDENTIFYING = ("Start time", "Completion time", "Email", "Name", "IP Address")
BOOKKEEPING = ("Status", "Progress", "Duration (in seconds)", "Finished")  # the platform's own: ignored
_WORDS = (
    "the team worked with housing and health partners so that people on orders had one plan and "
    "fewer appointments we met weekly shared notes with the police and third sector mentors helped "
    "with benefits travel costs and waiting lists made it harder supervision training and time to "
    "build relationships mattered more than targets the sheriff wanted reports quickly"
).split()
_CHOICES = ("Strongly agree", "Agree", "Neither", "Disagree", "Strongly disagree", "Fife", "Dundee", "Angus")


def write_export(path: Path, respondents: int) -> int:
    """The export as a platform writes it; returns its size in bytes. Seeded: the same file every run."""
    rng = random.Random(18)
    opens = [f"Q{n + 1}. What would you say about part {n + 1} of joint working?" for n in range(OPEN)]
    closed = [f"C{n + 1}. Closed question {n + 1}" for n in range(ATTRIBUTES)]
    rows: list[list[str]] = [["ID", *IDENTIFYING, *BOOKKEEPING, *closed, *opens]]
    for n in range(respondents):
        answers = []
        for _ in opens:
            if rng.random() < 0.1:
                answers.append("")
                continue
            sentences = [
                " ".join(rng.choices(_WORDS, k=rng.randint(6, 20))).capitalize() + "."
                for _ in range(rng.randint(1, 4))
            ]
            answers.append(" ".join(sentences))
        started = f"2026-11-{1 + n % 28:02d} {9 + n % 8:02d}:{n % 60:02d}:{(7 * n) % 60:02d}"
        rows.append(
            [
                f"R_{n + 1:06d}",
                started,
                started.replace(" 0", " 1", 1),
                f"respondent{n}@example.org",
                f"Person {n}",
                f"10.{n % 250}.{n // 250 % 250}.{n % 7 + 1}",
                "IP Address",
                "100",
                str(120 + (n * 37) % 900),
                "True",
                *(rng.choice(_CHOICES[: 3 + k % 6]) for k in range(ATTRIBUTES)),
                *answers,
            ]
        )
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode("utf-8-sig")
    path.write_bytes(data)
    return len(data)


def run(scale: Scale) -> list[Figure]:
    respondents = RESPONDENTS[scale.name]
    folder = scratch("survey-")
    try:
        path = folder / "Staff survey.csv"
        size = write_export(path, respondents)
        project = new_project(folder / "project", "Survey benchmark", "Researcher")
        try:
            began = time.perf_counter()
            table = read_survey(path, path.read_bytes())
            read_ms = ms_since(began)
            began = time.perf_counter()
            guesses = guess_mapping(table)
            guess_ms = ms_since(began)
            kinds = {g.key: g.kind for g in guesses}
            began = time.perf_counter()
            report = project.surveys.import_table(path, table, kinds)
            import_ms = ms_since(began)
        finally:
            project.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    columns = len(table.columns)
    counted = {kind: sum(1 for k in kinds.values() if k == kind) for kind in ("open", "attribute", "id")}
    if report.added != respondents or counted != {"open": OPEN, "attribute": ATTRIBUTES, "id": 1}:
        raise SystemExit(f"the export was not imported as written: {report.lines()[0]}; kinds {counted}")
    whole = (read_ms + guess_ms + import_ms) / 1000
    return [
        Figure(
            "survey.import",
            f"import a survey export: {respondents:,} respondents × {columns} columns "
            f"({OPEN} open, {size / 1e6:.1f} MB CSV)",
            whole,
            "s",
            "survey.import",
        ),
        Figure("survey.read", "  of it: read the CSV into a table", read_ms, "ms"),
        Figure("survey.guess", "  of it: guess each column's kind", guess_ms, "ms"),
        Figure("survey.store", "  of it: respondents, documents and answers stored", import_ms, "ms"),
    ]


def main() -> None:
    scale, out = arguments(__doc__.splitlines()[0])
    emit(run(scale), out)


if __name__ == "__main__":
    main()
