"""The packages a fieldworker or an IT team installs: built for real, unpacked, and self-tested.

The session fixture runs packaging/build.py once (about a minute): the PyInstaller bundle, the .deb
and the .tar.gz. Each package is then unpacked the way a user would and its ``--self-test`` run in a
bare environment (``env -i`` with only a home folder and the display variable).
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
import sys
import tarfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from jswcoder import __version__
from jswcoder.cli import build_parser
from tests.conftest import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="the .deb and .tar.gz are Linux packages"
    ),
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb builds the .deb"),
]


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller")
    out = tmp_path_factory.mktemp("packages")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "build.py"),
            "--out",
            str(out),
            "--work",
            str(out / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def _self_test(launcher: Path, home: Path) -> subprocess.CompletedProcess[str]:
    home.mkdir(exist_ok=True)
    bare = ["env", "-i", f"HOME={home}", "QT_QPA_PLATFORM=offscreen"]
    return subprocess.run([*bare, str(launcher), "--self-test"], capture_output=True, text=True, timeout=300)


def _passed(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    (line,) = done.stdout.splitlines()
    assert line.startswith(f"jswcoder {__version__} self-test: passed (8 checks")


def test_the_deb_unpacks_into_a_tree_whose_launcher_passes_the_self_test(
    packages: Path, tmp_path: Path
) -> None:
    (deb,) = packages.glob("jswcoder_*.deb")
    tree = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
    launcher = tree / "usr" / "bin" / "jswcoder"
    assert launcher.stat().st_mode & 0o111
    assert (tree / "opt" / "jswcoder" / "jswcoder").is_file()
    _passed(_self_test(launcher, tmp_path / "home"))
    version = subprocess.run([str(launcher), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == f"jswcoder {__version__}"


def test_the_deb_declares_itself_its_desktop_entry_and_its_file_type(packages: Path, tmp_path: Path) -> None:
    (deb,) = packages.glob("jswcoder_*.deb")
    facts = json.loads((packages / "bundle-facts.json").read_text(encoding="utf-8"))

    def field(name: str) -> str:
        return subprocess.run(
            ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True
        ).stdout.strip()

    assert field("Package") == "jswcoder" and field("Version") == __version__
    assert field("Depends").startswith(f"libc6 (>= {facts['glibc']})")
    tree = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(tree)], check=True)
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(tree / "usr" / "share" / "applications" / "jswcoder.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == "jswcoder open %f" and desktop["Type"] == "Application"
    assert (
        tree / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps" / f"{desktop['Icon']}.png"
    ).is_file()
    mime = ET.parse(tree / "usr" / "share" / "mime" / "packages" / "jswcoder.xml").getroot()
    namespace = "{http://www.freedesktop.org/standards/shared-mime-info}"
    (kind,) = mime.iter(f"{namespace}mime-type")
    assert desktop["MimeType"] == kind.get("type") + ";"
    assert [g.get("pattern") for g in kind.iter(f"{namespace}glob")] == ["*.jswc"]
    # What the desktop passes on a double-click (the project's database file) opens the project...
    assert (
        build_parser().parse_args(["open", "/data/study/project.jswc"]).project == "/data/study/project.jswc"
    )
    # ...and the menu's launch with no file opens the start screen.
    assert build_parser().parse_args(["open"]).project is None


def test_the_portable_tarball_runs_where_it_is_unpacked(packages: Path, tmp_path: Path) -> None:
    (archive,) = packages.glob("jswcoder-*-linux-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    (top,) = (tmp_path / "unpacked").iterdir()
    assert (top / "README.txt").is_file()
    _passed(_self_test(top / "jswcoder" / "jswcoder", tmp_path / "home"))


def test_the_readme_states_the_glibc_the_bundle_needs(packages: Path) -> None:
    facts = json.loads((packages / "bundle-facts.json").read_text(encoding="utf-8"))
    here = os.confstr("CS_GNU_LIBC_VERSION").split()[1]
    floor = tuple(map(int, facts["glibc"].split(".")))
    assert (2, 17) <= floor <= tuple(map(int, here.split(".")))
    assert f"glibc {facts['glibc']} or newer" in (REPO / "README.md").read_text(encoding="utf-8")
