"""The log and the crash reports keep where things happened and drop what the study holds."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from jswcoder import crash, logs
from jswcoder.cli import main

CANARY = "Zebedee Quistclose lives at 4 Auchtermuchty Road"


def _read_all(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    path = logs.configure(folder=tmp_path)
    assert path is not None
    yield path
    logs.configure(to_file=False)


def _raise_with_canary() -> None:
    try:
        {"name": CANARY}["missing"]
    except KeyError as inner:
        raise ValueError(f"could not code {CANARY!r}") from inner


def test_the_log_keeps_safe_values_and_drops_text(log_file: Path) -> None:
    log = logging.getLogger("jswcoder.test")
    log.info("imported %d transcripts with %s", 3, logs.Safe("the docx reader"))
    log.warning("could not read %s", CANARY)
    log.warning("a mapping %(text)s", {"text": CANARY})
    log.warning(CANARY.split())  # not even a string template
    try:
        _raise_with_canary()
    except ValueError:
        log.exception("coding failed for %r", CANARY)
    for handler in logging.getLogger().handlers:
        handler.flush()
    written = log_file.read_text(encoding="utf-8")
    assert "imported 3 transcripts with the docx reader" in written
    assert "could not read <str>" in written
    # The exception is kept as its types and the code it passed through.
    assert "builtins.ValueError" in written and "builtins.KeyError" in written
    assert "_raise_with_canary" in written
    for word in CANARY.split():
        if len(word) > 3:
            assert word not in written


def test_a_crash_report_has_types_and_frames_but_no_message(tmp_path: Path) -> None:
    try:
        _raise_with_canary()
    except ValueError as error:
        path = crash.write_report(error, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert path.parent == tmp_path and path.name.startswith("crash-")
    assert path.stat().st_mode & 0o077 == 0  # readable by the user only
    assert "builtins.ValueError" in text and "raised while handling:" in text and "builtins.KeyError" in text
    assert "test_logs_and_crash.py" in text and "_raise_with_canary" in text
    assert "Zebedee" not in text and "Auchtermuchty" not in text and "missing" not in text


def test_an_internal_error_in_a_command_writes_a_report_and_says_where(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_args: object) -> int:
        raise RuntimeError(CANARY)

    monkeypatch.delenv("JSWCODER_DEBUG", raising=False)
    monkeypatch.setattr("jswcoder.cli.commands.info", broken)
    assert main(["info", "anywhere"]) == 70
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "Zebedee" not in err
    report = Path(err.split("is in ", 1)[1].split("\n", 1)[0])
    assert report.is_file() and report.parent == crash.crash_dir()
    assert "Zebedee" not in report.read_text(encoding="utf-8")
    assert "Zebedee" not in _read_all(logs.log_dir())


def test_an_uncaught_exception_in_a_process_leaves_a_report(tmp_path: Path) -> None:
    script = f"from jswcoder import crash\ncrash.install()\nraise LookupError({CANARY!r})\n"
    env = {"XDG_STATE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode != 0
    assert "LookupError" in done.stderr and "Zebedee" not in done.stderr
    (report,) = (tmp_path / "jswcoder" / "log" / crash.CRASH_FOLDER).glob("crash-*.txt")
    assert "builtins.LookupError" in report.read_text(encoding="utf-8")
    assert "Zebedee" not in _read_all(tmp_path)


def test_a_users_problem_reaching_the_top_is_explained_not_reported(tmp_path: Path) -> None:
    script = (
        "from jswcoder import crash\n"
        "from jswcoder.errors import DiskFull\n"
        "crash.install()\n"
        "raise DiskFull('the disk is full: nothing was stored')\n"
    )
    env = {"XDG_STATE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert done.returncode != 0
    assert done.stderr.strip() == "jswcoder: the disk is full: nothing was stored"
    assert not list((tmp_path / "jswcoder" / "log" / crash.CRASH_FOLDER).glob("crash-*.txt"))
