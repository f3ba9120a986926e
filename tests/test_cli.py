"""The headless command line: every subcommand, its JSON shapes, and its errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jswcoder import __version__
from jswcoder.cli import build_parser, main
from tests.conftest import PASSPHRASE, write_txt

TEXT = "Interviewer: Tell me about the office.\nP1: We share it with the police now, since March.\n"


class Cli:
    """Runs ``jswcoder`` in this process with the passphrase in the environment and no keychain."""

    def __init__(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        self.capsys = capsys
        self.project = str(folder / "study")

    def __call__(self, *args: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = main(["--no-keychain", *args])
        out, err = self.capsys.readouterr()
        return code, out, err

    def json(self, *args: str) -> object:
        code, out, err = self(*args, "--json")
        assert code == 0, err
        return json.loads(out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    runner = Cli(capsys, tmp_path)
    code, _out, err = runner("init", runner.project, "--name", "Oban study", "--coder", "Ailsa")
    assert code == 0, err
    return runner


def test_init_shows_the_recovery_key_once(cli: Cli) -> None:
    info = cli.json("info", cli.project)
    assert info == {
        "name": "Oban study",
        "uuid": info["uuid"],  # type: ignore[index]
        "coder": "Ailsa",
        "transcripts": 0,
        "participants": 0,
        "codes": 0,
        "codings": 0,
        "memos": 0,
    }
    code, _, err = cli("init", cli.project, "--name", "Again", "--coder", "Ailsa")
    assert code == 1 and "already exists and is not empty" in err


def test_init_output_has_a_recovery_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", PASSPHRASE)
    assert main(["--no-keychain", "init", str(tmp_path / "p"), "--name", "N", "--coder", "C"]) == 0
    out = capsys.readouterr().out
    key_line = out.splitlines()[out.splitlines().index("Recovery key (shown only this once):") + 1].strip()
    assert len(key_line) == 39 and key_line.count("-") == 7
    monkeypatch.delenv("JSWCODER_PASSPHRASE")
    monkeypatch.setenv("JSWCODER_RECOVERY_KEY", key_line)
    monkeypatch.setenv("JSWCODER_NEW_PASSPHRASE", "new passphrase here")
    assert main(["--no-keychain", "passwd", str(tmp_path / "p"), "--recovery"]) == 0
    monkeypatch.setenv("JSWCODER_PASSPHRASE", "new passphrase here")
    assert main(["--no-keychain", "info", str(tmp_path / "p")]) == 0


def test_import_code_and_list(cli: Cli, tmp_path: Path) -> None:
    source = write_txt(tmp_path / "inbox", "office.txt", TEXT)
    report = cli.json(
        "import",
        cli.project,
        str(source),
        "--group",
        "Justice social workers",
        "--interview",
        "2",
        "--format",
        "depth",
        "--mode",
        "video",
        "--area",
        "Argyll and Bute",
    )
    assert report["rejected"] == [] and [t["name"] for t in report["imported"]] == ["office"]  # type: ignore[index]
    code, out, _ = cli("text", cli.project, "office")
    assert code == 0 and out == TEXT
    assert (
        cli(
            "codes",
            cli.project,
            "add",
            "Partnership working/Co-location",
            "--colour",
            "#0072b2",
            "--description",
            "Sharing offices",
        )[0]
        == 0
    )
    codes = cli.json("codes", cli.project, "list")
    assert [(c["name"], c["path"]) for c in codes] == [  # type: ignore[union-attr, index]
        ("Partnership working", "Partnership working"),
        (["Partnership working", "Co-location"][1], "Partnership working/Co-location"),
    ]
    assert all(set(c) >= {"uuid", "name", "path"} for c in codes)  # type: ignore[union-attr]
    start = TEXT.index("We share it")
    end = start + len("We share it with the police")
    code, out, _ = cli(
        "code",
        cli.project,
        "office",
        "--start",
        str(start),
        "--end",
        str(end),
        "--code",
        "Partnership working/Co-location",
    )
    assert code == 0 and out.startswith("coded office")
    codings = cli.json("codings", cli.project)
    assert codings == [
        {
            "uuid": codings[0]["uuid"],  # type: ignore[index]
            "transcript": "office",
            "start": start,
            "end": end,
            "code": "Partnership working/Co-location",
            "coder": "Ailsa",
            "created_at": codings[0]["created_at"],  # type: ignore[index]
            "text": "We share it with the police",
        }
    ]
    assert cli.json("info", cli.project)["codings"] == 1  # type: ignore[index]
    code, out, _ = cli("info", cli.project)
    assert f"office  (Justice social workers interview 2; {len(TEXT)} characters)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("text", "{project}", "nope"), "there is no transcript 'nope'"),
        (
            ("code", "{project}", "office", "--start", "5", "--end", "2", "--code", "A"),
            "0 <= start < end <= 89",
        ),
        (
            ("code", "{project}", "office", "--start", "0", "--end", "2", "--code", "Missing"),
            "there is no code 'Missing'",
        ),
        (("codes", "{project}", "add", "A//B"), "is not a code path"),
        (("codes", "{project}", "add", "A", "--colour", "blue"), "is not a colour"),
        (("info", "{missing}"), "there is no jswcoder project at"),
        (("import", "{project}", "{inbox}/absent.txt"), "absent.txt"),
    ],
)
def test_user_mistakes_give_one_clear_line(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    cli("import", cli.project, str(write_txt(tmp_path / "inbox", "office.txt", TEXT)))
    cli("codes", cli.project, "add", "A")
    filled = [
        a.format(project=cli.project, missing=tmp_path / "missing", inbox=tmp_path / "inbox") for a in args
    ]
    code, _out, err = cli(*filled)
    assert code == 1
    assert message in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_wrong_passphrase_from_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JSWCODER_PASSPHRASE", "wrong wrong wrong")
    code, _, err = cli("info", cli.project)
    assert (code, err) == (1, "jswcoder: wrong passphrase: the project was not opened\n")


def test_no_terminal_and_no_passphrase_says_how(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JSWCODER_PASSPHRASE")
    monkeypatch.setattr(sys, "stdin", None)
    code, _, err = cli("info", cli.project)
    assert code == 1 and "set JSWCODER_PASSPHRASE" in err


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_imported(cli: Cli, tmp_path: Path) -> None:
    good = write_txt(tmp_path / "inbox", "good.txt", TEXT)
    empty = write_txt(tmp_path / "inbox", "empty.txt", "")
    code, out, err = cli("import", cli.project, str(good), str(empty))
    assert code == 1
    assert "imported good.txt as 'good'" in out
    assert "not imported: empty.txt:" in err
    assert cli.json("info", cli.project)["transcripts"] == 1  # type: ignore[index]


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    commands = [a for a in parser._subparsers._group_actions[0].choices]  # type: ignore[union-attr]
    assert set(commands) == {
        "init",
        "import",
        "info",
        "text",
        "codes",
        "code",
        "codings",
        "passwd",
        "demo",
        "open",
        "register",
        "preview",
        "team",
        "export",
        "sync",
        "merge",
        "agreement",
        "assign",
        "matrix",
        "report",
        "summary",
        "qdpx",
        "qdc",
        "transcripts",
        "cases",
        "indirect",
        "deposit",
        "deposit-log",
        "withdraw",
        "withdrawals",
        "retention-ended",
        "audit",
        "query",
        "crosstab",
        "cooccurrence",
        "chart",
        "speakers",
        "reconcile",
        "survey",
        "recording",
        "transcribe",
        "audio",
        "index",
        "similar",
        "suggest",
    }
    nested = [["codes", "p", a] for a in ("add", "list", "merge")]
    nested += [["transcripts", "p", a] for a in ("list", "rename", "delete")]
    nested += [["cases", "p", a] for a in ("list", "set", "import", "export")]
    nested += [["register", "p", a] for a in ("add", "list", "import", "export", "suggest", "dismiss")]
    nested += [["team", a] for a in ("create", "join")]
    nested += [["qdpx", a] for a in ("export",)] + [["qdc", a] for a in ("export",)]
    nested += [["survey", a] for a in ("mapping", "import", "list", "answers", "attribution")]
    nested += [["recording", a] for a in ("import", "list", "delete", "link")]
    for command in [*[[c] for c in commands], *nested]:
        with pytest.raises(SystemExit) as exited:
            main([*command, "--help"])
        assert exited.value.code == 0
        assert "usage: jswcoder" in capsys.readouterr().out


def test_installed_entry_point_runs(tmp_path: Path) -> None:
    executable = shutil.which("jswcoder", path=str(Path(sys.executable).parent))
    assert executable is not None, "the jswcoder script is not installed next to this Python"
    env = {**os.environ, "JSWCODER_PASSPHRASE": PASSPHRASE}
    version = subprocess.run([executable, "--version"], capture_output=True, text=True, env=env, check=True)
    assert version.stdout.strip() == f"jswcoder {__version__}"
    made = subprocess.run(
        [executable, "init", str(tmp_path / "p"), "--name", "N", "--coder", "C"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    assert "No OS keychain is available" in made.stderr  # the null keyring stands in for a headless machine
    info = subprocess.run(
        [executable, "info", str(tmp_path / "p"), "--json"], capture_output=True, text=True, env=env
    )
    assert json.loads(info.stdout)["transcripts"] == 0
    wrong = subprocess.run(
        [executable, "info", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        env={**env, "JSWCODER_PASSPHRASE": "nope nope nope"},
    )
    assert (
        wrong.returncode == 1 and wrong.stderr == "jswcoder: wrong passphrase: the project was not opened\n"
    )
