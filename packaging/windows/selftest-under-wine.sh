#!/usr/bin/env bash
# Self-test jswcoder's Windows portable zip on Linux, under Wine:
#
#     packaging/windows/selftest-under-wine.sh [OPTIONS] dist/jswcoder-VERSION-windows-portable.zip
#
# It unpacks the zip into a new, temporary Wine prefix (under a folder name with a space and a
# non-ASCII letter, as a user's might be), adds the test-harness stand-in DLLs to that prefix's
# C:\windows\system32 (never to the bundle or the zip), and runs the bundle's console program
# `jswcoder-cli.exe --self-test`, with no network (a network namespace of its own, where unshare
# allows one). It prints the self-test's one line and exits with its status.
#
# Options:
#   --installer SETUP.exe  then, in the same prefix, install with `SETUP.exe /S` (per user), check
#                          the files, shortcut and registry entries, self-test the installed copy,
#                          uninstall with `uninstall.exe /S` and check that only the program went
#   --native-window        draw the window with Qt's Windows platform (qwindows.dll, what users get)
#                          on a virtual X screen (Xvfb), instead of Qt's offscreen platform
#   --no-window            passed on to the self-test: leave the window check out
# JSWCODER_KEEP_PREFIX=1 keeps the temporary folder for a look afterwards.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=wine-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/wine-common.sh"

native=0
self_test_args=(--self-test)
zip=""
setup=""
offline_part=0
arguments=("$@")
while [[ $# -gt 0 ]]; do
    case "$1" in
        --native-window) native=1 ;;
        --no-window) self_test_args+=(--no-window) ;;
        --installer) [[ $# -ge 2 ]] || die "--installer needs SETUP.exe"; setup=$2; shift ;;
        --offline-part) offline_part=1 ;; # internal: the part that runs inside the network namespace
        -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option: $1 (see --help)" ;;
        *) [[ -z $zip ]] || die "one zip, please"; zip=$1 ;;
    esac
    shift
done
[[ -n $zip ]] || die "usage: $0 [--installer SETUP.exe] [--native-window] [--no-window] ZIP"

# self_test LOG WINDOWS-PROGRAM : its --self-test, offscreen or on Xvfb; returns its exit status.
self_test() {
    local log=$1 program=$2 run=()
    [[ $native -eq 0 ]] || run=(xvfb-run --auto-servernum --server-args="-screen 0 1280x1024x24")
    # shellcheck disable=SC2016 # expanded by the inner bash
    "${run[@]}" bash -c 'source "$1/wine-common.sh"; shift; wine_console "$@"' _ "$WINDOWS_DIR" \
        "$log" 900 "$program" "${self_test_args[@]}"
}

# show_failure LOG : the program's output and the crash reports (safe to show: no study text, by design).
show_failure() {
    echo "--- the program's output (last 60 lines) ---" >&2
    tail -n 60 "$1" >&2
    local report
    for report in "$LOGS"/crashes/*; do
        if [[ -s $report ]]; then { echo "--- $report ---"; cat "$report"; } >&2; fi
    done
}

registry_value() { # registry_value KEY [NAME] : the value's data (without NAME: the key's default), or nothing
    if [[ $# -eq 1 ]]; then
        wine reg query "$1" /ve 2>/dev/null | tr -d '\r' | sed -n 's/^ *(Default) *REG_[A-Z_]* *//p'
    else
        wine reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | sed -n "s/^ *$2 *REG_[A-Z_]* *//p"
    fi
}

check_installer() {
    local user programs app shortcut command status=0
    user=$(id -un)
    programs="$WINEPREFIX/drive_c/users/$user/AppData/Local/Programs"
    app="$programs/jswcoder"
    shortcut="$WINEPREFIX/drive_c/users/$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/jswcoder.lnk"
    say "installer: $(basename "$SETUP") /S (per user, no admin rights)"
    timeout 900 wine "$SETUP" /S || die "the installer failed (exit status $?)"
    wineserver --wait
    for file in jswcoder.exe jswcoder-cli.exe uninstall.exe _internal; do
        [[ -e $app/$file ]] || die "installer: no $file in %LOCALAPPDATA%\\Programs\\jswcoder"
    done
    [[ -f $shortcut ]] || die "installer: no Start-menu shortcut"
    command=$(registry_value 'HKCU\Software\Classes\jswcoder.project\shell\open\command')
    [[ $command == "\"C:\\users\\$user\\AppData\\Local\\Programs\\jswcoder\\jswcoder.exe\" open \"%1\"" ]] \
        || die "installer: the .jswc open command is [$command]"
    [[ $(registry_value 'HKCU\Software\Classes\.jswc') == jswcoder.project ]] \
        || die "installer: .jswc is not associated with jswcoder.project"
    [[ -n $(registry_value 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\jswcoder' UninstallString) ]] \
        || die "installer: no entry in Apps & features"
    say "installer: files, Start-menu shortcut, .jswc association and uninstall entry are there"

    say "self-test of the installed copy"
    self_test "$WORK/installed-self-test.log" "C:\\users\\$user\\AppData\\Local\\Programs\\jswcoder\\jswcoder-cli.exe" \
        || status=$?
    grep -E '^jswcoder .* self-test: ' "$WORK/installed-self-test.log" | tail -n 1 || true
    [[ $status -eq 0 ]] || { show_failure "$WORK/installed-self-test.log"; return "$status"; }

    say "uninstaller: uninstall.exe /S"
    timeout 600 wine "$app/uninstall.exe" /S || die "the uninstaller failed (exit status $?)"
    wineserver --wait # it runs from a copy in %TEMP%
    [[ ! -e $app ]] || die "uninstaller: left $(find "$app" | head -n 5 | tr '\n' ' ')"
    [[ ! -e $shortcut ]] || die "uninstaller: left the Start-menu shortcut"
    for key in 'HKCU\Software\Classes\jswcoder.project' 'HKCU\Software\Classes\.jswc' \
        'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\jswcoder'; do
        if wine reg query "$key" >/dev/null 2>&1; then die "uninstaller: left $key"; fi
    done
    [[ -f $LOGS/jswcoder.log ]] || die "uninstaller: removed the user's logs"
    say "uninstaller: the program, shortcut and registry entries went; the user's logs stayed"
}

# -- part 2, inside the network namespace: a new prefix, then the self-test(s) ---------------------
if [[ $offline_part -eq 1 ]]; then
    : "${WORK:?}" "${STANDINS:?}" "${PROGRAM:?}"
    wine_environment
    export HOME=$WORK/home WINEPREFIX=$WORK/prefix
    LOGS="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/jswcoder/Logs"
    mkdir -p "$HOME"
    say "a new Wine prefix: $WINEPREFIX"
    new_prefix "$WINEPREFIX"
    install_standins "$STANDINS" "$WINEPREFIX"
    fonts=(/usr/share/fonts/truetype/dejavu/*.ttf)
    cp "${fonts[@]}" "$WINEPREFIX/drive_c/windows/Fonts/"
    mkdir -p "$WINEPREFIX/drive_c/Users Ünit"
    mv "$WORK/unpacked" "$WINEPREFIX/drive_c/Users Ünit/portable"
    windows_program="C:\\Users Ünit\\portable\\${PROGRAM//\//\\}"
    # Wine hands a Windows program no QT_* variable of the host; WINEQT_* ones arrive without "WINE".
    if [[ $native -eq 1 ]]; then
        say "self-test with Qt's Windows platform on a virtual X screen (Xvfb): $windows_program"
    else
        say "self-test, the window drawn offscreen: $windows_program"
        export WINEQT_QPA_PLATFORM=offscreen
    fi
    export WINEQT_QPA_FONTDIR='C:\windows\Fonts' # Qt's own font database (offscreen) reads the fonts there
    status=0
    self_test "$WORK/self-test.log" "$windows_program" || status=$?
    grep -E '^jswcoder .* self-test: ' "$WORK/self-test.log" | tail -n 1 || true # the verdict
    if [[ $status -ne 0 ]]; then
        show_failure "$WORK/self-test.log"
    elif [[ -n ${SETUP:-} ]]; then
        check_installer || status=$?
    fi
    wineserver -k 2>/dev/null || true
    exit "$status"
fi

# -- part 1: tools, stand-ins, the unpacked zip ------------------------------------------------------
[[ -f $zip ]] || die "no such file: $zip"
zip=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")
if [[ -n $setup ]]; then
    [[ -f $setup ]] || die "no such file: $setup"
    SETUP=$(cd "$(dirname "$setup")" && pwd)/$(basename "$setup")
    export SETUP
fi
need_packages wine:wine /usr/lib/wine/wine64:wine64 wineserver:wine x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 \
    script:bsdutils unshare:util-linux perl:perl-base python3:python3 \
    /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:fonts-dejavu-core
[[ $native -eq 0 ]] || need_packages xvfb-run:xvfb xauth:xauth

WORK=$(mktemp -d "${TMPDIR:-/tmp}/jswcoder-wine-selftest.XXXXXX")
# shellcheck disable=SC2317 # run by the trap
cleanup() {
    if [[ -d $WORK/prefix ]]; then WINEPREFIX=$WORK/prefix wineserver -k 2>/dev/null || true; fi
    if [[ ${JSWCODER_KEEP_PREFIX:-0} == 1 ]]; then
        echo "kept: $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

say "stand-in icuuc.dll and bcryptprimitives.dll (mingw-w64), for this test's prefix only"
build_standins "$WORK/standins"

say "unpacking $(basename "$zip")"
python3 - "$zip" "$WORK/unpacked" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as archive:
    bad = archive.testzip()
    if bad:
        sys.exit(f"corrupt member in the zip: {bad}")
    archive.extractall(sys.argv[2])
EOF
mapfile -t programs < <(cd "$WORK/unpacked" && find . -name jswcoder-cli.exe -printf '%P\n')
[[ ${#programs[@]} -eq 1 ]] || die "expected one jswcoder-cli.exe in the zip, found ${#programs[@]}"
if found=$(cd "$WORK/unpacked" && find . -type f \( -iname icuuc.dll -o -iname bcryptprimitives.dll \) | grep .); then
    die "the zip carries a stand-in's name, which Windows supplies: $found"
fi

# No network for the app (it never needs one): its own network namespace, with only a loopback that
# is down. Wine's server makes a Windows program's sockets, so it starts inside the namespace too.
offline=()
if unshare --net true 2>/dev/null; then
    offline=(unshare --net)
elif unshare --user --map-root-user --net true 2>/dev/null; then
    offline=(unshare --user --map-root-user --net)
else
    say "warning: unshare cannot make a network namespace here; the self-test runs with the network"
fi
[[ ${#offline[@]} -eq 0 ]] || say "no network: ${offline[*]}"

status=0
export WORK STANDINS=$WORK/standins PROGRAM=${programs[0]}
"${offline[@]}" "$0" --offline-part "${arguments[@]}" || status=$?
if ! grep -qE '^jswcoder .* self-test: ' "$WORK/self-test.log" 2>/dev/null; then
    echo "no self-test verdict in the output (exit status $status)" >&2
    [[ $status -ne 0 ]] || status=1
fi
say "exit status $status, $(elapsed) s in all"
exit "$status"
