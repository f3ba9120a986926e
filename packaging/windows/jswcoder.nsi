; NSIS 3 script: a per-user Windows installer for jswcoder's PyInstaller bundle. It needs no admin
; rights: the program goes to %LOCALAPPDATA%\Programs\jswcoder, the Start-menu shortcut, the .jswc
; file association and the "Apps & features" entry go to the user's own registry (HKCU).
; Built on Linux by packaging/windows/build-on-linux.sh, with Debian's nsis:
;
;   makensis -DVERSION=0.1.0 -DVI_VERSION=0.1.0.0 -DBUNDLE=/abs/path/to/bundle/jswcoder \
;            -DOUTFILE=/abs/path/to/jswcoder-0.1.0-windows-setup.exe [-DICON=/abs/path/to/icon.ico] \
;            packaging/windows/jswcoder.nsi
;
; Silent install and uninstall: `jswcoder-VERSION-windows-setup.exe /S` and `uninstall.exe /S`.
; The uninstaller removes only what the installer put there: users' projects (wherever they keep
; them), settings (HKCU\Software\jswcoder) and logs (%LOCALAPPDATA%\jswcoder) stay.

; A 64-bit installer where this NSIS has the 64-bit stubs (Debian's does; Wine's 64-bit-only
; prefix runs it); the official Windows builds of NSIS have only 32-bit ones, and a 32-bit
; installer puts the same 64-bit program in the same places (HKCU\Software is not redirected).
!if /FileExists "${NSISDIR}/Stubs/lzma_solid-amd64-unicode"
  Target amd64-unicode
!else
  Unicode true
!endif
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "Define VERSION, e.g. makensis -DVERSION=0.1.0"
!endif
!ifndef VI_VERSION
  !error "Define VI_VERSION, four numbers, e.g. -DVI_VERSION=0.1.0.0"
!endif
!ifndef BUNDLE
  !error "Define BUNDLE, the PyInstaller one-folder bundle (the folder holding jswcoder.exe)"
!endif
!ifndef OUTFILE
  !error "Define OUTFILE, the installer to write"
!endif

!define APP "jswcoder"
!define PROGID "jswcoder.project"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\jswcoder"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "WinVer.nsh"
!include "Integration.nsh"

Name "jswcoder ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VI_VERSION}"
VIFileVersion "${VI_VERSION}"
VIAddVersionKey "ProductName" "jswcoder"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "jswcoder ${VERSION} setup"
VIAddVersionKey "CompanyName" "jswcoder developers"
VIAddVersionKey "LegalCopyright" "MIT licence"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\jswcoder.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start jswcoder"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "jswcoder will be removed from this computer. Your projects, settings and logs are kept."

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  SetShellVarContext current
  ; Qt 6 needs Windows 10 1809 (build 17763) or later.
  ${IfNot} ${AtLeastBuild} 17763
    MessageBox MB_OK|MB_ICONSTOP "jswcoder needs Windows 10 (version 1809) or later." /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "jswcoder" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the previous bundle whole, so no file of an older version is left behind.
  ${If} ${FileExists} "$INSTDIR\jswcoder.exe"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File /r "${BUNDLE}\*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\jswcoder.lnk" "$INSTDIR\jswcoder.exe" "" "$INSTDIR\jswcoder.exe" 0 \
    SW_SHOWNORMAL "" "Code interview transcripts, encrypted and offline"

  ; Double-clicking a project's project.jswc opens it: jswcoder.exe open "FILE".
  WriteRegStr HKCU "Software\Classes\.jswc" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\.jswc\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "jswcoder project"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\jswcoder.exe,0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\jswcoder.exe" open "%1"'
  ${NotifyShell_AssocChanged}

  ; "Apps & features" (per user).
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "jswcoder"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "jswcoder developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\jswcoder.exe,0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0

  ; IT teams: the same self-test the packages are checked with (console program, output in the details).
  DetailPrint "Checking the installation: jswcoder-cli --self-test"
  nsExec::ExecToLog '"$INSTDIR\jswcoder-cli.exe" --self-test'
  Pop $0
  ${If} $0 != 0
    DetailPrint "The self-test did not pass (result: $0)."
    ; Deployment tools (Intune, SCCM, a script running /S) see it in the installer's exit code.
    SetErrorLevel 3
    MessageBox MB_OK|MB_ICONEXCLAMATION "jswcoder is installed, but its self-test did not pass (result: $0).$\r$\n$\r$\nRun $\"$INSTDIR\jswcoder-cli.exe$\" --self-test in a command prompt to see which check failed." /SD IDOK
  ${EndIf}
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\jswcoder.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\jswcoder.exe"
  Delete "$INSTDIR\jswcoder-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only if nothing else is in it

  ; The association, only where it is still ours.
  ReadRegStr $0 HKCU "Software\Classes\.jswc" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue HKCU "Software\Classes\.jswc" ""
  ${EndIf}
  DeleteRegValue HKCU "Software\Classes\.jswc\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\.jswc\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "Software\Classes\.jswc"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  ${NotifyShell_AssocChanged}
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
