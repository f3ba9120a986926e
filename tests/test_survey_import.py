"""A questionnaire export imported into a real encrypted project (issue 18): respondents become cases
with their closed answers, open answers become codable text in one document per respondent, and an
updated export (more responses, changed answers) is imported again without losing coded work."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from jswcoder.errors import InvalidInput
from jswcoder.importing.survey_files import read_survey
from jswcoder.importing.survey_mapping import guess_mapping
from jswcoder.project import Project
from jswcoder.services.surveys import build_document, respondent_identity

HEAD = ["ID", "Email", "Role", "Area", "What helps you most?", "What gets in the way?"]
ROWS = [
    [
        "101",
        "morag@example.org",
        "Social worker",
        "Fife",
        "Weekly supervision with Morag Smith keeps me going.",
        "",
    ],
    [
        "102",
        "ian@example.org",
        "Team leader",
        "Angus",
        "Shared training with the police.",
        "Caseloads over\r\n30.",
    ],
    ["103", "", "Social worker", "Fife", "", ""],
]


def _export(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEAD, *rows])
    return buffer.getvalue().encode("utf-8-sig")


def _import(project: Project, rows: list[list[str]], **options: str):  # type: ignore[no-untyped-def]
    path = Path("Staff survey.csv")
    table = read_survey(path, _export(rows))
    kinds = {g.key: g.kind for g in guess_mapping(table)}
    kinds.update({"ID": "id", "Role": "attribute", "Area": "attribute"})
    kinds.update({"What helps you most?": "open", "What gets in the way?": "open"})
    return project.surveys.import_table(path, table, kinds, **options)


def test_respondents_become_cases_and_answers_codable_text(project: Project) -> None:
    report = _import(project, ROWS)
    assert (report.added, report.matched, report.without_answers) == (3, 0, 1)
    survey = project.surveys.find("Staff survey")
    assert [q.key for q in survey.open_questions] == ["What helps you most?", "What gets in the way?"]
    assert "Email" not in [q.key for q in survey.questions]  # an identifying column stays out

    cases = {c.participant.attribution: c for c in project.cases.all()}
    assert set(cases) == {"Survey respondent 1", "Survey respondent 2", "Survey respondent 3"}
    assert cases["Survey respondent 2"].participant.attributes == {"Role": "Team leader", "Area": "Angus"}
    assert cases["Survey respondent 3"].transcripts == ()  # no open answer: a case, no document

    answers = project.surveys.answers(survey, "What gets in the way?")
    assert [(a.number, a.text) for a in answers] == [(2, "Caseloads over\n30.")]
    document = project.transcripts.get(answers[0].transcript_uuid)
    text = project.transcripts.text_of(document.uuid)
    assert text[answers[0].start : answers[0].end] == "Caseloads over\n30."
    assert "morag@example.org" not in text

    # An answer is coded like any passage, at its place in the document.
    project.codebook.add("Workload")
    coding, _ = project.codings.add(document.uuid, answers[0].start, answers[0].end, "Workload")
    assert (
        project.transcripts.text_of(coding.transcript_uuid)[coding.start : coding.end]
        == "Caseloads over\n30."
    )


def test_an_updated_export_adds_new_respondents_and_keeps_coded_answers(project: Project) -> None:
    _import(project, ROWS)
    survey = project.surveys.find("")
    first = project.surveys.answers(survey, "What helps you most?")
    project.codebook.add("Supervision")
    project.codings.add(first[0].transcript_uuid, first[0].start, first[0].end, "Supervision")

    updated = [
        ["101", "", "Social worker", "Fife", "Weekly supervision keeps me going.", ""],  # coded, changed
        ["102", "", "Senior social worker", "Angus", "Shared training with the police and health.", ""],
        ["103", "", "Social worker", "Fife", "", ""],
        ["104", "", "Team leader", "Dundee", "Peer support.", "Travel across the area."],
    ]
    report = _import(project, updated)
    assert not report.created
    assert (report.added, report.matched, report.updated, report.unchanged) == (1, 3, 1, 1)
    assert len(report.kept) == 1 and report.kept[0].startswith("respondent 1: What helps you most? changed")
    assert "supervision" not in report.kept[0].casefold()  # the line names the question, never the words

    after = {a.number: a.text for a in project.surveys.answers(survey, "What helps you most?")}
    assert after == {
        1: "Weekly supervision with Morag Smith keeps me going.",  # coded: kept as it was
        2: "Shared training with the police and health.",  # uncoded: replaced
        4: "Peer support.",
    }
    assert project.surveys.answers(survey, "What gets in the way?")[0].number == 4
    roles = {c.participant.attribution: c.participant.attributes.get("Role") for c in project.cases.all()}
    assert roles["Survey respondent 2"] == "Senior social worker"
    assert project.surveys.find("Staff survey").respondents == 4


def test_the_same_export_gives_the_same_identities_anywhere(project: Project, tmp_path: Path) -> None:
    from tests.conftest import make_project

    _import(project, ROWS)
    other, _ = make_project(tmp_path / "other", coder="Hamish")
    with other:
        _import(other, list(reversed(ROWS[:2])))
        mine = {c.participant.uuid: c.participant.attribution for c in project.cases.all()}
        theirs = {c.participant.uuid for c in other.cases.all()}
        assert theirs <= set(mine)  # the same respondents, whatever the order they came in
        survey = other.surveys.find("")
        assert survey.uuid == project.surveys.find("").uuid


def test_a_respondent_who_withdrew_is_not_brought_back(project: Project) -> None:
    _import(project, ROWS)
    survey = project.surveys.find("")
    participant, _ = respondent_identity(survey.uuid, "101")
    project.withdrawals.withdraw(participant, "asked by email")
    report = _import(project, ROWS)
    assert report.withdrawn == 1
    assert "Survey respondent 1" not in {c.participant.attribution for c in project.cases.all()}


def test_a_bad_export_imports_nothing(project: Project) -> None:
    duplicated = [*ROWS, ["102", "", "Social worker", "Fife", "Again.", ""]]
    with pytest.raises(InvalidInput, match="responses 2 and 4 have the same ID"):
        _import(project, duplicated)
    assert project.surveys.all() == [] and project.cases.all() == [] and project.transcripts.all() == []


def test_the_attribution_is_the_survey_s_own(project: Project) -> None:
    _import(project, ROWS)
    project.surveys.set_attribution("Staff survey", "Staff questionnaire, respondent {number}")
    assert "Staff questionnaire, respondent 2" in {c.participant.attribution for c in project.cases.all()}
    with pytest.raises(InvalidInput, match="must contain"):
        project.surveys.set_attribution("Staff survey", "A respondent")
    with pytest.raises(InvalidInput, match="may use only"):
        project.surveys.set_attribution("Staff survey", "{name} {number}")


def test_identical_answers_make_distinct_documents() -> None:
    from jswcoder.store.surveys import QuestionRow

    question = QuestionRow("Q7", "Anything else?", "open", 0)
    one = build_document("Staff survey", 1, [(question, "No.")])
    two = build_document("Staff survey", 2, [(question, "No.")])
    assert one.text != two.text
    start, end = one.spans[0][1:]
    assert one.text[start:end] == "No." and one.turns[0].speaker == "Q7"


def test_respondents_are_in_number_order_in_cases_and_the_matrix(project: Project) -> None:
    from jswcoder.analysis.matrix import build_matrix

    rows = [
        [str(200 + n), "", "Worker", "Fife", f"Answer number {n} about the team.", ""] for n in range(1, 13)
    ]
    _import(project, rows)
    expected = [f"Survey respondent {n}" for n in range(1, 13)]
    assert [c.participant.attribution for c in project.cases.all()] == expected
    assert [c.label for c in build_matrix(project).cases] == expected


def test_a_new_respondent_never_takes_the_number_of_one_who_withdrew(project: Project) -> None:
    _import(project, ROWS)
    survey = project.surveys.find("")
    participant, _ = respondent_identity(survey.uuid, "103")  # respondent 3, the last number
    project.withdrawals.withdraw(participant, "asked by phone")
    _import(project, [*ROWS, ["104", "", "Team leader", "Angus", "New answer.", ""]])
    numbers = {c.participant.attribution for c in project.cases.all()}
    assert numbers == {"Survey respondent 1", "Survey respondent 2", "Survey respondent 4"}


def test_without_an_id_column_the_report_says_respondents_are_matched_by_row(project: Project) -> None:
    path = Path("Staff survey.csv")
    table = read_survey(path, _export(ROWS))
    kinds = {"ID": "ignore", "Email": "ignore", "Role": "attribute", "Area": "attribute"}
    kinds.update({"What helps you most?": "open", "What gets in the way?": "open"})
    report = project.surveys.import_table(path, table, kinds)
    assert report.lines()[-1].startswith("the export has no ID column: respondents are matched by their row")
    again = project.surveys.import_table(path, table, kinds)
    assert (again.added, again.matched) == (0, 3)
