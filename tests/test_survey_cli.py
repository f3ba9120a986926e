"""``jswcoder survey`` end to end (issue 18): main() over a real encrypted project and real export files
(a Qualtrics three-header CSV, a Microsoft Forms workbook, an SPSS .sav): the mapping printed, edited and
used, the import's report, the answers as the grid in text, respondents as cases, answers listed,
printed and coded like transcripts, an updated export imported again, and bad files refused."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.survey_fixtures import SurveyFixture, build, qualtrics_csv
from tests.test_cli import Cli, cli  # noqa: F401  (the fixture)

SURVEY = "Staff survey"
Q4 = "What has helped joint working in your area? Please give examples."


@pytest.fixture
def qualtrics(tmp_path: Path) -> SurveyFixture:
    return qualtrics_csv(tmp_path / "qualtrics.csv")


def _imported(cli: Cli, fixture: SurveyFixture) -> Cli:  # noqa: F811
    code, _out, err = cli("survey", "import", cli.project, str(fixture.path), "--name", SURVEY)
    assert code == 0, err
    return cli


def test_mapping_prints_the_guesses_as_json_and_each_identifying_column_on_stderr(
    cli: Cli,  # noqa: F811
    qualtrics: SurveyFixture,
) -> None:
    code, out, err = cli("survey", "mapping", str(qualtrics.path))
    assert code == 0, err
    mapping = json.loads(out)  # stdout is only the JSON: "> map.json" writes a file to edit
    assert mapping["columns"] == qualtrics.kinds
    assert mapping["questions"]["Q4"] == Q4
    warned = err.splitlines()
    assert len(warned) == len(qualtrics.identifying_keys)
    for key, line in zip(qualtrics.identifying_keys, warned, strict=True):
        assert line.startswith(f"jswcoder: {key} ") and "identif" in line
    for planted in qualtrics.planted:  # no answer's words in the file the user keeps
        assert planted not in out

    code, out, err = cli("survey", "mapping", str(qualtrics.path), "--table")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "8 responses, 22 columns (qualtrics layout)"
    q2 = lines.index(
        "Q2  ".ljust(len("Duration (in seconds)") + 2)
        + "attribute  "
        + "Which local authority area do you mainly work in?"
    )
    assert lines[q2 + 1].split("e.g. ")[1] == "Fife | Dundee | Angus"
    email = next(i for i, line in enumerate(lines) if line.startswith("RecipientEmail "))
    assert lines[email + 1].endswith("e.g. —")  # an identifying column's values are not shown
    assert "@example.org" not in out


def test_import_with_an_edited_mapping_and_the_survey_listed(
    cli: Cli,  # noqa: F811
    qualtrics: SurveyFixture,
    tmp_path: Path,
) -> None:
    code, out, _err = cli("survey", "mapping", str(qualtrics.path))
    mapping = json.loads(out)
    mapping["columns"]["Q3"] = "ignore"  # the user leaves out the satisfaction question
    mapping["columns"]["RecipientEmail"] = "attribute"  # and (wrongly) keeps an email address
    edited = tmp_path / "map.json"
    edited.write_text(json.dumps(mapping), encoding="utf-8")

    code, out, err = cli(
        "survey", "import", cli.project, str(qualtrics.path), "--mapping", str(edited), "--name", SURVEY
    )
    assert code == 0, err
    assert out.splitlines() == [
        f"8 respondents imported as the survey '{SURVEY}': 8 new, 0 already here (0 updated)"
    ]
    assert err.splitlines() == [
        "jswcoder: left out as identifying people: StartDate, EndDate, IPAddress, RecordedDate, "
        "RecipientLastName, RecipientFirstName, LocationLatitude, LocationLongitude",
        "jswcoder: 'RecipientEmail' identifies people and is imported as attribute, as the mapping says",
    ]

    [survey] = cli.json("survey", "list", cli.project)  # type: ignore[misc]
    assert (survey["name"], survey["respondents"], survey["attribution"], survey["id_column"]) == (
        SURVEY,
        8,
        "Survey respondent {number}",
        "ResponseId",
    )
    assert [(q["key"], q["kind"], q["answers"]) for q in survey["questions"]] == [
        ("RecipientEmail", "attribute", None),
        ("Q1", "attribute", None),
        ("Q2", "attribute", None),
        ("Q4", "open", 8),
        ("Q5", "open", 8),
    ]
    code, out, _err = cli("survey", "list", cli.project)
    assert out.splitlines()[0] == f"{SURVEY}: 8 respondents, attributed as 'Survey respondent {{number}}'"
    assert f"  Q4. {Q4}  (open answer, 8 answered)" in out.splitlines()


def test_a_mapping_that_does_not_fit_and_a_broken_file_are_refused_with_nothing_imported(
    cli: Cli,  # noqa: F811
    qualtrics: SurveyFixture,
    tmp_path: Path,
) -> None:
    wrong = tmp_path / "map.json"
    wrong.write_text(json.dumps({"columns": {"Q9": "open"}}), encoding="utf-8")
    code, out, err = cli("survey", "import", cli.project, str(qualtrics.path), "--mapping", str(wrong))
    assert (code, out, err) == (
        1,
        "",
        "jswcoder: the mapping names a column the export does not have: 'Q9'\n",
    )
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"\xff\xfe\x00\xd8" + bytes(range(256)) * 4)  # says UTF-16, is not
    code, out, err = cli("survey", "import", cli.project, str(broken))
    assert code == 1 and out == "" and len(err.splitlines()) == 1 and "broken.csv" in err
    code, out, err = cli("survey", "mapping", str(tmp_path / "missing.xlsx"))
    assert code == 1 and len(err.splitlines()) == 1
    assert cli.json("survey", "list", cli.project) == []
    assert cli.json("cases", cli.project, "list") == []


def test_answers_are_listed_printed_and_coded_like_transcripts(cli: Cli, qualtrics: SurveyFixture) -> None:  # noqa: F811
    _imported(cli, qualtrics)
    answers = cli.json("survey", "answers", cli.project, SURVEY, "Q4")
    assert [(a["number"], a["respondent"], a["text"]) for a in answers] == [  # type: ignore[index, union-attr]
        (n + 1, f"Survey respondent {n + 1}", text) for n, text in enumerate(qualtrics.answers["Q4"])
    ]
    code, out, _err = cli("survey", "answers", cli.project, SURVEY, Q4)  # by its text, too
    lines = out.splitlines()
    assert lines[:4] == [f"Q4. {Q4}", "8 answers", "", "[Survey respondent 1]"]
    assert lines[4] == qualtrics.answers["Q4"][0]
    code, _out, err = cli("survey", "answers", cli.project, SURVEY, "Q1")
    assert code == 1 and "closed answer" in err
    code, out, _err = cli("survey", "answers", cli.project, SURVEY, "what has helped")  # the start of it
    assert out.splitlines()[0] == f"Q4. {Q4}"
    code, _out, err = cli("survey", "answers", cli.project, SURVEY, "What")  # more than one begins so
    assert (code, err) == (1, f"jswcoder: the survey '{SURVEY}' has no question 'What'\n")

    listed = {t["name"]: t for t in cli.json("transcripts", cli.project, "list")}  # type: ignore[union-attr]
    assert len(listed) == 8
    second = listed[f"{SURVEY}, respondent 2"]
    assert (second["kind"], second["survey"], second["case"], second["source_format"]) == (
        "survey",
        SURVEY,
        "Survey respondent 2",
        "survey",
    )
    assert second["participant"]["attributes"]["What is your role?"] == "Team leader"  # type: ignore[index]

    code, text, _err = cli("text", cli.project, f"{SURVEY}, respondent 2")
    assert text.splitlines()[:3] == [f"{SURVEY}, respondent 2", "", f"Q4. {Q4}"]
    answer = answers[1]  # type: ignore[index]
    assert text[answer["start"] : answer["end"]] == qualtrics.answers["Q4"][1]

    # Code the answer's first sentence with the offsets `survey answers --json` gave.
    assert cli("codes", cli.project, "add", "Groups")[0] == 0
    first = qualtrics.answers["Q4"][1].split(",")[0]
    code, out, err = cli(
        "code",
        cli.project,
        answer["document"],
        "--start",
        str(answer["start"]),
        "--end",
        str(answer["start"] + len(first)),
        "--code",
        "Groups",
    )
    assert code == 0, err
    [coding] = cli.json("codings", cli.project)  # type: ignore[misc]
    assert (coding["transcript"], coding["code"], coding["text"]) == (answer["document"], "Groups", first)
    assert cli.json("transcripts", cli.project, "list")[1]["codings"] == 1  # type: ignore[index]


def test_respondents_are_cases_found_by_their_attribution(cli: Cli, qualtrics: SurveyFixture) -> None:  # noqa: F811
    _imported(cli, qualtrics)
    cases = cli.json("cases", cli.project, "list")
    assert [c["label"] for c in cases] == [f"Survey respondent {n}" for n in range(1, 9)]  # type: ignore[index]
    third = cases[2]  # type: ignore[index]
    assert third["survey"] == {"name": SURVEY, "number": 3}
    assert third["participant_group"] == "Survey respondents"
    assert third["attributes"] == {
        "What is your role?": "Third sector partner",
        "Which local authority area do you mainly work in?": "Angus",
        "How satisfied are you with joint working in your area?": "Neither",
    }
    assert third["transcripts"] == [f"{SURVEY}, respondent 3"]

    code, out, err = cli("cases", cli.project, "set", "survey respondent 3", "--attribute", "Team=North")
    assert (code, out, err) == (0, "Survey respondent 3: Team set\n", "")
    assert cli.json("cases", cli.project, "list")[2]["attributes"]["Team"] == "North"  # type: ignore[index]

    code, out, err = cli("survey", "attribution", cli.project, SURVEY, "Staff respondent {number}")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"respondents of '{SURVEY}' are attributed as 'Staff respondent {{number}}' (was 'Survey respondent {{number}}')",
        "e.g. Staff respondent 17",
    ]
    assert cli.json("cases", cli.project, "list")[0]["label"] == "Staff respondent 1"  # type: ignore[index]
    code, _out, err = cli("survey", "attribution", cli.project, SURVEY, "Respondent")
    assert code == 1 and "{number}" in err


HEAD = ["ID", "Name", "Role", "What helps you most?"]


def _export(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEAD, *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    return path


def test_an_updated_export_imported_again_says_what_it_kept(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    first = [
        ["101", "Morag Smith", "Social worker", "Weekly supervision keeps me going, honestly."],
        ["102", "Ian Reid", "Team leader", "Shared training with the police and health."],
    ]
    export = _export(tmp_path / "pulse.csv", first)
    code, out, err = cli("survey", "import", cli.project, str(export))
    assert code == 0, err
    assert err == "jswcoder: left out as identifying people: Name\n"
    [answer, _] = cli.json("survey", "answers", cli.project, "", "What helps you most?")  # type: ignore[misc]
    assert cli("codes", cli.project, "add", "Supervision")[0] == 0
    code, _out, err = cli(
        "code",
        cli.project,
        answer["document"],
        "--start",
        str(answer["start"]),
        "--end",
        str(answer["end"]),
        "--code",
        "Supervision",
    )
    assert code == 0, err

    later = [
        ["101", "Morag Smith", "Social worker", "Weekly supervision."],  # coded: kept
        ["102", "Ian Reid", "Senior team leader", "Shared training with the police."],
        ["103", "Ann Bell", "Social worker", "Peer support."],
    ]
    export = _export(tmp_path / "pulse (2).csv", later)  # another file name: the same survey
    code, out, err = cli("survey", "import", cli.project, str(export), "--into", "pulse")
    assert code == 0, err
    assert out.splitlines() == [
        "3 respondents updated in the survey 'pulse': 1 new, 2 already here (1 updated)",
        "respondent 1: What helps you most? changed in the export; the answers here are coded, so they "
        "were kept (remove the codings and import again to take the new ones)",
    ]
    code, _out, err = cli("survey", "import", cli.project, str(export))  # guessed afresh: short answers…
    assert (code, err) == (1, "jswcoder: the mapping has no open answer to code\n")  # …look closed
    longer = [[*row[:3], row[3] + " It makes the week bearable, most of the time."] for row in later]
    report = cli.json("survey", "import", cli.project, str(_export(export, longer)))  # found by ID
    assert {k: report[k] for k in ("created", "added", "matched", "updated", "unchanged")} == {  # type: ignore[index]
        "created": False,
        "added": 0,
        "matched": 3,
        "updated": 2,
        "unchanged": 0,
    }
    assert report["identifying"] == {"Name": "ignore"}  # type: ignore[index]
    texts = [a["text"] for a in cli.json("survey", "answers", cli.project, "pulse", "What helps you most?")]  # type: ignore[index, union-attr]
    assert texts == [first[0][3], longer[1][3], longer[2][3]]


@pytest.mark.parametrize("platform", ["forms", "spss"])
def test_other_platforms_import_from_the_command_line(cli: Cli, tmp_path: Path, platform: str) -> None:  # noqa: F811
    fixture = build(platform, tmp_path)
    code, out, err = cli("survey", "mapping", str(fixture.path))
    assert code == 0, err
    assert json.loads(out)["columns"] == fixture.kinds
    report = cli.json("survey", "import", cli.project, str(fixture.path))
    assert report["added"] == fixture.respondents  # type: ignore[index]
    [survey] = cli.json("survey", "list", cli.project)  # type: ignore[misc]
    open_keys = [q["key"] for q in survey["questions"] if q["kind"] == "open"]
    assert open_keys == list(fixture.open_keys)
