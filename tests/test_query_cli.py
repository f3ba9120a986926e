"""``jswcoder query``: passages as text and JSON, refusals in one line, saved queries, and files written
through the reports' way out (anonymised)."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from jswcoder.project import Project
from tests.conftest import PASSPHRASE
from tests.test_cli import Cli
from tests.test_reports_cli import TEXT, cli  # noqa: F401  (the fixture: Client interview 7, coded twice)

BOTH = '"Partnership working"/* AND participant_group = "Client"'


def test_passages_as_json_like_codings(cli: Cli) -> None:  # noqa: F811
    codings = cli.json("codings", cli.project)
    found = cli.json("query", cli.project, BOTH)
    assert found == [
        {
            "transcript": c["transcript"],  # type: ignore[index]
            "start": c["start"],  # type: ignore[index]
            "end": c["end"],  # type: ignore[index]
            "text": c["text"],  # type: ignore[index]
            "coder": "Ailsa",
            "attribution": "Client interview 7",
        }
        for c in codings  # type: ignore[attr-defined]
    ]
    assert cli.json("query", cli.project, '"Partnership working/Co-location" AND group = Fife') == []
    code, out, err = cli("query", cli.project, '"Partnership working/Rotas"')
    assert code == 0, err
    assert out.endswith("Morag runs the rota\n1 passage\n")


def test_a_malformed_query_gets_one_line(cli: Cli) -> None:  # noqa: F811
    code, out, err = cli("query", cli.project, '"Partnership working" AND')
    assert (code, out) == (1, "")
    assert err.strip().splitlines() == [
        "jswcoder: at character 26 (the end): expected a theme path in double quotes, or a detail such as "
        "participant_group"
    ]
    code, _out, err = cli("query", cli.project, '"Funding"')
    assert code == 1 and "no theme has the path 'Funding'" in err
    code, _out, err = cli("query", cli.project)
    assert code == 1 and "give one of: a query, --saved NAME, --list or --delete NAME" in err


def test_saved_queries_from_the_command_line(cli: Cli) -> None:  # noqa: F811
    code, out, err = cli("query", cli.project, "\"Partnership working\"/* and group = 'x'")
    assert code == 1 and 'at character 37: "\'" has no meaning in a query' in err
    code, out, err = cli(
        "query", cli.project, '"Partnership working"/* and group=Client', "--save", "Clients"
    )
    assert code == 0, err
    assert 'saved as \'Clients\': "Partnership working"/* AND group = "Client"' in out
    assert cli.json("query", cli.project, "--saved", "clients") == cli.json("query", cli.project, BOTH)
    listed = cli.json("query", cli.project, "--list")
    assert [(q["name"], q["expression"]) for q in listed] == [  # type: ignore[index, union-attr]
        ("Clients", '"Partnership working"/* AND group = "Client"')
    ]
    assert cli("query", cli.project, "--delete", "CLIENTS")[0] == 0
    code, out, err = cli("query", cli.project, "--list")
    assert out == "no saved queries\n"
    code, out, err = cli("query", cli.project, "--saved", "Clients")
    assert code == 1 and "no query is saved as 'Clients'" in err


def test_results_written_anonymised_to_word_and_excel(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "found.docx"
    code, stdout, err = cli("query", cli.project, BOTH, "--out", str(out))
    assert code == 0, err
    assert f"wrote 2 passages to {out} (anonymised with the register)" in stdout
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    assert paragraphs == [
        ("Heading 1", "Coding query"),
        ("Normal", BOTH),
        ("Normal", "2 passages."),
        ("Quote", "We share it with the police"),  # widened to whole words
        ("Quote attribution", "(Client interview 7)"),
        ("Quote", "[WORKER] runs the rota"),
        ("Quote attribution", "(Client interview 7)"),
    ]
    sheet = tmp_path / "found.xlsx"
    assert cli("query", cli.project, BOTH, "--out", str(sheet))[0] == 0
    book = openpyxl.load_workbook(sheet)
    rows = [[c.value for c in row] for row in book["Passages"].iter_rows()]
    assert rows == [
        ["Case", "Passage", "Attribution"],
        ["Client interview 7", "We share it with the police", "(Client interview 7)"],
        ["Client interview 7", "[WORKER] runs the rota", "(Client interview 7)"],
    ]
    with Project.open(cli.project, passphrase=PASSPHRASE, use_keychain=False) as project:
        noted = [e.details for e in project.audit.events(action="export", newest_first=False)]
    assert noted[-2:] == [
        {"what": "coding query results", "file": name, "anonymised": True, "holds": "2 passages"}
        for name in ("found.docx", "found.xlsx")
    ]
    code, _out, err = cli("query", str(tmp_path / "no such project"), BOTH, "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "a query's results cannot be written as a .pdf file" in err
    assert not list(tmp_path.glob("x.*"))


def test_a_passage_that_narrows_who_speaks_holds_the_file_back(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    """Part of a coded passage, holding a descriptor: a quote of its own, not yet reviewed."""
    start = TEXT.index("Morag runs")
    code, _out, err = cli(
        "code", cli.project, "client_7", "--start", str(start), "--end", str(start + 10), "--code",
        "Partnership working/Co-location",
    )  # fmt: skip
    assert code == 0, err
    both = '"Partnership working/Rotas" AND "Partnership working/Co-location"'
    assert [p["text"] for p in cli.json("query", cli.project, both)] == ["Morag runs"]  # type: ignore[index, union-attr]
    out = tmp_path / "narrow.docx"
    code, _out, err = cli("query", cli.project, both, "--out", str(out))
    assert code == 1 and "not exported: 1 quote fits fewer than 3 participants" in err and "Morag" not in err
    assert not out.exists()
