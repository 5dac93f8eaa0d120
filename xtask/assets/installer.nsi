; The Windows installer of Yiqifu Desktop, built by `cargo xtask bundle` with makensis.
; Per-user install: no administrator rights needed, as officers' PCs are often locked down.
; A 64-bit installer for the 64-bit app (Debian's nsis has the amd64 stubs).
Target amd64-unicode
SetCompressor /SOLID lzma

!define APPNAME "益企服桌面端"
!define EXE "yiqifu-desktop.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\YiqifuDesktop"
; The Evergreen WebView2 runtime's client id: its "pv" value is the installed version.
!define WEBVIEW2 "Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_URL "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Yiqifu Desktop"
RequestExecutionLevel user
Icon "${ICON}"
UninstallIcon "${ICON}"

; The app draws its window with WebView2. Windows 11 has it; a Windows 10 PC kept offline
; or an LTSC build may not, and the app would open no window: say so before installing.
; Silent (/S), the message goes nowhere and the installer ends with code 2.
Function .onInit
  SetRegView 64
  ; Machine-wide on 64-bit Windows, then per user; empty or 0.0.0.0 means not installed.
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\${WEBVIEW2}" "pv"
  StrCmp $0 "" +2 0
  StrCmp $0 "0.0.0.0" 0 found
  ReadRegStr $0 HKCU "Software\${WEBVIEW2}" "pv"
  StrCmp $0 "" +2 0
  StrCmp $0 "0.0.0.0" 0 found
  MessageBox MB_OK|MB_ICONSTOP "益企服桌面端需要 Microsoft Edge WebView2 运行时，这台电脑上没有找到。$\r$\n请先安装它（可请单位信息部门协助）：${WEBVIEW2_URL}$\r$\n不能上网的电脑可使用微软提供的离线安装包（Evergreen Standalone Installer）。$\r$\n$\r$\nYiqifu Desktop needs the Microsoft Edge WebView2 Runtime, which this computer does not have.$\r$\nInstall it first (your IT department can help): ${WEBVIEW2_URL}$\r$\nA computer without internet access can use Microsoft's Evergreen Standalone Installer." /SD IDOK
  SetErrorLevel 2
  Quit
found:
FunctionEnd

Page directory
Page instfiles
UninstPage uninstConfirm
UninstPage instfiles

Section "Install"
  SetOutPath "$INSTDIR"
  File "${SRCDIR}\${EXE}"
  ; The WebView2 loader must sit beside the executable.
  File "${SRCDIR}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "Yiqifu"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1
SectionEnd

; The officer's data (app-data folder and keychain) is theirs: uninstalling keeps it.
Section "Uninstall"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"
  DeleteRegKey HKCU "${UNINSTKEY}"
SectionEnd
