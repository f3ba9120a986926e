"""Every platform's export, end to end on the command line (issue 18, "done when"): Qualtrics, Microsoft
Forms, SPSS, Excel's UTF-16 text, SmartSurvey and JISC Online Surveys files, each imported with the
guessed mapping, an answer coded, the crosstab by question and a closed answer, the theme report
quoting the respondent, and a .qdpx that comes back with its survey."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document

from tests.survey_fixtures import BUILDERS, PLANTED, SUFFIXES
from tests.test_cli import Cli, cli  # noqa: F401  (the fixture)

DESCRIPTORS = ("[WORKER]", "[AREA]", "[AREA]", "[EMAIL]")
CATEGORIES = ("Person", "Place", "Place", "Email address")


def _anonymised(text: str) -> str:
    for planted, descriptor in zip(PLANTED, DESCRIPTORS, strict=True):
        text = text.replace(planted, descriptor)
    return text


@pytest.mark.parametrize("platform", sorted(BUILDERS))
def test_an_export_is_imported_coded_and_reported(cli: Cli, tmp_path: Path, platform: str) -> None:  # noqa: F811
    fixture = BUILDERS[platform](tmp_path / f"{platform}{SUFFIXES[platform]}")
    mapping = cli.json("survey", "mapping", str(fixture.path))
    assert isinstance(mapping, dict) and mapping["columns"] == fixture.kinds

    imported = cli.json("survey", "import", cli.project, str(fixture.path), "--name", "Staff survey")
    assert isinstance(imported, dict)
    listed = cli.json("cases", cli.project, "list")
    assert isinstance(listed, list) and len(listed) == fixture.respondents
    documents = cli.json("transcripts", cli.project, "list")
    assert isinstance(documents, list) and {d["kind"] for d in documents} == {"survey"}

    question = fixture.open_keys[0]
    answers = cli.json("survey", "answers", cli.project, "", question)
    assert isinstance(answers, list)
    given = [a for a in fixture.answers[question] if a.strip()]
    assert len(answers) == len(given)
    first = answers[0]
    assert first["text"] == given[0].replace("\r\n", "\n").strip()
    words = first["text"].split()[0]
    assert cli("codes", cli.project, "add", "Joint working")[0] == 0
    code, _out, err = cli(
        "code",
        cli.project,
        first["document"],
        "--start",
        str(first["start"]),
        "--end",
        str(first["start"] + len(words)),
        "--code",
        "Joint working",
    )
    assert code == 0, err

    by_question = cli.json("crosstab", cli.project, "--by-question", "")
    assert isinstance(by_question, dict)
    cell = by_question["themes"][0]["cells"][0]
    assert (cell["passages"], cell["cases"]) == (1, 1)
    attribute = fixture.attribute_keys[0]
    questions = mapping["questions"]
    by_attribute = cli.json("crosstab", cli.project, "--by", questions.get(attribute, attribute))
    assert isinstance(by_attribute, dict) and by_attribute["themes"][0]["passages"] == 1

    report = tmp_path / "report.docx"
    code, _out, err = cli("report", cli.project, "--out", str(report), "--whole-passages")
    assert code == 0, err
    text = "\n".join(p.text for p in Document(str(report)).paragraphs)
    assert words in text and f"(Survey respondent {first['number']})" in text

    # The fieldworker's review: each identifier planted in the answers goes in the register; what the
    # detector suggests besides is looked at and dismissed (none of it is a planted identifier).
    for planted, descriptor, category in zip(PLANTED, DESCRIPTORS, CATEGORIES, strict=True):
        code, _out, err = cli(
            "register", cli.project, "add", planted, "--as", descriptor, "--category", category
        )
        assert code == 0, err
    rest = cli.json("register", cli.project, "suggest")
    assert isinstance(rest, list) and not {c["text"] for c in rest} & set(PLANTED)
    if rest:
        assert cli("register", cli.project, "dismiss", *(c["text"] for c in rest))[0] == 0
    out = tmp_path / "survey.qdpx"
    code, _out, err = cli("qdpx", "export", cli.project, str(out))
    assert code == 0, err
    with zipfile.ZipFile(out) as archive:
        everything = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8")
    assert not [p for p in PLANTED if p in everything] and "[WORKER]" in everything
    back = tmp_path / "back"
    code, _out, err = cli("qdpx", "import", str(out), str(back), "--coder", "Ailsa")
    assert code == 0, err
    again = cli.json("survey", "answers", str(back), "", question)
    assert isinstance(again, list) and [a["number"] for a in again] == [a["number"] for a in answers]
    assert [a["text"] for a in again] == [_anonymised(a["text"]) for a in answers]
