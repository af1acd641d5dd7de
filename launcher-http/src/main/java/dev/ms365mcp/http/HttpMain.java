package dev.ms365mcp.http;

import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenProviders;
import dev.ms365mcp.http.HttpSettings.AuthMode;
import dev.ms365mcp.http.security.ApiKeyVerifier;
import dev.ms365mcp.http.security.LegacyPassthrough;
import dev.ms365mcp.http.security.McpAuthentication;
import dev.ms365mcp.http.security.McpAuthentication.BearerChallenge;
import dev.ms365mcp.http.state.EmbeddedStateStore;
import dev.ms365mcp.http.state.StateStore;
import dev.ms365mcp.http.transport.McpFeatures;
import dev.ms365mcp.launcher.DotEnv;
import dev.ms365mcp.launcher.ToolFlags;
import dev.ms365mcp.launcher.Version;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
        CommandLine cli = new CommandLine(new HttpMain(env));
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("ms365-mcp-http: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("ms365-mcp-http: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    HttpSettings settings(Map<String, String> effective) {
        return HttpSettings.from(new HttpSettings.Flags(http, host, port, publicUrl, stateless, obo, trustProxyAuth,
                singleUser, legacyPassthrough), effective);
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> effective = tools.environment(env);
        HttpSettings settings = settings(effective);
        Logger log = LoggerFactory.getLogger(HttpMain.class);
        settings.check().forEach(log::warn);
        AuthSettings auth = AuthSettings.fromEnv(effective);
        ToolSettings toolSettings = tools.settings(effective).build();
        StateStore store = new EmbeddedStateStore(settings.dataDir());
        Ms365Tools toolSet = Ms365Tools.builder()
                .settings(toolSettings)
                .tokenProvider(tokenProvider(settings.auth(), auth))
                .graphRoot(auth.endpoint().graphRoot())
                .accountArgument(!settings.auth().multiUser())
                .build();
        JettyServer server = new JettyServer(settings, McpFeatures.of(toolSet), authentication(settings), store,
                Version.of(HttpMain.class));
        server.start();
        log.info("Authentication: {}", settings.auth().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.stop();
            store.close();
        }));
        server.join();
        return 0;
    }

    /** The tool set's token source: the server's own login, or per user (the front door's, wired by the lead). */
    static TokenProvider tokenProvider(AuthMode mode, AuthSettings auth) {
        return switch (mode) {
            case TRUST_PROXY, SINGLE_USER -> TokenProviders.fromSettings(auth);
            // Request-bound modes carry their token source in each request's context; this one is never asked.
            case LEGACY_PASSTHROUGH, OBO -> request -> {
                throw new dev.ms365mcp.auth.AuthException("This request carries no credential to get a Graph token with.");
            };
            // WIRING POINT (lead): new PerUserTokenProvider(...) from ms365-auth (entra), keyed by TokenRequest.principal().
            case OAUTH -> throw notWired();
        };
    }

    /** How /mcp callers are authenticated in {@code settings}' mode. */
    static McpAuthentication authentication(HttpSettings settings) {
        return switch (settings.auth()) {
            case SINGLE_USER -> settings.apiKey() == null
                    ? new McpAuthentication(null, null, null, null, false)
                    : new McpAuthentication(new ApiKeyVerifier(settings.apiKey()), null, new BearerChallenge(null, null),
                            null, false);
            case TRUST_PROXY -> new McpAuthentication(null, null, null, settings.proxyUserHeader(), true);
            case LEGACY_PASSTHROUGH -> new McpAuthentication(LegacyPassthrough.verifier(), LegacyPassthrough::tokensFor,
                    new BearerChallenge(null, null), null, true);
            // WIRING POINT (lead): verifier = the entra EntraAccessTokenValidator (nimbus, JWKS, issuer, audience);
            // requestTokens = new OnBehalfOfTokenProvider(authSettings, null)::forAssertion; challenge with
            // resource_metadata = settings.publicUrl() + "/.well-known/oauth-protected-resource/mcp" and the API scope.
            case OBO -> throw notWired();
            // WIRING POINT (lead): verifier = the oauth package's access-token verifier; challenge =
            // new BearerChallenge(settings.publicUrl() + "/.well-known/oauth-protected-resource/mcp", <scopes>).
            case OAUTH -> throw notWired();
        };
    }

    private static IllegalArgumentException notWired() {
        return new IllegalArgumentException("this build has no OAuth front door or on-behalf-of validator yet; start "
                + "with --single-user (device-code login or MS365_MCP_OAUTH_TOKEN, plus MS365_MCP_API_KEY), "
                + "--trust-proxy-auth or --legacy-passthrough");
    }

    /** {@code --version}: the jar's Implementation-Version. */
    static final class VersionText implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ms365-mcp-http " + Version.of(HttpMain.class)};
        }
    }
}
