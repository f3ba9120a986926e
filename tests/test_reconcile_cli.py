"""``jswcoder reconcile PROJECT TRANSCRIPT``: the disagreements listed and decided on the command line,
on a real encrypted project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jswcoder.cli import main
from tests.conftest import PASSPHRASE, make_project
from tests.test_reconcile import TEXT, code_two


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    project, _ = make_project(tmp_path / "study")
    try:
        code_two(project, tmp_path)
    finally:
        project.close()
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    return str(tmp_path / "study")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--no-keychain", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_decide_and_the_matrix_follows(capsys: pytest.CaptureFixture[str], folder: str) -> None:
    code, out, err = _run(capsys, "reconcile", folder, "int_1", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["coder_a"]["name"], data["coder_b"]["name"], data["decided"], data["total"]) == (
        "Ailsa",
        "Bryce",
        0,
        3,
    )
    first = data["disagreements"][0]
    assert (first["id"], first["theme"], first["start"], first["end"], first["decision"]) == (
        1,
        "Funding",
        0,
        25,
        None,
    )
    assert first["coder_a"] == [{"start": 0, "end": 20, "text": TEXT[0:20]}]
    assert first["coder_b"] == [{"start": 5, "end": 25, "text": TEXT[5:25]}]
    assert [d["coder_a"] for d in data["disagreements"][2:]] == [[]]  # B alone coded the third

    code, out, err = _run(capsys, "reconcile", folder, "int_1", "decide", "2", "keep", "neither")
    assert (code, out) == (0, "2: keep neither (Training). 1 of 3 decided.\n"), err
    code, out, err = _run(capsys, "reconcile", folder, "int_1")
    assert code == 0, err
    assert out.startswith("int_1: A = Ailsa, B = Bryce. 1 of 3 decided.\n")
    assert "2. Training, characters 45-60: keep neither\n   A: [45-60] " in out
    assert "3. Training, characters 62-70: not yet decided\n   A: (not coded)\n" in out

    _run(capsys, "reconcile", folder, "int_1", "decide", "1", "keep", "both")
    code, out, err = _run(capsys, "reconcile", folder, "int_1", "decide", "3", "keep", "B", "--json")
    assert code == 0, err
    assert [d["decision"] for d in json.loads(out)["disagreements"]] == ["both", "neither", "B"]


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (["decide", "1", "keep", "mine"], "keep one of: A, B, both, neither (not 'mine')\n"),
        (["decide", "one", "keep", "A"], "to decide, write: decide ID keep A|B|both|neither"),
        (["decide", "9", "keep", "A"], "there is no disagreement 9 on int_1; they are numbered 1 to 3\n"),
    ],
)
def test_refusals_in_one_line(
    capsys: pytest.CaptureFixture[str], folder: str, words: list[str], said: str
) -> None:
    code, out, err = _run(capsys, "reconcile", folder, "int_1", *words)
    assert code != 0 and out == ""
    assert said in err and err.count("\n") == 1
    code, out, _err = _run(capsys, "reconcile", folder, "int_1", "--json")
    assert json.loads(out)["decided"] == 0  # nothing half-written


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["reconcile", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert "'decide ID keep A|B|both|neither' to keep A's version, B's, both or neither" in said
