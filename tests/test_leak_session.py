"""A whole session leaves no plaintext (issue 8, part 5): every file it wrote, in any folder it could
write to, is scanned for every canary, and the package it sent holds no register entry once decrypted.

The session (tests/leak_session.py) runs in subprocesses whose home, XDG config, data, cache, state and
runtime folders, temporary folder and Python bytecode cache all point into this test's folder, with Qt
on its offscreen platform: so the projects and their write-ahead logs, the exchange folder, the log
file, the crash reports, the settings (QSettings) and Qt's caches all land where the scan looks.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from jswcoder import crash
from jswcoder.project import Project
from jswcoder.team import envelope
from tests import leak_session, leakscan
from tests.conftest import REPO, write_txt

# Each canary, the descriptor its register entry puts in its place, and the entry's category.
REGISTER = (
    ("Zebedee Quistclose", "[WORKER]", "PERSON"),
    ("Auchtermuchty-Vexworth", "[TOWN]", "PLACE"),
    ("CANARY-7f3a9c", "[REFERENCE]", "CASE_REF"),
)
CANARIES = tuple(text for text, _descriptor, _category in REGISTER)
PASSPHRASE = leak_session.PASSPHRASE


def canary_txt(inbox: Path) -> Path:
    name, town, reference = CANARIES
    return write_txt(
        inbox,
        "canary_1.txt",
        f"Interviewer: Who was your worker?\nP1: {name}. She came out to {town} every week.\n"
        f"P1: My reference was {reference}, and {name} knew it.\n",
    )


def canary_docx(inbox: Path) -> Path:
    """Canaries in the body, the header and a comment."""
    name, town, reference = CANARIES
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = f"Interview at {town}, file {reference}"
    document.add_paragraph("Interviewer: And the office?")
    said = document.add_paragraph(f"P2: In {town}, next to {name}'s flat.").runs[0]
    document.add_comment(said, text=f"Transcriber: check {name} and {reference}", author="T")
    path = inbox / "canary_2.docx"
    document.save(str(path))
    return path


@dataclass(frozen=True)
class Session:
    root: Path
    folders: dict[str, Path]
    stderr: dict[str, str]

    @property
    def work(self) -> Path:
        return self.folders["work"]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    root = tmp_path_factory.mktemp("leak")
    inbox = root / "inbox"  # the inputs: they hold the canaries, and are not scanned
    inbox.mkdir()
    sources = [canary_txt(inbox), canary_docx(inbox)]
    (inbox / "canaries.json").write_text(json.dumps(REGISTER), encoding="utf-8")
    assert all(leakscan.found_in(path.read_bytes(), CANARIES) for path in sources[:1])
    env, folders = leakscan.isolated_env(
        root,
        PYTHONPYCACHEPREFIX=str(root / "pycache"),
        PYTHONPATH=str(REPO),
        QT_QPA_PLATFORM="offscreen",
        JSWCODER_PASSPHRASE=PASSPHRASE,
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("work", "pycache"):
        folders[name] = root / name
        folders[name].mkdir(mode=0o700)
    stderr = {}
    for step in ("cli", "desktop"):
        done = subprocess.run(
            [sys.executable, "-m", "tests.leak_session", step, str(folders["work"]), str(inbox)],
            capture_output=True,
            text=True,
            env=env,
            cwd=folders["work"],
            timeout=300,
        )
        stderr[step] = done.stderr
        if step == "cli":
            assert done.returncode == 0, done.stderr
        else:  # the session ends in an uncaught exception, on purpose: it must reach a crash report
            assert done.returncode == 1 and "LookupError" in done.stderr, done.stderr
    return Session(root, folders, stderr)


def test_the_scanner_finds_a_planted_canary(tmp_path: Path) -> None:
    """The control: each canary planted in one of the three encodings, inside an unencrypted SQLite
    database, or inside a zip member, is found; a file without one is not."""
    for index, (canary, encoding) in enumerate(zip(CANARIES, leakscan.ENCODINGS, strict=True)):
        (tmp_path / f"plain{index}.txt").write_bytes(b"\x00prefix " + canary.encode(encoding) + b" suffix")
    database = sqlite3.connect(tmp_path / "plain.db")
    database.execute("CREATE TABLE t (x TEXT)")
    database.execute("INSERT INTO t VALUES (?)", [CANARIES[1]])
    database.commit()
    database.close()
    with zipfile.ZipFile(tmp_path / "packed.zip", "w", zipfile.ZIP_DEFLATED) as packed:
        packed.writestr("word/document.xml", f"<w:t>{CANARIES[2]}</w:t>" * 20)
    (tmp_path / "clean.txt").write_text("Interviewer: nothing to see here\n", encoding="utf-16")
    hits = leakscan.scan([tmp_path], CANARIES)
    assert sorted(Path(hit.split(": ")[0]).name for hit in hits) == [
        "packed.zip",
        "plain.db",
        "plain0.txt",
        "plain1.txt",
        "plain2.txt",
    ]


def test_no_file_the_session_wrote_holds_a_canary(session: Session) -> None:
    written = leakscan.files_under(session.folders.values())
    names = {path.name for path in written}
    # The scan covered what the session is meant to have written, in the folders redirected here.
    assert {"project.jswc", "project.keys", "exported.jswpkg", "team.jswteam", "jswcoder.log"} <= names
    assert any(path.suffix == ".pyc" for path in written)  # the bytecode cache came here too
    config = session.folders["config"] / "jswcoder" / "jswcoder.conf"  # QSettings: the recent projects
    assert str(session.work / "laptop") in config.read_text(encoding="utf-8")
    assert leakscan.scan(session.folders.values(), CANARIES) == []
    for step, stderr in session.stderr.items():
        assert leakscan.found_in(stderr.encode(), CANARIES) == [], step


def test_crash_reports_were_written_where_the_scan_looks(session: Session) -> None:
    """One from the command line's handling of an internal error, one from an uncaught exception in the
    app; both exceptions held a canary in their message."""
    folder = session.folders["state"] / "jswcoder" / "log" / crash.CRASH_FOLDER
    reports = sorted(folder.glob("crash-*.txt"))
    assert len(reports) == 2
    kinds = sorted(
        next(line for line in r.read_text().splitlines() if line.startswith("builtins.")) for r in reports
    )
    assert kinds == ["builtins.LookupError", "builtins.RuntimeError"]
    assert leakscan.scan([folder], CANARIES) == []


def test_python_wrote_only_inside_the_test_folder(session: Session) -> None:
    """Every file Python opened for writing, renamed or made a folder for (recorded by an audit hook in
    the session) is inside the redirected folders: nothing went to the real home or /tmp."""
    for step in ("cli", "desktop"):
        paths = (session.work / f"writes-{step}.txt").read_text(encoding="utf-8").split()
        assert paths, step
        outside = [p for p in paths if not Path(p).is_relative_to(session.root) and p != os.devnull]
        assert outside == [], step


def _packages(session: Session) -> list[Path]:
    stick = session.work / "stick"
    found = [session.work / "exported.jswpkg", *sorted(stick.glob("packages/*/*.jswpkg"))]
    assert len(found) == 2
    return found


def test_the_packages_decrypted_hold_no_register_entry(session: Session) -> None:
    """Opened with the lead's key by the team code's own reader: the anonymised transcripts, notes
    (header and comment) and memos are there, with descriptors where the canaries were."""
    with Project.open(session.work / "lead", passphrase=PASSPHRASE, use_keychain=False) as lead:
        me = lead.team.membership()
        (member,) = lead.team.members()
        senders = {member.member_id: member.signing_public}
        merged = [lead.transcripts.text_of(t.uuid) for t in lead.transcripts.all()]
    assert me.encryption_private is not None and len(merged) == 2
    for path in _packages(session):
        opened = envelope.open_sealed(
            path.read_bytes(), recipient_id=me.member_id, recipient_key=me.encryption_private, senders=senders
        )
        document = json.loads(opened.payload)
        assert leakscan.found_in(opened.payload, CANARIES) == []
        every_string = json.dumps(document, ensure_ascii=False)
        assert not any(canary in every_string for canary in CANARIES)
        texts = [t["text"] for t in document["transcripts"]]
        notes = [n["text"] for t in document["transcripts"] for n in t["notes"]]
        memos = [m["text"] for m in document["memos"]]
        assert any("[WORKER]. She came out to [TOWN]" in text for text in texts)
        assert any("[TOWN]" in note and "[REFERENCE]" in note for note in notes)  # the header
        assert any("check [WORKER] and [REFERENCE]" in note for note in notes)  # the comment
        assert any("[WORKER] again" in memo for memo in memos)
    assert not any(canary in text for canary in CANARIES for text in merged)
