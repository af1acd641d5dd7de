package dev.ms365mcp.http;

import static dev.ms365mcp.tools.EnvironmentValues.bool;
import static dev.ms365mcp.tools.EnvironmentValues.integer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the HTTP server reads from flags and the environment, parsed and checked once. A malformed value
 * fails with an {@link IllegalArgumentException} whose one line names the variable or flag.
 *
 * @param listen          where Jetty binds ({@code --http [host:]port}, {@code --host}, {@code --port})
 * @param publicUrl       the origin clients use, without a trailing slash ({@code --public-url},
 *                        {@code MS365_MCP_PUBLIC_URL}, old name {@code MS365_MCP_BASE_URL}); every advertised
 *                        URL comes from it, never from a request's Host header
 * @param publicUrlGiven  false when {@code publicUrl} is the {@code http://localhost:<port>} default
 * @param dataDir         {@code MS365_MCP_DATA_DIR} (default {@code ./data}): the state kept between restarts
 * @param stateless       {@code --stateless}
 * @param auth            how {@code /mcp} callers are authenticated
 * @param apiKey          {@code MS365_MCP_API_KEY}: the bearer a single-user server requires; null: none
 * @param proxyUserHeader {@code MS365_MCP_PROXY_USER_HEADER}: with {@code --trust-proxy-auth}, the header
 *                        naming the user the proxy authenticated (required on every request); null: none
 * @param corsOrigins     {@code MS365_MCP_CORS_ORIGIN}: extra browser origins allowed on {@code /mcp} (comma separated)
 * @param allowedHosts    {@code MS365_MCP_ALLOWED_HOSTS}: extra Host names accepted on {@code /mcp} besides the public
 *                        URL's (comma separated), for a reverse proxy that rewrites Host
 * @param maxRequestBytes {@code MS365_MCP_MAX_REQUEST_BYTES} (default 4 MiB): larger bodies get 413
 * @param rateLimits      {@code MS365_MCP_RATE_LIMIT_*}
 * @param trustProxyHops  {@code MS365_MCP_TRUST_PROXY_HOPS} (default 0): how many reverse proxies in front
 *                        append to {@code X-Forwarded-For}; 0: the header is ignored
 * @param shutdownGrace   {@code MS365_MCP_SHUTDOWN_TIMEOUT_SECONDS} (default 20): how long a stop waits for
 *                        calls in flight
 * @param redis           {@code MS365_MCP_REDIS_URL} and {@code MS365_MCP_REDIS_PREFIX}: the state shared by several
 *                        replicas; null: the embedded store in {@code dataDir}. Set, it implies {@code stateless}
 * @param metricsToken    {@code MS365_MCP_METRICS_TOKEN}: the bearer {@code /metrics} requires; null: open
 */
public record HttpSettings(InetSocketAddress listen, URI publicUrl, boolean publicUrlGiven, Path dataDir,
        boolean stateless, AuthMode auth, String apiKey, String proxyUserHeader, List<String> corsOrigins,
        List<String> allowedHosts, int maxRequestBytes, RateLimitSettings rateLimits, int trustProxyHops, Duration shutdownGrace,
        SharedState redis, String metricsToken) {

    public static final int DEFAULT_PORT = 3000;

    /** How callers of {@code /mcp} prove who they are, and whose Graph tokens their calls use. */
    public enum AuthMode {
        /** The server's own OAuth 2.1 front door (the default): each user signs in at Entra through it. */
        OAUTH,
        /** The caller brings an Entra token for this API; Graph tokens by on-behalf-of ({@code --obo}). */
        OBO,
        /** A reverse proxy in front authenticated the caller; calls use the server's own login ({@code --trust-proxy-auth}). */
        TRUST_PROXY,
        /** One person's server: the device-code login or {@code MS365_MCP_OAUTH_TOKEN}, behind {@code MS365_MCP_API_KEY}. */
        SINGLE_USER,
        /** The caller's bearer is sent to Graph as is ({@code --legacy-passthrough}); the MCP spec forbids it. */
        LEGACY_PASSTHROUGH;

        /** True where several people use one server: identity comes from the bearer, never from arguments. */
        public boolean multiUser() {
            return this != SINGLE_USER;
        }
    }

    /**
     * Fixed-window request limits; {@code MS365_MCP_RATE_LIMIT_DISABLED=true} turns them all off.
     *
     * @param register  per client address on {@code /register} ({@code MS365_MCP_RATE_LIMIT_REGISTER}, default 30)
     * @param authorize per client address on {@code /authorize} ({@code MS365_MCP_RATE_LIMIT_AUTHORIZE}, default 30)
     * @param token     per client address on {@code /token} ({@code MS365_MCP_RATE_LIMIT_TOKEN}, default 60)
     * @param mcp       per user on {@code /mcp} ({@code MS365_MCP_RATE_LIMIT_MCP}, default 600)
     * @param window    the window ({@code MS365_MCP_RATE_LIMIT_WINDOW_SECONDS}, default 60)
     */
    public record RateLimitSettings(boolean enabled, int register, int authorize, int token, int mcp, Duration window) {
    }

    /**
     * Redis shared by every replica.
     *
     * @param url       {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://…} (TLS)
     * @param namespace prefix of every key ({@code MS365_MCP_REDIS_PREFIX}, default {@code ms365-mcp}), so several
     *                  deployments can share one Redis
     */
    public record SharedState(URI url, String namespace) {
        @Override
        public String toString() {
            // The URL may carry a password.
            return "SharedState[" + url.getScheme() + "://" + url.getHost() + ":" + url.getPort() + ", " + namespace + "]";
        }
    }

    /** The command line's view: what picocli bound (null when not given). */
    public record Flags(String http, String host, Integer port, String publicUrl, boolean stateless, boolean obo,
            boolean trustProxyAuth, boolean singleUser, boolean legacyPassthrough) {
    }

    public static HttpSettings from(Flags flags, Map<String, String> env) {
        InetSocketAddress listen = listenAddress(flags);
        String given = firstSet(flags.publicUrl(), env.get("MS365_MCP_PUBLIC_URL"), env.get("MS365_MCP_BASE_URL"));
        URI publicUrl = given == null ? URI.create("http://localhost:" + (listen.getPort() == 0 ? DEFAULT_PORT : listen.getPort()))
                : publicUrl(given);
        Path dataDir = Path.of(firstSet(env.get("MS365_MCP_DATA_DIR"), "./data"));
        String apiKey = blankToNull(env.get("MS365_MCP_API_KEY"));
        if (apiKey != null && apiKey.length() < 16) {
            throw new IllegalArgumentException("MS365_MCP_API_KEY must be at least 16 characters (use a long random "
                    + "value, e.g. openssl rand -hex 32)");
        }
        AuthMode auth = authMode(flags, env, apiKey);
        boolean rateLimitsOn = !bool(env, "MS365_MCP_RATE_LIMIT_DISABLED", false);
        RateLimitSettings limits = new RateLimitSettings(rateLimitsOn,
                integer(env, "MS365_MCP_RATE_LIMIT_REGISTER", 30, 1),
                integer(env, "MS365_MCP_RATE_LIMIT_AUTHORIZE", 30, 1),
                integer(env, "MS365_MCP_RATE_LIMIT_TOKEN", 60, 1),
                integer(env, "MS365_MCP_RATE_LIMIT_MCP", 600, 1),
                Duration.ofSeconds(integer(env, "MS365_MCP_RATE_LIMIT_WINDOW_SECONDS", 60, 1)));
        List<String> cors = blankToNull(env.get("MS365_MCP_CORS_ORIGIN")) == null ? List.of()
                : Arrays.stream(env.get("MS365_MCP_CORS_ORIGIN").split(",")).map(String::strip).filter(s -> !s.isEmpty())
                        .map(HttpSettings::origin).toList();
        SharedState redis = redis(env);
        // Sessions live in one replica's memory (SDK 2.1), so with shared state any replica must answer any request.
        return new HttpSettings(listen, publicUrl, given != null, dataDir, flags.stateless() || redis != null, auth, apiKey,
                blankToNull(env.get("MS365_MCP_PROXY_USER_HEADER")), cors, list(env.get("MS365_MCP_ALLOWED_HOSTS")),
                integer(env, "MS365_MCP_MAX_REQUEST_BYTES", 4 * 1024 * 1024, 1024),
                limits, integer(env, "MS365_MCP_TRUST_PROXY_HOPS", 0, 0),
                Duration.ofSeconds(integer(env, "MS365_MCP_SHUTDOWN_TIMEOUT_SECONDS", 20, 0)), redis,
                blankToNull(env.get("MS365_MCP_METRICS_TOKEN")));
    }

    /** {@code MS365_MCP_REDIS_URL}; errors never repeat the value, which may hold a password. */
    static SharedState redis(Map<String, String> env) {
        String value = blankToNull(env.get("MS365_MCP_REDIS_URL"));
        String namespace = firstSet(env.get("MS365_MCP_REDIS_PREFIX"), "ms365-mcp");
        if (!namespace.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("MS365_MCP_REDIS_PREFIX must be 1 to 64 letters, digits, '.', '_' or '-', got '"
                    + namespace + "'");
        }
        if (value == null) {
            return null;
        }
        String shape = "MS365_MCP_REDIS_URL must look like redis://[:password@]host[:6379][/database] or rediss://… (TLS)";
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(shape + "; it is not a URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException(shape + "; the scheme is '" + scheme + "'");
        }
        if (url.getHost() == null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(shape + "; the host is missing or a query is given");
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        if (!path.isEmpty() && !path.equals("/") && !path.matches("/\\d{1,2}")) {
            throw new IllegalArgumentException(shape + "; the database must be a number, like /0");
        }
        if (url.getPort() == -1) {
            try {
                url = new URI(scheme, url.getUserInfo(), url.getHost(), 6379, path, null, null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(shape);
            }
        }
        return new SharedState(url, namespace);
    }

    /** The URL of the MCP endpoint as clients reach it: the protected resource of RFC 9728. */
    public String mcpUrl() {
        return publicUrl + JettyServer.MCP_PATH;
    }

    /** True when Jetty listens on a loopback address only (nobody else can reach it). */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(listen.getHostString()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * Refuses configurations that would expose one person's mailbox to whoever reaches the port: a single-user
     * server not bound to loopback needs an API key. Returns the warnings to log at start.
     */
    public List<String> check() {
        if (auth == AuthMode.SINGLE_USER && apiKey == null && !loopbackOnly()) {
            throw new IllegalArgumentException("this single-user server (device-code login or MS365_MCP_OAUTH_TOKEN) "
                    + "listens on " + listen.getHostString() + ", so anyone who reaches it would act as that user. "
                    + "Set MS365_MCP_API_KEY to a long random value (clients send Authorization: Bearer <key>), or "
                    + "listen on loopback only (--host 127.0.0.1).");
        }
        List<String> warnings = new java.util.ArrayList<>();
        if (!publicUrlGiven && !loopbackOnly()) {
            warnings.add("MS365_MCP_PUBLIC_URL is not set: advertising " + publicUrl + ", which clients on other "
                    + "machines cannot reach. Set it to the URL clients use, e.g. https://ms365-mcp.example.com");
        }
        if (auth == AuthMode.LEGACY_PASSTHROUGH) {
            warnings.add("--legacy-passthrough: callers' bearer tokens are sent to Microsoft Graph as they are. The MCP "
                    + "authorization spec forbids token passthrough; use it only to migrate from the reference server.");
        }
        if (auth == AuthMode.TRUST_PROXY && !loopbackOnly()) {
            warnings.add("--trust-proxy-auth on " + listen.getHostString() + ": every request that reaches this port "
                    + "is trusted as authenticated. Make sure only the reverse proxy can reach it.");
        }
        return warnings;
    }

    private static AuthMode authMode(Flags f, Map<String, String> env, String apiKey) {
        List<AuthMode> chosen = new java.util.ArrayList<>();
        if (f.obo()) {
            chosen.add(AuthMode.OBO);
        }
        if (f.trustProxyAuth()) {
            chosen.add(AuthMode.TRUST_PROXY);
        }
        if (f.legacyPassthrough()) {
            chosen.add(AuthMode.LEGACY_PASSTHROUGH);
        }
        // A static token or an API key only make sense for one person's server.
        if (f.singleUser() || blankToNull(env.get("MS365_MCP_OAUTH_TOKEN")) != null || apiKey != null) {
            chosen.add(AuthMode.SINGLE_USER);
        }
        if (chosen.size() > 1) {
            throw new IllegalArgumentException("choose one way to authenticate callers, not " + chosen.stream()
                    .map(m -> m.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList()
                    + " (MS365_MCP_OAUTH_TOKEN and MS365_MCP_API_KEY imply --single-user)");
        }
        return chosen.isEmpty() ? AuthMode.OAUTH : chosen.get(0);
    }

    /** {@code --http [host:]port}, then {@code --host} / {@code --port}; default 0.0.0.0:3000. */
    static InetSocketAddress listenAddress(Flags f) {
        String h = "0.0.0.0";
        int p = DEFAULT_PORT;
        if (f.http() != null) {
            String http = f.http().strip();
            int colon = http.lastIndexOf(':');
            if (colon >= 0 && !(http.startsWith("[") && http.endsWith("]"))) {
                h = http.substring(0, colon).replace("[", "").replace("]", "");
                p = port("--http", http.substring(colon + 1));
            } else {
                p = port("--http", http);
            }
        }
        if (f.host() != null) {
            h = f.host().strip();
        }
        if (f.port() != null) {
            p = port("--port", f.port().toString());
        }
        if (h.isEmpty()) {
            h = "0.0.0.0";
        }
        return new InetSocketAddress(h, p);
    }

    private static int port(String flag, String value) {
        try {
            int p = Integer.parseInt(value.strip());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a port from 0 to 65535, got '" + value + "'");
        }
    }

    static URI publicUrl(String value) {
        return origin(value, "MS365_MCP_PUBLIC_URL (--public-url) must be the http(s) origin clients use, like "
                + "https://ms365-mcp.example.com (no path), got '" + value + "'");
    }

    /**
     * An absolute http(s) URL without path, query, fragment or user info, scheme and host in lower case; a
     * trailing slash is dropped. Anything else: {@link IllegalArgumentException} with {@code refusal}.
     */
    public static URI origin(String value, String refusal) {
        String v = value.strip();
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || u.getHost() == null
                    || u.getRawQuery() != null || u.getRawFragment() != null || u.getUserInfo() != null
                    || u.getRawPath() != null && !u.getRawPath().isEmpty()) {
                throw new URISyntaxException(v, "not an origin");
            }
            return new URI(scheme, null, u.getHost().toLowerCase(Locale.ROOT), u.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(refusal);
        }
    }

    /** A browser origin, {@code scheme://host[:port]}, as an Origin header carries it. */
    static String origin(String value) {
        try {
            URI u = new URI(value.strip());
            if (u.getScheme() == null || u.getHost() == null || u.getRawPath() != null && !u.getRawPath().isEmpty()
                    && !u.getRawPath().equals("/")) {
                throw new URISyntaxException(value, "not an origin");
            }
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("MS365_MCP_CORS_ORIGIN must list origins like https://app.example.com, "
                    + "got '" + value + "'");
        }
    }

    /** The public URL's origin, as a browser sends it in Origin. */
    public String publicOrigin() {
        return publicUrl.getScheme() + "://" + publicUrl.getHost() + (publicUrl.getPort() < 0 ? "" : ":" + publicUrl.getPort());
    }

    private static List<String> list(String value) {
        return value == null ? List.of() : Arrays.stream(value.split(",")).map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty()).toList();
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (blankToNull(v) != null) {
                return v.strip();
            }
        }
        return null;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

}
