#!/usr/bin/env bash
# The Python package as users get it: the wheel, and a plain `pip install .`, each into a fresh
# virtual environment outside the checkout (so nothing is found through the source tree), then
# `jswcoder --self-test` and `jswcoder demo --no-window` run there in a bare environment.
#
#   bash packaging/check-wheel.sh          # from anywhere; writes dist/jswcoder-VERSION-py3-none-any.whl
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"
outside="$(mktemp -d)"
trap 'rm -rf "$outside"' EXIT

echo "check-wheel: building the wheel"
mkdir -p "$root/dist"
rm -f "$root"/dist/jswcoder-*.whl
"$python" -m pip wheel -q --no-deps -w "$root/dist" "$root"
wheel="$(ls "$root"/dist/jswcoder-*-py3-none-any.whl)"

check() {  # check NAME PIP-ARGS...: install into a fresh venv, then self-test and demo from outside
    local name="$1"
    shift
    local venv="$outside/$name" home="$outside/$name-home"
    echo "check-wheel: $name: installing"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$@"
    mkdir -p "$home"
    cd "$outside"
    local bare=(env -i "HOME=$home" "PATH=/usr/bin:/bin" QT_QPA_PLATFORM=offscreen
                PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring)
    local where
    where="$("${bare[@]}" "$venv/bin/python" -c 'import jswcoder.resources as r; print(r.resource(r.DEMO))')"
    case "$where" in
        "$venv"/*) ;;
        *) echo "check-wheel: $name: resources found at $where, not in the virtual environment" >&2; exit 1 ;;
    esac
    echo "check-wheel: $name: $("${bare[@]}" "$venv/bin/jswcoder" --self-test)"
    local demo
    demo="$("${bare[@]}" "$venv/bin/jswcoder" demo --no-window --folder "$outside/$name-demo")"
    echo "check-wheel: $name: demo: $(grep '^transcripts:' <<<"$demo")"
    cd "$root"
}

check wheel "$wheel"
check pip-install "$root"
echo "check-wheel: passed ($(basename "$wheel"))"
