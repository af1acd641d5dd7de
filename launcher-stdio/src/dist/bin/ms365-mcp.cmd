@echo off
rem ms365-mcp launcher for Windows: finds a JDK >= 21, applies the start-up options and a class-data
rem cache per JDK (JDK 19+ AutoCreateSharedArchive remakes it when the JDK changes). stdout is the MCP
rem protocol channel: messages go to stderr.
rem   JAVA_HOME  the JDK to use (else java on PATH, else %ProgramFiles%\Eclipse Adoptium, Java, Microsoft)
rem   MS365_MCP_JAVA_OPTS  more JVM options;  MS365_MCP_AOT_CACHE_DIR  cache folder, or "off"
setlocal EnableDelayedExpansion
set "HOME_DIR=%~dp0.."
set "JAR=%HOME_DIR%\lib\ms365-mcp-stdio.jar"
set "JAVA="

if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" call :try "%JAVA_HOME%\bin\java.exe"
if not defined JAVA for /f "delims=" %%j in ('where java 2^>nul') do if not defined JAVA call :try "%%j"
if not defined JAVA for /d %%d in ("%ProgramFiles%\Eclipse Adoptium\*" "%ProgramFiles%\Java\*" "%ProgramFiles%\Microsoft\jdk-*" "%ProgramFiles%\Zulu\*" "%ProgramFiles%\Amazon Corretto\*") do if not defined JAVA if exist "%%d\bin\java.exe" call :try "%%d\bin\java.exe"
if not defined JAVA (
  echo ms365-mcp: needs Java 21 or newer, and none was found ^(JAVA_HOME, java on PATH, %ProgramFiles%^). Install a JDK 21+ ^(e.g. Eclipse Temurin 25 from https://adoptium.net^) or set JAVA_HOME. 1>&2
  exit /b 1
)

set "OPTS=-Xlog:disable -Xlog:all=warning:stderr -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k -XX:ReservedCodeCacheSize=32m -Xmx128m %MS365_MCP_JAVA_OPTS%"
set "CACHE_DIR=%MS365_MCP_AOT_CACHE_DIR%"
if not defined CACHE_DIR set "CACHE_DIR=%LOCALAPPDATA%\ms365-mcp\aot"
if /i "%CACHE_DIR%"=="off" (
  "%JAVA%" %OPTS% -jar "%JAR%" %*
  exit /b !errorlevel!
)
if not exist "%CACHE_DIR%" mkdir "%CACHE_DIR%" 2>nul
set "KEY=%JAVA_VERSION%"
"%JAVA%" -XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=%CACHE_DIR%\%KEY%.jsa" %OPTS% -jar "%JAR%" %*
exit /b %errorlevel%

:try
rem The version from "java -version" (e.g. openjdk version "25.0.3" 2026-04-21): major must be >= 21.
for /f "tokens=3" %%v in ('"%~1" -version 2^>^&1 ^| findstr /i "version"') do set "V=%%~v"
for /f "delims=.-+" %%m in ("!V!") do set "M=%%m"
if !M! GEQ 21 (
  set "JAVA=%~1"
  set "JAVA_VERSION=!V!"
)
exit /b 0
