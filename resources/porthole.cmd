@echo off
rem porthole-cli-launcher: the `porthole` command line shipped inside the Porthole
rem app, run with the app's own runtime (Electron as Node), from the app's
rem resources\cli folder beside porthole.cjs. PORTHOLE_RUNTIME names another
rem runtime (a plain node) instead of the app.
setlocal
set "runtime=%~dp0..\..\Porthole.exe"
if defined PORTHOLE_RUNTIME set "runtime=%PORTHOLE_RUNTIME%"
set "NODE_PATH=%~dp0..\app.asar.unpacked\node_modules"
set ELECTRON_RUN_AS_NODE=1
"%runtime%" "%~dp0porthole.cjs" %*
exit /b %ERRORLEVEL%
