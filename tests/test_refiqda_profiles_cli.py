"""``jswcoder qdpx export PROJECT OUT --for TOOL`` through the command line's entry point: each profile's file,
read back as its tool would (tests/refiqda_targets.py), its warnings on stderr, its audit event naming the
tool; an unknown tool refused before any passphrase is asked for."""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jswcoder import demo
from jswcoder.project import Project
from tests import refiqda_targets as targets
from tests.conftest import FAST_KDF
from tests.indirect_decided import decide_all
from tests.test_cli import Cli

TOOLS = {
    "standard": None,
    "nvivo": "NVivo",
    "atlasti": "ATLAS.ti",
    "maxqda": "MAXQDA",
    "qualcoder": "QualCoder",
}  # --for, and the tool's name as the user reads it
# what each tool's warning must speak of, given the demo with its focus group's speakers made cases
WARNED = {
    "standard": set(),
    "nvivo": set(),
    "atlasti": {"renamed", "participants", "speakers"},
    "maxqda": {"participants", "speakers"},
    "qualcoder": {"renamed", "speakers"},
}


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The demo (its codebook repeats two names) with its focus group's speakers made cases, closed."""
    monkeypatch.setenv("JSWCODER_PASSPHRASE", demo.PASSPHRASE)
    runner = Cli(capsys, tmp_path)
    with demo.open_or_create(Path(runner.project), fresh=True, kdf=FAST_KDF) as project:
        group = next(t for t in project.transcripts.all() if t.name == "demo_01_jsw_workers_group")
        project.speakers.make_cases(group.uuid)
        decide_all(project)
    return runner


def coded(folder: str) -> list[targets.Coded]:
    with Project.open(folder, passphrase=demo.PASSPHRASE, use_keychain=False) as project:
        return sorted(
            targets.Coded(t.uuid, c.code_uuid, project.transcripts.text_of(t.uuid)[c.start : c.end])
            for t in project.transcripts.all()
            for c in project.codings.of_transcript(t.uuid)
        )


@pytest.mark.parametrize("tool", list(TOOLS))
def test_each_profile_from_the_command_line(cli: Cli, tmp_path: Path, tool: str) -> None:
    out = tmp_path / f"{tool}.qdpx"
    code, said, err = cli("qdpx", "export", cli.project, str(out), "--for", tool, "--originals")
    assert code == 0, err
    name = TOOLS[tool]
    made = f"wrote the REFI-QDA project{f' for {name}' if name else ''} to {out}"
    assert said.startswith(made) and "(originals, not anonymised)" in said
    lines = err.splitlines()
    assert lines[0].startswith("jswcoder: warning: exporting the original transcripts, NOT anonymised")
    warnings = [line for line in lines[1:] if line.startswith("jswcoder: warning: ")]
    assert len(warnings) == len(lines) - 1  # nothing else on stderr
    for topic in ("renamed", "participants", "speakers"):
        assert any(topic in w for w in warnings) == (topic in WARNED[tool]), (topic, warnings)
    assert all(name in w for w in warnings if name)
    read = targets.read(out, tool)
    assert sorted(
        targets.Coded(c.source, c.theme, c.text.replace("\r\n", "\n")) for c in read.codings
    ) == coded(cli.project)
    events = cli.json("audit", cli.project, "--action", "export")
    assert isinstance(events, list) and len(events) == 1
    event = events[0]
    expected = {"what": "REFI-QDA project", "file": out.name, "anonymised": False}
    assert event["details"] == ({**expected, "for": name} if name else expected)
    if name:
        code, listed, _ = cli("audit", cli.project)
        assert code == 0 and f"for: {name}" in listed.splitlines()[0]


def test_the_default_is_the_standard_and_anonymised(cli: Cli, tmp_path: Path) -> None:
    code, said, err = cli("qdpx", "export", cli.project, str(tmp_path / "out.qdpx"))
    assert code == 0 and err == "", err
    assert said == f"wrote the REFI-QDA project to {tmp_path / 'out.qdpx'} (anonymised with the register)\n"
    default = targets.read(tmp_path / "out.qdpx", "standard")
    code, _, err = cli("qdpx", "export", cli.project, str(tmp_path / "standard.qdpx"), "--for", "standard")
    assert code == 0 and err == ""
    assert sorted(targets.read(tmp_path / "standard.qdpx", "standard").codings) == sorted(default.codings)
    assert not [t for t in default.texts.values() if "Aileen" in t or "Morag" in t]  # two of the register's
    assert any("[JSW WORKER]" in t for t in default.texts.values())


def test_an_unknown_tool_is_refused_before_the_passphrase(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JSWCODER_PASSPHRASE")

    def asked(prompt: str = "") -> str:
        raise AssertionError(f"asked for a passphrase: {prompt}")

    monkeypatch.setattr(getpass, "getpass", asked)
    with pytest.raises(SystemExit) as refused:
        cli("qdpx", "export", cli.project, str(tmp_path / "out.qdpx"), "--for", "excel")
    assert refused.value.code == 2
    err = cli.capsys.readouterr().err
    assert "invalid choice: 'excel'" in err
    assert all(f"'{tool}'" in err for tool in TOOLS)  # the choices, listed
    assert not (tmp_path / "out.qdpx").exists()


def test_the_installed_command_refuses_an_unknown_tool_without_asking(cli: Cli, tmp_path: Path) -> None:
    executable = shutil.which("jswcoder", path=str(Path(sys.executable).parent))
    assert executable is not None
    env = {k: v for k, v in os.environ.items() if k != "JSWCODER_PASSPHRASE"}
    run = subprocess.run(
        [
            executable,
            "--no-keychain",
            "qdpx",
            "export",
            cli.project,
            str(tmp_path / "o.qdpx"),
            "--for",
            "nvivo12",
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert run.returncode == 2 and "invalid choice: 'nvivo12'" in run.stderr
    assert "assphrase" not in run.stderr + run.stdout
    ok = subprocess.run(
        [
            executable,
            "--no-keychain",
            "qdpx",
            "export",
            cli.project,
            str(tmp_path / "q.qdpx"),
            "--for",
            "qualcoder",
        ],
        capture_output=True,
        text=True,
        env={**env, "JSWCODER_PASSPHRASE": demo.PASSPHRASE},
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert ok.returncode == 0, ok.stderr
    assert "for QualCoder" in ok.stdout and "jswcoder: warning: QualCoder will not keep" in ok.stderr
    assert not [c for c in targets.read(tmp_path / "q.qdpx", "qualcoder").codings if c.theme is None]
