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
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends {@link GraphCall}s through microsoft-graph-core's {@link BaseGraphRequestAdapter}, so Graph's
 * own middleware does retries (429/503/504 honouring {@code Retry-After}), redirects, URI-template
 * encoding and {@code %24} query names. The adapter is built on first use: listing tools never
 * loads the HTTP stack.
 *
 * <p>The caller puts the {@code Authorization} header on each call; this class knows nothing about
 * tokens.
 */
public final class GraphClient {

    /** Larger bodies are refused rather than buffered: a tool result is text for a model. */
    static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

    private final URI root;
    private final int maxRetries;
    private volatile BaseGraphRequestAdapter adapter;

    /**
     * @param root       Graph root without version, e.g. {@code https://graph.microsoft.com}
     * @param maxRetries retries of a throttled or unavailable request (0-10)
     */
    public GraphClient(URI root, int maxRetries) {
        this.root = root;
        this.maxRetries = Math.max(0, Math.min(maxRetries, RetryHandlerOption.MAX_RETRIES));
    }

    public URI root() {
        return root;
    }

    /** True when {@code link} points at this client's Graph host (safe to send our token to). */
    public boolean sameOrigin(URI link) {
        return link.getScheme() != null && link.getScheme().equalsIgnoreCase(root.getScheme())
                && link.getHost() != null && link.getHost().equalsIgnoreCase(root.getHost())
                && port(link) == port(root);
    }

    /**
     * Sends the call and returns whatever Graph answered (errors included); throws
     * {@link GraphUnreachableException} only when no answer came.
     */
    public GraphResponse send(GraphCall call) {
        return exchange(call, null);
    }

    /**
     * Like {@link #send}, but a successful answer's body is streamed into {@code file}, which is
     * created new (an existing file or link there is never replaced: {@link java.nio.file.FileAlreadyExistsException});
     * the returned response then has an empty body. Any other answer is returned with its body and
     * no file is created. A file that could not be written completely is deleted again.
     *
     * @throws UncheckedIOException when the file cannot be created or written
     */
    public GraphResponse download(GraphCall call, Path file) {
        return exchange(call, file);
    }

    private GraphResponse exchange(GraphCall call, Path file) {
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
        info.addRequestOptions(List.<RequestOption>of(option));
        try {
            adapter().sendPrimitive(info, null, InputStream.class);
        } catch (RuntimeException e) {
            throw new GraphUnreachableException("Could not reach Microsoft Graph at " + root.getHost() + ": "
                    + rootMessage(e), e);
        }
        try (Response response = (Response) handler.getValue()) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().toMultimap().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            if (file != null && response.isSuccessful()) {
                save(response.body(), file);
                return new GraphResponse(response.code(), headers, new byte[0]);
            }
            return new GraphResponse(response.code(), headers, read(response.body()));
        } catch (IOException e) {
            throw new GraphUnreachableException("Microsoft Graph closed the connection while answering: "
                    + e.getMessage(), e);
        }
    }

    /** Streams the body into a new file; a partly written file is removed. Network errors stay IOExceptions. */
    private static void save(ResponseBody body, Path file) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean complete = false;
        try (out; InputStream in = body == null ? InputStream.nullInputStream() : body.byteStream()) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static byte[] read(ResponseBody body) throws IOException {
        if (body == null) {
            return new byte[0];
        }
        if (body.contentLength() > MAX_BODY_BYTES) {
            throw new IOException("response of " + body.contentLength() + " bytes is over the " + MAX_BODY_BYTES
                    + " byte limit");
        }
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IOException("response is over the " + MAX_BODY_BYTES + " byte limit");
            }
            return bytes;
        }
    }

    private BaseGraphRequestAdapter adapter() {
        BaseGraphRequestAdapter a = adapter;
        if (a == null) {
            synchronized (this) {
                a = adapter;
                if (a == null) {
                    RetryHandlerOption retry = new RetryHandlerOption((delay, attempt, request, response) -> true,
                            maxRetries, 0);
                    // Graph's default middleware (retry, redirect, %24 names, telemetry) with our retry bound.
                    var http = KiotaClientFactory.create(
                                    GraphClientFactory.createDefaultGraphInterceptors(new RequestOption[] {retry}))
                            .connectTimeout(Duration.ofSeconds(15))
                            .readTimeout(Duration.ofSeconds(100))
                            .build();
                    a = new BaseGraphRequestAdapter(new AnonymousAuthenticationProvider(), root.toString(), http);
                    adapter = a;
                }
            }
        }
        return a;
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
