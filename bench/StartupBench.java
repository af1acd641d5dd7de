import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold start of an MCP STDIO server as a desktop client sees it: spawn, send initialize, wait for
 * the answer, send tools/list, wait for the answer; then read the process's peak RSS (VmHWM) and CPU
 * time and close stdin. Prints the median of N rounds (each runs every subject once) for ms365-mcp
 * and, when installed, the TypeScript reference, side by side with ratios. Linux only (reads /proc).
 *
 * <pre>
 * java bench/StartupBench.java [--runs 10] [--jar launcher-stdio/target/ms365-mcp-stdio.jar]
 *                              [--reference bench/.reference/node_modules/@softeria/ms-365-mcp-server/dist/index.js]
 *                              [--dist launcher-stdio/target/ms365-mcp-VERSION.tar.gz]
 * </pre>
 * The distribution's launcher ({@code bin/ms365-mcp}, the documented way to start) is measured twice:
 * with its cache warm, and as a very first run with no cache (each run in a fresh cache directory,
 * the cache recording after the session awaited before the next run).
 * <pre>
 * </pre>
 */
public class StartupBench {

    /** {@code cpuMs}: CPU time (user + system) the process tree had used when tools/list was answered. */
    record Run(double initializeMs, double toolsListMs, long peakRssKb, int toolsListBytes, double cpuMs) {
    }

    /** {@code beforeRun} runs before each run (e.g. empties the launcher's cache for a first-run measurement). */
    record Subject(String name, List<String> command, Map<String, String> env, Runnable beforeRun, boolean awaitExit) {
        Subject(String name, List<String> command) {
            this(name, command, Map.of(), () -> { }, false);
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        String jar = "launcher-stdio/target/ms365-mcp-stdio.jar";
        String reference = "bench/.reference/node_modules/@softeria/ms-365-mcp-server/dist/index.js";
        String java = ProcessHandle.current().info().command().orElse("java");
        String dist = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--jar" -> jar = args[++i];
                case "--reference" -> reference = args[++i];
                case "--dist" -> dist = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        List<Subject> subjects = new ArrayList<>();
        String aot = jar.replaceAll("\\.jar$", ".aot");
        List<String> tuned = new ArrayList<>(List.of(java));
        if (Files.exists(Path.of(aot))) {
            tuned.add("-XX:AOTCache=" + aot);
            tuned.add("-Xlog:disable");
            tuned.add("-Xlog:all=warning:stderr");
        }
        tuned.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:C1MaxInlineSize=15", "-Xss256k", "-XX:ReservedCodeCacheSize=32m",
                "-Xmx128m", "-jar", jar, "--org-mode"));
        subjects.add(new Subject("ms365-mcp (README flags" + (Files.exists(Path.of(aot)) ? " + AOT cache" : "") + ")", tuned));
        Path launcher = unpack(dist);
        if (launcher != null) {
            String javaHome = Path.of(java).getParent().getParent().toString();
            Path warmCache = Files.createTempDirectory("bench-aot-warm");
            Map<String, String> warmEnv = Map.of("JAVA_HOME", javaHome, "MS365_MCP_AOT_CACHE_DIR", warmCache.toString());
            Subject warm = new Subject("ms365-mcp (bin/ms365-mcp, cache warm)", List.of(launcher.toString(), "--org-mode"),
                    warmEnv, () -> { }, false);
            // The first session records the cache; wait until it is in place.
            measure(new Subject("record", warm.command(), warmEnv, () -> { }, true), 1);
            subjects.add(warm);
            Path firstCache = Files.createTempDirectory("bench-aot-first");
            subjects.add(new Subject("ms365-mcp (bin/ms365-mcp, first run, no cache)", List.of(launcher.toString(), "--org-mode"),
                    Map.of("JAVA_HOME", javaHome, "MS365_MCP_AOT_CACHE_DIR", firstCache.toString()),
                    () -> deleteContents(firstCache), true));
        }
        subjects.add(new Subject("ms365-mcp (plain java -jar)", List.of(java, "-jar", jar, "--org-mode")));
        if (Files.exists(Path.of(reference))) {
            subjects.add(new Subject("reference @softeria/ms-365-mcp-server", List.of("node", reference, "--org-mode")));
        } else {
            System.out.println("(reference not installed: npm install --prefix bench/.reference @softeria/ms-365-mcp-server@0.155.0)");
        }
        System.out.printf("%d runs each, org mode, median; machine: %d cores; load average at start: %s%n%n", runs,
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).strip());
        // Round robin: each round runs every subject once, so load that changes during the run (other
        // builds on a shared machine) falls on all of them alike and the ratios stay comparable.
        for (Subject s : subjects) {
            measure(s, 1); // warm the page cache, not counted
        }
        List<List<Run>> all = new ArrayList<>();
        subjects.forEach(s -> all.add(new ArrayList<>()));
        for (int i = 0; i < runs; i++) {
            for (int j = 0; j < subjects.size(); j++) {
                all.get(j).add(measure(subjects.get(j), 1));
            }
        }
        List<Run> medians = all.stream().map(StartupBench::median).toList();
        System.out.printf("%-48s %12s %14s %14s %16s %12s%n", "server", "initialize", "tools/list", "peak RSS", "tools/list size",
                "CPU time");
        for (int i = 0; i < subjects.size(); i++) {
            Run r = medians.get(i);
            System.out.printf("%-48s %10.0f ms %12.0f ms %10.1f MiB %12d bytes %9.0f ms%n", subjects.get(i).name(), r.initializeMs(),
                    r.toolsListMs(), r.peakRssKb() / 1024.0, r.toolsListBytes(), r.cpuMs());
        }
        System.out.printf("(load average at end: %s)%n", Files.readString(Path.of("/proc/loadavg")).strip());
        Run ref = medians.get(medians.size() - 1);
        if (subjects.get(subjects.size() - 1).name().startsWith("reference")) {
            System.out.println();
            for (int i = 0; i < subjects.size() - 1; i++) {
                Run r = medians.get(i);
                System.out.printf("%-48s time %.2fx   peak RSS %.2fx   tools/list size %.3fx   CPU %.2fx   (of the reference)%n",
                        subjects.get(i).name(), r.toolsListMs() / ref.toolsListMs(),
                        (double) r.peakRssKb() / ref.peakRssKb(), (double) r.toolsListBytes() / ref.toolsListBytes(),
                        r.cpuMs() / ref.cpuMs());
            }
        }
    }

    static Run measure(Subject s, int unused) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(s.command()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        env.putAll(s.env());
        s.beforeRun().run();
        long start = System.nanoTime();
        Process p = pb.start();
        OutputStream in = p.getOutputStream();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
        await(out, "\"id\":1");
        double initMs = (System.nanoTime() - start) / 1e6;
        send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        String list = await(out, "\"id\":2");
        double listMs = (System.nanoTime() - start) / 1e6;
        long rss = peakRssKb(p.pid());
        double cpu = cpuMs(p.pid());
        in.close();
        if (!p.waitFor(s.awaitExit() ? 300 : 10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        int resultBytes = list.getBytes(StandardCharsets.UTF_8).length;
        return new Run(initMs, listMs, rss, resultBytes, cpu);
    }

    /** Unpacks the distribution archive (default: the one the build made) and returns its bin/ms365-mcp. */
    static Path unpack(String dist) throws IOException, InterruptedException {
        Path archive;
        if (dist != null) {
            archive = Path.of(dist);
        } else {
            try (var files = Files.list(Path.of("launcher-stdio/target"))) {
                archive = files.filter(f -> f.getFileName().toString().matches("ms365-mcp-.*\\.tar\\.gz")).findFirst().orElse(null);
            } catch (IOException e) {
                archive = null;
            }
        }
        if (archive == null || !Files.exists(archive)) {
            System.out.println("(no distribution archive: ./mvnw -B -q package -DskipTests makes launcher-stdio/target/ms365-mcp-*.tar.gz)");
            return null;
        }
        Path into = Files.createTempDirectory("bench-dist");
        Process tar = new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C", into.toString()).inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("cannot unpack " + archive);
        }
        try (var top = Files.list(into)) {
            return top.findFirst().orElseThrow().resolve("bin/ms365-mcp");
        }
    }

    static void deleteContents(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void send(OutputStream in, String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The first stdout line containing {@code marker}, e.g. the answer with a given id. */
    static String await(BufferedReader out, String marker) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains(marker)) {
                return line;
            }
        }
        throw new IOException("server closed stdout before answering " + marker);
    }

    /** VmHWM of the process and its children (the reference may run under a wrapper). */
    static long peakRssKb(long pid) throws IOException {
        long kb = vmHwm(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            kb += vmHwm(child.pid());
        }
        return kb;
    }

    /**
     * CPU time of the process and its children, in ms: utime + stime + cutime + cstime from /proc (the
     * last two hold what exited children used, e.g. a launcher script's subprocesses before its exec).
     * Less sensitive than wall time to other load on a shared machine.
     */
    static double cpuMs(long pid) throws IOException {
        double ms = 0;
        List<Long> pids = new ArrayList<>(List.of(pid));
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        for (long p : pids) {
            Path stat = Path.of("/proc/" + p + "/stat");
            if (!Files.exists(stat)) {
                continue;
            }
            String text = Files.readString(stat);
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            // Fields 14-17 of proc(5), counted from the state field (3); clock ticks of 10 ms.
            ms += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10.0;
        }
        return ms;
    }

    static long vmHwm(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    }

    static Run median(List<Run> runs) {
        double[] init = runs.stream().mapToDouble(Run::initializeMs).sorted().toArray();
        double[] list = runs.stream().mapToDouble(Run::toolsListMs).sorted().toArray();
        long[] rss = runs.stream().mapToLong(Run::peakRssKb).sorted().toArray();
        double[] cpu = runs.stream().mapToDouble(Run::cpuMs).sorted().toArray();
        return new Run(init[init.length / 2], list[list.length / 2], rss[rss.length / 2], runs.get(0).toolsListBytes(),
                cpu[cpu.length / 2]);
    }

    static String join(String... parts) {
        return String.join(" ", Arrays.asList(parts));
    }
}
