"""``jswcoder crosstab`` and ``cooccurrence`` from the command line: the table, JSON, real workbooks
(anonymised with the register, like any export from a fieldworker's project), and plain refusals."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from tests.test_cli import Cli
from tests.test_reports_cli import TEXT, cli  # noqa: F401  (the fixture: one coded, reviewed project)


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    book = openpyxl.load_workbook(path)
    return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}


def code_morags_rota(runner: Cli) -> None:
    """A theme named with a register entry ("Morag"), coded on the client's words about the rota."""
    assert runner("codes", runner.project, "add", "Morag's rota")[0] == 0
    start = TEXT.index("runs the rota")
    code, _out, err = runner(
        "code",
        runner.project,
        "client_7",
        "--start",
        str(start),
        "--end",
        str(start + 13),
        "--code",
        "Morag's rota",
    )
    assert code == 0, err


def test_crosstab_printed_as_json_and_to_excel(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    code_morags_rota(cli)

    code, out, err = cli("crosstab", cli.project, "--by", "mode")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["Theme", "video", "(n=1)", "Total"]
    assert lines[1].split() == ["Partnership", "working", "2", "(1,", "100%)", "2"]
    assert lines[2].split() == ["Morag's", "rota", "1", "(1,", "100%)", "1"]  # the owner's own screen

    data = json.loads(cli("crosstab", cli.project, "--by", "mode", "--json")[1])
    assert [t["theme"] for t in data["themes"]] == ["Partnership working", "Morag's rota"]
    assert data["themes"][0]["cells"] == [
        {
            "value": "video",
            "passages": 2,
            "cases": 1,
            "row_percent": 100.0,
            "column_percent": 200 / 3,
            "cases_percent": 100.0,
        }
    ]

    out_file = tmp_path / "crosstab.xlsx"
    code, out, err = cli("crosstab", cli.project, "--by", "mode", "--out", str(out_file))
    assert code == 0, err
    assert f"wrote the crosstab (2 themes × 1 values) to {out_file} (anonymised with the register)" in out
    sheets = _sheets(out_file)
    assert list(sheets) == ["Passages", "Cases", "Row %", "Column %", "Cases %"]
    assert sheets["Passages"] == [
        ["Theme (counts include sub-themes)", "video", "Total"],
        ["Partnership working", 2, 2],
        ["[WORKER]'s rota", 1, 1],
        ["Total", 3, 3],
    ]
    assert sheets["Cases"][0] == ["Theme (counts include sub-themes)", "video (n = 1)"]
    assert sheets["Column %"][1] == ["Partnership working", 66.7]
    assert not any("Morag" in str(cell) for rows in sheets.values() for row in rows for cell in row)


def test_cooccurrence_printed_as_json_and_to_excel(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    code, out, err = cli("cooccurrence", cli.project, "--level", "2")
    assert code == 0, err
    assert out.splitlines()[1].split() == ["1.", "Partnership", "working/Co-location", "1", "0"]
    data = json.loads(cli("cooccurrence", cli.project, "--level", "2", "--unit", "turn", "--json")[1])
    assert data["themes"] == ["Partnership working/Co-location", "Partnership working/Rotas"]
    assert data["counts"] == [[1, 1], [1, 1]]  # both in P1's one turn
    assert data["jaccard"] == [[1.0, 1.0], [1.0, 1.0]]
    code, out, err = cli("cooccurrence", cli.project, "--level", "2", "--jaccard")
    assert code == 0 and out.splitlines()[1].split()[-2:] == ["1.00", "0.00"]

    out_file = tmp_path / "cooccurrence.xlsx"
    code, out, err = cli("cooccurrence", cli.project, "--level", "2", "--out", str(out_file))
    assert code == 0, err
    sheets = _sheets(out_file)
    assert list(sheets) == ["Passages coded with both", "Jaccard"]
    assert sheets["Passages coded with both"][1] == ["Partnership working/Co-location", 1, 0]


def test_plain_refusals(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    code, _out, err = cli("crosstab", cli.project, "--by", "shoe_size")
    assert code != 0 and err.count("\n") == 1 and "no case has the attribute 'shoe_size'" in err
    code, _out, err = cli("crosstab", cli.project, "--by", "mode", "--out", str(tmp_path / "x.docx"))
    assert code != 0 and "ending in .xlsx" in err and not (tmp_path / "x.docx").exists()
    code, _out, err = cli("cooccurrence", cli.project, "--themes", "Nowhere")
    assert code != 0 and "no theme with the path 'Nowhere'" in err
