"""The encrypted project: unlocking, wrong secrets, the keychain, the lock, copying, the passphrase."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import textwrap
import time
import types
from pathlib import Path

import keyring
import keyring.backends.Windows
import pytest
import sqlcipher3
from keyring.backends import fail
from keyring.backends.Windows import WinVaultKeyring

from jswcoder.errors import (
    InvalidInput,
    KeyFileError,
    ProjectDamaged,
    ProjectExists,
    ProjectLocked,
    ProjectNotFound,
    StorageFailed,
    WrongSecret,
)
from jswcoder.project import PassphraseRequired, Project
from jswcoder.security import keychain
from jswcoder.store import database
from tests.conftest import FAST_KDF, PASSPHRASE, MemoryKeychain, make_project, write_txt


def _fill(project: Project, inbox: Path) -> None:
    source = write_txt(inbox, "interview_1.txt", "Interviewer: Hello.\nP1: We meet on Tuesdays in Oban.\n")
    project.transcripts.import_file(source)
    project.codebook.add("Partnership working/Co-location")
    start = project.transcripts.text("interview_1").index("We meet")
    project.codings.add(
        "interview_1", start, start + len("We meet on Tuesdays in Oban"), "Partnership working/Co-location"
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_database_file_is_encrypted_and_sound(project: Project) -> None:
    _fill(project, project.paths.folder.parent / "inbox")
    assert project.integrity_problems() == []
    header = project.paths.database.read_bytes()[:16]
    assert header != b"SQLite format 3\x00"
    pragmas = {
        name: project.db.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "temp_store", "foreign_keys", "synchronous")
    }
    assert pragmas == {"journal_mode": "wal", "temp_store": 2, "foreign_keys": 1, "synchronous": 2}


def test_reopens_from_the_keychain_without_a_passphrase(
    tmp_path: Path, memory_keyring: MemoryKeychain
) -> None:
    project, _ = make_project(tmp_path / "study")
    _fill(project, tmp_path / "inbox")
    project.close()
    assert len(memory_keyring.secrets) == 1
    with Project.open(tmp_path / "study") as again:
        assert again.counts() == {"transcripts": 1, "participants": 1, "codes": 2, "codings": 1, "memos": 0}
        assert again.codings.passages()[0].text == "We meet on Tuesdays in Oban"


def test_wrong_passphrase_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "study")
    _fill(project, tmp_path / "inbox")
    project.forget_key()
    project.close()
    before = _snapshot(tmp_path / "study")
    with pytest.raises(WrongSecret) as refused:
        Project.open(tmp_path / "study", passphrase="not the passphrase")
    assert str(refused.value) == "wrong passphrase: the project was not opened"
    with pytest.raises(WrongSecret):
        Project.open(tmp_path / "study", recovery_key="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert _snapshot(tmp_path / "study") == before
    # The refused attempts left no lock behind: the right passphrase opens it.
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE) as again:
        assert again.counts()["codings"] == 1


def test_without_keychain_or_passphrase_it_asks(tmp_path: Path, memory_keyring: MemoryKeychain) -> None:
    project, _ = make_project(tmp_path / "study")
    project.close()
    memory_keyring.secrets.clear()
    with pytest.raises(PassphraseRequired):
        Project.open(tmp_path / "study")
    asked: list[str] = []

    def ask() -> str:
        asked.append("yes")
        return PASSPHRASE

    with Project.open(tmp_path / "study", ask_passphrase=ask) as again:
        assert again.name == "Test study"
    assert asked == ["yes"]
    assert len(memory_keyring.secrets) == 1  # remembered for next time


def test_no_keychain_falls_back_to_the_passphrase_with_a_notice(tmp_path: Path) -> None:
    keyring.set_keyring(fail.Keyring())
    project, _ = make_project(tmp_path / "study")
    assert project.notices == [keychain.UNAVAILABLE]
    project.close()
    with pytest.raises(PassphraseRequired):
        Project.open(tmp_path / "study")
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE) as again:
        assert again.notices == [keychain.UNAVAILABLE]
    assert sorted(p.name for p in (tmp_path / "study").iterdir()) == [
        "project.jswc",
        "project.keys",
        "project.lock",
    ]


class _CredentialManager(WinVaultKeyring):
    """Windows Credential Manager as keyring drives it, down to the call into the OS: what would be
    written (CredWrite's credential) is recorded instead, since there is no Windows here."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.written: list[dict[str, object]] = []

    def _read_credential(self, target: str) -> None:
        return None

    def _set_password(self, target: str, username: str, password: str) -> None:
        self.written.append({"TargetName": target, "Persist": self.persist})


def test_windows_keeps_the_key_on_this_computer_not_in_a_roaming_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keyring's default for Credential Manager is CRED_PERSIST_ENTERPRISE: the credential roams with
    the user's profile to the domain's servers and every machine they sign in to. jswcoder asks for
    CRED_PERSIST_LOCAL_MACHINE (2), so a project's key stays on the laptop that holds the project."""
    # wincred.h's values, which keyring reads from pywin32-ctypes on Windows.
    win32cred = types.SimpleNamespace(
        CRED_PERSIST_SESSION=1, CRED_PERSIST_LOCAL_MACHINE=2, CRED_PERSIST_ENTERPRISE=3
    )
    monkeypatch.setattr(keyring.backends.Windows, "win32cred", win32cred, raising=False)
    manager = _CredentialManager()
    previous = keyring.get_keyring()
    keyring.set_keyring(manager)
    try:
        project, _recovery = make_project(tmp_path / "p")
        project.close()
    finally:
        keyring.set_keyring(previous)
    (written,) = manager.written
    assert written["TargetName"] == "jswcoder"
    assert written["Persist"] == 2


def test_the_data_key_is_nowhere_on_disk_in_the_clear(tmp_path: Path, memory_keyring: MemoryKeychain) -> None:
    project, recovery = make_project(tmp_path / "study")
    _fill(project, tmp_path / "inbox")
    project.close()
    (key_hex,) = memory_keyring.secrets.values()
    key = bytes.fromhex(key_hex)
    for path in (tmp_path / "study").iterdir():
        data = path.read_bytes()
        for secret in (
            key,
            key_hex.encode(),
            key_hex.upper().encode(),
            PASSPHRASE.encode(),
            recovery.encode(),
        ):
            assert secret not in data, path.name


def test_copied_project_opens_elsewhere_with_its_passphrase(
    tmp_path: Path, memory_keyring: MemoryKeychain
) -> None:
    project, recovery = make_project(tmp_path / "laptop" / "study")
    _fill(project, tmp_path / "inbox")
    expected = [
        (p.transcript, p.coding.start, p.coding.end, p.code_path, p.text) for p in project.codings.passages()
    ]
    project.close()
    shutil.copytree(tmp_path / "laptop" / "study", tmp_path / "usb" / "study copy")
    shutil.rmtree(tmp_path / "laptop")
    memory_keyring.secrets.clear()  # another machine: an empty keychain
    with Project.open(tmp_path / "usb" / "study copy" / "project.jswc", passphrase=PASSPHRASE) as copy:
        got = [
            (p.transcript, p.coding.start, p.coding.end, p.code_path, p.text) for p in copy.codings.passages()
        ]
        assert got == expected
        assert copy.transcripts.text("interview_1").startswith("Interviewer: Hello.")
        assert copy.integrity_problems() == []
    memory_keyring.secrets.clear()
    with Project.open(
        tmp_path / "usb" / "study copy", recovery_key=recovery.lower().replace("-", " ")
    ) as copy:
        assert copy.counts()["codings"] == 1


def test_change_passphrase_rewraps_without_touching_the_data(
    tmp_path: Path, memory_keyring: MemoryKeychain
) -> None:
    project, recovery = make_project(tmp_path / "study")
    _fill(project, tmp_path / "inbox")
    database_before = project.paths.database.read_bytes()
    with pytest.raises(InvalidInput):
        project.change_passphrase("short")
    project.change_passphrase("a brand new passphrase", kdf=FAST_KDF)
    assert project.paths.database.read_bytes() == database_before
    project.close()
    memory_keyring.secrets.clear()
    with pytest.raises(WrongSecret):
        Project.open(tmp_path / "study", passphrase=PASSPHRASE)
    with Project.open(tmp_path / "study", passphrase="a brand new passphrase") as again:
        assert again.counts()["codings"] == 1
    memory_keyring.secrets.clear()
    with Project.open(tmp_path / "study", recovery_key=recovery) as again:
        assert again.counts()["codings"] == 1


def test_second_opener_in_the_same_process_is_refused(project: Project) -> None:
    with pytest.raises(ProjectLocked, match="already open in another jswcoder window or process"):
        Project.open(project.paths.folder, passphrase=PASSPHRASE)
    project.close()
    with Project.open(project.paths.folder, passphrase=PASSPHRASE) as again:
        assert again.name == "Test study"


def test_lock_dies_with_a_killed_process(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "study")
    project.forget_key()
    project.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from jswcoder.project import Project
                p = Project.open({str(tmp_path / "study")!r}, passphrase={PASSPHRASE!r}, use_keychain=False)
                print("open", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(ProjectLocked):
            Project.open(tmp_path / "study", passphrase=PASSPHRASE)
    finally:
        holder.kill()  # SIGKILL: no clean-up code runs in the holder
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    with Project.open(tmp_path / "study", passphrase=PASSPHRASE) as again:
        assert again.integrity_problems() == []


def test_missing_project_and_damaged_key_file_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFound, match="there is no jswcoder project at"):
        Project.open(tmp_path / "nowhere", passphrase=PASSPHRASE)
    project, _ = make_project(tmp_path / "study")
    project.close()
    keys = tmp_path / "study" / "project.keys"
    keys.write_text(keys.read_text()[:40])
    with pytest.raises(KeyFileError, match="key file is damaged"):
        Project.open(tmp_path / "study", passphrase=PASSPHRASE, use_keychain=False)
    keys.unlink()
    with pytest.raises(KeyFileError, match=r"project\.keys is missing"):
        Project.open(tmp_path / "study", passphrase=PASSPHRASE, use_keychain=False)


def test_key_file_from_another_project_does_not_open_it(tmp_path: Path) -> None:
    first, _ = make_project(tmp_path / "first")
    second, _ = make_project(tmp_path / "second")
    first.close()
    second.close()
    shutil.copy(tmp_path / "second" / "project.keys", tmp_path / "first" / "project.keys")
    with pytest.raises((WrongSecret, KeyFileError)):
        Project.open(tmp_path / "first", passphrase=PASSPHRASE, use_keychain=False)


def test_create_refuses_a_used_folder_and_a_short_passphrase(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(ProjectExists):
        make_project(tmp_path / "busy")
    assert (tmp_path / "busy" / "notes.txt").read_text() == "mine"
    with pytest.raises(InvalidInput, match="at least 8 characters"):
        Project.create(tmp_path / "new", name="N", coder="C", passphrase="short", kdf=FAST_KDF)
    assert not (tmp_path / "new").exists()


def test_a_create_that_fails_closes_its_database_before_removing_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows an open file cannot be deleted: a database left open would stop the clean-up and
    leave half a project behind, so the failed create closes it first (here: a schema that fails)."""
    opened: list[database.Database] = []
    real_connect = database.connect

    def connect(path: Path, key: bytes) -> database.Database:
        opened.append(real_connect(path, key))
        return opened[-1]

    def failing_migrate(db: object) -> None:
        raise OSError("the disk went away")

    monkeypatch.setattr(database, "connect", connect)
    monkeypatch.setattr("jswcoder.project.schema.migrate", failing_migrate)
    with pytest.raises(OSError, match="went away"):
        make_project(tmp_path / "new")
    assert not (tmp_path / "new").exists()
    (db,) = opened
    with pytest.raises(sqlcipher3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_a_folder_the_system_refuses_is_a_plain_error_not_a_bug(tmp_path: Path) -> None:
    """A name too long for the file system (on Windows, a path past 260 characters where long paths
    are off), or a project folder whose lock cannot be made: one plain line, nothing left behind."""
    too_long = tmp_path / ("a" * 300)
    with pytest.raises(StorageFailed, match="cannot make the project folder"):
        make_project(too_long)
    project, _recovery = make_project(tmp_path / "p")
    project.close()
    lock = tmp_path / "p" / "project.lock"
    assert lock.is_file()
    lock.unlink()
    lock.mkdir()  # something else holds the lock's name
    with pytest.raises(StorageFailed, match="cannot be locked"):
        Project.open(tmp_path / "p", passphrase=PASSPHRASE)


def test_another_projects_key_file_leaves_that_projects_keychain_entry_alone(
    tmp_path: Path, memory_keyring: MemoryKeychain
) -> None:
    """Issue 14: a key file copied from project A into project B named A's key in the keychain,
    which did not open B, and the failed open deleted A's entry. Now nothing of A's is touched."""
    a, _ = make_project(tmp_path / "a")
    b, _ = make_project(tmp_path / "b")
    a_uuid = a.uuid
    a.close()
    b.close()
    before = dict(memory_keyring.secrets)
    shutil.copyfile(tmp_path / "a" / "project.keys", tmp_path / "b" / "project.keys")
    with pytest.raises(PassphraseRequired):
        Project.open(tmp_path / "b")
    with pytest.raises(WrongSecret):
        Project.open(tmp_path / "b", passphrase=PASSPHRASE + " not")
    assert memory_keyring.secrets == before
    assert keychain.recall(a_uuid) is not None
    Project.open(tmp_path / "a").close()  # A still opens from the keychain


def test_another_projects_key_file_is_named_as_such(tmp_path: Path, memory_keyring: MemoryKeychain) -> None:
    """Issue 14: with another project's key file in the folder, its own (right) passphrase said "wrong
    passphrase", and the user went on guessing. Now the key file is named as another project's."""
    a, _ = make_project(tmp_path / "a")
    b, _ = make_project(tmp_path / "b")
    a.close()
    b.close()
    before = dict(memory_keyring.secrets)
    shutil.copyfile(tmp_path / "a" / "project.keys", tmp_path / "b" / "project.keys")
    with pytest.raises(KeyFileError, match="belongs to another project") as refused:
        Project.open(tmp_path / "b", passphrase=PASSPHRASE)  # A's passphrase, right for A's key file
    assert "project.keys" in str(refused.value) and "\n" not in str(refused.value)
    assert memory_keyring.secrets == before


def test_an_empty_database_file_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """Issue 14: a 0-byte project.jswc had a new, empty database written over it."""
    project, _ = make_project(tmp_path / "p")
    project.close()
    database_file = tmp_path / "p" / "project.jswc"
    for damaged in (b"", b"SQLite format 3\x00" + b"\x00" * 100):
        database_file.write_bytes(damaged)
        before = _snapshot(tmp_path / "p")
        with pytest.raises(ProjectDamaged, match="empty or damaged"):
            Project.open(tmp_path / "p", passphrase=PASSPHRASE)
        assert _snapshot(tmp_path / "p") == before


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_a_project_made_in_an_existing_open_folder_is_private(tmp_path: Path) -> None:
    """Issue 14: a project made in an existing 0755 folder stayed world-readable."""
    folder = tmp_path / "study"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    project, _ = make_project(folder)
    project.codebook.add("A theme")  # the write-ahead log exists now
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path.name
    project.close()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("memory_kib", 2**40),
        ("memory_kib", 8),
        ("iterations", 10**9),
        ("iterations", 0),
        ("lanes", 2**24),
        ("lanes", -1),
    ],
)
def test_extreme_key_derivation_settings_are_refused_at_once(tmp_path: Path, field: str, value: int) -> None:
    """Issue 14: a key file's Argon2id settings were not range-checked (MemoryError, or an unlock that
    never ends). Outside the floor and the cap, the key file is refused before anything is derived."""
    project, _ = make_project(tmp_path / "p")
    project.close()
    keys = tmp_path / "p" / "project.keys"
    document = json.loads(keys.read_text(encoding="utf-8"))
    for slot in document["slots"]:
        slot["kdf"][field] = value
    keys.write_text(json.dumps(document), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(KeyFileError, match="key-derivation settings outside"):
        Project.open(tmp_path / "p", passphrase=PASSPHRASE)
    assert time.monotonic() - started < 5


def test_an_oversized_key_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "p")
    project.close()
    with (tmp_path / "p" / "project.keys").open("ab") as keys:
        keys.truncate(10 * 1024 * 1024)
    with pytest.raises(KeyFileError, match="too large"):
        Project.open(tmp_path / "p", passphrase=PASSPHRASE)


def test_newer_schema_is_refused_clearly(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "study")
    project.db.execute("PRAGMA user_version = 999")
    project.close()
    with pytest.raises(Exception, match="newer version of jswcoder"):
        Project.open(tmp_path / "study", passphrase=PASSPHRASE)


def test_wrong_raw_key_is_reported_as_a_wrong_secret(tmp_path: Path) -> None:
    project, _ = make_project(tmp_path / "study")
    path = project.paths.database
    project.close()
    with pytest.raises(WrongSecret):
        database.connect(path, os.urandom(32))
