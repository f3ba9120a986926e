"""`jswcoder passwd PROJECT --rekey`: the database re-encrypted under a new data key, a new recovery key.

After it, nothing old opens the project: not the old passphrase, not the old recovery key, not a copy of
the old key file, not the old data key (which the keychain held). The database and the key file are two
files, so the change is made in steps, and a crash between any two of them leaves a project that opens
with the old secrets or with the new ones: these tests crash a real child process at each step, kill
one during the re-encryption itself, and fill the disk under it.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from jswcoder.cli import main
from jswcoder.errors import KeyFileError, StorageFailed, WrongSecret
from jswcoder.project import PassphraseRequired, Project
from jswcoder.security import keyfile
from jswcoder.store import database
from tests.conftest import PASSPHRASE, REPO, MemoryKeychain, make_project, write_txt

NEW_PASSPHRASE = "plum tractor whistle"
FILES = ["project.jswc", "project.keys", "project.lock"]


def _fill(project: Project, inbox: Path, *, turns: int = 3) -> None:
    lines = ["Interviewer: Hello."] + [f"P1: We meet on Tuesdays in Oban, week {n}." for n in range(turns)]
    project.transcripts.import_file(write_txt(inbox, "interview_1.txt", "\n".join(lines) + "\n"))
    project.codebook.add("Partnership working/Co-location")
    start = project.transcripts.text("interview_1").index("We meet")
    project.codings.add(
        "interview_1", start, start + len("We meet on Tuesdays in Oban"), "Partnership working/Co-location"
    )


def _contents(project: Project) -> tuple[object, ...]:
    passages = [
        (p.transcript, p.coding.start, p.coding.end, p.code_path, p.text) for p in project.codings.passages()
    ]
    return project.counts(), passages, project.transcripts.text("interview_1")


def _study(tmp_path: Path, **fill: int) -> tuple[Path, str, tuple[object, ...]]:
    """A project with a transcript and a coding, closed; its folder, recovery key and contents."""
    project, recovery = make_project(tmp_path / "study")
    _fill(project, tmp_path / "inbox", **fill)
    contents = _contents(project)
    project.close()
    return tmp_path / "study", recovery, contents


def _passwd(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    use_keychain: bool = True,
    **secrets: str,
) -> tuple[int, str, str]:
    """``jswcoder passwd`` in this process, the secrets in the environment as a script gives them."""
    for variable in ("JSWCODER_PASSPHRASE", "JSWCODER_NEW_PASSPHRASE", "JSWCODER_RECOVERY_KEY"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in secrets.items():
        monkeypatch.setenv(variable, value)
    capsys.readouterr()
    code = main([*([] if use_keychain else ["--no-keychain"]), "passwd", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _recovery_key(out: str) -> str:
    lines = out.splitlines()
    return lines[lines.index("Recovery key (shown only this once):") + 1].strip()


def _opens_with(folder: Path, **secret: str) -> tuple[object, ...]:
    with Project.open(folder, use_keychain=False, **secret) as project:
        assert project.integrity_problems() == []
        return _contents(project)


def _refused(folder: Path, **secret: str) -> None:
    with pytest.raises(WrongSecret):
        Project.open(folder, use_keychain=False, **secret)


# -- the command -------------------------------------------------------------------------------------


def test_rekey_retires_the_old_passphrase_recovery_key_key_file_and_data_key(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeychain,
) -> None:
    folder, old_recovery, contents = _study(tmp_path)
    (old_key_hex,) = memory_keyring.secrets.values()
    old_keys = tmp_path / "project.keys copied before"
    shutil.copy(folder / "project.keys", old_keys)

    code, out, err = _passwd(
        capsys,
        monkeypatch,
        str(folder),
        "--rekey",
        JSWCODER_PASSPHRASE=PASSPHRASE,
        JSWCODER_NEW_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert code == 0, err
    new_recovery = _recovery_key(out)
    assert len(new_recovery) == 39 and new_recovery != old_recovery
    assert "re-encrypted" in out
    assert PASSPHRASE not in out + err and NEW_PASSPHRASE not in out + err
    assert sorted(p.name for p in folder.iterdir()) == FILES  # no pending key file, no log left over
    if os.name == "posix":
        assert stat.S_IMODE((folder / "project.keys").stat().st_mode) == 0o600

    # The keychain holds the new key, and it alone opens the project.
    (new_key_hex,) = memory_keyring.secrets.values()
    assert new_key_hex != old_key_hex
    with Project.open(folder) as again:
        assert _contents(again) == contents
    memory_keyring.secrets.clear()

    _refused(folder, passphrase=PASSPHRASE)
    _refused(folder, recovery_key=old_recovery)
    # The old data key opens neither the project's database nor the file alone (its log folded in).
    with pytest.raises(WrongSecret):
        database.connect(folder / "project.jswc", bytes.fromhex(old_key_hex))
    alone = tmp_path / "database alone"
    alone.mkdir()
    shutil.copy(folder / "project.jswc", alone / "project.jswc")
    with pytest.raises(WrongSecret):
        database.connect(alone / "project.jswc", bytes.fromhex(old_key_hex))
    # The old key file put back: it still unwraps a key with the old secrets, which the database refuses.
    new_keys = (folder / "project.keys").read_bytes()
    shutil.copy(old_keys, folder / "project.keys")
    for old_secret in ({"passphrase": PASSPHRASE}, {"recovery_key": old_recovery}):
        with pytest.raises(KeyFileError, match="before it was re-encrypted"):  # named, not "wrong passphrase"
            Project.open(folder, use_keychain=False, **old_secret)
    (folder / "project.keys").write_bytes(new_keys)

    assert _opens_with(folder, passphrase=NEW_PASSPHRASE) == contents
    assert _opens_with(folder, recovery_key=new_recovery) == contents
    assert memory_keyring.secrets == {}  # the opens above kept out of the keychain


def test_rekey_with_the_recovery_key_when_the_passphrase_is_forgotten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, old_recovery, contents = _study(tmp_path)
    code, out, err = _passwd(
        capsys,
        monkeypatch,
        str(folder),
        "--recovery",
        "--rekey",
        use_keychain=False,
        JSWCODER_RECOVERY_KEY=old_recovery,
        JSWCODER_NEW_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert code == 0, err
    _refused(folder, recovery_key=old_recovery)
    _refused(folder, passphrase=PASSPHRASE)
    assert _opens_with(folder, recovery_key=_recovery_key(out)) == contents
    assert _opens_with(folder, passphrase=NEW_PASSPHRASE) == contents


def test_rekey_without_keychain_drops_the_old_key_from_it(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeychain,
) -> None:
    """--no-keychain keeps the new key out of the keychain; the old one, which opens nothing now, goes."""
    folder, _recovery, _contents_before = _study(tmp_path)
    assert len(memory_keyring.secrets) == 1
    code, _out, err = _passwd(
        capsys,
        monkeypatch,
        str(folder),
        "--rekey",
        use_keychain=False,
        JSWCODER_PASSPHRASE=PASSPHRASE,
        JSWCODER_NEW_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert code == 0, err
    assert memory_keyring.secrets == {}
    with pytest.raises(PassphraseRequired):
        Project.open(folder)


def test_rekey_refuses_a_weak_or_unchanged_new_passphrase_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _recovery, _contents_before = _study(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for new, reason in (
        ("12345678", "too easy to guess: this is a top-10 common password"),
        (PASSPHRASE, "the project's passphrase now"),
    ):
        code, out, err = _passwd(
            capsys,
            monkeypatch,
            str(folder),
            "--rekey",
            use_keychain=False,
            JSWCODER_PASSPHRASE=PASSPHRASE,
            JSWCODER_NEW_PASSPHRASE=new,
        )
        assert (code, out) == (1, ""), err
        assert reason in err and new not in err
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


# -- crashes and failures between the steps ----------------------------------------------------------

# The child runs the real command and dies (os._exit: no clean-up, no close, the write-ahead log left as
# it is) where the step named on its command line would begin.
CRASHING_CHILD = textwrap.dedent(
    """
    import os, sys
    from jswcoder.cli import main
    from jswcoder.security import keyfile
    from jswcoder.store import database

    def crash(*args, **kwargs):
        os._exit(9)

    step = sys.argv[2]
    if step == "re-encrypt":      # the new key file is written beside the old one; the database untouched
        database.rekey = crash
    elif step == "replace keys":  # the database re-encrypted; the old key file still in place
        keyfile.promote = crash
    sys.exit(main(["--no-keychain", "passwd", sys.argv[1], "--rekey"]))
    """
)


def _child_env(**secrets: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), **secrets}


@pytest.mark.parametrize("step", ["re-encrypt", "replace keys"])
def test_a_crash_before_each_step_leaves_a_project_that_opens(
    tmp_path: Path, step: str, memory_keyring: MemoryKeychain
) -> None:
    folder, old_recovery, contents = _study(tmp_path)
    keys_before = (folder / "project.keys").read_bytes()
    child = subprocess.run(
        [sys.executable, "-c", CRASHING_CHILD, str(folder), step],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_child_env(JSWCODER_PASSPHRASE=PASSPHRASE, JSWCODER_NEW_PASSPHRASE=NEW_PASSPHRASE),
        timeout=120,
    )
    assert child.returncode == 9, child.stderr
    assert (folder / "project.keys.pending").is_file()  # the crash came mid-way, as meant

    if step == "re-encrypt":
        # The database was never touched: the old secrets open it, and the new passphrase is told why not.
        with pytest.raises(WrongSecret, match="previous passphrase"):
            Project.open(folder, passphrase=NEW_PASSPHRASE, use_keychain=False)
        assert _opens_with(folder, recovery_key=old_recovery) == contents
        assert (folder / "project.keys").read_bytes() == keys_before
        assert sorted(p.name for p in folder.iterdir()) == FILES  # the unused new key file is gone
        assert _opens_with(folder, passphrase=PASSPHRASE) == contents
        return

    # The database is under the new key: the old secrets are refused, the keychain's old key too
    # (the passphrase is asked for), and the new passphrase opens it and finishes the change.
    _refused(folder, passphrase=PASSPHRASE)
    _refused(folder, recovery_key=old_recovery)
    with pytest.raises(PassphraseRequired):
        Project.open(folder)
    with Project.open(folder, passphrase=NEW_PASSPHRASE) as again:
        assert _contents(again) == contents
        assert again.integrity_problems() == []
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert (folder / "project.keys").read_bytes() != keys_before
    with Project.open(folder) as again:  # the keychain took the new key
        assert _contents(again) == contents
    assert _opens_with(folder, passphrase=NEW_PASSPHRASE) == contents


KILLED_CHILD = textwrap.dedent(
    """
    import sys
    from jswcoder.project import Project
    from jswcoder.security.keyfile import KdfParams
    from jswcoder.store import database

    real = database.rekey

    def announced(*args, **kwargs):
        print("re-encrypting", flush=True)
        real(*args, **kwargs)
        print("re-encrypted", flush=True)

    database.rekey = announced
    project = Project.open(sys.argv[1], passphrase=sys.argv[2], use_keychain=False)
    project.rekey(sys.argv[3], kdf=KdfParams(1024, 1, 1), use_keychain=False)
    project.close()
    print("done", flush=True)
    """
)


def test_killed_while_re_encrypting_the_project_opens_with_the_old_or_the_new_passphrase(
    tmp_path: Path,
) -> None:
    """SIGKILL at moments spread over the re-encryption (one SQLite transaction): each time exactly one
    of the two passphrases opens the project, and everything is in it."""
    base, _recovery, contents = _study(tmp_path, turns=20_000)  # a few MB, so the re-encryption takes a while
    rng = random.Random(14)
    delays = [0.0, 0.002, 0.01, 0.03, 0.08] + [rng.uniform(0, 0.3) for _ in range(2)]
    for run, delay in enumerate(delays):
        folder = tmp_path / f"run {run}"
        shutil.copytree(base, folder)
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_CHILD, str(folder), PASSPHRASE, NEW_PASSPHRASE],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=_child_env(),
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "re-encrypting"
        time.sleep(delay)
        child.kill()
        child.wait()
        child.stdout.close()
        opened = []
        for passphrase in (PASSPHRASE, NEW_PASSPHRASE):
            with contextlib.suppress(WrongSecret):
                opened.append((passphrase, _opens_with(folder, passphrase=passphrase)))
        assert len(opened) == 1, (delay, [p for p, _ in opened])
        assert opened[0][1] == contents
        assert sorted(p.name for p in folder.iterdir()) == FILES


def _file_size_limit(limit: int) -> Callable[[], None]:
    """Run in the child before it starts: no file it writes may grow past *limit* bytes."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_during_the_re_encryption_is_a_clear_error_and_the_old_secrets_still_open(
    tmp_path: Path,
) -> None:
    """SQLCipher answers "ok" to a rekey that the disk cut short; the command must not believe it (the
    new key file would then replace the only one that opens the database)."""
    folder, old_recovery, contents = _study(tmp_path, turns=20_000)
    size = (folder / "project.jswc").stat().st_size
    run = subprocess.run(
        [sys.executable, "-m", "jswcoder", "--no-keychain", "passwd", str(folder), "--rekey"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=_child_env(JSWCODER_PASSPHRASE=PASSPHRASE, JSWCODER_NEW_PASSPHRASE=NEW_PASSPHRASE),
        preexec_fn=_file_size_limit(
            size // 2
        ),  # the log of the re-encryption needs about the database's size
        timeout=120,
    )
    assert (run.returncode, run.stdout) == (1, ""), run.stderr
    assert "could not be re-encrypted" in run.stderr and "Traceback" not in run.stderr
    assert PASSPHRASE not in run.stderr and NEW_PASSPHRASE not in run.stderr
    _refused(folder, passphrase=NEW_PASSPHRASE)
    assert _opens_with(folder, passphrase=PASSPHRASE) == contents
    assert _opens_with(folder, recovery_key=old_recovery) == contents
    assert sorted(p.name for p in folder.iterdir()) == FILES


def test_a_key_file_that_cannot_replace_the_old_one_is_finished_on_the_next_open(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeychain,
) -> None:
    """The system refuses the last rename (on Windows a virus scanner may hold the old key file): the
    database is re-encrypted, the new key file stays beside the old one, and the new secrets open it."""
    folder, old_recovery, contents = _study(tmp_path)

    def refused(pending: Path, path: Path) -> None:
        raise StorageFailed("the key file project.keys could not be replaced (Permission denied)")

    monkeypatch.setattr(keyfile, "promote", refused)
    code, out, err = _passwd(
        capsys,
        monkeypatch,
        str(folder),
        "--rekey",
        JSWCODER_PASSPHRASE=PASSPHRASE,
        JSWCODER_NEW_PASSPHRASE=NEW_PASSPHRASE,
    )
    assert code == 0, err
    new_recovery = _recovery_key(out)
    assert "project.keys.pending" in err
    monkeypatch.undo()
    assert (folder / "project.keys.pending").is_file()
    # The old key left the keychain (it opens nothing); the new one goes in when the change is finished.
    assert memory_keyring.secrets == {}
    _refused(folder, passphrase=PASSPHRASE)
    _refused(folder, recovery_key=old_recovery)
    assert _opens_with(folder, recovery_key=new_recovery) == contents
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert _opens_with(folder, passphrase=NEW_PASSPHRASE) == contents
