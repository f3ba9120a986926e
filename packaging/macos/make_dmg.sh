#!/usr/bin/env bash
# macOS: build the .app with PyInstaller and wrap it in a .dmg (hdiutil is part of macOS).
# Run from the repository root on a Mac, after: python3 -m venv .venv && .venv/bin/pip install -e '.[package]' pillow
# NOT BUILT OR TESTED on the Linux machine jswcoder is developed on; see packaging/README.md.
set -euo pipefail
version=$(.venv/bin/python -c 'import jswcoder; print(jswcoder.__version__)')
.venv/bin/python -m PyInstaller --noconfirm --distpath build/bundle --workpath build/pyinstaller packaging/jswcoder.spec
QT_QPA_PLATFORM=offscreen build/bundle/jswcoder.app/Contents/MacOS/jswcoder --self-test
# Unsigned builds are stopped by Gatekeeper: sign and notarise with your Developer ID before sharing.
#   codesign --deep --force --options runtime --sign "Developer ID Application: ..." build/bundle/jswcoder.app
#   xcrun notarytool submit dist/jswcoder-$version-macos.dmg --keychain-profile ... --wait
staging=build/dmg
rm -rf "$staging" && mkdir -p "$staging" dist
cp -R build/bundle/jswcoder.app "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "jswcoder $version" -srcfolder "$staging" -ov -format UDZO "dist/jswcoder-$version-macos.dmg"
echo "wrote dist/jswcoder-$version-macos.dmg"
