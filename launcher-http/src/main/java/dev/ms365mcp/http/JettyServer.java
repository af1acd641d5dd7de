package dev.ms365mcp.http;

import dev.ms365mcp.http.files.FileLinkEndpoint;
import dev.ms365mcp.http.health.HealthEndpoints;
import dev.ms365mcp.http.metrics.MetricsEndpoint;
import dev.ms365mcp.http.metrics.ServerMetrics;
import dev.ms365mcp.http.logging.AccessLog;
import dev.ms365mcp.http.oauth.AuthorizationServer;
import dev.ms365mcp.http.security.BearerAuthentication;
import dev.ms365mcp.http.security.Caller;
import dev.ms365mcp.http.security.ClientAddress;
import dev.ms365mcp.http.security.Cors;
import dev.ms365mcp.http.security.McpAuthentication;
import dev.ms365mcp.http.security.OriginValidator;
import dev.ms365mcp.http.security.RateLimiter;
import dev.ms365mcp.http.state.StateStore;
import dev.ms365mcp.http.transport.GracefulStop;
import dev.ms365mcp.http.transport.McpFeatures;
import dev.ms365mcp.http.transport.McpRequestGuard;
import dev.ms365mcp.http.transport.SafeErrorJsonMapper;
import dev.ms365mcp.http.transport.SessionOwners;
import dev.ms365mcp.tools.Ms365Tools;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every servlet and filter mapping of the HTTP server, in one place (ee10 → ee11 is a package rename here).
 *
 * <pre>
 * /*                 AccessLog (request id, access line, last-resort 500)
 * /mcp               OriginValidator → Cors(mcp) → BearerAuthentication → RateLimiter(per user) → McpRequestGuard
 *                    → SessionOwners (stateful) → GracefulStop → the SDK's transport servlet
 * OAuth endpoints    Cors(any origin) on metadata, /register, /token, /revoke; RateLimiter(per address) on
 *                    /register, /authorize, /token; servlets in {@link #mapOAuth}
 * /files/*          FileLinkEndpoint: download and upload links (the ticket in the path is the credential)
 * /, /healthz, /readyz, everything else: HealthEndpoints (404 JSON for unknown paths)
 * </pre>
 */
public final class JettyServer {

    public static final String MCP_PATH = "/mcp";
    /** Download and upload links: {@code /files/download/<ticket>}, {@code /files/upload/<ticket>}. */
    public static final String FILES_PATH = "/files";
    /** The OAuth endpoints browser clients call cross-origin. */
    static final List<String> OAUTH_CORS_PATHS = List.of("/.well-known/*", "/register", "/token", "/revoke");
    /** Sessions remembered per server (their owners): the bound on that map. */
    static final int MAX_SESSIONS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(JettyServer.class);

    private final Server server;
    private final GracefulStop graceful;
    private final HttpSettings settings;

    private final ServerMetrics metrics;

    /**
     * @param features what {@code /mcp} offers (the tool set)
     * @param auth     how {@code /mcp} callers are authenticated (its verifier is the OAuth front door's by default)
     * @param store    the state: rate-limit counters here
     * @param oauth    the OAuth 2.1 front door, or {@code null} in modes without one (API key, proxy, on-behalf-of)
     */
    public JettyServer(HttpSettings settings, McpFeatures features, McpAuthentication auth, StateStore store,
            AuthorizationServer oauth, String version) {
        this(settings, features, auth, store, oauth, version, Clock.systemUTC());
    }

    public JettyServer(HttpSettings settings, McpFeatures features, McpAuthentication auth, StateStore store,
            AuthorizationServer oauth, String version, Clock clock) {
        this(settings, features, auth, store, oauth, version, clock, null);
    }

    /** @param files where file links are redeemed ({@code /files/*}); null: no file links */
    public JettyServer(HttpSettings settings, McpFeatures features, McpAuthentication auth, StateStore store,
            AuthorizationServer oauth, String version, Clock clock, FileLinkEndpoint files) {
        this.settings = settings;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("http");
        // Tool calls block on Graph: one virtual thread per request instead of a bounded pool.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(settings.listen().getHostString());
        connector.setPort(settings.listen().getPort());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setErrorHandler(new JsonErrorHandler());
        graceful = new GracefulStop();

        filter(context, new AccessLog(), "/*");
        Set<String> origins = new LinkedHashSet<>();
        origins.add(settings.publicOrigin());
        origins.addAll(settings.corsOrigins());
        Set<String> hosts = new LinkedHashSet<>(settings.allowedHosts());
        hosts.add(settings.publicUrl().getHost());
        filter(context, new OriginValidator(origins, hosts, settings.loopbackOnly()), MCP_PATH);
        filter(context, Cors.mcp(origins), MCP_PATH);
        McpJsonMapper mapper = new SafeErrorJsonMapper(new JacksonMcpJsonMapper(JsonMapper.shared()));
        HttpServlet mcp;
        List<String> versions;
        if (settings.stateless()) {
            HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                    .jsonMapper(mapper).messageEndpoint(MCP_PATH).maxRequestSize(settings.maxRequestBytes())
                    .contextExtractor(contextExtractor()).build();
            features.apply(McpServer.sync(transport).serverInfo("ms365-mcp", version).jsonMapper(mapper)
                    .immediateExecution(true)).build();
            mcp = transport;
            versions = transport.protocolVersions();
        } else {
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(mapper).mcpEndpoint(MCP_PATH).maxRequestSize(settings.maxRequestBytes())
                    .contextExtractor(contextExtractor()).build();
            features.apply(McpServer.sync(transport).serverInfo("ms365-mcp", version).jsonMapper(mapper)
                    .immediateExecution(true)).build();
            mcp = transport;
            versions = transport.protocolVersions();
        }
        // Authentication and the per-user limit before any body is read.
        filter(context, new BearerAuthentication(auth), MCP_PATH);
        HttpSettings.RateLimitSettings limits = settings.rateLimits();
        if (limits.enabled()) {
            filter(context, new RateLimiter("mcp", limits.mcp(), limits.window(), store, RateLimiter.perUser(), clock,
                    true), MCP_PATH);
        }
        filter(context, new McpRequestGuard(versions, settings.maxRequestBytes()), MCP_PATH);
        if (!settings.stateless()) {
            filter(context, new SessionOwners(MAX_SESSIONS), MCP_PATH);
        }
        filter(context, graceful, MCP_PATH);
        ServletHolder mcpHolder = new ServletHolder("mcp", mcp);
        mcpHolder.setAsyncSupported(true);
        context.addServlet(mcpHolder, MCP_PATH);

        for (String path : OAUTH_CORS_PATHS) {
            filter(context, Cors.anyOrigin(), path);
        }
        if (limits.enabled()) {
            ClientAddress addresses = new ClientAddress(settings.trustProxyHops());
            filter(context, new RateLimiter("register", limits.register(), limits.window(), store,
                    RateLimiter.perAddress(addresses), clock, false), "/register");
            filter(context, new RateLimiter("authorize", limits.authorize(), limits.window(), store,
                    RateLimiter.perAddress(addresses), clock, false), "/authorize");
            filter(context, new RateLimiter("token", limits.token(), limits.window(), store,
                    RateLimiter.perAddress(addresses), clock, false), "/token");
        }
        if (oauth != null) {
            mapOAuth(context, oauth);
        } else if (auth.challenge() != null && auth.challenge().document() != null) {
            mapProtectedResourceMetadata(context, auth.challenge().document().servlet());
        }
        metrics = features.metrics();
        if (metrics != null) {
            context.addServlet(new ServletHolder("metrics", new MetricsEndpoint(metrics, settings.metricsToken())), "/metrics");
        }
        if (files != null) {
            context.addServlet(new ServletHolder("files", files), FILES_PATH + "/*");
        }
        context.addServlet(new ServletHolder("health", new HealthEndpoints(store, version)), "/");
        server.setHandler(context);
    }

    /** The OAuth 2.1 front door's endpoints; every URL they advertise comes from the public URL. */
    public static void mapOAuth(ServletContextHandler context, AuthorizationServer oauth) {
        mapProtectedResourceMetadata(context, oauth.protectedResourceMetadata());
        context.addServlet(new ServletHolder("oauth-server-metadata", oauth.authorizationServerMetadata()),
                AuthorizationServer.AUTHORIZATION_SERVER_METADATA);
        context.addServlet(new ServletHolder("oauth-register", oauth.registration()), AuthorizationServer.REGISTER);
        context.addServlet(new ServletHolder("oauth-authorize", oauth.authorization()), AuthorizationServer.AUTHORIZE);
        context.addServlet(new ServletHolder("oauth-callback", oauth.callback()), AuthorizationServer.CALLBACK);
        context.addServlet(new ServletHolder("oauth-token", oauth.token()), AuthorizationServer.TOKEN);
        context.addServlet(new ServletHolder("oauth-revoke", oauth.revocation()), AuthorizationServer.REVOKE);
    }

    /** RFC 9728 metadata at its path for {@code /mcp} and at the root form clients fall back to. */
    private static void mapProtectedResourceMetadata(ServletContextHandler context, HttpServlet metadata) {
        context.addServlet(new ServletHolder("oauth-resource-metadata-mcp", metadata),
                AuthorizationServer.PROTECTED_RESOURCE_METADATA + MCP_PATH);
        context.addServlet(new ServletHolder("oauth-resource-metadata", metadata),
                AuthorizationServer.PROTECTED_RESOURCE_METADATA);
    }

    /** Puts the authenticated caller (and a request-bound token source) where the tools read them. */
    private static McpTransportContextExtractor<HttpServletRequest> contextExtractor() {
        return request -> {
            Map<String, Object> values = new HashMap<>(4);
            if (request.getAttribute(Caller.ATTRIBUTE) instanceof Caller c) {
                values.put(Ms365Tools.PRINCIPAL, c.principal());
            }
            Object tokens = request.getAttribute(BearerAuthentication.REQUEST_TOKENS);
            if (tokens != null) {
                values.put(Ms365Tools.TOKEN_PROVIDER, tokens);
            }
            return McpTransportContext.create(values);
        };
    }

    private static void filter(ServletContextHandler context, Filter filter, String path) {
        FilterHolder holder = new FilterHolder(filter);
        holder.setAsyncSupported(true);
        context.addFilter(holder, path, EnumSet.of(DispatcherType.REQUEST));
    }

    public void start() throws Exception {
        server.start();
        log.info("Listening on {} — MCP endpoint {}", server.getURI(), settings.mcpUrl());
    }

    /** The port Jetty listens on (the real one when started on port 0). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /**
     * Stops gracefully: new MCP requests get 503, calls in flight finish (up to
     * {@code MS365_MCP_SHUTDOWN_TIMEOUT_SECONDS}), then Jetty stops.
     */
    public void stop() {
        try {
            graceful.drain(settings.shutdownGrace());
            // Calls have answered; what is left are idle connections and SSE streams, closed at once.
            server.setStopTimeout(0);
            server.stop();
            if (metrics != null) {
                metrics.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty did not stop cleanly", e);
        }
    }
}
