#!/usr/bin/env bash
# Maintainers: rewrite requirements-windows.txt, the pinned and hashed win_amd64 wheels for CPython
# 3.13 that build-on-linux.sh installs into the Windows build Python. Run it after changing the
# dependencies in pyproject.toml (build-on-linux.sh refuses a lock that no longer satisfies them):
#
#     packaging/windows/lock-requirements.sh
#
# It takes [project].dependencies and the `package` extra from pyproject.toml, adds Pillow
# (PyInstaller needs it to turn the PNG icon into .ico), and resolves them for Windows with uv (pip
# cannot: it evaluates a dependency's markers, such as sys_platform == "win32", for the machine it
# runs on). Then it downloads each wheel and records the sha256 of that exact file.
set -euo pipefail
WINDOWS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$WINDOWS_DIR/../.." && pwd)
UV_VERSION=0.13.9
OUT=$WINDOWS_DIR/requirements-windows.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "==> uv $UV_VERSION in a throw-away venv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "uv==$UV_VERSION"

echo "==> what pyproject.toml asks for"
python3 - "$ROOT/pyproject.toml" >"$work/requirements.in" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
for line in [*project["dependencies"], *project["optional-dependencies"]["package"], "pillow"]:
    print(line)
EOF
cat "$work/requirements.in"

echo "==> resolving for x86_64 Windows, CPython 3.13, wheels only"
"$work/venv/bin/uv" pip compile --quiet --no-header --no-annotate \
    --python-platform x86_64-pc-windows-msvc --python-version 3.13 --only-binary :all: \
    -o "$work/pins.txt" "$work/requirements.in"

echo "==> downloading the wheels to hash them"
"$work/venv/bin/pip" download -q --disable-pip-version-check --no-deps --only-binary :all: \
    --platform win_amd64 --python-version 3.13 --implementation cp --abi cp313 \
    -d "$work/wheels" -r "$work/pins.txt"

python3 - "$work/pins.txt" "$work/wheels" >"$OUT" <<'EOF'
import hashlib, pathlib, re, sys
normal = lambda name: re.sub(r"[-_.]+", "-", name).lower()
pins = {}
for line in open(sys.argv[1]):
    if "==" in line:
        name, version = line.split(";")[0].strip().split("==")
        pins[normal(name)] = (name, version)
wheels = {normal(path.name.split("-")[0]): path for path in pathlib.Path(sys.argv[2]).glob("*.whl")}
if sorted(pins) != sorted(wheels):
    sys.exit(f"pins and wheels differ: {sorted(set(pins) ^ set(wheels))}")
print("# win_amd64 wheels for CPython 3.13: the Windows build Python of build-on-linux.sh.")
print("# Written by packaging/windows/lock-requirements.sh from pyproject.toml (runtime dependencies and")
print("# the `package` extra) plus Pillow; do not edit by hand. Each hash is of the one file listed.")
for key in sorted(pins):
    name, version = pins[key]
    digest = hashlib.sha256(wheels[key].read_bytes()).hexdigest()
    print(f"{name}=={version} \\\n    --hash=sha256:{digest}  # {wheels[key].name}")
EOF
echo "==> wrote $OUT ($(grep -c '==' "$OUT") wheels)"
