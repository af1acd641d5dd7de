package dev.ms365mcp.http;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenProviders;
import dev.ms365mcp.auth.cache.KeyFile;
import dev.ms365mcp.auth.web.EntraSignIn;
import dev.ms365mcp.auth.web.PerUserTokenProvider;
import dev.ms365mcp.auth.web.UserTokenCaches;
import dev.ms365mcp.http.HttpSettings.AuthMode;
import dev.ms365mcp.http.entra.EntraUpstreamSignIn;
import dev.ms365mcp.http.entra.StoredUserCaches;
import dev.ms365mcp.http.files.FileLinkEndpoint;
import dev.ms365mcp.http.files.FileLinkSettings;
import dev.ms365mcp.http.files.FileTickets;
import dev.ms365mcp.http.metrics.ServerMetrics;
import dev.ms365mcp.http.oauth.AuthorizationServer;
import dev.ms365mcp.http.oauth.OAuthSettings;
import dev.ms365mcp.http.security.ApiKeyVerifier;
import dev.ms365mcp.http.security.LegacyPassthrough;
import dev.ms365mcp.http.security.McpAuthentication.BearerChallenge;
import dev.ms365mcp.http.security.McpAuthentication;
import dev.ms365mcp.http.security.OnBehalfOfAuthentication;
import dev.ms365mcp.http.state.EmbeddedStateStore;
import dev.ms365mcp.http.state.RedisStateStore;
import dev.ms365mcp.http.state.StateStore;
import dev.ms365mcp.http.transport.McpFeatures;
import dev.ms365mcp.launcher.CommandLines;
import dev.ms365mcp.launcher.DotEnv;
import dev.ms365mcp.launcher.ToolFlags;
import dev.ms365mcp.launcher.Version;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.safety.SafetySettings;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The server teams host: Microsoft 365 tools over MCP Streamable HTTP. Reads flags and environment into
 * {@link HttpSettings}, builds the tools, the state store and the authentication of the chosen mode, and
 * starts {@link JettyServer}, which holds the wiring.
 */
@Command(name = "ms365-mcp-http", mixinStandardHelpOptions = true, versionProvider = HttpMain.VersionText.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Microsoft 365 (Microsoft Graph) tools for AI assistants, over MCP Streamable HTTP.")
public final class HttpMain implements Callable<Integer> {

    @Mixin
    ToolFlags tools = new ToolFlags();

    @Option(names = "--http", paramLabel = "[host:]port", description = "Listen on this port, optionally on one address (default 0.0.0.0:3000).")
    String http;

    @Option(names = "--host", paramLabel = "<address>", description = "Listen on this address (default 0.0.0.0).")
    String host;

    @Option(names = "--port", paramLabel = "<port>", description = "Listen on this port (default 3000).")
    Integer port;

    @Option(names = {"--public-url", "--base-url"}, paramLabel = "<url>", description = "The origin clients use, e.g. https://ms365-mcp.example.com (MS365_MCP_PUBLIC_URL).")
    String publicUrl;

    @Option(names = "--stateless", description = "No MCP sessions: every request stands alone (JSON responses), for horizontal scale.")
    boolean stateless;

    @Option(names = "--obo", description = "Callers bring an Entra access token for this API; Graph tokens by on-behalf-of.")
    boolean obo;

    @Option(names = "--trust-proxy-auth", description = "A reverse proxy in front authenticates callers; calls use this server's own login.")
    boolean trustProxyAuth;

    @Option(names = "--single-user", description = "One person's server on the device-code login (needs MS365_MCP_API_KEY unless on loopback).")
    boolean singleUser;

    @Option(names = "--legacy-passthrough", description = "Send callers' bearer tokens to Graph as they are (forbidden by the MCP spec; migration only).")
    boolean legacyPassthrough;

    private final Map<String, String> env;

    HttpMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        int status = commandLine(DotEnv.withAppRegistration(System.getenv(), Path.of(".env"))).execute(args);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** The command line: a bad flag or a refused configuration prints one line and exits 2. */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = CommandLines.of(new HttpMain(env), "ms365-mcp-http");
        return cli;
    }

    HttpSettings settings(Map<String, String> effective) {
        return HttpSettings.from(new HttpSettings.Flags(http, host, port, publicUrl, stateless, obo, trustProxyAuth,
                singleUser, legacyPassthrough), effective);
    }

    @Override
    public Integer call() throws Exception {
        Running running = start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(running::stop));
        running.server().join();
        return 0;
    }

    /** A started server and what must be closed after it stops. */
    record Running(JettyServer server, AuthorizationServer oauth, StateStore store) {

        /** Stops serving (in-flight calls finish), then closes the front door and the state store. */
        void stop() {
            server.stop();
            if (oauth != null) {
                oauth.close();
            }
            store.close();
        }
    }

    /** Builds everything from the flags and environment and starts serving; {@link #call()} then waits. */
    Running start() throws Exception {
        Map<String, String> effective = tools.environment(env);
        HttpSettings settings = settings(effective);
        Logger log = LoggerFactory.getLogger(HttpMain.class);
        settings.check().forEach(log::warn);
        FileLinkSettings fileLinks = FileLinkSettings.fromEnv(effective, settings.publicUrl());
        AuthSettings auth = AuthSettings.fromEnv(effective);
        ToolSettings toolSettings = tools.settings(effective).build();
        StateStore store = stateStore(settings);
        if (settings.redis() != null) {
            log.info("State: Redis {} (namespace {}); stateless transport, so any replica answers any request",
                    settings.redis().url().getHost() + ":" + settings.redis().url().getPort(), settings.redis().namespace());
        }
        FrontDoor front = settings.auth() == AuthMode.OAUTH ? FrontDoor.of(settings, auth, store, effective) : null;
        // Users are elsewhere: file content goes by single-use links, never base64 through the model.
        FileTickets fileTickets = new FileTickets(fileLinks, store, Clock.systemUTC());
        Ms365Tools toolSet = Ms365Tools.builder()
                .fileLinks(fileTickets)
                .settings(toolSettings)
                .tokenProvider(front != null ? front.tokens() : tokenProvider(settings.auth(), auth))
                .graphRoot(auth.endpoint().graphRoot())
                .accountArgument(!settings.auth().multiUser())
                .graphObserver(ServerMetrics.GRAPH)
                // audit.log defaults to the data dir; MS365_MCP_AUDIT_LOG=stream sends it to the log stream instead
                .safety(SafetySettings.fromEnv(effective, settings.dataDir().resolve("logs")))
                .build();
        AuthorizationServer oauth = front == null ? null : front.open(toolSet.requiredScopes(), effective);
        McpAuthentication mcpAuth = oauth != null ? front.authentication(oauth) : authentication(settings, auth);
        JettyServer server = new JettyServer(settings, McpFeatures.of(toolSet), mcpAuth, store, oauth,
                Version.of(HttpMain.class), Clock.systemUTC(), new FileLinkEndpoint(fileTickets, toolSet, mcpAuth));
        server.start();
        log.info("Authentication: {}", settings.auth().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        return new Running(server, oauth, store);
    }

    /** Redis when several replicas share state ({@code MS365_MCP_REDIS_URL}), else the embedded store in the data directory. */
    static StateStore stateStore(HttpSettings settings) {
        return settings.redis() == null ? new EmbeddedStateStore(settings.dataDir())
                : new RedisStateStore(settings.redis().url(), settings.redis().namespace());
    }

    /**
     * The OAuth 2.1 front door and what hangs on it: users sign in at Entra (their MSAL caches encrypted
     * in the state store with the state key), tool calls get Graph tokens by silent refresh for the user
     * behind the bearer, and a user Entra asks to sign in again loses every grant so clients re-run the
     * browser flow.
     */
    record FrontDoor(HttpSettings settings, AuthSettings auth, StateStore store, UserTokenCaches caches,
            AtomicReference<AuthorizationServer> server, PerUserTokenProvider tokens) {

        static FrontDoor of(HttpSettings settings, AuthSettings auth, StateStore store, Map<String, String> env) {
            if (auth.clientId() == null || !auth.hasClientCredential()) {
                throw new IllegalArgumentException("the OAuth front door signs users in at Microsoft Entra as this "
                        + "server's app registration: set MS365_MCP_CLIENT_ID, MS365_MCP_TENANT_ID and "
                        + "MS365_MCP_CLIENT_SECRET (or MS365_MCP_CLIENT_CERTIFICATE_PATH), with the Web redirect URI "
                        + settings.publicUrl() + EntraSignIn.CALLBACK_PATH + "; or choose another mode "
                        + "(--single-user, --obo, --trust-proxy-auth)");
            }
            String configured = env.get("MS365_MCP_STATE_KEY");
            if (settings.redis() != null && (configured == null || configured.isBlank())) {
                // A key file per replica would leave each replica unable to read the sign-ins the others stored.
                throw new IllegalArgumentException("with MS365_MCP_REDIS_URL every replica must use the same "
                        + "MS365_MCP_STATE_KEY (users' sign-ins in Redis are encrypted with it): set it to 32 random "
                        + "bytes in base64 (openssl rand -base64 32), from a secret shared by all replicas");
            }
            byte[] key = configured != null && !configured.isBlank()
                    ? KeyFile.decode(configured, "MS365_MCP_STATE_KEY")
                    : KeyFile.readOrCreate(settings.dataDir().resolve("state.key"), "state",
                            "Restore it (users' sign-ins are encrypted with it), or delete the data directory's "
                                    + "contents so everyone signs in again.", "MS365_MCP_STATE_KEY");
            UserTokenCaches caches = new UserTokenCaches(new StoredUserCaches(store), key);
            AtomicReference<AuthorizationServer> server = new AtomicReference<>();
            PerUserTokenProvider tokens = new PerUserTokenProvider(auth, caches, userKey -> {
                AuthorizationServer s = server.get();
                if (s != null) {
                    s.revokeUser(userKey);
                }
            }, null, ServerMetrics.ENTRA_TOKENS);
            return new FrontDoor(settings, auth, store, caches, server, tokens);
        }

        /** The authorization server, asking Entra for the Graph scopes of the offered tools at sign-in. */
        AuthorizationServer open(Set<String> graphScopes, Map<String, String> env) {
            EntraSignIn entra = new EntraSignIn(auth, settings.publicUrl(), graphScopes, caches, null);
            AuthorizationServer oauth = new AuthorizationServer(
                    OAuthSettings.fromEnv(settings.publicUrl(), List.copyOf(graphScopes), env), store,
                    new EntraUpstreamSignIn(entra), Clock.systemUTC());
            server.set(oauth);
            return oauth;
        }

        McpAuthentication authentication(AuthorizationServer oauth) {
            return new McpAuthentication(oauth.bearerTokenVerifier(), null,
                    new BearerChallenge(oauth.resourceMetadataUrl(), String.join(" ", OAuthSettings.DEFAULT_SCOPES)),
                    null, true);
        }
    }

    /** The tool set's token source in modes without the front door: the server's own login, or none (request-bound). */
    static TokenProvider tokenProvider(AuthMode mode, AuthSettings auth) {
        return switch (mode) {
            case TRUST_PROXY, SINGLE_USER -> TokenProviders.fromSettings(auth, null, ServerMetrics.ENTRA_TOKENS);
            // Request-bound modes carry their token source in each request's context; this one is never asked.
            case LEGACY_PASSTHROUGH, OBO, OAUTH -> request -> {
                throw new dev.ms365mcp.auth.AuthException("This request carries no credential to get a Graph token with.");
            };
        };
    }

    /** How /mcp callers are authenticated in modes without the front door. */
    static McpAuthentication authentication(HttpSettings settings, AuthSettings auth) {
        return switch (settings.auth()) {
            case SINGLE_USER -> settings.apiKey() == null
                    ? new McpAuthentication(null, null, null, null, false)
                    : new McpAuthentication(new ApiKeyVerifier(settings.apiKey()), null, new BearerChallenge(null, null),
                            null, false);
            case TRUST_PROXY -> new McpAuthentication(null, null, null, settings.proxyUserHeader(), true);
            case LEGACY_PASSTHROUGH -> new McpAuthentication(LegacyPassthrough.verifier(), LegacyPassthrough::tokensFor,
                    new BearerChallenge(null, null), null, true);
            case OBO -> OnBehalfOfAuthentication.of(auth, ServerMetrics.ENTRA_TOKENS, settings.publicUrl());
            case OAUTH -> throw new IllegalStateException("the OAuth front door is wired by FrontDoor");
        };
    }

    /** {@code --version}: the jar's Implementation-Version. */
    static final class VersionText implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ms365-mcp-http " + Version.of(HttpMain.class)};
        }
    }
}
