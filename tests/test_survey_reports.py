"""Survey answers in the reports (issue 18): the theme report (a real .docx) quotes an answer's words only,
never its document's title line or question heading, attributed "(Survey respondent 1)"; a fieldworker's
report is anonymised with the register; the crosstab counts respondents per theme by a closed answer
(checked by hand against the Qualtrics fixture's roles), from the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import pytest

from jswcoder.importing.survey_files import read_survey_file
from jswcoder.project import Project
from jswcoder.reports import ReportOptions, write_report
from jswcoder.services.surveys import Survey
from tests.conftest import PASSPHRASE
from tests.indirect_decided import decide_all
from tests.survey_fixtures import CHANGE, HELPED, SurveyFixture, qualtrics_csv
from tests.test_cli import Cli, cli  # noqa: F401  (the fixture)

WHOLE = ReportOptions(title_page=False, trimmed=False)
TRIMMED = ReportOptions(title_page=False)
SURVEY = "Staff survey"
ROLE = "What is your role?"
# Respondent n's role is ROLES[(n - 1) % 3]: 1, 4, 7 justice social workers; 2, 5, 8 team leaders; 3, 6 partners.


def _import(project: Project, fixture: SurveyFixture) -> Survey:
    table = read_survey_file(fixture.path)
    project.surveys.import_table(fixture.path, table, fixture.kinds, name=SURVEY)
    return project.surveys.find(SURVEY)


def _answer(project: Project, survey: Survey, key: str, number: int) -> tuple[str, int, int]:
    [found] = [a for a in project.surveys.answers(survey, key) if a.number == number]
    return found.transcript_uuid, found.start, found.end


def _code(project: Project, survey: Survey) -> None:
    """Same worker: respondents 1 (Q4, Q5) and 8 (Q4); Housing: respondents 3 (Q4) and 2 (Q5); Respect:
    respondent 4's whole turn, heading and all; Contact: from respondent 6's title line into its answer;
    Training: from inside respondent 5's Q4 answer into its Q5 answer."""
    for theme in ("Same worker", "Housing", "Respect", "Contact", "Training"):
        project.codebook.add(theme)
    for key, number, theme in (
        ("Q4", 1, "Same worker"),
        ("Q5", 1, "Same worker"),
        ("Q4", 8, "Same worker"),
        ("Q4", 3, "Housing"),
        ("Q5", 2, "Housing"),
    ):
        document, start, end = _answer(project, survey, key, number)
        project.codings.add(document, start, end, theme)
    document, _start, end = _answer(project, survey, "Q4", 4)
    [turn] = [t for t in project.transcripts.turns(document) if t.speaker == "Q4"]
    project.codings.add(document, turn.start, end, "Respect")  # the heading "Q4. What has helped…" too
    document, start, _end = _answer(project, survey, "Q4", 6)
    project.codings.add(document, 0, start + len("Quick answers by email"), "Contact")  # from the title
    document, start, _end = _answer(project, survey, "Q4", 5)
    _document, next_start, _end = _answer(project, survey, "Q5", 5)
    begins, ends = start + len("The unpaid work placement at the "), next_start + len("Training together")
    project.codings.add(document, begins, ends, "Training")  # over two answers and the heading between


def _quotes(path: Path) -> dict[str, str]:
    """quote -> the attribution line under it."""
    paragraphs = docx.Document(str(path)).paragraphs
    return {
        p.text: paragraphs[i + 1].text
        for i, p in enumerate(paragraphs)
        if p.style is not None and p.style.name == "Quote"
    }


def _all_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def coded(project: Project, tmp_path: Path) -> Project:
    survey = _import(project, qualtrics_csv(tmp_path / "qualtrics.csv"))
    _code(project, survey)
    return project


def test_quotes_are_the_answers_words_attributed_to_the_respondent(coded: Project, tmp_path: Path) -> None:
    coded.register.dismiss([c.text for c in coded.register.suggestions()])
    decide_all(coded)
    written = write_report(coded, tmp_path / "report.docx", options=WHOLE)
    quotes = _quotes(written.path)
    assert quotes[HELPED[2]] == "(Survey respondent 3)"
    assert quotes[CHANGE[1]] == "(Survey respondent 2)"
    assert quotes[HELPED[7]] == "(Survey respondent 8)"
    assert quotes[HELPED[3]] == "(Survey respondent 4)"  # coded with its heading: the answer only
    assert quotes["Quick answers by email"] == "(Survey respondent 6)"  # coded from the title line
    assert (  # over two answers: the heading between left out, and said to be
        quotes["community garden showed people they could stick at something. […] Training together"]
        == "(Survey respondent 5)"
    )
    for quote in quotes:
        assert SURVEY not in quote and "Q4." not in quote and "Q5." not in quote

    write_report(coded, tmp_path / "trimmed.docx", options=TRIMMED)
    trimmed = _quotes(tmp_path / "trimmed.docx")
    assert trimmed["Quick answers by email…"] == "(Survey respondent 6)"
    assert trimmed[HELPED[3]] == "(Survey respondent 4)"

    coded.surveys.set_attribution(SURVEY, "Staff survey respondent {number}")
    write_report(coded, tmp_path / "again.docx", options=WHOLE)
    assert _quotes(tmp_path / "again.docx")[HELPED[2]] == "(Staff survey respondent 3)"


def test_a_fieldworkers_report_keeps_identifiers_in_answers_out(coded: Project, tmp_path: Path) -> None:
    coded.register.add("Morag Smith", "[WORKER]", "PERSON")
    coded.register.add("Fife", "[AREA]", "PLACE")
    coded.register.dismiss([c.text for c in coded.register.suggestions()])
    decide_all(coded)
    written = write_report(coded, tmp_path / "report.docx", options=WHOLE)
    assert written.anonymised
    text = _all_text(written.path)
    assert "Morag" not in text and "Fife" not in text
    quotes = _quotes(written.path)
    first = HELPED[0].replace("Morag Smith", "[WORKER]").replace("Fife", "[AREA]")
    assert quotes[first] == "(Survey respondent 1)"


def test_the_crosstab_counts_respondents_per_theme_by_a_closed_answer(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    fixture = qualtrics_csv(tmp_path / "qualtrics.csv")
    code, _out, err = cli("survey", "import", cli.project, str(fixture.path), "--name", SURVEY)
    assert code == 0, err
    project = Project.open(Path(cli.project), passphrase=PASSPHRASE, use_keychain=False)
    try:
        _code(project, project.surveys.find(SURVEY))
        project.register.dismiss([c.text for c in project.register.suggestions()])
        decide_all(project)
    finally:
        project.close()

    code, out, err = cli("crosstab", cli.project, "--by", ROLE, "--json")
    assert code == 0, err
    data = json.loads(out)
    cells = {
        theme["theme"]: {c["value"]: (c["passages"], c["cases"]) for c in theme["cells"]}
        for theme in data["themes"]
    }
    worker, leader, partner = "Justice social worker", "Team leader", "Third sector partner"
    assert cells["Same worker"] == {
        worker: (2, 1),
        leader: (1, 1),
        partner: (0, 0),
    }  # respondents 1 (twice), 8
    assert cells["Housing"] == {worker: (0, 0), leader: (1, 1), partner: (1, 1)}  # respondents 2, 3
    assert cells["Respect"] == {worker: (1, 1), leader: (0, 0), partner: (0, 0)}  # respondent 4
    assert cells["Contact"] == {worker: (0, 0), leader: (0, 0), partner: (1, 1)}  # respondent 6
    assert cells["Training"] == {worker: (0, 0), leader: (1, 1), partner: (0, 0)}  # respondent 5

    out = tmp_path / "summary.csv"
    code, _out, err = cli("summary", cli.project, "--out", str(out))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0] == [
        "Theme (counts include sub-themes)",
        "Survey respondents: passages",
        "Survey respondents: participants",
        "Total: passages",
        "Total: participants",
    ]
    assert rows[1:] == [  # in the tree's order: passages, then respondents with one
        ["Same worker", "3", "2", "3", "2"],
        ["Housing", "2", "2", "2", "2"],
        ["Respect", "1", "1", "1", "1"],
        ["Contact", "1", "1", "1", "1"],
        ["Training", "1", "1", "1", "1"],
    ]
