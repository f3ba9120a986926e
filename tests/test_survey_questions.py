"""Themes by a survey's questions (issue 18: the matrix's "question column"): each cell counts the
passages of a theme coded in the answers to a question, and the respondents with one; checked by hand
on a small survey, in the analysis and from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from jswcoder.analysis.survey_questions import build_question_crosstab
from jswcoder.errors import NotFound
from jswcoder.importing.survey_files import read_survey
from jswcoder.project import Project
from tests.conftest import PASSPHRASE
from tests.test_cli import Cli, cli  # noqa: F401  (the fixture: an empty project)

HEAD = ["ID", "Role", "Q1", "Q2"]
ROWS = [
    ["a", "Worker", "Supervision helps. Training helps too.", "Caseloads are too high."],
    ["b", "Leader", "Training with the police.", "Travel and caseloads."],
    ["c", "Worker", "", "Nothing gets in the way."],
]
KINDS = {"ID": "id", "Role": "attribute", "Q1": "open", "Q2": "open"}


def _survey(project: Project) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEAD, *ROWS])
    path = Path("Staff survey.csv")
    project.surveys.import_table(path, read_survey(path, buffer.getvalue().encode()), KINDS)
    survey = project.surveys.find("")
    for name in ("Training", "Workload"):
        project.codebook.add(name)

    def code(question: str, number: int, words: str, theme: str) -> None:
        answer = next(a for a in project.surveys.answers(survey, question) if a.number == number)
        at = answer.text.index(words)
        project.codings.add(answer.transcript_uuid, answer.start + at, answer.start + at + len(words), theme)

    code("Q1", 1, "Training helps", "Training")
    code("Q1", 2, "Training with the police", "Training")
    code("Q2", 1, "Caseloads are too high", "Workload")
    code("Q2", 2, "caseloads", "Workload")
    code("Q2", 2, "Travel", "Workload")
    # A coding on the document's title line belongs to no question.
    document = project.surveys.answers(survey, "Q2")[0].transcript_uuid
    project.codings.add(document, 0, 5, "Workload")


def test_each_cell_counts_the_answers_to_its_question(project: Project) -> None:
    _survey(project)
    table = build_question_crosstab(project, "Staff survey")
    assert table.values == ("Q1", "Q2")
    assert [t.code.path for t in table.themes] == ["Training", "Workload"]
    assert table.passages == ((2, 0), (0, 3))
    assert table.cases == ((2, 0), (0, 2))
    assert [table.cases_with(v) for v in range(2)] == [2, 3]  # respondents who answered each question
    assert [p.text for p in table.passages_in(1, 1)] == ["Caseloads are too high", "Travel", "caseloads"]
    assert {p.coding.start for p in table.passages_in(1, 1)} != {0}


def test_the_command_line_prints_it(cli: Cli) -> None:  # noqa: F811
    with Project.open(Path(cli.project), passphrase=PASSPHRASE, use_keychain=False) as project:
        _survey(project)
    found = cli.json("crosstab", cli.project, "--by-question", "")
    assert isinstance(found, dict)
    assert [v["value"] for v in found["values"]] == ["Q1", "Q2"]
    workload = next(t for t in found["themes"] if t["theme"] == "Workload")
    assert [c["passages"] for c in workload["cells"]] == [0, 3]
    assert [round(c["cases_percent"], 6) for c in workload["cells"]] == [0.0, 66.666667]
    code, out, _err = cli("crosstab", cli.project, "--by-question", "Staff survey")
    assert code == 0 and "Q2 (n=3)" in out
    code, _out, err = cli("crosstab", cli.project, "--by-question", "Exit poll")
    assert code == 1 and err.strip().endswith(
        "there is no survey 'Exit poll' (see: jswcoder survey list PROJECT)"
    )
    assert json.dumps(found).count("Supervision") == 0


def test_written_to_a_workbook_in_the_survey_s_order(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    import openpyxl

    with Project.open(Path(cli.project), passphrase=PASSPHRASE, use_keychain=False) as project:
        _survey(project)
    out = tmp_path / "questions.xlsx"
    code, _out, err = cli("crosstab", cli.project, "--by-question", "", "--out", str(out))
    assert code == 0, err
    book = openpyxl.load_workbook(out)
    rows = [[c.value for c in row] for row in book["Passages"].iter_rows()]
    assert rows[0][1:3] == ["Q1", "Q2"]
    assert next(r for r in rows if r[0] == "Workload")[1:3] == [0, 3]
    cases = [[c.value for c in row] for row in book["Cases"].iter_rows()]
    assert cases[0][1:3] == ["Q1 (n = 2)", "Q2 (n = 3)"]


def test_a_query_finds_a_theme_in_the_answers_to_one_question(project: Project) -> None:
    from jswcoder.analysis.query import filter_keys, filter_values, find_passages, with_words

    _survey(project)
    found = with_words(project, find_passages(project, '"Workload" AND question = "Q2"'))
    assert sorted(p.text for p in found) == ["Caseloads are too high", "Travel", "caseloads"]
    # By the question's text too, and its negation: Workload outside Q2 is only the title-line coding.
    assert find_passages(project, '"Training" AND question = "q1"') != []
    outside = with_words(project, find_passages(project, '"Workload" AND NOT question IN ("Q1", "Q2")'))
    assert [p.text for p in outside] == ["Staff"]
    assert find_passages(project, '"Training" AND question != "Q1"') == []
    assert filter_keys(project)["question"] == "Survey question"
    assert filter_values(project, "question") == ["Q1", "Q2"]
    with pytest.raises(NotFound, match="no survey has a question 'Q9'"):
        find_passages(project, '"Training" AND question = "Q9"')
