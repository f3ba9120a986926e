; Inno Setup 6 script: a per-machine installer for the PyInstaller bundle (dist\jswcoder from
; packaging\jswcoder.spec). Build on Windows, from the repository root:
;   iscc /DVersion=0.1.0 packaging\windows\jswcoder.iss
; NOT BUILT OR TESTED on the Linux machine jswcoder is developed on; see packaging/README.md.

#ifndef Version
  #define Version "0.0.0"
#endif

[Setup]
AppId={{6C0B2E52-8E3A-4F0B-9B4A-2D3E1C7A9F10}
AppName=jswcoder
AppVersion={#Version}
AppPublisher=jswcoder developers
DefaultDirName={autopf}\jswcoder
DefaultGroupName=jswcoder
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=jswcoder-{#Version}-windows-setup
SetupIconFile=..\..\build\jswcoder.ico
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes
PrivilegesRequiredOverridesAllowed=dialog

[Files]
Source: "..\..\build\bundle\jswcoder\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\jswcoder"; Filename: "{app}\jswcoder.exe"
Name: "{autodesktop}\jswcoder"; Filename: "{app}\jswcoder.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Registry]
; Double-clicking a project's project.jswc opens it.
Root: HKA; Subkey: "Software\Classes\.jswc"; ValueType: string; ValueName: ""; ValueData: "jswcoder.project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\jswcoder.project"; ValueType: string; ValueName: ""; ValueData: "jswcoder project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\jswcoder.project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\jswcoder.exe,0"
Root: HKA; Subkey: "Software\Classes\jswcoder.project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\jswcoder.exe"" open ""%1"""

[Run]
; IT teams: the console program runs the same self-test the Linux packages are checked with.
Filename: "{app}\jswcoder-cli.exe"; Parameters: "--self-test"; Flags: runhidden; Description: "Check the installation"; StatusMsg: "Checking the installation..."
