"""``jswcoder agreement PROJECT --study``: the study-wide report on the command line, on a real project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jswcoder.cli import main
from tests.conftest import PASSPHRASE, make_project
from tests.test_agreement_study import INTERVIEW, code_three


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    project, _ = make_project(tmp_path / "study")
    try:
        code_three(project, tmp_path)
    finally:
        project.close()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    return str(tmp_path / "study")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--no-keychain", "agreement", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_study_as_json_by_sentence(capsys: pytest.CaptureFixture[str], folder: str) -> None:
    """By sentence: int_1 has no sentence end but its last character, so one sentence, which both coded;
    int_2 has four sentences: Ailsa {2}, Bryce {2, 3}, Cara {2, 3, 4}. Ailsa and Bryce over 5 units:
    both 2, only Bryce 1, neither 2. Ailsa and Cara over int_2 only: both 1, only Cara 2, neither 1."""
    code, out, err = _run(capsys, folder, "--study", "--unit", "sentence", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["unit"], data["skip_uncoded"], data["transcripts"], data["units"]) == (
        "sentence",
        False,
        2,
        5,
    )
    assert [c["name"] for c in data["coders"]] == ["Ailsa", "Bryce", "Cara"]
    pairs = {(p["coder_a"]["name"], p["coder_b"]["name"]): p for p in data["pairs"]}
    assert list(pairs) == [("Ailsa", "Bryce"), ("Ailsa", "Cara"), ("Bryce", "Cara")]
    ailsa_bryce = pairs["Ailsa", "Bryce"]
    assert (ailsa_bryce["transcripts"], ailsa_bryce["units"]) == (2, 5)
    funding = ailsa_bryce["themes"][0]
    assert (funding["both"], funding["only_a"], funding["only_b"], funding["neither"]) == (2, 0, 1, 2)
    assert funding["percent_agreement"] == pytest.approx(80.0)
    cara = pairs["Ailsa", "Cara"]["themes"][0]
    assert (cara["both"], cara["only_a"], cara["only_b"], cara["neither"]) == (1, 0, 2, 1)
    # int_1 two coders, int_2 three: Fleiss' kappa is n/a, alpha is not.
    [theme] = data["themes"]
    assert theme["fleiss_kappa"] is None and "different numbers of coders" in theme["undefined"]
    assert theme["alpha"] is not None and data["pooled"]["theme"] == "All themes (pooled)"


def test_the_study_as_text_and_leaving_out_the_uncoded(
    capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    code, out, err = _run(capsys, folder, "--study")
    assert code == 0, err
    assert out.startswith("Coder agreement across the study\nUnit: one character (")
    assert "A: Ailsa and B: Bryce (2 transcripts coded by both): Cohen's kappa" in out
    assert "A: Bryce and B: Cara (1 transcript coded by both)" in out
    units = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("Funding")}
    assert units  # each table has a Funding row
    everything = int(out.split("(")[1].split()[0].replace(",", ""))
    assert everything == 50 + len(INTERVIEW)

    code, out, err = _run(capsys, folder, "--study", "--skip-uncoded", "--unit", "turn")
    assert code == 0, err
    # Only P1's turn of int_2 and int_1's one paragraph standing in for a turn were coded by anyone.
    assert "Unit: one turn (2 units in 2 transcripts" in out
    assert "leaving out those no coder coded with any theme" in out


def test_wrong_combinations_are_one_line(capsys: pytest.CaptureFixture[str], folder: str) -> None:
    assert _run(capsys, folder)[1:] == (
        "",
        "jswcoder: name a transcript, or give --study for every transcript coded by two or more coders\n",
    )
    code, _, err = _run(capsys, folder, "int_1", "--study")
    assert code == 1 and err == "jswcoder: name a transcript or give --study, not both\n"
    code, _, err = _run(capsys, folder, "int_1", "--unit", "sentence")
    assert code == 1 and "go with --study" in err
    code, _, err = _run(capsys, folder, "--study", "--coders", "Ailsa", "Bryce")
    assert code == 1 and "--study compares every pair" in err
    # The one-transcript report is as before.
    code, out, err = _run(capsys, folder, "int_1")
    assert code == 0 and out.startswith("Coder agreement on int_1\n"), err


def test_help_says_when_a_unit_is_coded(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["agreement", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "--study" in shown and "--skip-uncoded" in shown
    assert (
        "counts as coded with a theme by a coder when any of that coder's codings of the theme shares a character"
        in shown
    )
