"""The leak scanner shared by the leak tests: canary strings searched for in raw bytes, in the
encodings text reaches disk in (UTF-8, and UTF-16 either way round, as Qt and Windows write it), and
inside zip and gzip files, whose compression would hide them."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def _unpacked(data: bytes) -> list[bytes]:
    """The contents of ``data`` if it is a zip archive (a .docx, an .xlsx, a .qdpx) or gzip, where
    compression would hide text from a byte search; nothing otherwise."""
    try:
        if data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return [archive.read(info) for info in archive.infolist()]
        if data.startswith(b"\x1f\x8b"):
            return [gzip.decompress(data)]
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return []
    return []


def found_in(data: bytes, canaries: Sequence[str]) -> list[str]:
    """The canaries present in ``data`` in any of :data:`ENCODINGS`, looking inside archives too."""
    parts = [data, *_unpacked(data)]
    return [
        canary for canary in canaries if any(canary.encode(e) in part for e in ENCODINGS for part in parts)
    ]


def scan(folders: Iterable[Path], canaries: Sequence[str]) -> list[str]:
    """Every ``file: canary`` pair for a canary found in any file under ``folders`` (symbolic links are
    not followed; a file that vanishes while being scanned is skipped)."""
    hits: list[str] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                try:
                    data = path.read_bytes()
                except FileNotFoundError:
                    continue
                hits += [f"{path}: {canary}" for canary in found_in(data, canaries)]
    return hits


def files_under(folders: Iterable[Path]) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


# Where a process may write on its own: home, the XDG folders and temp. The leak tests point them all
# into the test's folder, so that every file the app writes is there to scan.
WRITABLE = ("home", "config", "data", "cache", "state", "runtime", "tmp")


def isolated_env(root: Path, **extra: str) -> tuple[dict[str, str], dict[str, Path]]:
    """This process's environment with every writable folder of :data:`WRITABLE` made under ``root``."""
    folders = {name: root / name for name in WRITABLE}
    for folder in folders.values():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "JSWCODER_"))}
    env.update(
        HOME=str(folders["home"]),
        XDG_CONFIG_HOME=str(folders["config"]),
        XDG_DATA_HOME=str(folders["data"]),
        XDG_CACHE_HOME=str(folders["cache"]),
        XDG_STATE_HOME=str(folders["state"]),
        XDG_RUNTIME_DIR=str(folders["runtime"]),
        TMPDIR=str(folders["tmp"]),
        **extra,
    )
    return env, folders


REPO = Path(__file__).resolve().parent.parent


def run_jswcoder(env: dict[str, str], *args: str) -> str:
    """``python -m jswcoder --no-keychain ARGS`` from the checkout, in ``env``, with no terminal to ask on;
    its output, after checking it succeeded."""
    done = subprocess.run(
        [sys.executable, "-m", "jswcoder", "--no-keychain", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
