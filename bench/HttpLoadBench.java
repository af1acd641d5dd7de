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
 * <pre>
 * java bench/HttpLoadBench.java [--clients 64] [--seconds 10] [--single 300] [--warmup 40] [--graph-latency 20]
 *                               [--jar launcher-http/target/ms365-mcp-http.jar]
 *                               [--reference bench/.reference/node_modules/@softeria/ms-365-mcp-server]
 *                               [--jvm-options "-XX:+UseSerialGC -Xmx256m"]   (default: deploy/docker/http.jvm-options)
 * </pre>
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
    static int graphLatencyMs = 20;
    /**
     * What one Graph call costs a client talking to the fake directly (its 20 ms, plus the bench's own
     * HTTP exchange): "added" latency is measured against this, not the nominal 20.
     */
    static double graphMs;
    static final String API_KEY = "bench-api-key-0123456789abcdef";

    record Subject(String name, List<String> command, Map<String, String> env, int port) {
    }

    record Result(double singleP50, double singleP99, double callsPerSecond, double loadP50, double loadP99,
            long errors, long calls, long peakRssKb, double serverCpuMsPerCall, double benchCpuMsPerCall,
            double singleServerCpuMsPerCall) {
    }

    public static void main(String[] args) throws Exception {
        int clients = 64;
        int seconds = 10;
        int single = 300;
        int warmup = 40;
        String jar = "launcher-http/target/ms365-mcp-http.jar";
        String reference = "bench/.reference/node_modules/@softeria/ms-365-mcp-server";
        String jvmOptions = null;
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
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (jvmOptions == null) {
            jvmOptions = deployedJvmOptions(Path.of(jar));
        }
        FakeGraph graph = new FakeGraph();
        String graphUrl = "http://127.0.0.1:" + graph.port();
        graphMs = directGraphMs(URI.create(graphUrl + "/v1.0/me/messages"));
        String java = ProcessHandle.current().info().command().orElse("java");

        List<Subject> subjects = new ArrayList<>();
        int ours = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(Arrays.asList(jvmOptions.split("\\s+")));
        command.addAll(List.of("-jar", jar, "--http", "127.0.0.1:" + ours));
        subjects.add(new Subject("ms365-mcp (" + jvmOptions + ")", command, Map.of(
                "MS365_MCP_OAUTH_TOKEN", "bench-graph-token", "MS365_MCP_API_KEY", API_KEY,
                "MS365_MCP_GRAPH_URL", graphUrl, "MS365_MCP_RATE_LIMIT_DISABLED", "true", "LOG_LEVEL", "warn"), ours));
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

        System.out.printf("%-58s %22s %12s %22s %8s %10s %20s %14s%n", "server", "1 client added p50/p99", "calls/s",
                clients + " clients added p50/p99", "errors", "peak RSS", "CPU ms/call srv/bench", "1 client srv CPU");
        for (int i = 0; i < subjects.size(); i++) {
            Result r = results.get(i);
            System.out.printf("%-58s %9.2f / %7.2f ms %12.0f %9.1f / %7.1f ms %8d %6.1f MiB %9.3f / %6.3f %11.3f ms%n",
                    subjects.get(i).name(), r.singleP50(), r.singleP99(), r.callsPerSecond(), r.loadP50(), r.loadP99(),
                    r.errors(), r.peakRssKb() / 1024.0, r.serverCpuMsPerCall(), r.benchCpuMsPerCall(),
                    r.singleServerCpuMsPerCall());
        }
        if (results.size() == 2) {
            Result a = results.get(0);
            Result b = results.get(1);
            System.out.printf("%nms365-mcp of the reference: throughput %.1fx, 1-client added latency %.3fx, "
                    + "%d-client added p50 %.3fx, peak RSS %.2fx%n", a.callsPerSecond() / b.callsPerSecond(),
                    a.singleP50() / b.singleP50(), clients, a.loadP50() / b.loadP50(),
                    (double) a.peakRssKb() / b.peakRssKb());
        }
    }

    static Result run(Subject s, int clients, int seconds, int single, int warmup) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(s.command()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().putAll(s.env());
        Process p = pb.start();
        try {
            URI mcp = URI.create("http://127.0.0.1:" + s.port() + "/mcp");
            awaitUp(URI.create("http://127.0.0.1:" + s.port() + "/"), p);
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
            double[] one = new double[single];
            Session solo = new Session(mcp);
            long soloCpu = cpuMs(p.pid());
            for (int i = 0; i < single; i++) {
                long t = System.nanoTime();
                solo.call();
                one[i] = (System.nanoTime() - t) / 1e6 - graphMs;
            }
            soloCpu = cpuMs(p.pid()) - soloCpu;
            Arrays.sort(one);
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
                    (double) soloCpu / Math.max(1, single));
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
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
        private String sessionId;

        Session(URI mcp) throws Exception {
            this.http = new Connection(mcp);
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
                    + "Authorization: Bearer " + API_KEY + "\r\n"
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

    static long cpuMsOf(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return 0;
        }
        // fields after the ")" that ends the command name: state is field 3, utime 14, stime 15 (clock ticks)
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
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
}
