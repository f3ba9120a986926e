"""Survey respondents and their answers in a REFI-QDA project (issue 18): each respondent a Case with its
closed answers as Variables, each respondent's document a TextSource with its codings, checked against
the standard's schema (the shared copy) as it is written, and read back by our own .qdpx import with the
cases, their variables and the codings kept. A fieldworker's export follows the rule for case variables:
anonymised, it carries a closed answer only where the user names it (as a package does)."""

from __future__ import annotations

import html
import json
import zipfile
from pathlib import Path

import pytest
import xmlschema

from jswcoder.importing.survey_files import read_survey_file
from jswcoder.project import Project
from jswcoder.refiqda.export_project import export_project
from jswcoder.refiqda.surveys import MARK
from tests.conftest import PASSPHRASE
from tests.indirect_decided import decide_all
from tests.survey_fixtures import qualtrics_csv
from tests.test_cli import Cli, cli  # noqa: F401  (the fixture)
from tests.test_refiqda_export import NS, SHARED, Qdpx
from tests.test_refiqda_import import load

SURVEY = "Staff survey"
ROLE, AREA, SATISFIED = (
    "What is your role?",
    "Which local authority area do you mainly work in?",
    "How satisfied are you with joint working in your area?",
)


def _coded_survey(project: Project, folder: Path) -> dict[int, str]:
    """The Qualtrics fixture imported, respondents 1–3's first answers coded; number -> coded text."""
    fixture = qualtrics_csv(folder / "qualtrics.csv")
    project.surveys.import_table(fixture.path, read_survey_file(fixture.path), fixture.kinds, name=SURVEY)
    survey = project.surveys.find(SURVEY)
    project.codebook.add("Helped")
    coded = {}
    for answer in project.surveys.answers(survey, "Q4")[:3]:
        end = answer.start + len(answer.text.split(".")[0])
        project.codings.add(answer.transcript_uuid, answer.start, end, "Helped")
        coded[answer.number] = answer.text[: end - answer.start]
    project.register.add("Morag Smith", "[WORKER]", "PERSON")
    project.register.dismiss([c.text for c in project.register.suggestions()])
    decide_all(project)
    return coded


def _variables(archive: Qdpx) -> dict[str, dict[str, str]]:
    """case name -> variable name -> value."""
    names = {v.get("guid"): v.get("name") for v in archive.all("q:Variables/q:Variable")}
    found = {}
    for case in archive.all("q:Cases/q:Case"):
        values = {}
        for entry in case.findall("q:VariableValue", NS):
            ref = entry.find("q:VariableRef", NS)
            value = entry.find("q:TextValue", NS)
            if value is None:
                value = entry.find("q:IntegerValue", NS)
            assert ref is not None and value is not None
            values[str(names[ref.get("targetGUID")])] = value.text or ""
        found[str(case.get("name"))] = values
    return found


def test_respondents_are_cases_with_variables_and_a_round_trip_keeps_them(
    project: Project, tmp_path: Path
) -> None:
    coded = _coded_survey(project, tmp_path)
    written = export_project(project, tmp_path / "survey.qdpx", originals=True)
    archive = Qdpx(written.path)
    xmlschema.XMLSchema(str(SHARED / "Project.xsd")).validate(archive.qde)  # the standard's own copy

    variables = _variables(archive)
    assert list(variables) == [f"Survey respondent {n}" for n in range(1, 9)]
    assert variables["Survey respondent 2"] == {
        "Participant group": "Survey respondents",
        ROLE: "Team leader",
        AREA: "Dundee",
        SATISFIED: "Very satisfied",
    }
    assert SATISFIED not in variables["Survey respondent 7"]  # skipped the question: no value
    sources = {s.get("name"): s for s in archive.all(".//q:TextSource")}
    assert len(sources) == 8
    first = sources[f"{SURVEY}, respondent 1"]
    assert archive.source_text(first) == project.transcripts.text(f"{SURVEY}, respondent 1")
    assert sorted(text for _guid, _code, text in archive.selections()) == sorted(coded.values())

    back, report = load(written.path, tmp_path / "back")
    try:
        cases = {c.participant.attribution: c for c in back.cases.all()}
        respondent = cases["Survey respondent 2"].participant  # the survey's attribution, restored
        assert respondent.participant_group == "Survey respondents"
        assert respondent.attributes == {ROLE: "Team leader", AREA: "Dundee", SATISFIED: "Very satisfied"}
        passages = back.codings.passages(None)
        assert sorted((p.transcript, p.text) for p in passages) == [
            (f"{SURVEY}, respondent {n}", coded[n]) for n in (1, 2, 3)
        ]
        # The survey itself came back from the sources' descriptions: its questions, respondents and
        # where each answer lies, so the grid and the question columns work on the imported project.
        (survey,) = back.surveys.all()
        original = project.surveys.find(SURVEY)
        assert (survey.uuid, survey.name, survey.respondents) == (original.uuid, SURVEY, 8)
        assert survey.open_questions == original.open_questions  # the closed ones are the cases' variables
        for question in original.open_questions:
            assert [(a.number, a.text) for a in back.surveys.answers(survey, question.key)] == [
                (a.number, a.text) for a in project.surveys.answers(original, question.key)
            ]
        document = back.transcripts.find(f"{SURVEY}, respondent 1")
        assert [t.speaker for t in back.transcripts.turns(document.uuid)] == ["Q4", "Q5"]
    finally:
        back.close()
    assert report is not None


def test_a_fieldworkers_export_carries_only_the_closed_answers_named(
    project: Project, tmp_path: Path
) -> None:
    _coded_survey(project, tmp_path)
    plain = Qdpx(export_project(project, tmp_path / "plain.qdpx").path)
    assert _variables(plain)["Survey respondent 1"] == {"Participant group": "Survey respondents"}
    assert "Morag Smith" not in plain.text() and "[WORKER]" in plain.text()

    named = Qdpx(export_project(project, tmp_path / "named.qdpx", attributes=[ROLE]).path)
    assert _variables(named)["Survey respondent 1"] == {
        "Participant group": "Survey respondents",
        ROLE: "Justice social worker",
    }
    assert AREA not in named.text()


def test_the_command_line_names_the_closed_answers_to_carry(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    project = Project.open(Path(cli.project), passphrase=PASSPHRASE, use_keychain=False)
    try:
        _coded_survey(project, tmp_path)
    finally:
        project.close()
    out = tmp_path / "named.qdpx"
    code, printed, err = cli(
        "qdpx", "export", cli.project, str(out), "--attribute", ROLE, "--attribute", AREA
    )
    assert (code, err) == (0, ""), err
    assert printed == f"wrote the REFI-QDA project to {out} (anonymised with the register)\n"
    assert _variables(Qdpx(out))["Survey respondent 3"] == {
        "Participant group": "Survey respondents",
        ROLE: "Third sector partner",
        AREA: "Angus",
    }


def test_a_speaker_cases_own_attribute_goes_out_too(project: Project, tmp_path: Path) -> None:
    from tests.speaker_group import code_group, import_group

    group = import_group(project, tmp_path / "in")
    code_group(project, group)
    project.speakers.make_cases(group.uuid)
    speaker = project.cases.find("Focus group 3, participant 2")
    project.cases.set(speaker.uuid, {"role": "Team leader"})  # only a speaker case has it
    project.register.dismiss([c.text for c in project.register.suggestions()])
    decide_all(project)
    archive = Qdpx(export_project(project, tmp_path / "out.qdpx", originals=True).path)
    assert _variables(archive)["Focus group 3, participant 2"]["role"] == "Team leader"


FORGERIES = {  # what is changed, and the reason the report gives
    "an answer past the end of the text": (
        lambda d: d["answers"][-1].__setitem__(2, 10**6),
        "an answer lies outside the text, or over another",
    ),
    "answers over each other": (
        lambda d: d["answers"][1].__setitem__(1, d["answers"][0][1]),
        "an answer lies outside the text, or over another",
    ),
    "an answer to a question not listed": (
        lambda d: d["answers"][0].__setitem__(0, "Q99"),
        "an answer is to 'Q99', which is not an open question of its survey",
    ),
    "respondent number 0": (lambda d: d.__setitem__("number", 0), "its respondent has no number"),
    "an attribution that names no one": (
        lambda d: d.__setitem__("attribution", "{name}"),
        "the attribution may use only",
    ),
    "no survey identity": (lambda d: d.__setitem__("survey", "../../etc"), "its survey has no identity"),
    "ten thousand questions": (
        lambda d: d.__setitem__("questions", [["Q", "x", "open", 1]] * 10_000),
        "its survey lists no questions, or far too many",
    ),
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_a_forged_survey_description_leaves_a_plain_transcript(
    project: Project, tmp_path: Path, forgery: str
) -> None:
    """An outsider's .qdpx (or a damaged one): the document comes in as a plain transcript, with one
    line in the report; nothing of the forged survey is stored."""
    _coded_survey(project, tmp_path)
    written = export_project(project, tmp_path / "survey.qdpx", originals=True)
    with zipfile.ZipFile(written.path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    qde = members["project.qde"].decode("utf-8")
    line = next(x for x in qde.split("\n") if MARK in x)
    details = json.loads(html.unescape(line[line.index(MARK) + len(MARK) : line.index("</Description>")]))
    change, reason = FORGERIES[forgery]
    change(details)
    forged = html.escape(json.dumps(details), quote=False)
    members["project.qde"] = qde.replace(
        line, line[: line.index(MARK) + len(MARK)] + forged + "</Description>"
    ).encode()
    bad = tmp_path / "forged.qdpx"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)

    back, report = load(bad, tmp_path / "back")
    try:
        assert len(back.transcripts.all()) == 8
        assert [s.respondents for s in back.surveys.all()] == [7]  # the other seven are restored
        lines = [r for r in report.repaired if "imported as a plain transcript" in r]
        assert len(lines) == 1 and reason in lines[0] and "\n" not in lines[0]
    finally:
        back.close()


def test_an_anonymised_export_keeps_each_answer_whole(project: Project, tmp_path: Path) -> None:
    """In a fieldworker's export the register shortens and lengthens the text: each answer's place is
    moved with it, so the answers read back are the anonymised answers, whole."""
    _coded_survey(project, tmp_path)
    written = export_project(project, tmp_path / "plain.qdpx")
    assert "Morag Smith" not in Qdpx(written.path).text()
    original = project.surveys.find(SURVEY)
    back, _report = load(written.path, tmp_path / "back")
    try:
        (survey,) = back.surveys.all()
        for question in original.open_questions:
            expected = [
                (a.number, a.text.replace("Morag Smith", "[WORKER]"))
                for a in project.surveys.answers(original, question.key)
            ]
            assert [(a.number, a.text) for a in back.surveys.answers(survey, question.key)] == expected
        assert any("[WORKER]" in a.text for a in back.surveys.answers(survey, "Q4"))
    finally:
        back.close()
