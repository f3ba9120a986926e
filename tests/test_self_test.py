"""``jswcoder --self-test``: what an IT team runs after deploying; it must pass here and fail loudly."""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from pathlib import Path

import keyring
import pytest

from jswcoder import selftest
from jswcoder.project import Project
from tests.conftest import REPO


def test_the_self_test_passes_in_a_source_install_with_the_window(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TMPDIR": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    done = subprocess.run(
        [sys.executable, "-m", "jswcoder", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith("jswcoder ") and ": passed (8 checks in " in line
    assert done.stderr == ""
    # Everything it made is gone again; the log folder is all that remains.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]


def test_a_failing_check_stops_the_run_names_the_check_and_cleans_up(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Path] = []

    def broken_window(project: Project, folder: Path) -> None:
        seen.append(folder)
        raise selftest.CheckFailed("the main window did not appear")

    backend = keyring.get_keyring()
    outcome = selftest.run(broken_window)
    assert not outcome.ok
    assert outcome.failed == ("open and close the main window", "the main window did not appear")
    assert len(outcome.passed) == 6
    assert "FAILED at 'open and close the main window'" in outcome.verdict()
    assert not seen[0].exists()
    assert keyring.get_keyring() is backend  # the caller's keychain is given back


def test_a_bug_in_a_check_is_reported_by_type_with_a_crash_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def bug(self: selftest.SelfTest) -> None:
        raise ZeroDivisionError("Zebedee Quistclose")

    monkeypatch.setattr(selftest.SelfTest, "code", bug)
    outcome = selftest.run(None)
    assert outcome.failed is not None
    check, reason = outcome.failed
    assert check == "code a passage" and reason.startswith("unexpected ZeroDivisionError; crash report: ")
    assert "Zebedee" not in reason
    assert Path(reason.rsplit(": ", 1)[1]).is_file()


def test_the_plaintext_scan_finds_text_in_any_encoding() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "clean.bin").write_bytes(b"\x00" * 64)
        (root / "deep").mkdir()
        (root / "deep" / "journal").write_bytes(b"xx" + "Kilbrannan road".encode("utf-16-be") + b"yy")
        (root / "notes.txt").write_text("nothing here", encoding="utf-8")
        assert selftest.plaintext_hits(["Kilbrannan"], root) == [root / "deep" / "journal"]
        assert selftest.plaintext_hits(["Glenarn"], root) == []


def test_the_audio_check_hears_the_bundled_tones_and_refuses_other_audio() -> None:
    """The real clip decoded by Qt's FFmpeg passes (in the source install test above); here the check
    itself must refuse audio that decoded wrong: half the sample rate (pitches doubled), cut short, silence."""
    tones = bytearray()
    for hz in selftest.TONES_HZ:
        for n in range(selftest.SAMPLE_RATE // 2):
            tones += int(12000 * math.sin(2 * math.pi * hz * n / selftest.SAMPLE_RATE)).to_bytes(
                2, "little", signed=True
            )
    selftest.check_tones(bytes(tones))
    halved = b"".join(tones[i : i + 2] for i in range(0, len(tones), 4)) * 2  # every other sample, twice over
    for wrong in (halved, bytes(tones[: len(tones) // 2]), bytes(len(tones))):
        with pytest.raises(selftest.CheckFailed):
            selftest.check_tones(wrong)


def test_a_skipped_check_is_named_in_the_verdict_and_the_rest_still_run() -> None:
    ran: list[str] = []

    def not_here(project: Project, ref: str) -> bytes:
        raise selftest.CheckSkipped("not tried under Wine")

    def window(project: Project, folder: Path) -> None:
        ran.append("window")
        project.close()

    outcome = selftest.run(window, not_here)
    assert outcome.ok and ran == ["window"]
    assert len(outcome.passed) == 7
    assert outcome.verdict().endswith(
        "; skipped 'decode a recording in memory (Qt Multimedia)': not tried under Wine)"
    )
    assert ": passed (7 checks in " in outcome.verdict()


def test_a_recording_qt_cannot_decode_fails_the_audio_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled clip's bytes damaged after its Ogg header: the import takes it, Qt's FFmpeg cannot decode it."""
    from jswcoder.ui.selftest_window import decode_recording  # Qt Multimedia, its notices kept quiet

    damaged = Path(tempfile.mkdtemp()) / "tones.ogg"
    clip = selftest.resource(selftest.DEMO, selftest.TONES).read_bytes()
    damaged.write_bytes(clip[:4] + bytes(len(clip) - 4))
    bundled = selftest.resource
    monkeypatch.setattr(
        selftest, "resource", lambda *names: damaged if names[-1] == selftest.TONES else bundled(*names)
    )
    outcome = selftest.run(None, decode_recording)
    assert outcome.failed is not None and outcome.failed[0] == "decode a recording in memory (Qt Multimedia)"
    assert (
        outcome.failed[1].startswith("the recording could not be decoded") or "no audio" in outcome.failed[1]
    )


def test_under_wine_the_self_test_never_loads_qt_multimedia(tmp_path: Path) -> None:
    """What the Windows package's CI relies on: with the recording's check skipped, nothing else (the main
    window included) loads Qt Multimedia, whose FFmpeg is unproven under Wine."""
    code = (
        "import sys, argparse, importlib\n"
        "cli = importlib.import_module('jswcoder.cli.self_test')\n"
        "cli.under_wine = lambda: True\n"
        "status = cli.self_test(argparse.Namespace(skip_window=False))\n"
        "print('QtMultimedia' if 'PySide6.QtMultimedia' in sys.modules else 'no QtMultimedia')\n"
        "sys.exit(status)\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "TMPDIR": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    verdict, loaded = done.stdout.splitlines()
    assert ": passed (7 checks in " in verdict and "not tried under Wine" in verdict
    assert loaded == "no QtMultimedia"
