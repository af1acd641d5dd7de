package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Windows launcher cannot run on the build machines, so it is checked against its POSIX twin:
 * the same JVM options for serving and for the training run, the user's arguments and extra options
 * passed the same way, the same cache folder and file names, the same flags that skip recording, the
 * same JDK minimum. {@code LauncherScriptIT} runs the POSIX one.
 */
class LauncherScriptsTest {

    static String sh;
    static String cmd;

    @BeforeAll
    static void read() throws IOException {
        sh = Files.readString(Path.of("src/dist/bin/ms365-mcp"));
        cmd = Files.readString(Path.of("src/dist/bin/ms365-mcp.cmd"));
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("%s in launcher", regex).isTrue();
        return m.group(1);
    }

    private static List<String> lines(String text, String contains) {
        return text.lines().filter(l -> l.contains(contains)).toList();
    }

    /** The lines that start a JVM (the command in first position, or after exec). */
    private static List<String> javaStarts(String text, String java) {
        return text.lines().filter(l -> l.strip().startsWith(java + " ") || l.contains("exec " + java + " ")).toList();
    }

    @Test
    void bothPassTheSameJvmOptions() {
        String shOpts = group(sh, "^opts='([^']*)'$");
        String cmdOpts = group(cmd, "^set \"OPTS=([^\"]*)\"$");
        assertThat(cmdOpts).isEqualTo(shOpts);
        assertThat(shOpts.split(" ")).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xlog:all=warning:stderr");
        // On JDK 25 only, both add the same switches: no C2 method profiles in the cache.
        String noProfiles = "-XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining -XX:-AOTReplayTraining";
        assertThat(sh).contains("if [ \"$major\" -eq 25 ]; then opts=\"$opts " + noProfiles + "\"; fi");
        assertThat(cmd).contains("if !MAJOR! EQU 25 set \"OPTS=!OPTS! " + noProfiles + "\"");
        // Serving: cache option (if any), the options, then the user's, then the jar and every argument.
        assertThat(sh).contains("exec \"$java\" ${use:+\"$use\"} $opts ${MS365_MCP_JAVA_OPTS:-} -jar \"$jar\" \"$@\"");
        assertThat(sh).contains("\"$java\" $opts ${MS365_MCP_JAVA_OPTS:-} -jar \"$jar\" \"$@\"");
        assertThat(cmd).contains("\"%JAVA%\" \"!USE!\" %OPTS% %MS365_MCP_JAVA_OPTS% -jar \"%JAR%\" %*");
        assertThat(cmd).contains("\"%JAVA%\" %OPTS% %MS365_MCP_JAVA_OPTS% -jar \"%JAR%\" %*");
        // Every java start in either script uses the shared options.
        assertThat(javaStarts(sh, "\"$java\"")).hasSize(3).allSatisfy(l -> assertThat(l).contains("$opts"));
        assertThat(javaStarts(cmd, "\"%JAVA%\"")).hasSize(4).allSatisfy(l -> assertThat(l).contains("%OPTS%"));
    }

    @Test
    void bothRecordTheCacheFromTheSameTrainingRun() {
        assertThat(lines(sh, "AotTraining").stream().filter(l -> l.startsWith("  \"$java\"")).toList()).singleElement()
                .isEqualTo("  \"$java\" \"$out\" $opts -Xlog:all=error:stderr ${MS365_MCP_JAVA_OPTS:-} -cp \"$jar\" "
                        + "dev.ms365mcp.stdio.AotTraining </dev/null >/dev/null");
        assertThat(lines(cmd, "AotTraining").stream().filter(l -> l.startsWith("\"%JAVA%\"")).toList()).singleElement()
                .isEqualTo("\"%JAVA%\" \"!OUT!\" %OPTS% -Xlog:all=error:stderr %MS365_MCP_JAVA_OPTS% -cp \"%JAR%\" "
                        + "dev.ms365mcp.stdio.AotTraining <nul >nul");
        for (String option : List.of("-XX:AOTCacheOutput=", "-XX:ArchiveClassesAtExit=", "-XX:AOTCache=", "-XX:SharedArchiveFile=")) {
            assertThat(sh).contains(option);
            assertThat(cmd).contains(option);
        }
        // The training class is the one the build trains with.
        assertThat(AotTraining.class.getName()).isEqualTo("dev.ms365mcp.stdio.AotTraining");
    }

    @Test
    void bothKeepCachesByTheSameRules() {
        assertThat(sh).contains("cachedir=${MS365_MCP_AOT_CACHE_DIR:-}", "[ \"$cachedir\" != off ]",
                "${XDG_CACHE_HOME:-$HOME/.cache}/ms365-mcp/aot", "$HOME/Library/Caches/ms365-mcp/aot");
        assertThat(cmd).contains("set \"CACHE_DIR=%MS365_MCP_AOT_CACHE_DIR%\"", "if /i not \"%CACHE_DIR%\"==\"off\"",
                "%LOCALAPPDATA%\\ms365-mcp\\aot");
        // One cache per JDK: key from version, vendor and install path; .aot on JDK 25+, else .jsa.
        assertThat(sh).contains("rest=\"$version-$vendor-$javahome\"", "[ \"$major\" -ge 25 ]",
                "cache=$cachedir/$key.aot", "cache=$cachedir/$key.jsa");
        assertThat(cmd).contains("set \"KEY=!VERSION!-!VENDOR!-!JAVAHOME!\"", "if !MAJOR! GEQ 25",
                "set \"CACHE=%CACHE_DIR%\\!KEY!.aot\"", "set \"CACHE=%CACHE_DIR%\\!KEY!.jsa\"");
        // Written under a temporary name, moved into place only when not empty.
        assertThat(sh).contains("if [ -s \"$tmp\" ]; then mv -f \"$tmp\" \"$cache\"");
        assertThat(cmd).contains("move /y \"!TMP_CACHE!\" \"!CACHE!\"");
        // The JDK minimum, read from its release file without starting a JVM.
        assertThat(sh).contains("[ \"$m\" -ge 21 ]", "JAVA_VERSION) version=$v");
        assertThat(cmd).contains("if !M! GEQ 21", "if \"%%a\"==\"JAVA_VERSION\"");
        assertThat(cmd).as("no JVM started to read its version").doesNotContain(" -version");
    }

    @Test
    void theSameFlagsSkipRecording() {
        Set<String> shFlags = new HashSet<>(Arrays.asList(group(sh, "^\\s*case \\$a in ([^)]*)\\) serving= ;;").split("\\|")));
        Set<String> cmdFlags = new HashSet<>(Arrays.asList(group(cmd, "for %%n in \\(([^)]*)\\) do if").split(" ")));
        Matcher prefixes = Pattern.compile("if \"!A:~0,(\\d+)!\"==\"([^\"]+)\" set \"SERVING=\"").matcher(cmd);
        while (prefixes.find()) {
            assertThat(prefixes.group(2)).hasSize(Integer.parseInt(prefixes.group(1)));
            cmdFlags.add(prefixes.group(2) + "*");
        }
        assertThat(cmdFlags).isEqualTo(shFlags).contains("--login", "--list-*", "--keep-tokens");
    }

    @Test
    void theCmdNeverEchoesToStdout() {
        // Every echo in the .cmd goes to stderr or into a file: stdout is the protocol channel.
        assertThat(cmd.lines().filter(l -> l.strip().matches("(?i)^(>\\S+ )?echo .*") && !l.strip().startsWith("@echo off")))
                .allSatisfy(l -> assertThat(l).matches(".*(1>&2|^\\s*>\"[^\"]+\" echo .*)"));
    }
}
