# Windows: build the bundle with PyInstaller, self-test it, and make the installer with Inno Setup 6.
# Run from the repository root in PowerShell, with Python 3.11+ and Inno Setup 6 (iscc on the PATH).
# NOT BUILT OR TESTED on the Linux machine jswcoder is developed on; see packaging/README.md.
$ErrorActionPreference = "Stop"
python -m venv .venv
.venv\Scripts\pip install -q -e ".[package]" pillow
New-Item -ItemType Directory -Force build | Out-Null
$version = (.venv\Scripts\python -c "import jswcoder; print(jswcoder.__version__)").Trim()
.venv\Scripts\python -c "from PIL import Image; Image.open('jswcoder/resources/icons/jswcoder-256.png').save('build/jswcoder.ico', sizes=[(16,16),(32,32),(48,48),(256,256)])"
.venv\Scripts\python -m PyInstaller --noconfirm --distpath build\bundle --workpath build\pyinstaller packaging\jswcoder.spec
build\bundle\jswcoder\jswcoder-cli.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "the bundle failed its self-test" }
iscc /DVersion=$version packaging\windows\jswcoder.iss
