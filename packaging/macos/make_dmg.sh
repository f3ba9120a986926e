#!/usr/bin/env bash
# macOS: build the .app with PyInstaller, self-test it, sign it (optional) and wrap it in a .dmg.
# Run from the repository root on a Mac, after: python3 -m venv .venv && .venv/bin/pip install -e '.[package]' pillow
# The release workflow (.github/workflows/release.yml) runs it on macos-latest; it has not run on a Mac
# we own. Signing and notarisation run only when their variables are set:
#   MACOS_SIGNING_IDENTITY   "Developer ID Application: ..." in a keychain on the search list
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_PASSWORD (app-specific), MACOS_NOTARY_TEAM_ID
# Unsigned builds are stopped by Gatekeeper until the user allows them (System Settings › Privacy).
set -euo pipefail
version=$(.venv/bin/python -c 'import jswcoder; print(jswcoder.__version__)')
app=build/bundle/jswcoder.app
dmg="dist/jswcoder-$version-macos.dmg"
.venv/bin/python -m PyInstaller --noconfirm --distpath build/bundle --workpath build/pyinstaller packaging/jswcoder.spec
env -i HOME="$(mktemp -d)" QT_QPA_PLATFORM=offscreen "$app/Contents/MacOS/jswcoder" --self-test

if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]; then
    # Hardened runtime, as notarisation requires; the entitlements let Python load its own libraries.
    codesign --deep --force --timestamp --options runtime \
        --entitlements packaging/macos/entitlements.plist --sign "$MACOS_SIGNING_IDENTITY" "$app"
    codesign --verify --deep --strict "$app"
fi

staging=build/dmg
rm -rf "$staging" && mkdir -p "$staging" dist
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "jswcoder $version" -srcfolder "$staging" -ov -format UDZO "$dmg"

if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGNING_IDENTITY" "$dmg"
    if [ -n "${MACOS_NOTARY_APPLE_ID:-}" ]; then
        xcrun notarytool submit "$dmg" --apple-id "$MACOS_NOTARY_APPLE_ID" \
            --password "$MACOS_NOTARY_PASSWORD" --team-id "$MACOS_NOTARY_TEAM_ID" --wait
        xcrun stapler staple "$dmg"
    fi
fi
echo "wrote $dmg"
