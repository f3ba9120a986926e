"""Misuse and faults: wrong secrets again and again, a disk that fills mid-write, a second process.

Real encrypted projects and real subprocesses; the only stand-in is the in-memory keychain. A full
disk is simulated with a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that writes fail with
EFBIG as they would on a full disk) set in the child before it starts, and with SQLite's own page
limit, which fails a write with SQLITE_FULL exactly as a full disk does.

jswcoder has no lockout after wrong passphrases: the key file can be copied and attacked offline, where
a counter would not apply, so the brake is Argon2id's cost per guess (64 MiB, 3 passes, 4 lanes, RFC
9106's second recommended setting), checked here on a project made by the command line.
"""

from __future__ import annotations

import json
import re
import resource
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from jswcoder.errors import DiskFull, JswError, ProjectLocked, StorageFailed, WrongSecret
from jswcoder.project import PassphraseRequired, Project
from jswcoder.security import keychain, keyfile
from tests import leakscan
from tests.conftest import PASSPHRASE, REPO, MemoryKeychain, make_project, write_txt

WRONG_ATTEMPTS = 20
SECRET_WORD = "Quistclose"  # in the transcripts only: it must never reach a message


def _transcript(words: int, tag: str) -> str:
    lines = [f"Interviewer: Tell me about {tag}."]
    lines += [
        f"P1: {SECRET_WORD} {tag} said item {n} in a sentence of invented words." for n in range(words // 10)
    ]
    return "\n".join(lines) + "\n"


def _study(tmp_path: Path) -> Project:
    project, _ = make_project(tmp_path / "study")
    project.transcripts.import_file(write_txt(tmp_path / "inbox", "interview_1.txt", _transcript(600, "one")))
    project.codebook.add("Access/Waiting")
    for start in range(0, 2000, 100):
        project.codings.add("interview_1", start, start + 40, "Access/Waiting")
    return project


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _files_holding(folders: list[Path], needles: list[bytes]) -> list[str]:
    return [
        f"{path}: {needle[:6]!r}..."
        for folder in folders
        for path in folder.rglob("*")
        if path.is_file()
        for needle in needles
        if needle in path.read_bytes()
    ]


def _isolated_env(tmp_path: Path, **extra: str) -> tuple[dict[str, str], list[Path]]:
    """An environment whose home, XDG and temp folders are the test's own."""
    env, folders = leakscan.isolated_env(tmp_path / "env", **extra)
    return env, list(folders.values())


def _cli(
    env: dict[str, str], *args: str, limit: int | None = None, **secrets: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jswcoder", "--no-keychain", *args],
        capture_output=True,
        text=True,
        env={**env, **secrets},
        cwd=REPO,
        preexec_fn=None if limit is None else _file_size_limit(limit),
        timeout=120,
    )


def _file_size_limit(limit: int) -> Callable[[], None]:
    """Run in the child before it starts: no file it writes may grow past *limit* bytes."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an ignored signal stays ignored across exec
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


# -- wrong secrets -----------------------------------------------------------------------------------


def test_wrong_secrets_again_and_again_are_refused_and_change_nothing(
    tmp_path: Path, memory_keyring: MemoryKeychain
) -> None:
    project = _study(tmp_path)
    folder, uuid = project.paths.folder, project.uuid
    counts = project.counts()
    (key_hex,) = memory_keyring.secrets.values()
    project.close()
    before = _snapshot(folder)
    wrong = [f"wrong guess {n:02d} zqx" for n in range(WRONG_ATTEMPTS)]
    for guess in wrong:
        # The keychain holds the right key, yet a passphrase that is given is the one that is checked.
        with pytest.raises(WrongSecret) as refused:
            Project.open(folder, passphrase=guess)
        assert str(refused.value) == "wrong passphrase: the project was not opened"
    other, real_recovery = make_project(tmp_path / "other")  # a real recovery key, of another project
    other.close()
    garbage = [
        "",
        "AAAA",
        "not a recovery key",
        PASSPHRASE,
        "A" * 40,
        real_recovery,
        keyfile.new_recovery_key(),
    ]
    for attempt in garbage:
        with pytest.raises(WrongSecret, match=r"^wrong recovery key: the project was not opened$"):
            Project.open(folder, recovery_key=attempt)
    # A damaged or planted keychain entry is no way in either: it is dropped and the passphrase asked.
    for planted in ("00" * 32, key_hex[::-1], "not hex at all"):
        memory_keyring.secrets[(keychain.SERVICE, f"project:{uuid}")] = planted
        with pytest.raises(PassphraseRequired):
            Project.open(folder)
    assert _snapshot(folder) == before  # no file added, none changed
    assert (
        _files_holding([folder], [g.encode() for g in wrong] + [key_hex.encode(), bytes.fromhex(key_hex)])
        == []
    )
    with Project.open(folder, passphrase=PASSPHRASE) as again:  # no lockout: the right one still works
        assert again.counts() == counts
        assert again.integrity_problems() == []


def test_wrong_secrets_on_the_command_line_are_one_clear_line_and_no_secret_is_written(
    tmp_path: Path, memory_keyring: MemoryKeychain
) -> None:
    project, recovery = make_project(tmp_path / "study")
    (key_hex,) = memory_keyring.secrets.values()
    project.close()
    folder = str(tmp_path / "study")
    before = _snapshot(tmp_path / "study")
    env, written = _isolated_env(tmp_path)
    guesses = [f"cli wrong guess {n} qzx" for n in range(3)]
    runs = [_cli(env, "info", folder, JSWCODER_PASSPHRASE=guess) for guess in guesses]
    runs.append(
        _cli(
            env,
            "passwd",
            folder,
            "--recovery",
            JSWCODER_RECOVERY_KEY="QQQQ-QQQQ-QQQQ-QQQQ-QQQQ-QQQQ-QQQQ-QQQQ",
            JSWCODER_NEW_PASSPHRASE="cli new passphrase qzx",
        )
    )
    expected = ["wrong passphrase"] * len(guesses) + ["wrong recovery key"]
    for run, what in zip(runs, expected, strict=True):
        assert (run.returncode, run.stdout) == (1, "")
        assert run.stderr == f"jswcoder: {what}: the project was not opened\n"
    assert _snapshot(tmp_path / "study") == before
    right = _cli(env, "info", folder, "--json", JSWCODER_PASSPHRASE=PASSPHRASE)
    assert right.returncode == 0, right.stderr
    assert json.loads(right.stdout)["name"] == "Test study"
    secrets = [
        *guesses,
        "cli new passphrase qzx",
        "QQQQ-QQQQ",
        PASSPHRASE,
        recovery,
        key_hex,
        key_hex.upper(),
    ]
    needles = [s.encode() for s in secrets] + [bytes.fromhex(key_hex)]
    assert _files_holding([*written, tmp_path / "study"], needles) == []
    shown = "".join(run.stdout + run.stderr for run in [*runs, right])
    assert [s for s in secrets if s in shown] == []


def test_the_brake_on_guessing_is_argon2id_at_the_rfc_9106_cost(tmp_path: Path) -> None:
    """A project made by the command line wraps its key with RFC 9106's second recommended Argon2id
    setting (64 MiB of memory, 3 passes, 4 lanes) for the passphrase and the recovery key alike."""
    env, _ = _isolated_env(tmp_path)
    made = _cli(
        env, "init", str(tmp_path / "study"), "--name", "N", "--coder", "C", JSWCODER_PASSPHRASE=PASSPHRASE
    )
    assert made.returncode == 0, made.stderr
    slots = keyfile.read(tmp_path / "study" / "project.keys").slots
    assert sorted((s.kind, s.kdf) for s in slots) == [
        ("passphrase", keyfile.KdfParams(memory_kib=65536, iterations=3, lanes=4)),
        ("recovery", keyfile.KdfParams(memory_kib=65536, iterations=3, lanes=4)),
    ]


# -- a disk that fills mid-write ----------------------------------------------------------------------

CODING_UNTIL_FULL = """
import sys
from jswcoder.errors import StorageFailed
from jswcoder.project import Project

project = Project.open(sys.argv[1], passphrase=sys.argv[2], use_keychain=False)
transcript = project.transcripts.all()[0]
code = project.codebook.all()[-1]
span = transcript.length - 100
try:
    for n in range(100_000):
        start = n % span
        coding, new = project.codings.add(transcript.uuid, start, start + 1 + n // span, code.uuid)
        assert new
        print(coding.uuid, flush=True)  # printed only once the service returned: committed
except StorageFailed as error:
    print(f"refused: {error}", flush=True)
finally:
    project.close()
"""


def _database_size(tmp_path: Path) -> int:
    return (tmp_path / "study" / "project.jswc").stat().st_size


def test_codings_until_the_disk_is_full_keep_every_one_that_returned(tmp_path: Path) -> None:
    project = _study(tmp_path)
    before = {c.uuid for c in project.codings.of_transcript(project.transcripts.all()[0].uuid)}
    project.close()
    done = subprocess.run(
        [sys.executable, "-c", CODING_UNTIL_FULL, str(tmp_path / "study"), PASSPHRASE],
        capture_output=True,
        text=True,
        cwd=REPO,
        preexec_fn=_file_size_limit(_database_size(tmp_path) + 256 * 1024),
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    *returned, last = done.stdout.splitlines()
    assert last.startswith("refused: the disk refused to read or write the project"), last
    assert returned, "not one coding fitted under the limit"
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE, use_keychain=False) as again:
        assert again.integrity_problems() == []
        after = {c.uuid for c in again.codings.of_transcript(again.transcripts.all()[0].uuid)}
    assert after == before | set(returned)  # every returned coding, and not the refused one


def test_importing_on_a_full_disk_from_the_command_line_is_a_clear_error(tmp_path: Path) -> None:
    project = _study(tmp_path)
    counts = project.counts()
    project.close()
    inbox = tmp_path / "inbox"
    small = write_txt(inbox, "interview_2.txt", _transcript(300, "two"))
    large = write_txt(inbox, "interview_3.txt", _transcript(600_000, "three"))
    env, _ = _isolated_env(tmp_path)
    limit = _database_size(tmp_path) + 256 * 1024
    assert large.stat().st_size > 4 * limit  # it cannot fit, however it is stored
    run = _cli(
        env,
        "import",
        str(tmp_path / "study"),
        str(small),
        str(large),
        limit=limit,
        JSWCODER_PASSPHRASE=PASSPHRASE,
    )
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr.splitlines()[-1] == (
        "jswcoder: the disk refused to read or write the project (it may be full, removed or failing), "
        "so the last change was not saved; what was saved before is intact"
    )
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    assert SECRET_WORD not in run.stderr
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE, use_keychain=False) as again:
        assert again.integrity_problems() == []
        # Each file is all or nothing: the small one, stored before the disk filled, is whole.
        assert [t.name for t in again.transcripts.all()] == ["interview_1", "interview_2"]
        assert again.transcripts.text("interview_2") == small.read_text(encoding="utf-8")
        assert again.counts()["codings"] == counts["codings"]


def test_sqlite_reporting_a_full_database_is_a_disk_full_error(tmp_path: Path) -> None:
    """SQLite's page limit fails a write with SQLITE_FULL, the code a full disk gives."""
    project = _study(tmp_path)
    counts = project.counts()
    pages = project.db.execute("PRAGMA page_count").fetchone()[0]
    project.db.execute(f"PRAGMA max_page_count = {pages}")
    large = write_txt(tmp_path / "inbox", "interview_3.txt", _transcript(50_000, "three"))
    with pytest.raises(DiskFull) as full:
        project.transcripts.import_file(large)
    assert isinstance(full.value, StorageFailed) and isinstance(full.value, JswError)
    assert str(full.value) == (
        "the disk holding the project is full, so the last change was not saved; free some space and try again"
    )
    assert project.counts() == counts
    project.close()
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE) as again:
        assert again.counts() == counts
        assert again.integrity_problems() == []


KEY_FILE_ON_A_FULL_DISK = """
import resource, signal, sys
from jswcoder.errors import StorageFailed
from jswcoder.project import Project
from jswcoder.security.keyfile import KdfParams

project = Project.open(sys.argv[1], passphrase=sys.argv[2], use_keychain=False)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))  # the database is open; the key file cannot grow
try:
    project.change_passphrase("a new passphrase", kdf=KdfParams(1024, 1, 1))
except StorageFailed as error:
    print(error)
project.close()
"""


def test_changing_the_passphrase_on_a_full_disk_leaves_the_key_file_as_it_was(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "study")
    project.close()
    keys = tmp_path / "study" / "project.keys"
    before = keys.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", KEY_FILE_ON_A_FULL_DISK, str(tmp_path / "study"), PASSPHRASE],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert re.fullmatch(
        r"the key file project\.keys could not be written \(.+\); it was left as it was\n", done.stdout
    )
    assert keys.read_bytes() == before
    assert sorted(p.name for p in keys.parent.iterdir()) == ["project.jswc", "project.keys", "project.lock"]
    with pytest.raises(WrongSecret):
        Project.open(tmp_path / "study", passphrase="a new passphrase", use_keychain=False)
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE, use_keychain=False) as again:
        assert again.integrity_problems() == []


# -- a second process ---------------------------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys
    from jswcoder.project import Project
    project = Project.open(sys.argv[1], passphrase=sys.argv[2], use_keychain=False)
    print("open", flush=True)
    for line in sys.stdin:  # each line: code one more passage
        coding, _ = project.codings.add("interview_1", 5, 5 + len(line), "Access/Waiting")
        print(coding.uuid, flush=True)
    project.close()
    """
)


def _holder(tmp_path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "study"), PASSPHRASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "open\n"
    return holder


def test_a_second_process_is_refused_while_the_first_holds_the_project(tmp_path: Path) -> None:
    project = _study(tmp_path)
    codings = project.counts()["codings"]
    project.close()
    env, _ = _isolated_env(tmp_path, JSWCODER_PASSPHRASE=PASSPHRASE)
    study = str(tmp_path / "study")
    refusal = "jswcoder: the project study is already open in another jswcoder window or process; close it there first\n"
    holder = _holder(tmp_path)
    assert holder.stdin is not None and holder.stdout is not None
    try:
        refused = _cli(env, "info", study)
        assert (refused.returncode, refused.stdout, refused.stderr) == (1, "", refusal)
        with pytest.raises(ProjectLocked):
            Project.open(study, passphrase=PASSPHRASE)
        holder.stdin.write("after the refusal\n")  # the holder works on, undisturbed
        holder.stdin.flush()
        assert len(holder.stdout.readline().strip()) == 36
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    opened = _cli(env, "info", study, "--json")
    assert opened.returncode == 0, opened.stderr
    assert json.loads(opened.stdout)["codings"] == codings + 1
    killed = _holder(tmp_path)  # and when the holder is killed, not closed, the lock goes with it
    try:
        assert _cli(env, "info", study).stderr == refusal
    finally:
        killed.kill()
        killed.wait()
        for pipe in (killed.stdin, killed.stdout):
            if pipe is not None:
                pipe.close()
    again = _cli(env, "info", study, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["codings"] == codings + 1
