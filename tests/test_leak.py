"""Nothing readable reaches the disk: canary strings imported, coded and listed are found in no file written.

The session runs through the real command line in subprocesses whose home, config, data, cache, state
and temp folders all point into the test's own directory, so every file the app could write is scanned.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import docx

from jswcoder.project import Project
from tests import leakscan
from tests.conftest import PASSPHRASE, write_txt

CANARIES = ("Zebedee Quistclose", "Auchtermuchty-Vexworth", "CANARY-7f3a9c")


def _canary_text() -> str:
    return (
        f"Interviewer: Who was your worker?\n"
        f"P1: {CANARIES[0]}. She came out to {CANARIES[1]} every week.\n"
        f"P1: My reference was {CANARIES[2]}.\n"
    )


def _canary_docx(path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = f"Study header {CANARIES[2]}"
    document.add_paragraph("Interviewer: And the office?")
    document.add_paragraph(f"P2: In {CANARIES[1]}, next to {CANARIES[0]}'s flat.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def scan(folders: list[Path]) -> list[str]:
    """Every (file, canary) pair where a canary appears in any common encoding."""
    return leakscan.scan(folders, CANARIES)


def test_the_scanner_finds_plaintext(tmp_path: Path) -> None:
    """The control: a canary in an ordinary (unencrypted) SQLite file or text file is found."""
    plain = sqlite3.connect(tmp_path / "plain.db")
    plain.execute("CREATE TABLE t (x TEXT)")
    plain.execute("INSERT INTO t VALUES (?)", [CANARIES[0]])
    plain.commit()
    plain.close()
    (tmp_path / "note.txt").write_text(CANARIES[1], encoding="utf-16-le")
    assert len(scan([tmp_path])) == 2


def test_a_whole_command_line_session_leaves_no_plaintext(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    sources = [write_txt(inbox, "canary_1.txt", _canary_text()), _canary_docx(inbox / "canary_2.docx")]
    assert scan([inbox])  # the inputs do hold the canaries
    env, written = leakscan.isolated_env(tmp_path, JSWCODER_PASSPHRASE=PASSPHRASE)
    written["work"] = tmp_path / "work"
    written["work"].mkdir()
    project = str(written["work"] / "study")

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "jswcoder", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=written["work"],
        )
        assert done.returncode == 0, done.stderr
        assert not any(c in done.stderr for c in CANARIES)
        return done.stdout

    run("init", project, "--name", "Leak test", "--coder", "Ailsa")
    run("import", project, *map(str, sources))
    run("codes", project, "add", "Delivering for clients/Keeping the same worker")
    start = _canary_text().index(CANARIES[0])
    run(
        "code",
        project,
        "canary_1",
        "--start",
        str(start),
        "--end",
        str(start + 40),
        "--code",
        "Delivering for clients/Keeping the same worker",
    )
    assert CANARIES[0] in run("codings", project, "--json")
    assert CANARIES[1] in run("text", project, "canary_2")
    run("info", project)
    hits = scan(list(written.values()))
    assert hits == []
    assert (written["work"] / "study" / "project.jswc").stat().st_size > 0


def test_an_open_project_with_a_live_write_ahead_log_leaks_nothing(project: Project, tmp_path: Path) -> None:
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "canary_1.txt", _canary_text()))
    project.codebook.add("Theme")
    for start in range(0, 60, 3):
        project.codings.add("canary_1", start, start + 30, "Theme")
    wal = project.paths.folder / "project.jswc-wal"
    assert wal.stat().st_size > 0  # the log holds the recent writes, so this scan covers it
    assert scan([project.paths.folder]) == []
