@echo off
rem ms365-mcp launcher for Windows, the twin of bin/ms365-mcp (LauncherScriptsTest checks that both
rem pass the same JVM options and arguments and keep their caches by the same rules): finds a JDK >= 21,
rem applies the start-up options and keeps a class-data / AOT cache per JDK. stdout is the MCP protocol
rem channel: messages go to stderr.
rem   JAVA_HOME  the JDK to use (else java on PATH, else %ProgramFiles%\Eclipse Adoptium, Java, Microsoft...)
rem   MS365_MCP_JAVA_OPTS  more JVM options;  MS365_MCP_AOT_CACHE_DIR  cache folder, or "off"
setlocal EnableDelayedExpansion
rem The JVM options of every run, the training run included (bin/ms365-mcp has the same line).
set "OPTS=-XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:C1MaxInlineSize=15 -Xss256k -XX:ReservedCodeCacheSize=32m -Xmx128m -Xmn6m"
for %%h in ("%~dp0..") do set "HOME_DIR=%%~fh"
set "JAR=%HOME_DIR%\lib\ms365-mcp-stdio.jar"
set "JAVA="

if defined JAVA_HOME call :try "%JAVA_HOME%"
if not defined JAVA for /f "delims=" %%j in ('where java 2^>nul') do if not defined JAVA call :try "%%~dpj.."
if not defined JAVA for /d %%d in ("%ProgramFiles%\Eclipse Adoptium\*" "%ProgramFiles%\Java\*" "%ProgramFiles%\Microsoft\jdk-*" "%ProgramFiles%\Zulu\*" "%ProgramFiles%\Amazon Corretto\*") do if not defined JAVA call :try "%%~d"
if not defined JAVA (
  echo ms365-mcp: needs Java 21 or newer, and none was found ^(JAVA_HOME, java on PATH, %ProgramFiles%^). Install a JDK 21+ ^(e.g. Eclipse Temurin 25 from https://adoptium.net^) or set JAVA_HOME. 1>&2
  exit /b 1
)
if not exist "%JAR%" (
  echo ms365-mcp: %JAR% is missing; unpack the whole ms365-mcp archive. 1>&2
  exit /b 1
)

rem JDK 25 only (bin/ms365-mcp says why): no method profiles for the C2 compiler, which never runs here.
if !MAJOR! EQU 25 set "OPTS=!OPTS! -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -XX:-AOTReplayTraining"

set "CACHE_DIR=%MS365_MCP_AOT_CACHE_DIR%"
if not defined CACHE_DIR set "CACHE_DIR=%LOCALAPPDATA%\ms365-mcp\aot"

rem A cache is recorded after a serving run only: --help, --login and the like end before a cache
rem would pay off.
set "SERVING=yes"
for %%a in (%*) do (
  set "A=%%~a"
  for %%n in (-h -V --help --version --login --logout --verify-login --auth-browser --keep-tokens) do if "!A!"=="%%n" set "SERVING="
  if "!A:~0,7!"=="--list-" set "SERVING="
  if "!A:~0,16!"=="--select-account" set "SERVING="
  if "!A:~0,16!"=="--remove-account" set "SERVING="
)

set "USE="
set "RECORD="
if /i not "%CACHE_DIR%"=="off" (
  rem One cache per JDK (version, vendor, install path): a cache only works on the JDK that made it.
  set "KEY=!VERSION!-!VENDOR!-!JAVAHOME!"
  set "KEY=!KEY:\=_!"
  set "KEY=!KEY::=_!"
  set "KEY=!KEY: =_!"
  set "KEY=!KEY:(=_!"
  set "KEY=!KEY:)=_!"
  if !MAJOR! GEQ 25 (set "CACHE=%CACHE_DIR%\!KEY!.aot") else (set "CACHE=%CACHE_DIR%\!KEY!.jsa")
  rem Usable when recorded for this jar (size and time in the .jar file beside it; cmd has no -nt)
  rem and not empty; caches are only ever moved into place whole.
  for %%f in ("%JAR%") do set "STAMP=%%~zf %%~tf"
  set "RECORDED="
  if exist "!CACHE!.jar" set /p RECORDED=<"!CACHE!.jar"
  set "SIZE=0"
  if exist "!CACHE!" for %%c in ("!CACHE!") do set "SIZE=%%~zc"
  if not "!SIZE!"=="0" if "!RECORDED!"=="!STAMP!" (
    if !MAJOR! GEQ 25 (set "USE=-XX:AOTCache=!CACHE!") else (set "USE=-XX:SharedArchiveFile=!CACHE!")
  )
  if not defined USE if defined SERVING set "RECORD=yes"
)

if not defined RECORD (
  if defined USE (
    "%JAVA%" "!USE!" %OPTS% %MS365_MCP_JAVA_OPTS% -jar "%JAR%" %*
  ) else (
    "%JAVA%" %OPTS% %MS365_MCP_JAVA_OPTS% -jar "%JAR%" %*
  )
  exit /b !errorlevel!
)

rem No usable cache: serve with the same options, then record one from the scripted training session
rem (AotTraining) once the client has gone, under a temporary name moved into place when whole.
"%JAVA%" %OPTS% %MS365_MCP_JAVA_OPTS% -jar "%JAR%" %*
set "STATUS=!errorlevel!"
if not exist "%CACHE_DIR%" mkdir "%CACHE_DIR%" 2>nul
set "TMP_CACHE=!CACHE!.!RANDOM!.tmp"
if !MAJOR! GEQ 25 (set "OUT=-XX:AOTCacheOutput=!TMP_CACHE!") else (set "OUT=-XX:ArchiveClassesAtExit=!TMP_CACHE!")
"%JAVA%" "!OUT!" %OPTS% -Xlog:all=error:stderr %MS365_MCP_JAVA_OPTS% -cp "%JAR%" dev.ms365mcp.stdio.AotTraining <nul >nul
set "SIZE=0"
if exist "!TMP_CACHE!" for %%c in ("!TMP_CACHE!") do set "SIZE=%%~zc"
if not "!SIZE!"=="0" (
  move /y "!TMP_CACHE!" "!CACHE!" >nul
  >"!CACHE!.jar" echo !STAMP!
) else (
  del /q "!TMP_CACHE!" 2>nul
)
del /q "!TMP_CACHE!.config" 2>nul
exit /b !STATUS!

:try
rem Accepts the JDK at %1 (its home) when its release file says 21 or newer; no JVM is started.
set "V="
set "VD="
if not exist "%~1\bin\java.exe" exit /b 0
if not exist "%~1\release" exit /b 0
for /f "usebackq tokens=1,* delims==" %%a in ("%~1\release") do (
  if "%%a"=="JAVA_VERSION" set "V=%%~b"
  if "%%a"=="IMPLEMENTOR" set "VD=%%~b"
)
if not defined V exit /b 0
for /f "delims=.-+" %%m in ("!V!") do set "M=%%m"
if !M! GEQ 21 (
  set "JAVA=%~f1\bin\java.exe"
  set "JAVAHOME=%~f1"
  set "VERSION=!V!"
  set "VENDOR=!VD!"
  set "MAJOR=!M!"
)
exit /b 0
