package dev.ms365mcp.http;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.http.files.FileLinkEndpoint;
import dev.ms365mcp.http.files.FileLinkSettings;
import dev.ms365mcp.http.files.FileTickets;
import dev.ms365mcp.http.security.BearerTokenVerifier;
import dev.ms365mcp.http.security.Caller;
import dev.ms365mcp.http.security.McpAuthentication;
import dev.ms365mcp.http.security.McpAuthentication.BearerChallenge;
import dev.ms365mcp.http.state.InMemoryStateStore;
import dev.ms365mcp.http.state.StateStore;
import dev.ms365mcp.http.transport.McpFeatures;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The real JettyServer wiring on 127.0.0.1, an ephemeral port, with the Microsoft 365 tools pointed at a
 * {@link FakeGraph}. By default callers authenticate with {@code token-<name>} (principal {@code <name>}) and
 * each call's Graph token is {@code graph-token-<principal>}, so tests see whose token reached Graph.
 */
public final class TestServer implements AutoCloseable {

    public static final BearerTokenVerifier NAMED_TOKENS = token -> token.startsWith("token-")
            ? Optional.of(new Caller(token.substring("token-".length()), Set.of("mcp"))) : Optional.empty();
    public static final TokenProvider PER_PRINCIPAL = request ->
            new AccessToken("graph-token-" + (request.principal() == null ? "none" : request.principal()), null);

    public final FakeGraph graph;
    public final JettyServer server;
    public final HttpSettings settings;
    public final StateStore store;
    /** The Microsoft 365 tool set (what /mcp offers unless the builder gave other features). */
    public final Ms365Tools tools;
    /** The file links, when the builder asked for them. */
    public final FileTickets fileTickets;

    private TestServer(Builder b) throws Exception {
        this.graph = b.graph != null ? b.graph : FakeGraph.start();
        Map<String, String> env = new HashMap<>(b.env);
        env.putIfAbsent("MS365_MCP_DATA_DIR", "target/test-data");
        settings = HttpSettings.from(new HttpSettings.Flags(b.listen, null, null, null, b.stateless, false, false, false,
                false), env);
        store = b.store != null ? b.store : new InMemoryStateStore();
        fileTickets = b.fileLinks ? new FileTickets(FileLinkSettings.fromEnv(env, settings.publicUrl()), store, b.clock)
                : null;
        tools = Ms365Tools.builder()
                .settings(b.tools.apply(ToolSettings.defaults().toBuilder().orgMode(true)).build())
                .tokenProvider(b.tokens).graphRoot(URI.create(b.graphRoot != null ? b.graphRoot : graph.url())).accountArgument(!b.auth.multiUser())
                .graphObserver(dev.ms365mcp.http.metrics.ServerMetrics.GRAPH)
                .fileLinks(fileTickets).build();
        McpFeatures features = b.features != null ? b.features : McpFeatures.of(tools);
        server = new JettyServer(settings, features, b.auth, store, null, "test", b.clock,
                fileTickets == null ? null : new FileLinkEndpoint(fileTickets, tools, b.auth));
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TestServer start() throws Exception {
        return builder().start();
    }

    /** {@code http://127.0.0.1:<port>/mcp}. */
    public URI mcp() {
        return URI.create("http://127.0.0.1:" + server.port() + JettyServer.MCP_PATH);
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public McpHttpClient client(String bearer) {
        return new McpHttpClient(mcp(), bearer);
    }

    @Override
    public void close() {
        server.stop();
        graph.close();
        store.close();
    }

    public static final class Builder {
        private final Map<String, String> env = new HashMap<>();
        private String listen = "127.0.0.1:0";
        private boolean stateless;
        private McpAuthentication auth = new McpAuthentication(NAMED_TOKENS, null,
                new BearerChallenge("http://localhost:3000/.well-known/oauth-protected-resource/mcp", "mcp"), null, true);
        private TokenProvider tokens = PER_PRINCIPAL;
        private StateStore store;
        private FakeGraph graph;
        private McpFeatures features;
        private UnaryOperator<ToolSettings.Builder> tools = t -> t;
        private boolean fileLinks;
        private String graphRoot;

        /** Another Graph than {@link #graph} for the tools (a hand-made server for wire-level faults). */
        public Builder graphRoot(String url) {
            this.graphRoot = url;
            return this;
        }
        private java.time.Clock clock = java.time.Clock.systemUTC();

        /** Files by link ({@code /files/*}), configured from the builder's env. */
        public Builder fileLinks(boolean v) {
            this.fileLinks = v;
            return this;
        }

        /** The clock of rate limits and file links. */
        public Builder clock(java.time.Clock v) {
            this.clock = v;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder listen(String hostPort) {
            this.listen = hostPort;
            return this;
        }

        public Builder stateless(boolean v) {
            this.stateless = v;
            return this;
        }

        public Builder auth(McpAuthentication v) {
            this.auth = v;
            return this;
        }

        public Builder tokens(TokenProvider v) {
            this.tokens = v;
            return this;
        }

        public Builder store(StateStore v) {
            this.store = v;
            return this;
        }

        public Builder graph(FakeGraph v) {
            this.graph = v;
            return this;
        }

        public Builder features(McpFeatures v) {
            this.features = v;
            return this;
        }

        public Builder tools(UnaryOperator<ToolSettings.Builder> v) {
            this.tools = v;
            return this;
        }

        public TestServer start() throws Exception {
            return new TestServer(this);
        }
    }
}
