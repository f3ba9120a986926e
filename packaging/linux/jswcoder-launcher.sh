#!/bin/sh
# jswcoder: starts the bundle in /opt/jswcoder. The path is found from this script's own place, so an
# unpacked .deb tree (dpkg-deb -x) runs as well as an installed one.
here=$(dirname "$(readlink -f "$0")")
exec "$here/../../opt/jswcoder/jswcoder" "$@"
