package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The distribution as users start it: {@code bin/ms365-mcp} from the unpacked tar.gz. The first run
 * records the AOT / class-data cache, the second uses it; a damaged or outdated cache never stops a
 * start; stdout carries JSON-RPC only.
 */
@DisabledOnOs(OS.WINDOWS)
class LauncherScriptIT {

    @TempDir
    Path dir;
    Path launcher;
    Path cacheDir;

    record Session(List<String> stdout, String stderr, int exit) {
    }

    @BeforeEach
    void unpack() throws Exception {
        Path archive = Path.of(System.getProperty("e2e.distribution"));
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString()).inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        try (Stream<Path> top = Files.list(dir)) {
            Path home = top.filter(p -> p.getFileName().toString().startsWith("ms365-mcp-")).findFirst().orElseThrow();
            launcher = home.resolve("bin/ms365-mcp");
            assertThat(home.resolve("lib/ms365-mcp-stdio.jar")).isRegularFile();
            assertThat(home.resolve("bin/ms365-mcp.cmd")).isRegularFile();
            assertThat(home.resolve("README.md")).isRegularFile();
        }
        assertThat(Files.isExecutable(launcher)).isTrue();
        cacheDir = dir.resolve("cache");
    }

    /** initialize, then tools/list, each awaited as a client does; then stdin closes and the process ends. */
    private Session session(Map<String, String> env) throws Exception {
        return session(List.of(), env);
    }

    /** The same, with the launcher run by {@code shell} (e.g. dash, bash) instead of its #! line. */
    private Session session(List<String> shell, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(shell);
        command.add(launcher.toString());
        command.add("--org-mode");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("MS365_MCP_AOT_CACHE_DIR", cacheDir.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        Path cwd = Path.of("/proc/" + p.pid() + "/cwd");
        StringBuilder stderr = new StringBuilder();
        Thread errors = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = p.errorReader(StandardCharsets.UTF_8)) {
                r.lines().forEach(l -> stderr.append(l).append('\n'));
            } catch (IOException ignored) {
                // ended
            }
        });
        List<String> lines = new ArrayList<>();
        try (OutputStream in = p.getOutputStream(); BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                    + "\"capabilities\":{},\"clientInfo\":{\"name\":\"it\",\"version\":\"1\"}}}");
            awaitLine(out, lines, "\"id\":1");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            awaitLine(out, lines, "\"id\":2");
            // The launcher changes directory to find its home, and must come back: .env is read from here.
            assertThat(Files.readSymbolicLink(cwd)).isEqualTo(dir.toRealPath());
            in.close();
            // Recording the cache happens after the session: give it time.
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
            out.lines().forEach(lines::add);
        } finally {
            p.destroyForcibly();
        }
        errors.join(5000);
        return new Session(lines, stderr.toString(), p.exitValue());
    }

    private static void send(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private static void awaitLine(BufferedReader out, List<String> lines, String marker) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.contains(marker)) {
                return;
            }
        }
        throw new AssertionError("stdout ended before " + marker + "; got " + lines);
    }

    private static void assertServed(Session s) {
        assertThat(s.exit()).as(s.stderr()).isZero();
        assertThat(s.stdout()).as("stdout is JSON-RPC only; stderr: " + s.stderr())
                .allSatisfy(l -> assertThat(l).startsWith("{\"jsonrpc\":\"2.0\""));
        assertThat(s.stdout()).anySatisfy(l -> assertThat(l).contains("\"id\":2").contains("\"list-mail-messages\""));
    }

    private List<Path> cacheFiles() throws IOException {
        if (!Files.isDirectory(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cacheDir)) {
            return files.toList();
        }
    }

    @Test
    void theFirstRunRecordsTheCacheAndTheSecondUsesIt() throws Exception {
        assertServed(session(Map.of()));
        List<Path> files = cacheFiles();
        assertThat(files).as("one finished cache, no temporary files").hasSize(1);
        Path cache = files.get(0);
        assertThat(cache.getFileName().toString()).contains(System.getProperty("java.version"))
                .endsWith(Runtime.version().feature() >= 25 ? ".aot" : ".jsa");

        // Second run: classes of the jar come from the cache. JAVA_HOME pointing at a JDK that is too
        // old (or not a JDK at all) is skipped for the next candidate.
        Session warm = session(Map.of("MS365_MCP_JAVA_OPTS", "-Xlog:class+load=info:stderr",
                "JAVA_HOME", dir.resolve("no-such-jdk").toString()));
        assertServed(warm);
        assertThat(warm.stderr()).contains("dev.ms365mcp.stdio.StdioMain source: shared objects file");
        assertThat(cacheFiles()).containsExactly(cache);
    }

    @Test
    void aDamagedCacheDoesNotStopTheStartAndAnOutdatedOneIsMadeAgain() throws Exception {
        assertServed(session(Map.of()));
        Path cache = cacheFiles().get(0);

        byte[] garbage = new byte[2_000_000];
        java.util.Arrays.fill(garbage, (byte) 'x');
        Files.write(cache, garbage);
        assertServed(session(Map.of()));

        // A cache older than the jar (the jar was upgraded) is recorded again.
        Files.setLastModifiedTime(cache, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        assertServed(session(Map.of()));
        assertThat(cacheFiles()).containsExactly(cache);
        assertThat(Files.size(cache)).isNotEqualTo(garbage.length);
        assertThat(Files.getLastModifiedTime(cache).toInstant()).isAfter(Instant.now().minusSeconds(600));

        Session warm = session(Map.of("MS365_MCP_JAVA_OPTS", "-Xlog:class+load=info:stderr"));
        assertServed(warm);
        assertThat(warm.stderr()).contains("dev.ms365mcp.stdio.StdioMain source: shared objects file");
    }

    @Test
    void twoFirstStartsAtOnceLeaveOneWholeCache() throws Exception {
        var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return session(Map.of());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Session second = session(Map.of());
        assertServed(second);
        assertServed(first.get(300, TimeUnit.SECONDS));
        assertThat(cacheFiles()).as("one finished cache, no temporary files").hasSize(1);
        Session warm = session(Map.of("MS365_MCP_JAVA_OPTS", "-Xlog:class+load=info:stderr"));
        assertServed(warm);
        assertThat(warm.stderr()).contains("dev.ms365mcp.stdio.StdioMain source: shared objects file");
    }

    /**
     * Linux: the heap is on transparent huge pages exactly when the kernel grants them on request
     * ({@code madvise} or {@code always}), never where they are off; JVM output stays off stdout.
     */
    @Test
    void theHeapIsOnTransparentHugePagesWhereTheKernelOffersThem() throws Exception {
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        boolean offered = Files.isReadable(thp) && !Files.readString(thp).contains("[never]");
        Session s = session(Map.of("MS365_MCP_JAVA_OPTS", "-XX:+PrintFlagsFinal"));
        assertServed(s);
        assertThat(s.stderr()).containsPattern("bool UseTransparentHugePages\\s+= " + offered + "\\s")
                .containsPattern("size_t NewSize\\s+= 6291456\\s");
    }

    /** C1 alone with short inlining; on JDK 25 the cache neither records nor replays method profiles for C2. */
    @Test
    void compilesWithC1AloneAndKeepsNoC2ProfilesOnJdk25() throws Exception {
        Session s = session(Map.of("MS365_MCP_JAVA_OPTS", "-XX:+PrintFlagsFinal"));
        assertServed(s);
        assertThat(s.stderr()).containsPattern("intx TieredStopAtLevel\\s+= 1\\s")
                .containsPattern("intx C1MaxInlineSize\\s+= 15\\s");
        if (Runtime.version().feature() == 25) {
            assertThat(s.stderr()).containsPattern("bool AOTRecordTraining\\s+= false\\s")
                    .containsPattern("bool AOTReplayTraining\\s+= false\\s");
        }
    }

    /**
     * The POSIX launcher under each shell it may meet as /bin/sh (dash, bash, busybox when installed):
     * the first start serves and records the cache, the next uses it — and a warm start runs no
     * external command at all (PATH empty: no tr, find, ls…; every fork costs start-up time).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash", "busybox"})
    void servesUnderEveryShellAndAWarmStartNeedsNoExternalCommand(String name) throws Exception {
        Path shell = Stream.of("/usr/bin/", "/bin/").map(d -> Path.of(d + name)).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(shell != null, name + " is not installed");
        List<String> run = name.equals("busybox") ? List.of(shell.toString(), "sh") : List.of(shell.toString());
        assertServed(session(run, Map.of()));
        assertThat(cacheFiles()).as("one finished cache, no temporary files").hasSize(1);
        Session warm = session(run, Map.of("PATH", dir.resolve("empty").toString(),
                "MS365_MCP_JAVA_OPTS", "-Xlog:class+load=info:stderr"));
        assertServed(warm);
        assertThat(warm.stderr()).contains("dev.ms365mcp.stdio.StdioMain source: shared objects file")
                .doesNotContain("not found");
    }
}
