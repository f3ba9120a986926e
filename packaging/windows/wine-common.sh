# shellcheck shell=bash
# Shared by build-on-linux.sh and selftest-under-wine.sh (sourced, not run): Debian packages, Wine's
# environment, running a Windows console program under Wine, and the test-harness stand-in DLLs.

: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}" # CI may start us without one
WINDOWS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$WINDOWS_DIR/../.." && pwd)
export JSWCODER_WINE_T0=${JSWCODER_WINE_T0:-$(date +%s)} # so a nested run counts from the same start

elapsed() { echo $(($(date +%s) - JSWCODER_WINE_T0)); }
say() { printf '==> [%4ds] %s\n' "$(elapsed)" "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# apt_install PACKAGE... : as root with apt-get, install them (after one `apt-get update`);
# otherwise stop and say what to install.
_APT_UPDATED=0
apt_install() {
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
        die "missing: $* (as root: apt-get install --no-install-recommends $*)"
    fi
    say "installing Debian packages: $*"
    if [[ $_APT_UPDATED -eq 0 ]]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        _APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# need_packages COMMAND:PACKAGE... : the Debian packages of the commands (or absolute paths) missing here.
need_packages() {
    local pair command missing=()
    for pair in "$@"; do
        command=${pair%%:*}
        if [[ $command == /* ]]; then
            [[ -e $command ]] && continue
        elif command -v "$command" >/dev/null 2>&1; then
            continue
        fi
        [[ " ${missing[*]} " == *" ${pair#*:} "* ]] || missing+=("${pair#*:}")
    done
    if [[ ${#missing[@]} -gt 0 ]]; then apt_install "${missing[@]}"; fi
}

# What every Wine command here runs with:
# - a UTF-8 locale, whatever the caller's, so non-ASCII paths and arguments reach Windows intact;
# - no Windows display: Qt draws offscreen (or under Xvfb, when asked for), and wineboot shows no dialogs;
# - WINEDEBUG=-all: no "fixme" chatter mixed into the programs' output;
# - mscoree and mshtml disabled: a new prefix does not offer to download Wine Mono and Gecko;
# - wbemprox (WMI) disabled: Python 3.13's platform module asks WMI for the Windows version, and Wine 8
#   aborts the process there (unimplemented propsys.dll.VariantToString). Without WMI, platform falls
#   back to GetVersionEx, as it does on any Windows without WMI. Real Windows has WMI; nothing shipped
#   changes.
wine_environment() {
    export LC_ALL=C.UTF-8 # Wine maps file names and arguments through the locale's character set
    export WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;wbemprox=d"
    unset DISPLAY WAYLAND_DISPLAY
}

# Terminal output of Wine's console (conhost) as plain text: its escape sequences removed, a cursor
# move right turned back into the spaces it replaced, CRLF into LF.
plain_text() {
    perl -pe 's/\e\[(\d*)C/" " x ($1 || 1)/ge; s/\e\][^\a]*\a//g; s/\e\[[\d;?]*[A-Za-z]//g; s/\r//g'
}

# wine_console LOG TIMEOUT PROGRAM ARGS... : run a Windows console program under Wine, with its output
# (plain text) in LOG; returns the program's exit status. Wine 8 gives a Windows program redirected
# standard streams that Python 3.13 rejects ("init_sys_streams: ... Invalid handle"), so it runs on a
# pseudo-terminal made by script(1), as wide as its longest line.
wine_console() {
    local log=$1 limit=$2 status=0 command
    shift 2
    command=$(printf '%q ' wine "$@")
    SHELL=/bin/bash TERM=dumb timeout --kill-after=30 "$limit" \
        script -qefc "stty cols 2000 rows 50 2>/dev/null; exec $command" /dev/null </dev/null >"$log.raw" 2>&1 \
        || status=$?
    plain_text <"$log.raw" >"$log"
    rm -f "$log.raw"
    [[ $status -eq 124 ]] && printf 'error: timed out after %ss: %s\n' "$limit" "$*" >&2
    return "$status"
}

# new_prefix DIR : a new 64-bit Wine prefix (C:\windows with Wine's own system DLLs) that says it is
# Windows 10, as jswcoder needs (Debian's Wine 8 makes a "Windows 7" prefix by default).
new_prefix() {
    WINEPREFIX=$1 wine wineboot --init >/dev/null 2>&1 || die "wineboot failed for $1"
    WINEPREFIX=$1 wine reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null 2>&1 \
        || die "could not make $1 say Windows 10"
    WINEPREFIX=$1 wineserver --wait
    [[ -d $1/drive_c/windows/system32 ]] || die "wineboot made no C:\\windows\\system32 in $1"
}

# build_standins OUTDIR : the two test-harness stand-in DLLs for Windows 10 system libraries that
# Wine 8 lacks (sources in wine-standins/). They go into a Wine prefix's C:\windows\system32, where
# Windows keeps the real ones; never into the bundle, the zip or the installer.
build_standins() {
    local out=$1 name
    mkdir -p "$out"
    for name in icuuc bcryptprimitives; do
        x86_64-w64-mingw32-gcc -shared -O2 -s -Wall -Wextra -Werror -o "$out/$name.dll" \
            "$WINDOWS_DIR/wine-standins/$name.c" "$WINDOWS_DIR/wine-standins/$name.def" -ladvapi32
    done
}

# install_standins OUTDIR PREFIX
install_standins() {
    cp "$1/icuuc.dll" "$1/bcryptprimitives.dll" "$2/drive_c/windows/system32/"
}

project_version() {
    python3 - "$ROOT/jswcoder/__init__.py" <<'EOF'
import ast, sys
tree = ast.parse(open(sys.argv[1], encoding="utf-8").read())
for node in tree.body:
    if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__version__" for t in node.targets):
        print(ast.literal_eval(node.value))
        break
else:
    sys.exit("no __version__ in " + sys.argv[1])
EOF
}
