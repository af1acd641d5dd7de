package dev.ms365mcp.http.oauth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a {@code client_id} that
 * is an https URL names a JSON document describing the client, which we fetch. The URL is chosen by
 * whoever calls {@code /authorize}, so the fetch is a server-side request forgery risk: https only, no
 * redirects, no proxy, and the address is checked where the connection is made (the resolver hands the
 * connector only public addresses, so a DNS answer cannot change between check and connect), a small
 * size cap and a short deadline. Documents are cached for a while; failures briefly too.
 */
public final class ClientMetadataDocuments implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientMetadataDocuments.class);
    static final int MAX_BYTES = 5 * 1024;
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CACHE_TTL = Duration.ofMinutes(10);
    private static final Duration FAILURE_TTL = Duration.ofSeconds(30);
    private static final int MAX_CACHED = 1000;

    private record Cached(Optional<RegisteredClient> client, Instant until) {
    }

    private final HttpClient http;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** The production fetcher: public internet addresses only, the JVM's trusted certificate authorities. */
    public static ClientMetadataDocuments forPublicInternet(Clock clock) {
        return new ClientMetadataDocuments(new SslContextFactory.Client(), PublicAddresses::isPublic, clock);
    }

    /**
     * Test seam: another trust store and address rule (a loopback https server in tests). Package-private:
     * production code can only reach {@link #forPublicInternet}.
     */
    ClientMetadataDocuments(SslContextFactory.Client tls, Predicate<InetAddress> allowed, Clock clock) {
        this.clock = clock;
        ClientConnector connector = new ClientConnector();
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        connector.setSslContextFactory(tls);
        connector.setConnectTimeout(TIMEOUT);
        http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setFollowRedirects(false);
        http.setSocketAddressResolver(new PublicOnlyResolver(allowed));
        http.setName("client-metadata");
        http.setUserAgentField(new org.eclipse.jetty.http.HttpField("User-Agent", "ms365-mcp"));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the metadata document client", e);
        }
    }

    /** The client the document at {@code url} describes, or empty if it cannot be fetched or used. */
    Optional<RegisteredClient> resolve(String url) {
        Instant now = clock.instant();
        Cached hit = cache.get(url);
        if (hit != null && hit.until().isAfter(now)) {
            return hit.client();
        }
        Optional<RegisteredClient> client;
        try {
            client = Optional.of(fetch(url));
        } catch (DocumentRefused e) {
            LOG.warn("client metadata document {} refused: {}", ClientRegistration.abbreviate(url), e.getMessage());
            client = Optional.empty();
        }
        if (cache.size() >= MAX_CACHED) {
            cache.entrySet().removeIf(e -> !e.getValue().until().isAfter(now));
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
        }
        cache.put(url, new Cached(client, now.plus(client.isPresent() ? CACHE_TTL : FAILURE_TTL)));
        return client;
    }

    static final class DocumentRefused extends Exception {
        DocumentRefused(String message) {
            super(message, null, false, false);
        }
    }

    RegisteredClient fetch(String url) throws DocumentRefused {
        URI uri = validUrl(url);
        ContentResponse response;
        try {
            Request request = http.newRequest(uri).followRedirects(false).timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .headers(h -> h.put("Accept", "application/json"));
            response = new CompletableResponseListener(request, MAX_BYTES).send().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            throw new DocumentRefused("fetch failed: " + ClientRegistration.abbreviate(message));
        } catch (TimeoutException e) {
            throw new DocumentRefused("no answer within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DocumentRefused("interrupted");
        }
        if (response.getStatus() != 200) {
            throw new DocumentRefused("HTTP " + response.getStatus() + " (redirects are not followed)");
        }
        JsonNode doc;
        try {
            doc = JsonMapper.shared().readTree(response.getContent());
        } catch (JacksonException e) {
            throw new DocumentRefused("not JSON");
        }
        if (doc == null || !doc.isObject()) {
            throw new DocumentRefused("not a JSON object");
        }
        if (!doc.path("client_id").isString() || !url.equals(doc.path("client_id").asString())) {
            throw new DocumentRefused("its client_id is not the URL it was fetched from");
        }
        List<String> redirects = new ArrayList<>();
        for (JsonNode n : doc.path("redirect_uris")) {
            if (!n.isString()) {
                throw new DocumentRefused("redirect_uris must be strings");
            }
            String problem = RedirectUriPolicy.problem(n.asString()).orElse(null);
            if (problem != null) {
                throw new DocumentRefused(problem);
            }
            redirects.add(n.asString());
        }
        if (redirects.isEmpty()) {
            throw new DocumentRefused("no redirect_uris");
        }
        String method = doc.path("token_endpoint_auth_method").isString() ? doc.path("token_endpoint_auth_method").asString() : "none";
        if (!"none".equals(method)) {
            // A document is public: it cannot carry a shared secret, and private_key_jwt is not supported here.
            throw new DocumentRefused("token_endpoint_auth_method must be none");
        }
        String name = doc.path("client_name").isString() ? doc.path("client_name").asString() : null;
        if (name != null && name.length() > 200) {
            name = name.substring(0, 200);
        }
        return new RegisteredClient(url, name, redirects, List.of("authorization_code", "refresh_token"), List.of("code"),
                "none", null, clock.instant().getEpochSecond(),
                doc.path("client_uri").isString() ? doc.path("client_uri").asString() : null, null, null, true);
    }

    /** https, a host, a path, no user info, fragment or dot segments (the draft's rules for the id). */
    private static URI validUrl(String url) throws DocumentRefused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new DocumentRefused("not a URL");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null || uri.getRawPath() == null || uri.getRawPath().length() < 2
                || uri.getRawPath().contains("/./") || uri.getRawPath().contains("/../") || uri.getRawPath().endsWith("/..")
                || uri.getRawPath().endsWith("/.")) {
            throw new DocumentRefused("a client id URL must be https://host/path without user info, fragment or dot segments");
        }
        return uri;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            LOG.debug("metadata document client did not stop cleanly", e);
        }
    }

    /** Resolves names and passes on only addresses {@code allowed} accepts; no address left means no connection. */
    private record PublicOnlyResolver(Predicate<InetAddress> allowed) implements SocketAddressResolver {
        @Override
        public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
            try {
                List<InetSocketAddress> out = new ArrayList<>();
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    if (!allowed.test(a)) {
                        // One private answer poisons the name: refuse it whole rather than pick among answers.
                        promise.failed(new UnknownHostException(host + " resolves to a non-public address"));
                        return;
                    }
                    out.add(new InetSocketAddress(a, port));
                }
                promise.succeeded(out);
            } catch (UnknownHostException e) {
                promise.failed(new UnknownHostException(host + " does not resolve"));
            }
        }
    }
}
