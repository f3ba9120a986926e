"""``jswcoder matrix``, ``report`` and ``summary``: real files from the command line, and its errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest

from jswcoder.cli import build_parser
from tests.conftest import PASSPHRASE, write_txt
from tests.test_cli import Cli

TEXT = (
    "Interviewer: Tell me about the office.\n"
    "P1: We share it with the police now, since March, and Morag runs the rota.\n"
)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A project with one transcript of "Client interview 7", two codings and a register entry."""
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    runner = Cli(capsys, tmp_path)
    source = write_txt(tmp_path / "in", "client_7.txt", TEXT)
    start = TEXT.index("We share")
    steps = [
        ("init", runner.project, "--name", "Oban study", "--coder", "Ailsa"),
        ("import", runner.project, str(source), "--group", "Client", "--interview", "7", "--mode", "video"),
        ("codes", runner.project, "add", "Partnership working/Co-location"),
        ("codes", runner.project, "add", "Partnership working/Rotas"),
        ("register", runner.project, "add", "Morag", "--as", "[WORKER]", "--category", "PERSON"),
        (
            "code",
            runner.project,
            "client_7",
            "--start",
            str(start),
            "--end",
            str(start + 24),
            "--code",
            "Partnership working/Co-location",
        ),
        (
            "code",
            runner.project,
            "client_7",
            "--start",
            str(TEXT.index("Morag")),
            "--end",
            str(len(TEXT) - 2),
            "--code",
            "Partnership working/Rotas",
        ),
    ]
    for step in steps:
        code, _out, err = runner(*step)
        assert code == 0, err
    code, out, err = runner("register", runner.project, "suggest", "--json")
    candidates = [c["text"] for c in json.loads(out)]
    if candidates:
        assert runner("register", runner.project, "dismiss", *candidates)[0] == 0
    # One participant: every detail and quote fits fewer than k. Reviewed, each left as it is.
    everything = ["--attribute", "format", "--attribute", "mode", "--attribute", "council_area"]
    code, out, err = runner("indirect", runner.project, *everything, "--json")
    for finding in json.loads(out)["findings"]:
        assert runner("indirect", runner.project, *everything, "dismiss", finding["id"])[0] == 0
    return runner


def test_matrix_to_excel_and_word(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "matrix.xlsx"
    code, stdout, err = cli("matrix", cli.project, "--out", str(out), "--level", "2", "--by", "mode")
    assert code == 0, err
    assert f"wrote the matrix (1 case × 2 themes) to {out} (anonymised with the register)" in stdout
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Partnership working", "Passages"]
    header, row = ([c.value for c in r] for r in book["Partnership working"].iter_rows())
    assert header == ["Case", "Mode", "Co-location", "Rotas"]
    assert row[:2] == ["Client interview 7", "video"]
    passages = [[c.value for c in r] for r in book["Passages"].iter_rows()][1:]
    assert passages == [
        ["Client interview 7", "video", "Partnership working/Co-location", "We share it with the police"],
        ["Client interview 7", "video", "Partnership working/Rotas", "[WORKER] runs the rota"],
    ]
    code, _, err = cli(
        "matrix", cli.project, "--out", str(tmp_path / "m.docx"), "--themes", "Partnership working/Rotas"
    )
    assert code == 0, err
    tables = docx.Document(str(tmp_path / "m.docx")).tables
    assert [c.text for c in tables[0].rows[0].cells] == ["Case", "Participant group", "Rotas"]


def test_report_and_summary(cli: Cli, tmp_path: Path) -> None:
    template = tmp_path / "template.docx"
    document = docx.Document()
    document.add_paragraph("Draft")
    document.save(str(template))
    out = tmp_path / "report.docx"
    code, stdout, err = cli("report", cli.project, "--out", str(out), "--template", str(template))
    assert code == 0, err
    assert "wrote the theme report (2 quotes from 1 participant, under 2 themes) to" in stdout
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    first = paragraphs.index(("Heading 1", "Partnership working"))
    assert paragraphs[0] == ("Title", "Theme report") and "Draft" not in dict(paragraphs).values()
    assert paragraphs[first:] == [
        ("Heading 1", "Partnership working"),
        ("Heading 2", "Co-location"),
        ("Quote", "We share it with the police…"),  # trimmed: it stops inside a sentence
        ("Quote attribution", "(Client interview 7)"),
        ("Heading 2", "Rotas"),
        ("Quote", "…[WORKER] runs the rota."),
        ("Quote attribution", "(Client interview 7)"),
    ]
    code, _, err = cli("summary", cli.project, "--out", str(tmp_path / "summary.csv"))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((tmp_path / "summary.csv").read_text(encoding="utf-8-sig"))))
    assert rows[1:] == [
        ["Partnership working", "2", "1", "2", "1"],
        ["Partnership working/Co-location", "1", "1", "1", "1"],
        ["Partnership working/Rotas", "1", "1", "1", "1"],
    ]


def test_report_options(cli: Cli, tmp_path: Path) -> None:
    assert cli("codes", cli.project, "add", "Waiting/Lists")[0] == 0
    out = tmp_path / "plain.docx"
    code, stdout, err = cli(
        "report", cli.project, "--out", str(out), "--no-title-page", "--whole-passages", "--all-themes"
    )
    assert code == 0, err
    assert "(2 quotes from 1 participant, under 2 themes) to" in stdout
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[0] == ("Heading 1", "Partnership working")
    assert ("Quote", "We share it with the police") in paragraphs
    assert ("Quote", "[WORKER] runs the rota") in paragraphs
    assert paragraphs[-2:] == [("Heading 1", "Waiting"), ("Heading 2", "Lists")]
    code, stdout, err = cli("report", cli.project, "--out", str(out), "--title", "Morag's clients")
    assert code == 0, err
    assert "under 2 themes; 2 themes with nothing in them are left out) to" in stdout
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    assert paragraphs[:2] == [("Title", "[WORKER]'s clients"), ("Subtitle", "Theme report")]
    assert "Waiting" not in dict(paragraphs).values()


def test_mistakes_end_in_one_line_and_no_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JSWCODER_PASSPHRASE")  # a wrong suffix is refused before any passphrase is needed
    code, _, err = cli("summary", cli.project, "--out", str(tmp_path / "summary.pdf"))
    assert code == 1
    assert (
        err
        == "jswcoder: the coding summary cannot be written as a .pdf file; choose a file ending in .csv or .xlsx\n"
    )
    code, _, err = cli("report", cli.project, "--out", str(tmp_path / "report.xlsx"))
    assert code == 1 and "choose a file ending in .docx" in err
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    (tmp_path / "bad.docx").write_text("not a Word document", encoding="utf-8")
    code, _, err = cli(
        "report", cli.project, "--out", str(tmp_path / "r.docx"), "--template", str(tmp_path / "bad.docx")
    )
    assert (
        code == 1
        and err.startswith("jswcoder: the template bad.docx cannot be used")
        and err.count("\n") == 1
    )
    code, _, err = cli("matrix", cli.project, "--out", str(tmp_path / "nowhere" / "m.xlsx"))
    assert code == 1 and "is not there" in err
    code, _, err = cli("matrix", cli.project, "--out", str(tmp_path / "m.xlsx"), "--level", "0")
    assert code == 1 and "level" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.docx", "in", "study"]
    with pytest.raises(SystemExit):
        build_parser().parse_args(["matrix", "P", "--out", "m.xlsx", "--level", "2", "--themes", "A"])


@pytest.mark.parametrize("command", ["matrix", "report", "summary"])
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([command, "--help"])
    assert done.value.code == 0
    printed = capsys.readouterr().out
    assert "--out" in printed
    if command == "report":
        for option in ("--all-themes", "--no-title-page", "--whole-passages", "--title"):
            assert option in printed
