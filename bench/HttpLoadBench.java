import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Tool calls over MCP Streamable HTTP, as a team's server sees them: a loopback fake Graph that answers
 * every request after a fixed 20 ms, the server under test in front of it, and MCP clients (one
 * session each) calling {@code list-mail-messages} in a loop. Prints, side by side with the TypeScript
 * reference in {@code --http} mode when it is installed: the server's added latency (call time minus
 * Graph's 20 ms) for one client, throughput and added latency at 64 concurrent clients, errors, and
 * the server's peak RSS. Linux only (reads /proc). Bounded: every phase stops by itself.
 *
 * <p>One client waiting 20 ms on Graph leaves the machine idle between calls, and on a shared VM a core that
 * idled has lost its caches: the server's path then runs several times slower than back to back. So the bench
 * also measures the same client with Graph answering at once ("no idle"), and, before any server starts, what
 * idling costs this machine: the same 4 MiB memory walk back to back and right after a 20 ms sleep.
 *
 * <pre>
 * java bench/HttpLoadBench.java [--clients 64] [--seconds 10] [--single 300] [--warmup 40] [--graph-latency 20]
 *                               [--jar launcher-http/target/ms365-mcp-http.jar]
 *                               [--reference bench/.reference/node_modules/@softeria/ms-365-mcp-server]
 *                               [--jvm-options "-XX:+UseSerialGC -Xmx256m"]   (default: deploy/docker/http.jvm-options)
 *                               [--stateless]   (ours with --stateless: JSON answers, no sessions, as the reference's --http)
 * java bench/HttpLoadBench.java --compare "" --compare "-XX:+UseTransparentHugePages" [--single 2000] [--warmup 30]
 *                               (one server per --compare, its extra JVM options after the default ones; one client
 *                               calls them in turn, so each sees the same machine state)
 * java bench/HttpLoadBench.java --floor [--single 2000] [--warmup 30]
 *                               (ours side by side with two floors, bench/ProxyFloor.java: a JDK socket proxy, and
 *                               Jetty 12 + OkHttp without MCP: what a server in the middle costs this machine)
 * java bench/HttpLoadBench.java --redis [--replicas 1,3] [--redis-server /usr/bin/redis-server]
 *                               [--nginx /usr/sbin/nginx] [--clients 64] [--seconds 10] [--single 300]
 * </pre>
 *
 * <p>{@code --redis}: what a multi-user deployment pays. For each replica count, a redis-server on a loopback
 * port (no persistence), that many jars with {@code MS365_MCP_REDIS_URL} behind nginx (round robin), and a
 * fake Entra (https, a self-signed certificate made with keytool) that the OAuth front door signs a user in
 * at: every tool call goes bearer → access-token record → the user's MSAL cache in Redis → Graph. Prints
 * throughput, added latency, and CPU ms per call of the replicas, redis-server and nginx (from
 * {@code /proc/<pid>/stat} before and after the load phase, robust to a noisy machine).
 *
 * <p>The reference reads Graph's host from its cloud-config.js only, so for the run a scratch copy of
 * it (beside it in node_modules, so its dependencies resolve) has that host rewritten to the fake. It
 * is started with {@code MS365_MCP_RATE_LIMIT_DISABLED=true} and forwards any bearer to Graph; ours runs
 * on a static token ({@code MS365_MCP_OAUTH_TOKEN}) behind an API key, both on loopback.
 *
 * <p>The bench shares the machine's cores with the server it measures, so its own fake Graph and clients are
 * kept light ({@link FakeGraph}, {@link Connection}: plain HTTP/1.1 over kept-alive sockets, one platform thread
 * each); the JDK's HTTP server and client cost it about twice the server's CPU per call. It prints the CPU
 * time per call of both sides (/proc), which the other engineers' builds on the machine do not move.
 */
public class HttpLoadBench {

    /** The fake Graph's latency ({@code --graph-latency}): 20 ms; 0 shows the server's own path without idling. */
    static volatile int graphLatencyMs = 20;
    /**
     * What one Graph call costs a client talking to the fake directly (its 20 ms, plus the bench's own
     * HTTP exchange): "added" latency is measured against this, not the nominal 20.
     */
    static double graphMs;
    /** The same for a Graph that answers at once (the single client's "no idle" phase). */
    static double graphNoIdleMs;
    static final String API_KEY = "bench-api-key-0123456789abcdef";

    record Subject(String name, List<String> command, Map<String, String> env, int port) {
    }

    record Result(double singleP50, double singleP99, double callsPerSecond, double loadP50, double loadP99,
            long errors, long calls, long peakRssKb, double serverCpuMsPerCall, double benchCpuMsPerCall,
            double singleServerCpuMsPerCall, double singleJitCpuMsPerCall, double singleNoIdleP50) {
    }

    public static void main(String[] args) throws Exception {
        int clients = 64;
        int seconds = 10;
        int single = 300;
        int warmup = 40;
        String jar = "launcher-http/target/ms365-mcp-http.jar";
        String reference = "bench/.reference/node_modules/@softeria/ms-365-mcp-server";
        String jvmOptions = null;
        boolean redis = false;
        boolean stateless = false;
        boolean floor = false;
        List<String> compare = new ArrayList<>();
        int[] replicaCounts = {1, 3};
        String redisServer = "/usr/bin/redis-server";
        String nginxBinary = "/usr/sbin/nginx";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--single" -> single = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--graph-latency" -> graphLatencyMs = Integer.parseInt(args[++i]);
                case "--jar" -> jar = args[++i];
                case "--reference" -> reference = args[++i];
                case "--jvm-options" -> jvmOptions = args[++i];
                case "--redis" -> redis = true;
                case "--stateless" -> stateless = true;
                case "--compare" -> compare.add(args[++i]);
                case "--floor" -> floor = true;
                case "--replicas" -> replicaCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--redis-server" -> redisServer = args[++i];
                case "--nginx" -> nginxBinary = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (jvmOptions == null) {
            jvmOptions = deployedJvmOptions(Path.of(jar));
        }
        FakeGraph graph = new FakeGraph();
        String graphUrl = "http://127.0.0.1:" + graph.port();
        graphMs = directGraphMs(URI.create(graphUrl + "/v1.0/me/messages"));
        int idleMs = Math.max(1, graphLatencyMs);
        double[] walk = idleCost(idleMs);
        System.out.printf("this machine: a 4 MiB memory walk takes %.0f µs back to back and %.0f µs right after %d ms idle (%.1fx)%n",
                walk[0], walk[1], idleMs, walk[1] / walk[0]);
        String java = ProcessHandle.current().info().command().orElse("java");
        if (redis) {
            System.out.printf("fake Graph latency %d ms (%.2f ms seen by a client calling it directly, p50); %d sequential calls for one client; %d clients for %d s after %d s of warm-up per replica; %d cores%n%n",
                    graphLatencyMs, graphMs, single, clients, seconds, warmup, Runtime.getRuntime().availableProcessors());
            Replicas.bench(java, jar, jvmOptions, graphUrl, replicaCounts, redisServer, nginxBinary, clients, seconds, single, warmup);
            graph.close();
            return;
        }

        if (floor && compare.isEmpty()) {
            compare.add("");
        }
        if (!compare.isEmpty()) {
            System.out.printf("fake Graph latency %d ms (%.2f ms seen by a client calling it directly, p50); %d calls to each server in turn after as many unmeasured; %d clients for %d s of warm-up per server; %d cores%n%n",
                    graphLatencyMs, graphMs, single, clients, warmup, Runtime.getRuntime().availableProcessors());
            List<Subject> variants = new ArrayList<>();
            for (String extra : compare) {
                variants.add(ours(java, jar, (jvmOptions + " " + extra).strip(), graphUrl, stateless));
            }
            if (floor) {
                variants.add(floor("socket", java, jar, jvmOptions, graphUrl));
                variants.add(floor("jetty", java, jar, jvmOptions, graphUrl));
            }
            compare(variants, clients, warmup, single);
            graph.close();
            return;
        }

        graphNoIdleMs = withGraphLatency(0, () -> directGraphMs(URI.create(graphUrl + "/v1.0/me/messages")));
        List<Subject> subjects = new ArrayList<>();
        subjects.add(ours(java, jar, jvmOptions, graphUrl, stateless));
        Path ref = Path.of(reference);
        if (Files.isDirectory(ref)) {
            Path scratch = scratchReference(ref, graphUrl);
            int port = freePort();
            subjects.add(new Subject("reference @softeria/ms-365-mcp-server --http",
                    List.of("node", scratch.resolve("dist/index.js").toString(), "--http", "127.0.0.1:" + port),
                    Map.of("MS365_MCP_RATE_LIMIT_DISABLED", "true"), port));
        } else {
            System.out.println("(reference not installed: npm install --prefix bench/.reference @softeria/ms-365-mcp-server@0.155.0)");
        }
        System.out.printf("fake Graph latency %d ms (%.2f ms seen by a client calling it directly, p50); %d sequential calls for one client; %d clients for %d s after %d s of warm-up; %d cores%n%n",
                graphLatencyMs, graphMs, single, clients, seconds, warmup, Runtime.getRuntime().availableProcessors());

        List<Result> results = new ArrayList<>();
        for (Subject s : subjects) {
            results.add(run(s, clients, seconds, single, warmup));
        }
        graph.close();

        System.out.printf("%-58s %22s %15s %12s %22s %8s %10s %20s %22s%n", "server", "1 client added p50/p99",
                "no idle p50", "calls/s", clients + " clients added p50/p99", "errors", "peak RSS", "CPU ms/call srv/bench",
                "1 client srv CPU/JIT");
        for (int i = 0; i < subjects.size(); i++) {
            Result r = results.get(i);
            System.out.printf("%-58s %9.2f / %7.2f ms %12.2f ms %12.0f %9.1f / %7.1f ms %8d %6.1f MiB %9.3f / %6.3f %10.3f / %6.3f ms%n",
                    subjects.get(i).name(), r.singleP50(), r.singleP99(), r.singleNoIdleP50(), r.callsPerSecond(),
                    r.loadP50(), r.loadP99(), r.errors(), r.peakRssKb() / 1024.0, r.serverCpuMsPerCall(),
                    r.benchCpuMsPerCall(), r.singleServerCpuMsPerCall(), r.singleJitCpuMsPerCall());
        }
        if (results.size() == 2) {
            Result a = results.get(0);
            Result b = results.get(1);
            System.out.printf("%nms365-mcp of the reference: throughput %.1fx, 1-client added latency %.3fx (no idle %.3fx), "
                    + "%d-client added p50 %.3fx, peak RSS %.2fx%n", a.callsPerSecond() / b.callsPerSecond(),
                    a.singleP50() / b.singleP50(), a.singleNoIdleP50() / b.singleNoIdleP50(), clients,
                    a.loadP50() / b.loadP50(), (double) a.peakRssKb() / b.peakRssKb());
        }
    }

    /** Ours, single-user on a static token behind the API key, on a free loopback port. */
    static Subject ours(String java, String jar, String jvmOptions, String graphUrl, boolean stateless) throws IOException {
        int port = freePort();
        List<String> command = javaCommand(java, jvmOptions);
        command.addAll(List.of("-jar", jar, "--http", "127.0.0.1:" + port));
        if (stateless) {
            command.add("--stateless");
        }
        return new Subject("ms365-mcp (" + jvmOptions + ")", command, Map.of(
                "MS365_MCP_OAUTH_TOKEN", "bench-graph-token", "MS365_MCP_API_KEY", API_KEY,
                "MS365_MCP_GRAPH_URL", graphUrl, "MS365_MCP_RATE_LIMIT_DISABLED", "true", "LOG_LEVEL", "warn"), port);
    }

    /**
     * {@code --floor}: one of {@code bench/ProxyFloor.java}'s servers, with the JVM options ours runs with (not its AOT cache,
     * which belongs to the jar's own classpath).
     */
    static Subject floor(String kind, String java, String jar, String jvmOptions, String graphUrl) throws IOException {
        int port = freePort();
        List<String> command = javaCommand(java, jvmOptions);
        command.removeIf(o -> o.startsWith("-XX:AOTCache="));
        command.addAll(List.of("-cp", jar, "bench/ProxyFloor.java", kind, Integer.toString(port), graphUrl));
        String name = kind.equals("socket") ? "floor: a JDK socket proxy (no Jetty, no MCP)"
                : "floor: Jetty 12 servlet on virtual threads + OkHttp (no MCP)";
        return new Subject(name, command, Map.of(), port);
    }

    /** {@code java} and the JVM options, as a command line to add to. */
    static List<String> javaCommand(String java, String jvmOptions) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(Arrays.asList(jvmOptions.split("\\s+")));
        return command;
    }

    /** Starts {@code s} and waits until it answers its health check. */
    static Process start(Subject s) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(s.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().putAll(s.env());
        Process p = pb.start();
        try {
            awaitUp(URI.create("http://127.0.0.1:" + s.port() + "/"), p);
        } catch (Exception e) {
            stop(p);
            throw e;
        }
        return p;
    }

    static void stop(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /**
     * {@code --compare}: one server per variant, all running at once, each warmed under load, then one client
     * calling them in turn, so every server sees the same machine state. Minutes apart, this VM's
     * single-client latency moves by 3x; side by side, differences of a few per cent show.
     */
    static void compare(List<Subject> variants, int clients, int warmup, int single) throws Exception {
        List<Process> servers = new ArrayList<>();
        try {
            List<Session> solos = new ArrayList<>();
            for (Subject v : variants) {
                servers.add(start(v));
                URI mcp = URI.create("http://127.0.0.1:" + v.port() + "/mcp");
                List<Session> sessions = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    sessions.add(new Session(mcp));
                }
                load(sessions, Duration.ofSeconds(warmup), new ConcurrentLinkedQueue<>(), new AtomicLong());
                solos.add(new Session(mcp));
            }
            int n = variants.size();
            double[][] added = new double[n][single];
            long[] cpu = new long[n];
            for (int i = 0; i < 2 * single; i++) {
                if (i == single) {
                    for (int j = 0; j < n; j++) {
                        cpu[j] = cpuMs(servers.get(j).pid());
                    }
                }
                for (int j = 0; j < n; j++) {
                    long t = System.nanoTime();
                    solos.get(j).call();
                    if (i >= single) {
                        added[j][i - single] = (System.nanoTime() - t) / 1e6 - graphMs;
                    }
                }
            }
            System.out.printf("%-70s %28s %14s %10s %10s%n", "server", "1 client added p25/p50/p90", "of the first",
                    "CPU/call", "peak RSS");
            double first = Double.NaN;
            for (int j = 0; j < n; j++) {
                Arrays.sort(added[j]);
                double p50 = pct(added[j], 50);
                first = j == 0 ? p50 : first;
                System.out.printf("%-70s %7.3f / %7.3f / %7.3f ms %13.3fx %7.3f ms %6.1f MiB%n", variants.get(j).name(),
                        pct(added[j], 25), p50, pct(added[j], 90), p50 / first,
                        (double) (cpuMs(servers.get(j).pid()) - cpu[j]) / single, peakRssKb(servers.get(j).pid()) / 1024.0);
            }
        } finally {
            for (Process p : servers) {
                stop(p);
            }
        }
    }

    static Result run(Subject s, int clients, int seconds, int single, int warmup) throws Exception {
        Process p = start(s);
        try {
            URI mcp = URI.create("http://127.0.0.1:" + s.port() + "/mcp");
            Session warm = new Session(mcp);
            for (int i = 0; i < 100; i++) {
                warm.call();
            }
            List<Session> sessions = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                sessions.add(new Session(mcp));
            }
            // warm-up under load before anything is measured: the JIT's compiles would otherwise land in the
            // measured phases (C2 needs ~40 s of this load on 2 busy cores to settle; a server runs for days)
            load(sessions, Duration.ofSeconds(warmup), new ConcurrentLinkedQueue<>(), new AtomicLong());
            Session solo = new Session(mcp);
            // One client calling with 20 ms pauses takes other branches than 64 busy ones (the thread pools idle
            // between calls), and C2 recompiles for them: a pass of the same length first, not measured.
            for (int i = 0; i < single; i++) {
                solo.call();
            }
            long soloCpu = cpuMs(p.pid());
            long soloJit = jitCpuMs(p.pid());
            double[] one = addedLatencies(solo, single, graphMs);
            soloCpu = cpuMs(p.pid()) - soloCpu;
            soloJit = jitCpuMs(p.pid()) - soloJit;
            double noIdle = graphLatencyMs == 0 ? pct(one, 50) : withGraphLatency(0, () -> {
                addedLatencies(solo, single, graphNoIdleMs); // unmeasured, as above
                return pct(addedLatencies(solo, single, graphNoIdleMs), 50);
            });
            ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
            AtomicLong errors = new AtomicLong();
            long serverCpu = cpuMs(p.pid());
            long benchCpu = cpuMsOf(ProcessHandle.current().pid()); // not cpuMs: the server is the bench's child
            long start = System.nanoTime();
            long calls = load(sessions, Duration.ofSeconds(seconds), latencies, errors);
            double elapsed = (System.nanoTime() - start) / 1e9;
            serverCpu = cpuMs(p.pid()) - serverCpu;
            benchCpu = cpuMsOf(ProcessHandle.current().pid()) - benchCpu;
            double[] all = latencies.stream().mapToDouble(d -> d - graphMs).sorted().toArray();
            long rss = peakRssKb(p.pid());
            return new Result(pct(one, 50), pct(one, 99), calls / elapsed, pct(all, 50), pct(all, 99), errors.get(),
                    calls, rss, (double) serverCpu / Math.max(1, calls), (double) benchCpu / Math.max(1, calls),
                    (double) soloCpu / Math.max(1, single), (double) soloJit / Math.max(1, single), noIdle);
        } finally {
            stop(p);
        }
    }

    /** The added latency (ms, sorted) of {@code calls} sequential calls, against {@code directMs} of a direct one. */
    static double[] addedLatencies(Session solo, int calls, double directMs) throws Exception {
        double[] t = new double[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            solo.call();
            t[i] = (System.nanoTime() - start) / 1e6 - directMs;
        }
        Arrays.sort(t);
        return t;
    }

    /** Runs {@code phase} with the fake Graph answering after {@code ms}, then restores its latency. */
    static <T> T withGraphLatency(int ms, Callable<T> phase) throws Exception {
        int before = graphLatencyMs;
        graphLatencyMs = ms;
        try {
            return phase.call();
        } finally {
            graphLatencyMs = before;
        }
    }

    /**
     * What idling costs this machine: µs for the same pseudo-random walk over 4 MiB, back to back and right after
     * {@code idleMs} of sleep (p50 of 200 each, after a round that warms the JIT). A shared VM's core that idled
     * has lost its caches to other work; the server's path pays the same between one client's calls.
     */
    static double[] idleCost(int idleMs) throws InterruptedException {
        int[] data = new int[1 << 20];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 31;
        }
        double[] busy = new double[200];
        double[] idle = new double[200];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < busy.length; i++) {
                long t = System.nanoTime();
                walked += walk(data, i);
                busy[i] = (System.nanoTime() - t) / 1e3;
            }
            for (int i = 0; i < idle.length; i++) {
                Thread.sleep(idleMs);
                long t = System.nanoTime();
                walked += walk(data, i);
                idle[i] = (System.nanoTime() - t) / 1e3;
            }
        }
        Arrays.sort(busy);
        Arrays.sort(idle);
        return new double[] {pct(busy, 50), pct(idle, 50)};
    }

    /** The walks' sums, kept so the JIT cannot drop the walks. */
    static volatile long walked;

    private static long walk(int[] data, int seed) {
        int at = seed;
        long sum = 0;
        for (int k = 0; k < 100_000; k++) {
            at = at * 1103515245 + 12345;
            sum += data[(at >>> 8) & (data.length - 1)];
        }
        return sum;
    }

    /** Every session calls in a loop until the time is up; returns the number of calls answered. */
    static long load(List<Session> sessions, Duration time, ConcurrentLinkedQueue<Double> latencies, AtomicLong errors)
            throws InterruptedException {
        long deadline = System.nanoTime() + time.toNanos();
        AtomicLong calls = new AtomicLong();
        CountDownLatch done = new CountDownLatch(sessions.size());
        for (Session s : sessions) {
            Thread.ofPlatform().daemon().stackSize(256 * 1024).start(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        try {
                            s.call();
                            latencies.add((System.nanoTime() - t) / 1e6);
                            calls.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(time.toSeconds() + 60, TimeUnit.SECONDS);
        return calls.get();
    }

    /** One MCP client: initialize (keeping the session id if the server gives one), then tool calls. */
    static final class Session {
        private final Connection http;
        private final AtomicInteger ids = new AtomicInteger();
        private final String bearer;
        private String sessionId;

        Session(URI mcp) throws Exception {
            this(mcp, API_KEY);
        }

        /** A session that authenticates with {@code bearer} (an OAuth access token, or the API key). */
        Session(URI mcp, String bearer) throws Exception {
            this.http = new Connection(mcp);
            this.bearer = bearer;
            Reply r = post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
                    + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"bench\",\"version\":\"1\"}}}");
            check(r, "\"protocolVersion\"");
            sessionId = r.header("mcp-session-id");
            if (sessionId != null) {
                post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            }
        }

        void call() throws Exception {
            int id = ids.incrementAndGet();
            Reply r = post("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"list-mail-messages\",\"arguments\":{\"top\":3}}}");
            check(r, "Bench message");
        }

        private Reply post(String body) throws Exception {
            String headers = "Content-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\n"
                    + "MCP-Protocol-Version: 2025-06-18\r\n"
                    + "Authorization: Bearer " + bearer + "\r\n"
                    + (sessionId == null ? "" : "Mcp-Session-Id: " + sessionId + "\r\n");
            return http.exchange("POST", headers, body.getBytes(StandardCharsets.UTF_8));
        }

        private static void check(Reply r, String expected) throws IOException {
            if (r.status() != 200 || !r.body().contains(expected) || r.body().contains("\"isError\":true")) {
                throw new IOException("HTTP " + r.status() + ": " + r.body().substring(0, Math.min(300, r.body().length())));
            }
        }
    }

    /** The fake Graph's latency as a client calling it directly sees it (p50 of 200 after 50 warm-up calls). */
    static double directGraphMs(URI uri) throws Exception {
        double[] t = new double[200];
        try (Connection graph = new Connection(uri)) {
            for (int i = 0; i < 250; i++) {
                long start = System.nanoTime();
                graph.exchange("GET", "", null);
                if (i >= 50) {
                    t[i - 50] = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        Arrays.sort(t);
        return pct(t, 50);
    }

    /**
     * Answers every request after {@link #graphLatencyMs} with three small messages: plain HTTP/1.1, kept-alive
     * connections, one platform thread each that blocks in read and sleeps out the latency (no CPU while waiting,
     * no hand-off between threads), so it costs the shared cores little next to the server under test.
     */
    static final class FakeGraph implements Closeable {
        private static final byte[] BODY = ("{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#users('me')/messages\",\"value\":["
                + "{\"id\":\"m1\",\"subject\":\"Bench message 1\",\"from\":{\"emailAddress\":{\"address\":\"a@contoso.com\"}}},"
                + "{\"id\":\"m2\",\"subject\":\"Bench message 2\",\"from\":{\"emailAddress\":{\"address\":\"b@contoso.com\"}}},"
                + "{\"id\":\"m3\",\"subject\":\"Bench message 3\",\"from\":{\"emailAddress\":{\"address\":\"c@contoso.com\"}}}]}")
                .getBytes(StandardCharsets.UTF_8);
        private static final byte[] HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + BODY.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        private final ServerSocket server;
        private final ConcurrentLinkedQueue<Socket> sockets = new ConcurrentLinkedQueue<>();

        FakeGraph() throws IOException {
            server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            Thread.ofPlatform().daemon().name("fake-graph-accept").start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                    Thread.ofPlatform().daemon().name("fake-graph").stackSize(256 * 1024).start(() -> serve(s));
                } catch (IOException e) {
                    // closed: the bench is over
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                byte[] answer = new byte[HEAD.length + BODY.length];
                System.arraycopy(HEAD, 0, answer, 0, HEAD.length);
                System.arraycopy(BODY, 0, answer, HEAD.length, BODY.length);
                while (Connection.readHead(in) instanceof Map<String, String> headers) {
                    Connection.readBody(in, headers); // the request's, if any
                    Thread.sleep(graphLatencyMs);
                    out.write(answer);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            } finally {
                sockets.remove(s);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** An HTTP answer: status, headers (names lower case, one value each), body as text. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * One kept-alive HTTP/1.1 connection to one URI, used by one thread at a time: a request written in one
     * go, the answer read by Content-Length, chunked encoding (the SSE answers of streamable HTTP) or up to
     * the server's close. Far cheaper per call than java.net.http's asynchronous machinery.
     */
    static final class Connection implements Closeable {
        private final URI uri;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        /** An answer's status line was read: the request reached the server, so it is not sent again. */
        private boolean answered;

        Connection(URI uri) {
            this.uri = uri;
        }

        /** Sends one request; a kept-alive connection the server had closed meanwhile is reopened once. */
        Reply exchange(String method, String headers, byte[] body) throws IOException {
            for (int attempt = 0; ; attempt++) {
                boolean reused = socket != null;
                if (socket == null) {
                    open();
                }
                answered = false;
                try {
                    return send(method, headers, body);
                } catch (IOException e) {
                    close();
                    if (!reused || attempt > 0 || answered) {
                        throw e;
                    }
                }
            }
        }

        private void open() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
        }

        private Reply send(String method, String headers, byte[] body) throws IOException {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort() + "\r\n" + headers
                    + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            String status = readLine(in);
            if (status == null) {
                throw new EOFException("the server closed the connection");
            }
            answered = true;
            Map<String, String> fields = readHead(in, status);
            int code = Integer.parseInt(status.split(" ", 3)[1]);
            byte[] content = code == 204 || code == 304 || "HEAD".equals(method) ? new byte[0] : readBody(in, fields);
            if ("close".equalsIgnoreCase(fields.get("connection")) || fields.get(BY_CLOSE) != null) {
                close();
            }
            return new Reply(code, fields, new String(content, StandardCharsets.UTF_8));
        }

        /** Marks a body that ran until the server closed the connection. */
        private static final String BY_CLOSE = ":read-to-close";

        /** A request's or answer's header fields after its first line; null at the end of the stream. */
        static Map<String, String> readHead(InputStream in) throws IOException {
            String first = readLine(in);
            return first == null ? null : readHead(in, first);
        }

        private static Map<String, String> readHead(InputStream in, String first) throws IOException {
            Map<String, String> fields = new HashMap<>();
            fields.put(":first-line", first);
            for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            return fields;
        }

        /** The body the fields announce: chunked, Content-Length, or (an answer without either) up to the close. */
        static byte[] readBody(InputStream in, Map<String, String> fields) throws IOException {
            if ("chunked".equalsIgnoreCase(fields.get("transfer-encoding"))) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (int size = chunkSize(readLine(in)); size > 0; size = chunkSize(readLine(in))) {
                    body.write(in.readNBytes(size));
                    readLine(in); // the CRLF after the chunk
                }
                for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                    // trailers: none expected
                }
                return body.toByteArray();
            }
            String length = fields.get("content-length");
            if (length != null) {
                int n = Integer.parseInt(length);
                byte[] body = in.readNBytes(n);
                if (body.length < n) {
                    throw new EOFException("the body ended early");
                }
                return body;
            }
            if (fields.get(":first-line").startsWith("HTTP/")) {
                fields.put(BY_CLOSE, "true");
                return in.readAllBytes();
            }
            return new byte[0]; // a request without a body
        }

        private static int chunkSize(String line) throws IOException {
            if (line == null) {
                throw new EOFException("the chunked body ended early");
            }
            int semicolon = line.indexOf(';');
            return Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
        }

        /** One line up to LF (CR dropped), bytes as ISO-8859-1; null at the end of the stream. */
        static String readLine(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder(64);
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return b < 0 && line.isEmpty() ? null : line.toString();
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    /**
     * The JVM options the image starts the HTTP server with (deploy/docker/http.jvm-options), so the bench
     * measures what ships: there the heap is 75% of the container's memory limit, here {@code -Xmx288m} stands
     * for the k8s manifests' 384Mi limit; and the jar's AOT cache when the build made one beside it.
     */
    static String deployedJvmOptions(Path jar) throws IOException {
        Path file = Path.of("deploy/docker/http.jvm-options");
        List<String> options = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String option = line.strip();
                if (!option.isEmpty() && !option.startsWith("#") && !option.startsWith("-XX:MaxRAMPercentage")) {
                    options.add(option);
                }
            }
        } else {
            options.addAll(List.of("-XX:+UseSerialGC", "-Xss512k"));
        }
        options.add("-Xmx288m");
        Path aot = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".aot"));
        if (Files.exists(aot)) {
            options.add("-XX:AOTCache=" + aot);
        }
        return String.join(" ", options);
    }

    /** A copy of the reference beside it in node_modules, its Graph host pointing at the fake. */
    static Path scratchReference(Path ref, String graphUrl) throws IOException {
        Path scratch = ref.resolveSibling(ref.getFileName() + "-bench");
        if (Files.exists(scratch)) {
            try (Stream<Path> walk = Files.walk(scratch)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        try (Stream<Path> walk = Files.walk(ref)) {
            for (Path f : walk.toList()) {
                Path target = scratch.resolve(ref.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path config = scratch.resolve("dist/cloud-config.js");
        Files.writeString(config, Files.readString(config).replace("https://graph.microsoft.com", graphUrl));
        return scratch;
    }

    static void awaitUp(URI health, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("the server exited with status " + p.exitValue());
            }
            try (Connection c = new Connection(health)) {
                if (c.exchange("GET", "", null).status() < 500) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IOException("the server did not answer " + health + " within 60 s");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static double pct(double[] sorted, int p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static long peakRssKb(long pid) throws IOException {
        long kb = vmHwm(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            kb += vmHwm(child.pid());
        }
        return kb;
    }

    /**
     * CPU time (user + system, ms) of a process and its children so far, from /proc/PID/stat: a figure for the
     * work done per call that does not depend on what else the shared machine is running.
     */
    static long cpuMs(long pid) throws IOException {
        long ms = cpuMsOf(pid);
        for (ProcessHandle child : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())) {
            ms += cpuMsOf(child.pid());
        }
        return ms;
    }

    /**
     * CPU time (ms) of a JVM's JIT compiler threads so far: compiles still running while latency is measured
     * take a core from the request path on a 2-core machine, so the bench shows how much there was.
     */
    static long jitCpuMs(long pid) throws IOException {
        long ms = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String s = Files.readString(task.resolve("stat"));
                    if (s.contains("(C1 CompilerThre") || s.contains("(C2 CompilerThre")) {
                        ms += statCpuMs(s);
                    }
                } catch (IOException gone) {
                    // the thread ended between the listing and the read
                }
            }
        }
        return ms;
    }

    static long cpuMsOf(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return 0;
        }
        return statCpuMs(Files.readString(stat));
    }

    /** utime + stime (ms) of a /proc {@code stat} line, a process's or a thread's. */
    static long statCpuMs(String stat) {
        // fields after the ")" that ends the command name: state is field 3, utime 14, stime 15 (clock ticks)
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS;
    }

    /** USER_HZ: 100 on every Linux architecture the JDK runs on. */
    static final long CLOCK_TICKS = 100;

    static long vmHwm(long pid) throws IOException {
        Path status = Path.of("/proc/" + pid + "/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    }

    /**
     * {@code --redis}: replicas sharing a redis-server behind nginx, a user signed in through the OAuth front
     * door at a fake Entra, MCP clients calling with that user's bearer.
     */
    static final class Replicas {

        static final String CLIENT_ID = "22222222-2222-2222-2222-222222222222";
        static final String CLIENT_SECRET = "bench-client-secret";
        static final String TENANT = "33333333-3333-3333-3333-333333333333";
        static final String CLIENT_REDIRECT = "http://127.0.0.1:5555/callback";

        record Row(int replicas, Result result, double serverCpuMsPerCall, double redisCpuMsPerCall,
                double nginxCpuMsPerCall, double redisCommandsPerCall) {
        }

        static void bench(String javaCommand, String jar, String jvmOptions, String graphUrl, int[] counts, String redisServer,
                String nginx, int clients, int seconds, int single, int warmup) throws Exception {
            Path dir = Files.createTempDirectory("ms365-bench-redis");
            FakeEntra entra = FakeEntra.start(dir);
            List<Row> rows = new ArrayList<>();
            try {
                // For comparison: one replica in single-user mode (static Graph token, API key), no Redis, same nginx.
                rows.add(run(0, javaCommand, jar, jvmOptions, graphUrl, redisServer, nginx, entra, dir.resolve("run-single-user"),
                        clients, seconds, single, warmup));
                for (int n : counts) {
                    rows.add(run(n, javaCommand, jar, jvmOptions, graphUrl, redisServer, nginx, entra, dir.resolve("run-" + n),
                            clients, seconds, single, warmup));
                }
            } finally {
                entra.server.stop(0);
            }
            System.out.printf("%nEvery call: bearer → Redis (access token, grant, user epoch, the user's encrypted MSAL cache) → Graph; "
                    + "one signed-in user; rate limits off; nginx round robin in front%n");
            System.out.printf("%-30s %22s %9s %22s %7s %10s %10s %10s %14s%n", "ms365-mcp + Redis", "1 client added p50/p99",
                    "calls/s", clients + " clients added p50/p99", "errors", "server CPU", "redis CPU", "nginx CPU",
                    "Redis cmds/call");
            for (Row r : rows) {
                Result x = r.result();
                System.out.printf("%-30s %9.2f / %7.2f ms %9.0f %9.1f / %7.1f ms %7d %7.2f ms %7.2f ms %7.2f ms %14.1f%n",
                        r.replicas() == 0 ? "1, single-user, no Redis" : r.replicas() + (r.replicas() == 1 ? " replica" : " replicas"),
                        x.singleP50(), x.singleP99(),
                        x.callsPerSecond(), x.loadP50(), x.loadP99(), x.errors(), r.serverCpuMsPerCall(),
                        r.redisCpuMsPerCall(), r.nginxCpuMsPerCall(), r.redisCommandsPerCall());
            }
            System.out.println("(CPU: ms per tool call during the load phase; server = all replicas together)");
        }

        /** {@code n} replicas with Redis and the OAuth front door; {@code n == 0}: one single-user replica, no Redis. */
        static Row run(int n, String javaCommand, String jar, String jvmOptions, String graphUrl, String redisServer, String nginx,
                FakeEntra entra, Path dir, int clients, int seconds, int single, int warmup) throws Exception {
            Files.createDirectories(dir);
            boolean singleUser = n == 0;
            n = Math.max(1, n);
            List<Process> processes = new ArrayList<>();
            try {
                int redisPort = freePort();
                Process redis = new ProcessBuilder(redisServer, "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                        "--dir", dir.toString(), "--save", "", "--appendonly", "no")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
                processes.add(redis);
                awaitRedis(redisPort, redis);
                int proxyPort = freePort();
                URI base = URI.create("http://127.0.0.1:" + proxyPort);
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                String stateKey = java.util.Base64.getEncoder().encodeToString(key);
                List<Process> replicas = new ArrayList<>();
                List<Integer> ports = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int port = freePort();
                    List<String> command = HttpLoadBench.javaCommand(javaCommand, jvmOptions);
                    command.addAll(List.of("-Djavax.net.ssl.trustStore=" + entra.keyStore(),
                            "-Djavax.net.ssl.trustStorePassword=" + FakeEntra.PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12",
                            "-jar", jar, "--http", "127.0.0.1:" + port));
                    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                            .redirectOutput(dir.resolve("replica-" + i + ".log").toFile());
                    pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_") || k.equals("JAVA_TOOL_OPTIONS"));
                    pb.environment().putAll(Map.of("MS365_MCP_CLIENT_ID", CLIENT_ID, "MS365_MCP_CLIENT_SECRET", CLIENT_SECRET,
                            "MS365_MCP_TENANT_ID", TENANT, "MS365_MCP_AUTHORITY_URL", entra.authority(),
                            "MS365_MCP_GRAPH_URL", graphUrl, "MS365_MCP_PUBLIC_URL", base.toString(),
                            "MS365_MCP_REDIS_URL", "redis://127.0.0.1:" + redisPort + "/0", "MS365_MCP_STATE_KEY", stateKey,
                            "MS365_MCP_DATA_DIR", dir.resolve("data-" + i).toString(), "MS365_MCP_RATE_LIMIT_DISABLED", "true"));
                    if (singleUser) {
                        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
                        pb.environment().putAll(Map.of("MS365_MCP_OAUTH_TOKEN", "bench-graph-token", "MS365_MCP_API_KEY", API_KEY,
                                "MS365_MCP_GRAPH_URL", graphUrl, "MS365_MCP_DATA_DIR", dir.resolve("data-" + i).toString(),
                                "MS365_MCP_RATE_LIMIT_DISABLED", "true"));
                    }
                    pb.environment().put("LOG_LEVEL", "warn");
                    Process p = pb.start();
                    processes.add(p);
                    replicas.add(p);
                    ports.add(port);
                }
                for (int i = 0; i < n; i++) {
                    awaitUp(URI.create("http://127.0.0.1:" + ports.get(i) + "/readyz"), replicas.get(i));
                }
                Process proxy = startNginx(nginx, dir.resolve("nginx"), proxyPort, ports);
                processes.add(proxy);
                awaitUp(URI.create(base + "/readyz"), proxy);

                String bearer = singleUser ? API_KEY : signIn(base, entra);
                URI mcp = URI.create(base + "/mcp");
                Session warm = new Session(mcp, bearer);
                for (int i = 0; i < 100 * n; i++) {
                    warm.call();
                }
                List<Session> sessions = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    sessions.add(new Session(mcp, bearer));
                }
                // Warm-up under load, as long per replica as the single-server run's: each JVM compiles its hot code
                // from its own share of the calls. Then one client, unmeasured and measured, as there.
                load(sessions, Duration.ofSeconds((long) warmup * n), new ConcurrentLinkedQueue<>(), new AtomicLong());
                Session solo = new Session(mcp, bearer);
                addedLatencies(solo, single, graphMs); // unmeasured: the JIT settles on the single-client path
                double[] one = addedLatencies(solo, single, graphMs);
                long serverBefore = cpuMs(replicas);
                long redisBefore = cpuMs(List.of(redis));
                long nginxBefore = cpuMs(List.of(proxy));
                long commandsBefore = redisCommands(redisPort);
                ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
                AtomicLong errors = new AtomicLong();
                long start = System.nanoTime();
                long calls = load(sessions, Duration.ofSeconds(seconds), latencies, errors);
                double elapsed = (System.nanoTime() - start) / 1e9;
                double serverCpu = (double) (cpuMs(replicas) - serverBefore) / calls;
                double redisCpu = (double) (cpuMs(List.of(redis)) - redisBefore) / calls;
                double nginxCpu = (double) (cpuMs(List.of(proxy)) - nginxBefore) / calls;
                double commandsPerCall = (double) (redisCommands(redisPort) - commandsBefore) / calls;
                double[] all = latencies.stream().mapToDouble(d -> d - graphMs).sorted().toArray();
                long rss = 0;
                for (Process p : replicas) {
                    rss += peakRssKb(p.pid());
                }
                return new Row(singleUser ? 0 : n, new Result(pct(one, 50), pct(one, 99), calls / elapsed, pct(all, 50), pct(all, 99),
                        errors.get(), calls, rss, serverCpu, Double.NaN, Double.NaN, Double.NaN, Double.NaN), serverCpu, redisCpu,
                        nginxCpu, commandsPerCall);
            } finally {
                for (Process p : processes.reversed()) {
                    stop(p);
                }
            }
        }

        /** CPU ms of the processes and their descendants (nginx's worker). */
        static long cpuMs(List<Process> processes) throws IOException {
            long ms = 0;
            for (Process p : processes) {
                ms += HttpLoadBench.cpuMs(p.pid());
            }
            return ms;
        }

        static void awaitRedis(int port, Process redis) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                if (!redis.isAlive()) {
                    throw new IOException("redis-server exited with status " + redis.exitValue());
                }
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] answer = new byte[7];
                    if (s.getInputStream().readNBytes(answer, 0, 7) == 7 && new String(answer, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                        return;
                    }
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            throw new IOException("redis-server did not answer PING within 30 s");
        }

        /** Commands Redis has run (INFO commandstats, INFO itself left out): proves calls went through Redis. */
        static long redisCommands(int port) throws IOException {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.getOutputStream().write("INFO commandstats\r\n".getBytes(StandardCharsets.US_ASCII));
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                int length = Integer.parseInt(in.readLine().substring(1));
                char[] body = new char[length];
                int read = 0;
                while (read < length) {
                    int n = in.read(body, read, length - read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                long commands = 0;
                for (String line : new String(body, 0, read).split("\r?\n")) {
                    if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
                        commands += Long.parseLong(line.replaceAll(".*:calls=(\\d+),.*", "$1"));
                    }
                }
                return commands;
            }
        }

        /** nginx round robin over the replicas, no buffering, its files in {@code home}. */
        static Process startNginx(String binary, Path home, int port, List<Integer> replicaPorts) throws IOException {
            Files.createDirectories(home);
            StringBuilder upstream = new StringBuilder();
            for (int p : replicaPorts) {
                upstream.append("    server 127.0.0.1:").append(p).append(";\n");
            }
            String conf = """
                    daemon off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 1024; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      upstream replicas {
                    %2$s    keepalive 128;
                      }
                      server {
                        listen 127.0.0.1:%3$d;
                        location / {
                          proxy_pass http://replicas;
                          proxy_http_version 1.1;
                          proxy_set_header Host $http_host;
                          proxy_set_header Connection "";
                          proxy_buffering off;
                          proxy_read_timeout 60s;
                        }
                      }
                    }
                    """.formatted(home, upstream, port);
            Files.writeString(home.resolve("nginx.conf"), conf);
            return new ProcessBuilder(binary, "-e", home.resolve("error.log").toString(), "-p", home.toString(),
                    "-c", home.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(home.resolve("stdout.log").toFile()).start();
        }

        /**
         * The OAuth front door as a client and its user's browser would go through it: dynamic registration,
         * authorize and consent, the Entra sign-in (the fake answers the authorize URL with a code at once),
         * the form_post callback, and the code redeemed with PKCE. Returns the access token.
         */
        static String signIn(URI base, FakeEntra entra) throws Exception {
            HttpClient browser = HttpClient.newBuilder().cookieHandler(new java.net.CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> registered = send(browser, HttpRequest.newBuilder(URI.create(base + "/register"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                            {"client_name":"bench","redirect_uris":["%s"],"token_endpoint_auth_method":"none",
                             "grant_types":["authorization_code","refresh_token"],"response_types":["code"]}"""
                            .formatted(CLIENT_REDIRECT))), 201);
            String clientId = field(registered.body(), "client_id");
            String verifier = random();
            String challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            Map<String, String> q = new java.util.LinkedHashMap<>();
            q.put("response_type", "code");
            q.put("client_id", clientId);
            q.put("redirect_uri", CLIENT_REDIRECT);
            q.put("code_challenge", challenge);
            q.put("code_challenge_method", "S256");
            q.put("state", "bench-state");
            q.put("resource", base + "/mcp");
            q.put("scope", "ms365");
            HttpResponse<String> page = send(browser, HttpRequest.newBuilder(URI.create(base + "/authorize?" + form(q))), 200);
            Map<String, String> consent = new java.util.HashMap<>();
            java.util.regex.Matcher hidden = java.util.regex.Pattern.compile("name=\"(transaction|csrf)\" value=\"([^\"]+)\"")
                    .matcher(page.body());
            while (hidden.find()) {
                consent.put(hidden.group(1), hidden.group(2));
            }
            consent.put("decision", "approve");
            HttpResponse<String> approved = send(browser, post(URI.create(base + "/authorize"), consent), 303);
            URI entraAuthorize = URI.create(approved.headers().firstValue("Location").orElseThrow());
            Map<String, String> signIn = query(entraAuthorize);
            String code = entra.issueCode(signIn.get("nonce"));
            HttpResponse<String> back = send(browser, post(URI.create(signIn.get("redirect_uri")),
                    Map.of("code", code, "state", signIn.get("state"))), 303);
            Map<String, String> answer = query(URI.create(back.headers().firstValue("Location").orElseThrow()));
            HttpResponse<String> redeemed = send(browser, post(URI.create(base + "/token"), Map.of("grant_type",
                    "authorization_code", "code", answer.get("code"), "redirect_uri", CLIENT_REDIRECT, "client_id", clientId,
                    "code_verifier", verifier, "resource", base + "/mcp")), 200);
            return field(redeemed.body(), "access_token");
        }

        static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request, int expected) throws Exception {
            HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IOException(request.build().uri().getPath() + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r;
        }

        static HttpRequest.Builder post(URI uri, Map<String, String> fields) {
            return HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        }

        static String form(Map<String, String> fields) {
            StringBuilder b = new StringBuilder();
            fields.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=').append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return b.toString();
        }

        static Map<String, String> query(URI uri) {
            Map<String, String> q = new java.util.HashMap<>();
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                q.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return q;
        }

        /** A string field of a flat JSON object (the few answers read here are that simple). */
        static String field(String json, String name) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
            if (!m.find()) {
                throw new IllegalStateException("no " + name + " in " + json);
            }
            return m.group(1);
        }

        static String random() {
            byte[] b = new byte[32];
            new java.security.SecureRandom().nextBytes(b);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }
    }

    /**
     * Just enough of Entra for the OAuth front door's sign-in and msal4j's token requests, over https (msal4j
     * insists) with a self-signed certificate made by keytool: authorization codes handed out by
     * {@link #issueCode} (the bench plays the browser), and a token endpoint answering the code and refresh
     * grants with a day-long access token, an id token carrying the nonce, and client_info.
     */
    static final class FakeEntra {

        static final String PASSWORD = "bench-store";
        static final String USER_OID = "44444444-4444-4444-4444-444444444444";

        final com.sun.net.httpserver.HttpsServer server;
        private final Path keyStore;
        private final Map<String, String> codes = new java.util.concurrent.ConcurrentHashMap<>();

        private FakeEntra(com.sun.net.httpserver.HttpsServer server, Path keyStore) {
            this.server = server;
            this.keyStore = keyStore;
        }

        static FakeEntra start(Path dir) throws Exception {
            Path store = dir.resolve("entra.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "entra", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
            }
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD.toCharArray());
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            com.sun.net.httpserver.HttpsServer server = com.sun.net.httpserver.HttpsServer.create(
                    new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 64);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            FakeEntra entra = new FakeEntra(server, store);
            server.createContext("/", entra::handle);
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return entra;
        }

        Path keyStore() {
            return keyStore;
        }

        String authority() {
            return "https://localhost:" + server.getAddress().getPort();
        }

        /** A code for the sign-in whose authorize request carried {@code nonce}. */
        String issueCode(String nonce) {
            String code = "code-" + Replicas.random();
            codes.put(code, nonce == null ? "" : nonce);
            return code;
        }

        private void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().endsWith("/oauth2/v2.0/token")) {
                    answer(exchange, 404, "{\"error\":\"not_found\"}");
                    return;
                }
                Map<String, String> form = new java.util.HashMap<>();
                for (String pair : body.split("&")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        form.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                                java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                    }
                }
                String nonce = null;
                if ("authorization_code".equals(form.get("grant_type"))) {
                    nonce = codes.remove(form.getOrDefault("code", ""));
                    if (nonce == null) {
                        answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: unknown code\"}");
                        return;
                    }
                } else if (!"refresh_token".equals(form.get("grant_type"))) {
                    answer(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                    return;
                }
                answer(exchange, 200, tokens(form.getOrDefault("scope", ""), nonce));
            }
        }

        private String tokens(String scope, String nonce) {
            long now = System.currentTimeMillis() / 1000;
            String granted = String.join(" ", Arrays.stream(scope.split("\\s+")).filter(s -> !s.equals("offline_access")).toList());
            String idClaims = "{\"aud\":\"" + Replicas.CLIENT_ID + "\",\"iss\":\"" + authority() + "/" + Replicas.TENANT
                    + "/v2.0\",\"iat\":" + now + ",\"nbf\":" + now + ",\"exp\":" + (now + 3600) + ",\"name\":\"Bench User\","
                    + "\"preferred_username\":\"bench@contoso.example\",\"oid\":\"" + USER_OID + "\",\"sub\":\"" + USER_OID
                    + "\",\"tid\":\"" + Replicas.TENANT + "\",\"ver\":\"2.0\"" + (nonce == null || nonce.isEmpty() ? "" : ",\"nonce\":\"" + nonce + "\"") + "}";
            java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
            // The id token's signature is not checked by its receiver (straight from the token endpoint over TLS).
            String idToken = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(idClaims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString("bench".getBytes(StandardCharsets.UTF_8));
            String clientInfo = b64.encodeToString(("{\"uid\":\"" + USER_OID + "\",\"utid\":\"" + Replicas.TENANT + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
            return "{\"token_type\":\"Bearer\",\"scope\":\"" + granted + "\",\"expires_in\":86400,\"ext_expires_in\":86400,"
                    + "\"access_token\":\"graph-at-" + Replicas.random() + "\",\"refresh_token\":\"rt-" + Replicas.random()
                    + "\",\"id_token\":\"" + idToken + "\",\"client_info\":\"" + clientInfo + "\"}";
        }

        private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String json) throws IOException {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
