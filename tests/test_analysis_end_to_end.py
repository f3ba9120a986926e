"""Issue 5's "done when", through the command line: from the demo project and from a merged team
project, build the matrix with summaries, export the matrix, the report and the summary, and get an
agreement report on a double-coded transcript."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from jswcoder import demo
from jswcoder.analysis.matrix import build_matrix
from jswcoder.cli import main
from jswcoder.project import Project
from jswcoder.team.exchange import TEAM_FILE
from tests.conftest import FAST_KDF, PASSPHRASE, write_txt

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--no-keychain", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _docx_text(path: Path) -> list[str]:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs] + cells


def _xlsx_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)


def test_from_the_demo_project(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "demo"
    demo.create(folder, kdf=FAST_KDF).close()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", demo.PASSPHRASE)
    with Project.open(folder, passphrase=demo.PASSPHRASE, use_keychain=False) as project:
        matrix = build_matrix(project)
        row = next(
            r for r, case in enumerate(matrix.cases) if case.label == "Justice social workers interview 1"
        )
        column = next(
            c for c, theme in enumerate(matrix.themes) if theme.code.path == "Funding and resources"
        )
        matrix.save_summary(row, column, "Caseloads rising; posts unfilled; the team is tired.")
        quotes = {p.text for p in matrix.passages(row, column)}
    out = tmp_path / "out"
    out.mkdir()
    for command, name in (("matrix", "matrix.xlsx"), ("matrix", "matrix.docx"), ("report", "report.docx")):
        code, _, err = run(command, str(folder), "--out", str(out / name))
        assert code == 0, err
    code, _, err = run("summary", str(folder), "--out", str(out / "summary.xlsx"))
    assert code == 0, err

    assert "Caseloads rising; posts unfilled; the team is tired." in _xlsx_text(out / "matrix.xlsx")
    assert any("Caseloads rising" in text for text in _docx_text(out / "matrix.docx"))
    report = [p for p in Document(str(out / "report.docx")).paragraphs]
    texts = [p.text for p in report]
    assert any(t.startswith("Staff described rising caseloads") for t in texts)  # the Key points memo
    for quote in quotes:  # each quote once, followed by its attribution
        assert texts.count(quote) == 1
        assert texts[texts.index(quote) + 1] == "(Justice social workers interview 1)"
    assert "Client" in _xlsx_text(out / "summary.xlsx")

    code, printed, err = run("agreement", str(folder), "demo_04_client_depth", "--json")
    assert code == 0, err
    figures = json.loads(printed)
    assert {figures["coder_a"]["name"], figures["coder_b"]["name"]} == {"Demo coder", "Demo second coder"}
    assert 0 < figures["pooled"]["kappa"] < 1 and figures["disagreements"]


TEXT_7 = (
    "Interviewer: What helped during the order?\n"
    "P1: My worker listened to me and never gave up.\n"
    "P1: The groupwork was hard at first but it helped me stop drinking.\n"
)


def test_from_a_merged_team_project(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    lead, ailsa, hamish = (str(tmp_path / n) for n in ("lead", "ailsa", "hamish"))
    stick, team_file = tmp_path / "stick", tmp_path / "team.jswteam"
    stick.mkdir()
    args = ("team", "create", lead, "--name", "JSW team", "--coder", "Lead", "--team-file", str(team_file))
    created = run(*args)
    assert created[0] == 0
    lead_fingerprint = created[1].split("fieldworker as they join): ")[1].split()[0]
    for path in ("Relationships/Being listened to", "Support/Groupwork"):
        assert run("codes", lead, "add", path)[0] == 0
    assert run("sync", lead, "--folder", str(stick))[0] == 0  # the team file, with the codebook
    team_file = stick / TEAM_FILE
    for laptop, coder in ((ailsa, "Ailsa"), (hamish, "Hamish")):
        assert run("init", laptop, "--name", "Fieldwork", "--coder", coder)[0] == 0
        assert run("team", "join", laptop, str(team_file), "--fingerprint", lead_fingerprint)[0] == 0
    source = write_txt(tmp_path / "in", "int_7.txt", TEXT_7)
    assert run("import", ailsa, str(source), "--group", "Client", "--interview", "7")[0] == 0

    def code(project: str, transcript: str, phrase: str, theme: str) -> None:
        start = TEXT_7.index(phrase)
        args = ("code", project, transcript, "--start", str(start), "--end", str(start + len(phrase)))
        assert run(*args, "--code", theme)[0] == 0

    code(ailsa, "int_7", "My worker listened to me", "Relationships/Being listened to")
    code(ailsa, "int_7", "it helped me stop drinking", "Support/Groupwork")
    for project in (ailsa, hamish, lead):
        code_, _, err = run("sync", project, "--folder", str(stick))
        assert code_ == 0, err
    for laptop, coder in ((ailsa, "Ailsa"), (hamish, "Hamish")):  # each reads their fingerprint out
        own = run("team", "fingerprint", laptop)[1].split("read it to the lead): ")[1].split()[0]
        assert run("team", "admit", lead, coder, "--fingerprint", own)[0] == 0
    assert run("sync", lead, "--folder", str(stick))[0] == 0
    code_, _, err = run("assign", lead, "Client interview 7", "--coder", "Hamish")
    assert code_ == 0, err
    for project in (lead, hamish):
        assert run("sync", project, "--folder", str(stick))[0] == 0
    double = "Double coding: Client interview 7"
    code(hamish, double, "My worker listened to me and never gave up.", "Relationships/Being listened to")
    code(hamish, double, "The groupwork was hard", "Support/Groupwork")
    for project in (hamish, lead):
        assert run("sync", project, "--folder", str(stick))[0] == 0

    code_, printed, err = run("agreement", lead, "Client interview 7", "--json")
    assert code_ == 0, err
    figures = json.loads(printed)
    assert {figures["coder_a"]["name"], figures["coder_b"]["name"]} == {"Ailsa", "Hamish"}
    assert len(figures["themes"]) == 2

    with Project.open(lead, passphrase=PASSPHRASE, use_keychain=False) as project:
        matrix = build_matrix(project)
        assert [case.label for case in matrix.cases] == ["Client interview 7"]
        assert [matrix.count(0, c) for c in range(len(matrix.themes))] == [1, 1]  # Ailsa's, not Hamish's
        matrix.save_summary(0, 0, "Felt listened to; the worker kept going.")
    report, table = tmp_path / "report.docx", tmp_path / "matrix.xlsx"
    assert run("report", lead, "--out", str(report))[0] == 0
    assert run("matrix", lead, "--out", str(table))[0] == 0
    assert run("summary", lead, "--out", str(tmp_path / "summary.csv"))[0] == 0
    texts = _docx_text(report)
    # Quotes are trimmed to sentence boundaries: "…" where a passage starts or stops inside a sentence.
    assert texts.count("My worker listened to me…") == 1
    assert not any("groupwork was hard" in text for text in texts)  # Hamish's double coding
    assert texts[texts.index("…it helped me stop drinking.") + 1] == "(Client interview 7)"
    assert "Felt listened to; the worker kept going." in _xlsx_text(table)
    assert (tmp_path / "summary.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("Theme")
