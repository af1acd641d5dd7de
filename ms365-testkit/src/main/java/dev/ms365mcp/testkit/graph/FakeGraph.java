package dev.ms365mcp.testkit.graph;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A programmable Microsoft Graph on loopback. Tests stub routes (by method and raw, still encoded,
 * path), queue one-shot answers (429, 503...), and read back every request exactly as it arrived.
 * It understands Graph's paging ({@code @odata.nextLink} built from its own URL), {@code $batch}
 * (each step routed like a request of its own) and upload sessions.
 *
 * <p>Set {@code -Dsun.net.httpserver.nodelay=true}, or every request stalls about 50 ms.
 */
public final class FakeGraph implements AutoCloseable {

    private record Route(String method, Predicate<String> path, Responder responder) {
    }

    private final HttpServer server;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<FakeResponse>> queued = new LinkedHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final UploadSessions uploads = new UploadSessions();
    private final Map<String, LargeBody> large = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong largeBytesSent = new java.util.concurrent.atomic.AtomicLong();

    private record LargeBody(String contentType, long totalBytes, long pauseMillis) {
    }
    private volatile Responder fallback = (req, base) -> FakeResponse.error(404, "ResourceNotFound",
            "FakeGraph has no route for " + req.method() + " " + req.rawPath());

    private FakeGraph(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free loopback port. */
    public static FakeGraph start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeGraph fake = new FakeGraph(server);
            server.createContext("/", fake::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start FakeGraph", e);
        }
    }

    /** The Graph root to configure ({@code MS365_MCP_GRAPH_URL}); requests arrive under /v1.0 and /beta. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- programming the fake ----------------------------------------------------------------

    /** Answers {@code method rawPath} (exact match, e.g. {@code /v1.0/me/messages}) with {@code responder}. */
    public FakeGraph on(String method, String rawPath, Responder responder) {
        routes.add(0, new Route(method, rawPath::equals, responder));
        return this;
    }

    public FakeGraph on(String method, String rawPath, FakeResponse response) {
        return on(method, rawPath, (req, base) -> response);
    }

    /** Answers every request whose raw path matches {@code regex}. */
    public FakeGraph onMatching(String method, String regex, Responder responder) {
        Pattern p = Pattern.compile(regex);
        routes.add(0, new Route(method, s -> p.matcher(s).matches(), responder));
        return this;
    }

    /** The answer for anything not routed (default: Graph-shaped 404 naming the request). */
    public FakeGraph fallback(Responder responder) {
        this.fallback = responder;
        return this;
    }

    /** One-shot answers, used in order before any route for {@code method rawPath}. */
    public synchronized FakeGraph enqueue(String method, String rawPath, FakeResponse... responses) {
        Deque<FakeResponse> q = queued.computeIfAbsent(method + " " + rawPath, k -> new ArrayDeque<>());
        q.addAll(List.of(responses));
        return this;
    }

    /**
     * Serves a collection over several pages: page 0 at {@code rawPath}, later pages at
     * {@code rawPath?$skiptoken=N}, each but the last carrying an absolute {@code @odata.nextLink}
     * (with a literal {@code $}, as Graph writes it); the last carries an {@code @odata.deltaLink}.
     * {@code items} are JSON object texts.
     */
    public FakeGraph pages(String rawPath, List<List<String>> pagesOfItems) {
        return on("GET", rawPath, (req, base) -> {
            String token = req.query().get("$skiptoken");
            int page = token == null ? 0 : Integer.parseInt(token);
            StringBuilder sb = new StringBuilder("{\"@odata.context\":\"" + base + "/v1.0/$metadata#items\",\"value\":[");
            sb.append(String.join(",", pagesOfItems.get(page))).append(']');
            if (page + 1 < pagesOfItems.size()) {
                sb.append(",\"@odata.nextLink\":\"").append(base).append(rawPath).append("?$skiptoken=")
                        .append(page + 1).append('"');
            } else {
                sb.append(",\"@odata.deltaLink\":\"").append(base).append(rawPath).append("?$deltatoken=end\"");
            }
            return FakeResponse.ok(sb.append('}').toString());
        });
    }

    /**
     * Answers {@code method rawPath} with {@code totalBytes} of generated content, streamed in chunks
     * without a {@code Content-Length} and never held in memory: for a JSON type a {@code value} array of
     * small messages, otherwise repeated text. For tests of clients that must not read everything.
     */
    public FakeGraph onLargeBody(String method, String rawPath, String contentType, long totalBytes) {
        large.put(method + " " + rawPath, new LargeBody(contentType, totalBytes, 0));
        return this;
    }

    /**
     * Like {@link #onLargeBody}, but each 64 KiB chunk is flushed and followed by a pause of {@code pauseMillis}:
     * a slow network, or (with a long pause) a Graph that stops sending midway.
     */
    public FakeGraph onSlowBody(String method, String rawPath, String contentType, long totalBytes, long pauseMillis) {
        large.put(method + " " + rawPath, new LargeBody(contentType, totalBytes, pauseMillis));
        return this;
    }

    /** Bytes of large bodies written so far (the client may stop reading long before the end). */
    public long largeBodyBytesSent() {
        return largeBytesSent.get();
    }

    /** A new upload session URL (absolute) whose PUTs with {@code Content-Range} are collected. */
    public UploadSessions.Session newUploadSession(long totalBytes, String finalItemJson) {
        return uploads.create(url(), totalBytes, finalItemJson);
    }

    /**
     * Answers every {@code POST .../createUploadSession} (drive items and mail attachments) with a new
     * session; see {@link #uploadSessions()}.
     */
    public FakeGraph acceptUploadSessions() {
        return onMatching("POST", ".*/createUploadSession", uploads::createFrom);
    }

    /**
     * The next upload session answers its {@code putIndex}-th chunk (from 0) with 500; {@code taken}: after
     * keeping its bytes (the answer was lost).
     */
    public FakeGraph failChunkInNextUploadSession(int putIndex, boolean taken) {
        uploads.failInNextSession(putIndex, taken);
        return this;
    }

    /** Every upload session created so far, oldest first. */
    public List<UploadSessions.Session> uploadSessions() {
        return uploads.all();
    }

    // ---- reading back ----------------------------------------------------------------------

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    public RecordedRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new AssertionError("FakeGraph received no request");
        }
        return requests.get(requests.size() - 1);
    }

    public synchronized void reset() {
        requests.clear();
        routes.clear();
        queued.clear();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ---- serving -----------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            RecordedRequest req = new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), Map.copyOf(headers), exchange.getRequestBody().readAllBytes());
            // Chunks of an upload session are recorded without their bytes: only the session's digest keeps them.
            requests.add(uploads.handles(req.rawPath()) ? new RecordedRequest(req.method(), req.rawPath(), req.rawQuery(),
                    req.headers(), new byte[0]) : req);
            LargeBody big = large.get(req.method() + " " + req.rawPath());
            if (big != null) {
                streamLarge(exchange, big);
                return;
            }
            FakeResponse resp = dispatch(req);
            resp.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            boolean empty = resp.body().length == 0;
            exchange.sendResponseHeaders(resp.status(), empty ? -1 : resp.body().length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(resp.body());
                }
            }
        } catch (RuntimeException e) {
            // A broken stub must show up in the test, not hang it.
            byte[] msg = ("{\"error\":{\"code\":\"FakeGraphStubFailed\",\"message\":" + JsonText.quote(String.valueOf(e))
                    + "}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, msg.length);
            exchange.getResponseBody().write(msg);
        }
    }

    private void streamLarge(HttpExchange exchange, LargeBody big) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", big.contentType());
        exchange.sendResponseHeaders(200, 0);
        boolean json = big.contentType().contains("json");
        byte[] open = json ? "{\"value\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
        byte[] close = json ? "{\"id\":\"last\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8) : new byte[0];
        byte[] item = (json ? "{\"id\":\"AAMkAG-item\",\"subject\":\"Quarterly numbers\",\"isRead\":false},"
                : "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] chunk = new byte[64 * 1024 / item.length * item.length];
        for (int i = 0; i < chunk.length; i += item.length) {
            System.arraycopy(item, 0, chunk, i, item.length);
        }
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(open);
            long left = big.totalBytes() - open.length - close.length;
            while (left > 0) {
                int n = (int) Math.min(left, chunk.length);
                n = n < chunk.length ? n - n % item.length : n;
                if (n == 0) {
                    break;
                }
                out.write(chunk, 0, n);
                largeBytesSent.addAndGet(n);
                left -= n;
                if (big.pauseMillis() > 0) {
                    out.flush();
                    Thread.sleep(big.pauseMillis());
                }
            }
            out.write(close);
        } catch (IOException e) {
            // The client stopped reading and closed the connection: what this is for.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    FakeResponse dispatch(RecordedRequest req) {
        synchronized (this) {
            Deque<FakeResponse> q = queued.get(req.method() + " " + req.rawPath());
            if (q != null && !q.isEmpty()) {
                return q.poll();
            }
        }
        if (req.method().equals("POST") && req.rawPath().matches("/(v1\\.0|beta)/\\$batch")) {
            return batch(req);
        }
        if (req.method().equals("PUT") && uploads.handles(req.rawPath())) {
            return uploads.put(req);
        }
        if (req.method().equals("GET") && uploads.handles(req.rawPath())) {
            return uploads.get(req);
        }
        for (Route r : routes) {
            if (r.method().equals(req.method()) && r.path().test(req.rawPath())) {
                return r.responder().respond(req, url());
            }
        }
        return fallback.respond(req, url());
    }

    /** JSON batching: each step is routed as a request of its own; answers keep the step ids. */
    private FakeResponse batch(RecordedRequest req) {
        String version = req.rawPath().substring(0, req.rawPath().indexOf("/$batch"));
        JsonNode body = JsonText.MAPPER.readTree(req.body());
        ObjectNode out = JsonText.MAPPER.createObjectNode();
        ArrayNode responses = out.putArray("responses");
        for (JsonNode step : body.path("requests")) {
            String url = step.path("url").asString();
            String target = url.startsWith("/") ? version + url : version + "/" + url;
            int q = target.indexOf('?');
            Map<String, List<String>> headers = new LinkedHashMap<>();
            step.path("headers").properties().forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT),
                    List.of(e.getValue().asString())));
            byte[] stepBody = step.has("body") ? JsonText.MAPPER.writeValueAsBytes(step.get("body")) : new byte[0];
            RecordedRequest sub = new RecordedRequest(step.path("method").asString("GET"),
                    q < 0 ? target : target.substring(0, q), q < 0 ? null : target.substring(q + 1), headers, stepBody);
            requests.add(sub);
            FakeResponse r = dispatch(sub);
            ObjectNode item = responses.addObject();
            item.put("id", step.path("id").asString());
            item.put("status", r.status());
            ObjectNode h = item.putObject("headers");
            r.headers().forEach(h::put);
            if (r.body().length > 0) {
                String ct = r.headers().getOrDefault("Content-Type", "");
                if (ct.contains("json")) {
                    item.set("body", JsonText.MAPPER.readTree(r.body()));
                } else {
                    item.put("body", java.util.Base64.getEncoder().encodeToString(r.body()));
                }
            }
        }
        return FakeResponse.ok(JsonText.MAPPER.writeValueAsString(out));
    }
}
