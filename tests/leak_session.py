"""The scripted session that test_leak_session.py scans afterwards: run as ``python -m tests.leak_session
STEP WORK INBOX`` in a process whose home, XDG and temp folders all point into the test's folder.

``cli``: a lead creates a team; a fieldworker creates a project, joins, imports the canary transcripts,
codes them, builds the register (so every canary is replaced), is searched and memoed, exports a package
and syncs; the lead syncs it in; then an internal error whose message holds a canary goes through the
command line's crash handling. ``desktop``: the fieldworker's project in the real window (offscreen):
a transcript shown, a search, a memo typed, the idle lock, the lock screen's passphrase, close; then an
uncaught exception holding a canary reaches the installed crash handler.

The canaries (and the register entries that replace them) come from ``INBOX/canaries.json``: none is
written in this file, whose bytecode lands in a scanned folder too. Every file Python itself opens for
writing, renames or creates a folder for is recorded through an audit hook and listed in
``WORK/writes-STEP.txt``, so the test can check all of them are in its folder.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PASSPHRASE = "correct horse battery"
THEME = "Support/Keeping the same worker"
_WRITE_EVENTS = {"os.rename", "os.replace", "os.mkdir", "shutil.copyfile", "os.symlink", "os.link"}


def _record_writes(log: list[str]) -> None:
    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and len(args) >= 2:
            mode, flags = args[1], args[2] if len(args) > 2 else 0
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            )
            if writing and isinstance(args[0], str | bytes | Path):
                log.append(
                    str(Path(args[0] if not isinstance(args[0], bytes) else args[0].decode()).absolute())
                )
        elif event in _WRITE_EVENTS and args:
            target = args[1] if event in {"os.rename", "os.replace", "shutil.copyfile"} else args[0]
            if isinstance(target, str | bytes | Path):
                log.append(str(Path(target if not isinstance(target, bytes) else target.decode()).absolute()))

    sys.addaudithook(hook)


def _cli(*args: str) -> str:
    """One command through the command line's own entry point; its output (never written to disk)."""
    from jswcoder.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--no-keychain", *args])
    if code != 0:
        raise SystemExit(f"jswcoder {args[0]} {args[1] if len(args) > 1 else ''} failed ({code})")
    return out.getvalue()


def _canaries(inbox: Path) -> dict[str, tuple[str, str]]:
    """Each canary with its register entry's descriptor and category, in the order the test gives them:
    a person's name, a place, a case reference."""
    entries = json.loads((inbox / "canaries.json").read_text(encoding="utf-8"))
    return {text: (descriptor, category) for text, descriptor, category in entries}


def cli(work: Path, inbox: Path) -> None:
    from jswcoder.cli import commands, main

    canaries = _canaries(inbox)
    name, town, reference = canaries
    lead, laptop, stick = str(work / "lead"), str(work / "laptop"), work / "stick"
    team_file = work / "team.jswteam"
    created = _cli(
        "team", "create", lead, "--name", "Leak team", "--coder", "Lead", "--team-file", str(team_file)
    )
    fingerprint = created.split("fieldworker as they join): ")[1].split()[0]
    _cli("init", laptop, "--name", "Fieldwork", "--coder", "Ailsa")
    _cli("team", "join", laptop, str(team_file), "--fingerprint", fingerprint)
    _cli("import", laptop, str(inbox / "canary_1.txt"), "--group", "Clients", "--interview", "1")
    _cli("import", laptop, str(inbox / "canary_2.docx"), "--group", "Clients", "--interview", "2")
    _cli("codes", laptop, "add", THEME)
    for transcript in ("canary_1", "canary_2"):
        text = _cli("text", laptop, transcript)
        start = text.index(name)  # the name itself is coded: a coded passage is a canary too
        _cli(
            "code",
            laptop,
            transcript,
            "--start",
            str(start),
            "--end",
            str(start + len(name)),
            "--code",
            THEME,
        )
    for canary, (replacement, category) in canaries.items():
        _cli("register", laptop, "add", canary, "--as", replacement, "--category", category)
    for candidate in json.loads(_cli("register", laptop, "suggest", "--json")):
        _cli("register", laptop, "dismiss", candidate["text"])  # reviewed: the rest is not identifying
    _search_and_memo(Path(laptop), name, town, reference)
    _cli("export", laptop, "--out", str(work / "exported.jswpkg"))
    stick.mkdir()
    _cli("sync", laptop, "--folder", str(stick))
    _cli("sync", lead, "--folder", str(stick))  # her join request: pending
    own = _cli("team", "fingerprint", laptop).split("read it to the lead): ")[1].split()[0]
    _cli("team", "admit", lead, "Ailsa", "--fingerprint", own)
    _cli("sync", lead, "--folder", str(stick))  # her package, merged

    def broken(_args: object) -> int:
        raise RuntimeError(f"internal error near {name}")

    commands.info = broken  # type: ignore[assignment]  # a bug, as the command line would meet it
    assert main(["--no-keychain", "info", laptop]) == 70


def _search_and_memo(folder: Path, name: str, town: str, reference: str) -> None:
    """What the command line cannot do: full-text search, and memos with a canary in them."""
    from jswcoder.project import Project

    with Project.open(folder, passphrase=PASSPHRASE, use_keychain=False) as project:
        for canary in (name, town, reference):
            word = canary.split()[-1].split("-")[0]
            assert project.search.query(word), f"the search found no {word!r}"
        transcript = project.transcripts.find("canary_1")
        project.memos.save("transcript", transcript.uuid, f"{name} again; check the {town} office.")
        coding = project.codings.of_transcript(transcript.uuid)[0]
        project.memos.save("coding", coding.uuid, f"Ref {reference} came up here.")


def _wait_until(condition: Callable[[], bool], what: str, seconds: float = 20.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.01)


def desktop(work: Path, inbox: Path) -> None:
    from jswcoder import crash
    from jswcoder.project import Project
    from jswcoder.ui.app import Controller, application
    from jswcoder.ui.settings import Settings

    name, town, reference = _canaries(inbox)
    app = application()
    crash.install()  # as the app does, but telling on stderr: a dialog would wait for a click
    controller = Controller(Settings())
    project = Project.open(work / "laptop", passphrase=PASSPHRASE)  # the keychain here is keyring's null one
    window = controller.show_project(project)
    assert window.workbench is not None
    bench = window.workbench
    docx = project.transcripts.find("canary_2")
    bench.open_transcript(docx.uuid)
    assert name in bench.view.text_edit.toPlainText()
    bench.search.search(town.split("-")[0])
    _wait_until(lambda: bench.search.model.rowCount() > 0, "search hits")
    bench.memos.editor.setPlainText(f"Typed in the app: {name}, {reference}.")
    bench.memos.flush()

    window.idle.set_interval_ms(200)  # the idle lock, after 0.2 s without input
    _wait_until(lambda: window.lock_screen is not None, "the idle lock")
    assert window.workbench is None and window.lock_screen is not None
    window.lock_screen.passphrase.setText(PASSPHRASE)
    window.lock_screen.unlock_button.click()
    _wait_until(lambda: window.workbench is not None, "the unlock")
    assert window.workbench is not None
    window.workbench.open_transcript(docx.uuid)
    window.closeProjectRequested.emit()  # File › Close project: the window closes the project
    _wait_until(lambda: controller.window is None, "the window to close")
    app.processEvents()
    raise LookupError(f"uncaught, near {town}")  # reaches crash.install's handler


def main() -> None:
    step, work, inbox = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    writes: list[str] = []
    _record_writes(writes)
    try:
        {"cli": cli, "desktop": desktop}[step](work, inbox)
    finally:
        listing = "\n".join(sorted(set(writes))) + "\n"
        (work / f"writes-{step}.txt").write_text(listing, encoding="utf-8")


if __name__ == "__main__":
    main()
