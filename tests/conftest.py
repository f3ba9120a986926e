"""Shared fixtures: the synthetic corpus, a fake keychain, and fresh projects in temp dirs.

No test touches the real OS keychain: an autouse fixture swaps in an in-memory keyring backend, and
subprocesses get ``PYTHON_KEYRING_BACKEND`` pointing at keyring's null backend.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest

from jswcoder.security.keyfile import KdfParams
from jswcoder.security.memory_keychain import MemoryKeychain

if TYPE_CHECKING:
    from jswcoder.project import Project
    from jswcoder.team.membership import Joined

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
# Logs and crash reports of the tests (and their subprocesses) go to a temp folder, never the user's.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="jswcoder-test-state-")

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeychain]:
    previous = keyring.get_keyring()
    backend = MemoryKeychain()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


def corpus_files(corpus_dir: Path) -> list[Path]:
    return sorted(p for p in corpus_dir.iterdir() if p.suffix in {".docx", ".txt"})


# Tests create hundreds of projects; a cheap key derivation keeps them fast. Only tests pass it
# explicitly; the app and the command line always use keyfile.DEFAULT_KDF (see test_keyfile.py).
FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSPHRASE = "correct horse battery"


def make_project(folder: Path, *, coder: str = "Ailsa") -> tuple[Project, str]:
    from jswcoder.project import Project

    return Project.create(folder, name="Test study", coder=coder, passphrase=PASSPHRASE, kdf=FAST_KDF)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    opened, _recovery = make_project(tmp_path / "study")
    yield opened
    opened.close()


def write_txt(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def join_team(project: Project, team_file: bytes) -> Joined:
    """Join with the fingerprint of the team file's own signer: for tests that are not about checking it."""
    from jswcoder.team import teamfile

    return project.team.join(team_file, fingerprint=teamfile.decode(team_file).fingerprint)


def admit(lead: Project, exchange: Path, *members: Project) -> None:
    """The lead's sync that brings the members' join requests, then each admitted with the fingerprint
    they read out (their own project's)."""
    from jswcoder.team.lead_sync import sync_lead

    sync_lead(lead, exchange)
    for member in members:
        lead.team.admit(member.team.membership().member_id, member.team.fingerprint())
