package dev.ms365mcp.testkit.entra;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The msal4j {@link IHttpClient} in-process tests inject: msal4j insists on an https authority, so
 * the app is configured with {@link FakeEntra#authorityBase()} ({@code https://localhost:<port>}) and
 * this client sends those requests to the fake's plain-http listener instead.
 *
 * <p>Requests to any other host are refused (and remembered in {@link #foreignRequests()}): that is
 * how tests prove the process talks to no login host but the configured authority.
 */
public final class MsalLoopbackHttpClient implements IHttpClient {

    // Headers java.net.http sets itself and refuses from callers.
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final URI authority;
    private final URI target;
    private final HttpClient http;
    private final List<String> foreign = new CopyOnWriteArrayList<>();

    /** Routes {@link FakeEntra#authorityBase()} ({@code https://localhost:<port>}) to the fake. */
    public MsalLoopbackHttpClient(FakeEntra entra) {
        this(entra, entra.authorityBase());
    }

    /**
     * Routes another https authority base to the fake, e.g. {@code https://login.fake-entra.test}: one
     * on the default port, like the real Entra hosts. (msal4j's cache lookups for client credentials
     * and on-behalf-of compare {@code host:port} with {@code host}, so they only hit without a port.)
     */
    public MsalLoopbackHttpClient(FakeEntra entra, URI authority) {
        this.authority = URI.create(authority.getScheme() + "://" + authority.getHost() + ":"
                + (authority.getPort() == -1 ? 443 : authority.getPort()));
        this.target = entra.baseUri();
        try {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
            if (target.getScheme().equals("https")) {
                builder.sslContext(entra.clientSslContext());
            }
            this.http = builder.build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** URLs msal4j tried that were not on the configured authority (should stay empty). */
    public List<String> foreignRequests() {
        return List.copyOf(foreign);
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws Exception {
        URL url = request.url();
        int port = url.getPort() == -1 ? url.getDefaultPort() : url.getPort();
        if (!url.getProtocol().equals("https") || !url.getHost().equalsIgnoreCase(authority.getHost())
                || port != authority.getPort()) {
            foreign.add(url.toString());
            throw new IOException("MsalLoopbackHttpClient refuses a request outside the configured authority: " + url);
        }
        URI routed = URI.create(target + url.getFile());
        java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(routed)
                .timeout(Duration.ofSeconds(30));
        request.headers().forEach((name, value) -> {
            if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                builder.header(name, value);
            }
        });
        String body = request.body();
        builder.method(request.httpMethod().name(), body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().map(), response.body());
    }

    private record Response(int statusCode, Map<String, List<String>> headers, String body) implements IHttpResponse {
    }
}
