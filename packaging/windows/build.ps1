# Windows: build the bundle with PyInstaller, self-test it, and make the per-user NSIS installer
# and the portable zip (the same packaging/windows/jswcoder.nsi and portable_zip.py that
# build-on-linux.sh uses under Wine). Run from the repository root in PowerShell, with Python 3.11+
# and NSIS 3 (makensis on the PATH, or in its usual folder). The release workflow runs it on
# windows-latest. Signing runs only when JSWCODER_SIGN_PFX (a .pfx file) is set, with
# JSWCODER_SIGN_PASSWORD, and needs signtool (Windows SDK).
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

function Invoke-Checked([string]$what, [scriptblock]$command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "$what failed (exit $LASTEXITCODE)" }
}

function Invoke-Signing([string[]]$files) {
    if ($env:JSWCODER_SIGN_PFX) {
        $signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
            Sort-Object FullName | Select-Object -Last 1
        foreach ($file in $files) {
            Invoke-Checked "signing $file" {
                & $signtool.FullName sign /fd SHA256 /td SHA256 /tr http://timestamp.digicert.com `
                    /f $env:JSWCODER_SIGN_PFX /p $env:JSWCODER_SIGN_PASSWORD $file
            }
        }
    }
}

Invoke-Checked "venv" { python -m venv .venv }
Invoke-Checked "pip" { .venv\Scripts\pip install -q -e ".[package]" pillow }
$version = (.venv\Scripts\python -c "import jswcoder; print(jswcoder.__version__)").Trim()
$numbers = @([regex]::Matches($version, "\d+") | Select-Object -First 4 | ForEach-Object { $_.Value })
while ($numbers.Count -lt 4) { $numbers += "0" }
$viVersion = $numbers -join "."

Invoke-Checked "PyInstaller" {
    .venv\Scripts\python -m PyInstaller --noconfirm --distpath build\bundle --workpath build\pyinstaller packaging\jswcoder.spec
}
$bundle = (Resolve-Path build\bundle\jswcoder).Path
Invoke-Signing @("$bundle\jswcoder.exe", "$bundle\jswcoder-cli.exe")
$env:QT_QPA_PLATFORM = "offscreen"
Invoke-Checked "the bundle's self-test" { & "$bundle\jswcoder-cli.exe" --self-test }
Remove-Item Env:\QT_QPA_PLATFORM

New-Item -ItemType Directory -Force dist | Out-Null
$portable = Join-Path (Resolve-Path dist).Path "jswcoder-$version-windows-portable.zip"
Invoke-Checked "the portable zip" { .venv\Scripts\python packaging\windows\portable_zip.py $bundle $version $portable }

Invoke-Checked "the icon" {
    .venv\Scripts\python -c "from PIL import Image; Image.open('jswcoder/resources/icons/jswcoder-256.png').save('build/jswcoder.ico', sizes=[(16,16),(32,32),(48,48),(256,256)])"
}
$icon = (Resolve-Path build\jswcoder.ico).Path
$makensis = Get-Command makensis -ErrorAction SilentlyContinue
$makensis = if ($makensis) { $makensis.Source } else { "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
$setup = Join-Path (Resolve-Path dist).Path "jswcoder-$version-windows-setup.exe"
Invoke-Checked "makensis" {
    & $makensis -V2 -NOCD "-DVERSION=$version" "-DVI_VERSION=$viVersion" "-DBUNDLE=$bundle" `
        "-DOUTFILE=$setup" "-DICON=$icon" packaging\windows\jswcoder.nsi
}
Invoke-Signing @($setup)
Write-Output "wrote $portable"
Write-Output "wrote $setup"
