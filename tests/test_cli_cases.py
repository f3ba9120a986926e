"""``jswcoder transcripts`` and ``jswcoder cases`` end to end: main() with the passphrase in the environment,
over a real encrypted project and real files."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from jswcoder.cli import main
from tests.conftest import CORPUS, PASSPHRASE
from tests.test_cli import Cli

A1 = "A1_jsw_group_discussion"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A project holding the corpus's first three interviews, with their .meta.json details."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not there")
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    runner = Cli(capsys, tmp_path)
    assert runner("init", runner.project, "--name", "Oban study", "--coder", "Ailsa")[0] == 0
    files = [str(CORPUS / f"{n}.docx") for n in (A1, "A2_senior_manager_depth", "A3_police_paired")]
    code, _out, err = runner("import", runner.project, *files)
    assert code == 0, err
    assert runner("codes", runner.project, "add", "Partnership working")[0] == 0
    for start in (0, 40):
        code, _out, err = runner(
            "code",
            runner.project,
            A1,
            "--start",
            str(start),
            "--end",
            str(start + 20),
            "--code",
            "Partnership working",
        )
        assert code == 0, err
    return runner


class _Terminal(io.StringIO):
    """What the user types at a terminal (stdin is a terminal, and this is their answer)."""

    def isatty(self) -> bool:
        return True


def test_transcripts_list_rename_and_delete(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    listed = cli.json("transcripts", cli.project, "list")
    assert isinstance(listed, list)
    assert [(t["name"], t["case"], t["codings"]) for t in listed] == [
        (A1, "Justice social workers interview 4", 2),
        ("A2_senior_manager_depth", "Senior managers / team leaders interview 9", 0),
        ("A3_police_paired", "Wider professional partner interview 12", 0),
    ]
    assert listed[0]["participant"]["council_area"] == "Argyll and Bute"
    code, out, _err = cli("transcripts", cli.project, "list")
    assert code == 0 and A1 in out and "Justice social workers interview 4" in out

    code, out, err = cli("transcripts", cli.project, "rename", A1, "JSW group, Oban")
    assert code == 0, err
    assert "renamed" in out
    code, _out, err = cli("transcripts", cli.project, "rename", "JSW group, Oban", "A3_police_paired")
    assert code == 1 and err.count("\n") == 1 and "already a transcript named" in err

    # No terminal and no --yes: refused, nothing deleted.
    code, _out, err = cli("transcripts", cli.project, "delete", "JSW group, Oban")
    assert code == 1 and "--yes" in err
    # At a terminal it asks first, saying what goes with it; anything but yes keeps it.
    monkeypatch.setattr(sys, "stdin", _Terminal("no\n"))
    code, out, err = cli("transcripts", cli.project, "delete", "JSW group, Oban")
    assert code == 1 and "2 codings and 0 memos" in out and "not deleted" in err
    assert len(cli.json("transcripts", cli.project, "list")) == 3  # type: ignore[arg-type]
    monkeypatch.setattr(sys, "stdin", _Terminal("yes\n"))
    code, out, err = cli("transcripts", cli.project, "delete", "JSW group, Oban")
    assert code == 0, err
    assert "deleted" in out
    names = [t["name"] for t in cli.json("transcripts", cli.project, "list")]  # type: ignore[union-attr]
    assert names == ["A2_senior_manager_depth", "A3_police_paired"]
    info = cli.json("info", cli.project)
    assert info["codings"] == 0 and info["participants"] == 2  # type: ignore[index]

    code, out, err = cli("transcripts", cli.project, "delete", "A3_police_paired", "--yes")
    assert code == 0, err
    code, _out, err = cli("transcripts", cli.project, "delete", "A3_police_paired", "--yes")
    assert code == 1 and "there is no transcript" in err


def test_cases_list_set_export_and_import(cli: Cli, tmp_path: Path) -> None:
    cases = cli.json("cases", cli.project, "list")
    assert isinstance(cases, list)
    assert [(c["label"], c["transcripts"]) for c in cases] == [
        ("Justice social workers interview 4", [A1]),
        ("Senior managers / team leaders interview 9", ["A2_senior_manager_depth"]),
        ("Wider professional partner interview 12", ["A3_police_paired"]),
    ]
    assert cases[0]["mode"] == "video" and cases[2]["attributes"] == {"role": "Police"}
    code, out, err = cli(
        "cases",
        cli.project,
        "set",
        "12",
        "--area",
        "Highland",
        "--attribute",
        "rank=Sergeant",
        "--mode",
        "telephone",
    )
    assert code == 0, err
    assert "Wider professional partner interview 12" in out
    third = cli.json("cases", cli.project, "list")[2]  # type: ignore[index]
    assert (third["council_area"], third["mode"], third["attributes"]["rank"]) == (
        "Highland",
        "telephone",
        "Sergeant",
    )
    code, _out, err = cli("cases", cli.project, "set", "12", "--interview", "4")
    assert code == 1 and err.strip() == f"jswcoder: interview 4 is already {A1}'s"
    code, _out, err = cli("cases", cli.project, "set", "12", "--attribute", "no equals sign")
    assert code == 1 and "NAME=VALUE" in err

    sheet = tmp_path / "cases.csv"
    code, out, err = cli("cases", cli.project, "export", str(sheet))
    assert code == 1 and "review them with: jswcoder indirect" in err and not sheet.exists()
    named = [f"--attribute={name}" for name in ("format", "mode", "council_area", "role", "rank")]
    listed = cli.json("indirect", cli.project, *named)
    for finding in listed["findings"]:  # type: ignore[index]
        assert cli("indirect", cli.project, *named, "dismiss", finding["id"])[0] == 0
    code, out, err = cli("cases", cli.project, "export", str(sheet))
    assert code == 0 and "3 cases" in out, err
    rows = list(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    rows[1][header.index("council_area")] = "Oban and Lorn"
    rows[2][header.index("rank")] = "=1+1"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    sheet.write_text(buffer.getvalue(), encoding="utf-8")
    code, out, err = cli("cases", cli.project, "import", str(sheet))
    assert code == 0, err
    assert "changed 2 cases; 1 unchanged" in out
    after = cli.json("cases", cli.project, "list")
    assert after[0]["council_area"] == "Oban and Lorn"  # type: ignore[index]
    assert after[1]["attributes"]["rank"] == "=1+1"  # type: ignore[index]

    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,interview_number\n" + f"{after[0]['uuid']},lots\n", encoding="utf-8")  # type: ignore[index]
    code, _out, err = cli("cases", cli.project, "import", str(bad))
    assert code == 1 and err.count("\n") == 1
    assert (
        "bad.csv, line 2: the interview number must be a whole number" in err
        and "nothing was imported" in err
    )
    assert cli.json("cases", cli.project, "list") == after


def test_help_for_every_new_command(cli: Cli) -> None:
    for words, expected in (
        (("transcripts", "--help"), "rename"),
        (("transcripts", "P", "delete", "--help"), "--yes"),
        (("cases", "--help"), "export"),
        (("cases", "P", "set", "--help"), "--attribute"),
        (("cases", "P", "import", "--help"), "nothing"),
    ):
        cli.capsys.readouterr()
        with pytest.raises(SystemExit) as done:
            main(["--no-keychain", *words])
        assert done.value.code == 0
        assert expected in cli.capsys.readouterr().out


def test_the_listings_carry_no_transcript_text(cli: Cli) -> None:
    listed = cli.json("transcripts", cli.project, "list")
    assert isinstance(listed, list)
    assert set(listed[0]) == {
        "uuid", "name", "source_name", "source_format", "length", "imported_at", "case", "participant",
        "codings", "coded", "kind", "survey",
    }  # fmt: skip
    assert (listed[0]["kind"], listed[0]["survey"]) == ("interview", None)
    code, out, _err = cli("transcripts", cli.project, "list")
    assert code == 0 and "Okay, I think" not in out
