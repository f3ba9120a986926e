"""``jswcoder speakers`` end to end: main() over a real encrypted project, a real focus-group file imported
with the command line, its speakers listed, made cases, given attributes with ``cases set``, and shown as
rows of ``matrix --speakers`` (a real .xlsx) and cases of ``crosstab --speakers``."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.conftest import write_txt
from tests.indirect_decided import decide_all
from tests.speaker_group import CODED, GROUP, at
from tests.test_cli import Cli, cli  # noqa: F401  (the fixture)


@pytest.fixture
def group(cli: Cli, tmp_path: Path) -> Cli:  # noqa: F811
    source = write_txt(tmp_path / "in", "fg_office_move.txt", GROUP)
    code, _out, err = cli(
        "import",
        cli.project,
        str(source),
        "--group",
        "Justice social workers",
        "--interview",
        "3",
        "--format",
        "group",
    )
    assert code == 0, err
    for theme in ("Office", "Training"):
        assert cli("codes", cli.project, "add", theme)[0] == 0
    for phrase, theme in CODED:
        start, end = at(phrase)
        assert (
            cli(
                "code",
                cli.project,
                "fg_office_move",
                "--start",
                str(start),
                "--end",
                str(end),
                "--code",
                theme,
            )[0]
            == 0
        )
    return cli


def test_speakers_listed_made_cases_and_given_attributes(group: Cli) -> None:
    listed = group.json("speakers", group.project, "fg_office_move")
    assert [(s["speaker"], s["turns"], s["interviewer"], s["case"]) for s in listed] == [  # type: ignore[index, union-attr]
        ("Facilitator", 2, True, None),
        ("P1", 2, False, None),
        ("P2", 2, False, None),
        ("P3", 1, False, None),
    ]

    code, out, err = group("speakers", group.project, "fg_office_move", "make-cases")
    assert (code, out, err) == (0, "made 3 speaker cases of fg_office_move\n", "")
    code, out, _err = group("speakers", group.project, "fg_office_move")
    assert out.splitlines() == [
        "Facilitator  2 turns  — interviewer",
        "P1  2 turns  — Focus group 3, participant 1",
        "P2  2 turns  — Focus group 3, participant 2",
        "P3  1 turn  — Focus group 3, participant 3",
    ]

    code, out, err = group(
        "cases",
        group.project,
        "set",
        "Focus group 3, participant 2",
        "--attribute",
        "role=Team leader",
        "--mode",
        "video",
    )
    assert code == 0, err
    assert out == "Focus group 3, participant 2: mode set, role set\n"
    cases = group.json("cases", group.project, "list")
    second = next(c for c in cases if c["label"] == "Focus group 3, participant 2")  # type: ignore[union-attr, index]
    assert second["speaker"] == {"label": "P2", "number": 2}  # type: ignore[index]
    assert next(c for c in cases if c["speaker"] is None)["label"] == "Justice social workers interview 3"  # type: ignore[union-attr, index]
    code, out, _err = group("cases", group.project, "list")
    assert (
        "Focus group 3, participant 2  (group, video, role: Team leader)  — fg_office_move, speaker P2" in out
    )
    assert (second["attributes"], second["mode"], second["transcripts"]) == (  # type: ignore[index]
        {"role": "Team leader"}, "video", ["fg_office_move"],
    )  # fmt: skip


def test_matrix_and_crosstab_by_speaker(group: Cli, tmp_path: Path) -> None:
    assert group("speakers", group.project, "fg_office_move", "make-cases")[0] == 0
    second = "Focus group 3, participant 2"
    assert group("cases", group.project, "set", second, "--group", "Paraprofessionals")[0] == 0
    code, out, err = group("speakers", group.project, "--attribution", "FG{number} P{speaker}")
    assert code == 0, err

    crosstab = group.json("crosstab", group.project, "--by", "participant_group", "--speakers")
    values = [(v["value"], v["cases"]) for v in crosstab["values"]]  # type: ignore[index]
    assert values == [("Justice social workers", 3), ("Paraprofessionals", 1)]  # the group, P1, P3; P2
    whole = group.json("crosstab", group.project, "--by", "participant_group")
    assert [(v["value"], v["cases"]) for v in whole["values"]] == [("Justice social workers", 1)]  # type: ignore[index]

    from jswcoder.project import Project
    from tests.conftest import PASSPHRASE

    with Project.open(group.project, passphrase=PASSPHRASE, use_keychain=False) as project:
        decide_all(project)
    out_file = tmp_path / "matrix.xlsx"
    code, out, err = group("matrix", group.project, "--out", str(out_file), "--speakers")
    assert code == 0, err
    assert "4 cases × 2 themes" in out
    cells = [
        str(c.value)
        for row in openpyxl.load_workbook(out_file).worksheets[0].iter_rows()
        for c in row
        if c.value
    ]
    assert any("FG3 P2" in cell for cell in cells)
    assert not any("P2:" in cell and "FG3" in cell for cell in cells)


def test_refusals_in_one_line(group: Cli) -> None:
    code, _out, err = group("speakers", group.project)
    assert code == 1 and "name a transcript" in err and len(err.strip().splitlines()) == 1
    code, _out, err = group("speakers", group.project, "--attribution", "Group {name}")
    assert code == 1 and "not {name}" in err and len(err.strip().splitlines()) == 1
