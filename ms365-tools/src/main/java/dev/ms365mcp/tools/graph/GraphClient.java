package dev.ms365mcp.tools.graph;

import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.NativeResponseHandler;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.ResponseHandlerOption;
import com.microsoft.kiota.authentication.AnonymousAuthenticationProvider;
import com.microsoft.kiota.http.KiotaClientFactory;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import okhttp3.ResponseBody;

/**
 * Sends {@link GraphCall}s through microsoft-graph-core's {@link BaseGraphRequestAdapter}, so Graph's
 * own middleware does redirects, URI-template encoding and {@code %24} query names. Retries are ours
 * (graph-core's handler waits up to 180 s, cannot be cancelled and cannot tell a long throttle from a
 * dead network):
 * <ul>
 * <li>429 always, 503/504 and no answer only for idempotent methods, at most {@code maxRetries} times;</li>
 * <li>a {@code Retry-After} is waited for up to {@link GraphClientSettings#maxRetryAfterMs()}; a longer one
 *     fails the call at once and says how long Graph asked to wait;</li>
 * <li>without one, exponential backoff with jitter ({@code baseBackoffMs} doubled per retry, at most
 *     {@code maxBackoffMs});</li>
 * <li>each caller ({@link CallScope#principal()}) has a circuit breaker of their own;</li>
 * <li>waits and exchanges stop when the call's {@link Cancellation} fires.</li>
 * </ul>
 * Response bodies are read up to {@link GraphClientSettings#maxBodyBytes()} and no further, so the heap a
 * call needs does not depend on what Graph sends. The adapter is built on first use: listing tools never
 * loads the HTTP stack.
 *
 * <p>The caller puts the {@code Authorization} header on each call; this class knows nothing about
 * tokens.
 */
public final class GraphClient {

    private static final Logger log = LoggerFactory.getLogger(GraphClient.class);
    /** Idle connections to Graph kept for reuse: the calls a busy server makes at once. */
    private static final int MAX_IDLE_CONNECTIONS = 256;

    private final URI root;
    private final int maxRetries;
    private final GraphClientSettings settings;
    private final CircuitBreakers circuits;
    private final GraphCallObserver observer;
    /**
     * Kept-alive connections, shared by both adapters. OkHttp's default keeps only 5 idle ones: a server making
     * more calls at once over HTTP/1.1 (a proxy, a sovereign cloud's front end, a fake) then opens a new TCP
     * connection for most calls and pays the handshake each time.
     */
    private final okhttp3.ConnectionPool connections = new okhttp3.ConnectionPool(MAX_IDLE_CONNECTIONS, 5,
            java.util.concurrent.TimeUnit.MINUTES);
    private volatile BaseGraphRequestAdapter adapter;
    private volatile BaseGraphRequestAdapter downloadAdapter;

    /**
     * @param root       Graph root without version, e.g. {@code https://graph.microsoft.com}
     * @param maxRetries retries of a throttled or unavailable request (0-10)
     */
    public GraphClient(URI root, int maxRetries) {
        this(root, maxRetries, GraphClientSettings.defaults());
    }

    public GraphClient(URI root, int maxRetries, GraphClientSettings settings) {
        this(root, maxRetries, settings, GraphCallObserver.NONE);
    }

    /** @param observer hears every exchange, retries included (metrics) */
    public GraphClient(URI root, int maxRetries, GraphClientSettings settings, GraphCallObserver observer) {
        this.root = root;
        this.observer = observer == null ? GraphCallObserver.NONE : observer;
        this.maxRetries = Math.max(0, Math.min(maxRetries, RetryHandlerOption.MAX_RETRIES));
        this.settings = settings;
        this.circuits = new CircuitBreakers(settings.circuitThreshold(), settings.circuitCooldownMs(),
                settings.circuitDisabled(), System::nanoTime);
    }

    public URI root() {
        return root;
    }

    public GraphClientSettings settings() {
        return settings;
    }

    /** True when {@code link} points at this client's Graph host (safe to send our token to). */
    public boolean sameOrigin(URI link) {
        return link.getScheme() != null && link.getScheme().equalsIgnoreCase(root.getScheme())
                && link.getHost() != null && link.getHost().equalsIgnoreCase(root.getHost())
                && port(link) == port(root);
    }

    /**
     * Sends the call and returns whatever Graph answered (errors included, the body cut at the bound
     * and marked {@link GraphResponse#truncated()}).
     *
     * @throws GraphUnreachableException when no answer came
     * @throws GraphCallException        when throttled beyond the accepted wait, refused by the caller's
     *                                   open circuit, or cancelled
     */
    public GraphResponse send(GraphCall call) {
        return exchange(call, null);
    }

    /**
     * Like {@link #send}, but a successful answer's body is streamed into {@code file}, which is
     * created new (an existing file or link there is never replaced: {@link java.nio.file.FileAlreadyExistsException});
     * the returned response then has an empty body. Any other answer is returned with its body and
     * no file is created. A file that could not be written completely is deleted again. The body bound
     * does not apply to the file, nor the overall timeout (only the per-read one).
     *
     * @throws UncheckedIOException when the file cannot be created or written
     */
    public GraphResponse download(GraphCall call, Path file) {
        return exchange(call, new FileSink(file));
    }

    /**
     * Like {@link #download}, but a successful answer's body is copied to whatever {@code sink} opens for it
     * (a servlet response), 64 KiB at a time, never held whole. Once the sink was opened the call is not
     * retried: what was written cannot be taken back, so a failure mid-body ends it.
     *
     * @throws UncheckedIOException when the sink cannot be written (the receiver went away)
     */
    public GraphResponse stream(GraphCall call, ContentSink sink) {
        return exchange(call, sink);
    }

    private GraphResponse exchange(GraphCall call, ContentSink file) {
        CallScope scope = CallScope.current();
        String principal = scope.principal();
        Cancellation cancel = scope.cancellation();
        long refusedFor = circuits.refusedForMs(principal);
        if (refusedFor >= 0) {
            throw new GraphCallException("Microsoft Graph failed " + circuits.failures(principal)
                    + " times in a row for this account, so calls are paused to let it recover; the next attempt is "
                    + "allowed in " + seconds(refusedFor) + " s (circuit breaker, MS365_MCP_GRAPH_CIRCUIT_COOLDOWN_MS). "
                    + "Nothing was sent.");
        }
        boolean idempotent = IDEMPOTENT.contains(call.method().toUpperCase(Locale.ROOT));
        for (int attempt = 0; ; attempt++) {
            if (cancel.cancelled()) {
                throw cancelled();
            }
            GraphResponse response;
            long started = System.nanoTime();
            try {
                response = once(call, file, cancel);
            } catch (GraphUnreachableException e) {
                if (cancel.cancelled()) {
                    throw cancelled();
                }
                observe(scope, call, 0, started, false, attempt > 0);
                circuits.failure(principal);
                if (attempt >= maxRetries || !idempotent || file != null && file.opened()) {
                    throw e;
                }
                log.warn("Graph retry {}/{} after no answer: {}", attempt + 1, maxRetries, e.getMessage());
                pause(cancel, backoffMs(attempt));
                continue;
            }
            int status = response.status();
            observe(scope, call, status, started,
                    status == 429 || status == 503 && response.header("retry-after") != null, attempt > 0);
            if (status != 429 && status != 503 && status != 504) {
                circuits.success(principal);
                return response;
            }
            circuits.failure(principal);
            long retryAfter = retryAfterMs(response.header("retry-after"));
            if (retryAfter > settings.maxRetryAfterMs()) {
                throw new GraphCallException("Microsoft Graph is throttling this account; it asks to wait "
                        + seconds(retryAfter) + " s (HTTP " + status + "), longer than this server waits ("
                        + seconds(settings.maxRetryAfterMs()) + " s, MS365_MCP_GRAPH_MAX_RETRY_AFTER_MS). Try again after "
                        + "that, and ask for less at once (top, select, filter).");
            }
            if (attempt >= maxRetries || !(idempotent || status == 429)) {
                return response;
            }
            long wait = retryAfter >= 0 ? retryAfter : backoffMs(attempt);
            log.warn("Graph retry {}/{} after HTTP {}: waiting {} ms", attempt + 1, maxRetries, status, wait);
            pause(cancel, wait);
        }
    }

    private void observe(CallScope scope, GraphCall call, int status, long started, boolean throttled, boolean retry) {
        try {
            observer.exchanged(scope.tool(), call.method().toUpperCase(Locale.ROOT), status, System.nanoTime() - started,
                    throttled, retry);
        } catch (RuntimeException e) {
            log.warn("The Graph call observer failed: {}", e.toString());
        }
    }

    private static final java.util.Set<String> IDEMPOTENT = java.util.Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");

    private void pause(Cancellation cancel, long millis) {
        if (!cancel.pause(millis)) {
            throw cancelled();
        }
    }

    private static GraphCallException cancelled() {
        return new GraphCallException("The call was cancelled; Microsoft Graph was not asked again.");
    }

    /** Full jitter: a random wait up to {@code base * 2^attempt}, capped. */
    long backoffMs(int attempt) {
        long ceiling = Math.min(settings.maxBackoffMs(), (long) settings.baseBackoffMs() << Math.min(attempt, 20));
        return ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1);
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date, in ms; -1 when absent or unreadable. */
    static long retryAfterMs(String value) {
        if (value == null || value.isBlank()) {
            return -1;
        }
        String v = value.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? -1 : Math.min(seconds, Long.MAX_VALUE / 1000) * 1000;
        } catch (NumberFormatException e) {
            try {
                long at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
                return Math.max(0, at - System.currentTimeMillis());
            } catch (DateTimeParseException e2) {
                return -1;
            }
        }
    }

    private static long seconds(long millis) {
        return (millis + 999) / 1000;
    }

    /** One HTTP exchange, no retry. */
    private GraphResponse once(GraphCall call, ContentSink file, Cancellation cancel) {
        long started = System.nanoTime();
        RequestInformation info = new RequestInformation();
        info.httpMethod = HttpMethod.valueOf(call.method().toUpperCase(Locale.ROOT));
        if (call.absolute() != null) {
            info.setUri(call.absolute());
        } else {
            info.urlTemplate = "{+baseurl}" + call.pathTemplate() + queryTemplate(call.query());
            info.pathParameters = new HashMap<>(call.pathValues());
            call.query().forEach((name, value) -> info.addQueryParameter(encodeName(name), value));
        }
        for (Map.Entry<String, String> h : call.headers()) {
            info.headers.add(h.getKey(), h.getValue());
        }
        if (call.body() != null) {
            info.setStreamContent(new ByteArrayInputStream(call.body()), call.contentType());
        }
        NativeResponseHandler handler = new NativeResponseHandler();
        ResponseHandlerOption option = new ResponseHandlerOption();
        option.setResponseHandler(handler);
        info.addRequestOptions(List.<RequestOption>of(option, new CancellationOption(cancel)));
        try {
            (file == null ? adapter() : downloadAdapter()).sendPrimitive(info, null, InputStream.class);
        } catch (RuntimeException e) {
            cancel.detach();
            throw unreachable(e);
        }
        try (Response response = (Response) handler.getValue()) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().toMultimap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            if (file != null && response.isSuccessful()) {
                save(response.code(), headers, response.body(), file);
                return new GraphResponse(response.code(), headers, new byte[0]);
            }
            return read(response.code(), headers, response.body());
        } catch (IOException e) {
            if (cancel.cancelled()) {
                throw cancelled();
            }
            // The call timeout closes the socket under a body being read: OkHttp then reports the closed socket.
            if (timedOut(e) || (file == null && System.nanoTime() - started >= settings.timeoutMs() * 1_000_000L)) {
                throw timeout(e);
            }
            throw new GraphUnreachableException("Microsoft Graph closed the connection while answering: "
                    + rootMessage(e), e);
        } finally {
            cancel.detach();
        }
    }

    private GraphUnreachableException unreachable(RuntimeException e) {
        if (timedOut(e)) {
            return timeout(e);
        }
        return new GraphUnreachableException("Could not reach Microsoft Graph at " + root.getHost() + ": "
                + rootMessage(e), e);
    }

    /** OkHttp reports its timeouts as an InterruptedIOException ("timeout", or a SocketTimeoutException). */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.InterruptedIOException) {
                return true;
            }
        }
        return false;
    }

    private GraphUnreachableException timeout(Exception e) {
        return new GraphUnreachableException("Microsoft Graph at " + root.getHost() + " did not answer within "
                + settings.timeoutMs() + " ms (MS365_MCP_GRAPH_TIMEOUT_MS).", e);
    }

    /**
     * Copies the body into what the sink opens; a sink left incomplete is told so ({@link ContentSink#abandon}).
     * Network errors stay IOExceptions; errors writing to the sink are {@link UncheckedIOException}s.
     */
    private static void save(int status, Map<String, List<String>> headers, ResponseBody body, ContentSink sink)
            throws IOException {
        OutputStream out;
        try {
            out = sink.open(status, headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean complete = false;
        try (InputStream in = body == null ? InputStream.nullInputStream() : body.byteStream()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            complete = true;
        } finally {
            if (!complete) {
                // Not closed here: closing a response's stream would end it as if the body were whole.
                sink.abandon();
            }
        }
    }

    /** A new local file; an existing file or link is never replaced, a partly written one is removed. */
    private static final class FileSink implements ContentSink {
        private final Path file;
        private volatile boolean created;
        private OutputStream out;

        FileSink(Path file) {
            this.file = file;
        }

        @Override
        public OutputStream open(int status, Map<String, List<String>> headers) throws IOException {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            created = true;
            return out;
        }

        @Override
        public boolean opened() {
            // a partly written file is removed again, so a retry starts clean
            return false;
        }

        @Override
        public void abandon() {
            if (created) {
                try {
                    out.close();
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * Reads at most the body bound and stops there: the rest is never read (closing the response drops
     * the connection), so a body of any size costs at most the bound in heap.
     */
    private GraphResponse read(int status, Map<String, List<String>> headers, ResponseBody body) throws IOException {
        if (body == null) {
            return new GraphResponse(status, headers, new byte[0]);
        }
        int cap = settings.maxBodyBytes();
        long announced = body.contentLength();
        try (InputStream in = body.byteStream()) {
            // a Content-Length within the bound sizes the one array read into (readNBytes(cap) fills 8 KiB
            // buffers and copies them, per call); OkHttp holds the stream to that length
            byte[] bytes = in.readNBytes(announced >= 0 && announced < cap ? (int) announced : cap);
            boolean truncated = bytes.length == cap && in.read() >= 0;
            if (truncated) {
                log.warn("Graph answer (HTTP {}) is over {} bytes (MS365_MCP_MAX_GRAPH_BODY_BYTES): the rest was not read",
                        status, cap);
            }
            return new GraphResponse(status, headers, bytes, truncated);
        }
    }

    private BaseGraphRequestAdapter adapter() {
        BaseGraphRequestAdapter a = adapter;
        if (a == null) {
            synchronized (this) {
                a = adapter;
                if (a == null) {
                    // The call timeout bounds the whole exchange. Per-read and per-write timeouts on top of it
                    // would each wake Okio's watchdog thread and park the socket read with a timer, on every call.
                    a = newAdapter(http().callTimeout(Duration.ofMillis(settings.timeoutMs()))
                            .readTimeout(Duration.ZERO).writeTimeout(Duration.ZERO).build());
                    adapter = a;
                }
            }
        }
        return a;
    }

    /** Downloads to a file may take longer than one call's timeout: only each read is bounded. */
    private BaseGraphRequestAdapter downloadAdapter() {
        BaseGraphRequestAdapter a = downloadAdapter;
        if (a == null) {
            synchronized (this) {
                a = downloadAdapter;
                if (a == null) {
                    Duration each = Duration.ofMillis(settings.timeoutMs());
                    a = newAdapter(http().callTimeout(Duration.ZERO).readTimeout(each).writeTimeout(each).build());
                    downloadAdapter = a;
                }
            }
        }
        return a;
    }

    private BaseGraphRequestAdapter newAdapter(okhttp3.OkHttpClient http) {
        return new BaseGraphRequestAdapter(new AnonymousAuthenticationProvider(), root.toString(), http);
    }

    private okhttp3.OkHttpClient.Builder http() {
        // Graph's default middleware (redirect, %24 names, telemetry); its retry handler is off: retries are ours.
        RetryHandlerOption noRetry = new RetryHandlerOption((delay, attempt, request, response) -> false, 0, 0);
        List<Interceptor> chain = new java.util.ArrayList<>();
        chain.add(CancellationOption.INTERCEPTOR);
        chain.addAll(List.of(GraphClientFactory.createDefaultGraphInterceptors(new RequestOption[] {noRetry})));
        Duration timeout = Duration.ofMillis(settings.timeoutMs());
        return KiotaClientFactory.create(chain.toArray(new Interceptor[0]))
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(15)) < 0 ? timeout : Duration.ofSeconds(15))
                .connectionPool(connections);
    }

    /** {@code {?%24top,%24select}}: the template names every query parameter we set. */
    private static String queryTemplate(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        return query.keySet().stream().map(GraphClient::encodeName).collect(Collectors.joining(",", "{?", "}"));
    }

    /** URI template variable names cannot hold {@code $}; Graph's middleware decodes {@code %24} again. */
    private static String encodeName(String name) {
        return name.replace("$", "%24");
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }
}
