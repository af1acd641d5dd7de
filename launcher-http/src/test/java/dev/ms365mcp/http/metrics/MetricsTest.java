package dev.ms365mcp.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.web.EntraAuthorizationRequest;
import dev.ms365mcp.auth.web.EntraSignIn;
import dev.ms365mcp.auth.web.InMemoryUserCacheStore;
import dev.ms365mcp.auth.web.PerUserTokenProvider;
import dev.ms365mcp.auth.web.UserTokenCaches;
import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.state.RedisStateStore;
import dev.ms365mcp.testkit.entra.EntraBrowser;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.MsalLoopbackHttpClient;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /metrics}: Prometheus text that counts what happened, behind a token when one is set. */
class MetricsTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void toolCallsAreCountedByToolAndOutcomeInPrometheusText() throws Exception {
        server = TestServer.builder().stateless(true).start();
        server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\"}"));
        server.graph.on("GET", "/v1.0/me/messages", FakeResponse.json(404, "{\"error\":{\"code\":\"ErrorItemNotFound\",\"message\":\"gone\"}}"));
        double okBefore = value(scrape(null).body(), "ms365_tool_calls_total", "get-current-user", "ok");
        double errorBefore = value(scrape(null).body(), "ms365_tool_calls_total", "list-mail-messages", "error");
        McpHttpClient c = server.client("token-alice");
        c.callTool("get-current-user", "{}");
        c.callTool("get-current-user", "{}");
        c.callTool("list-mail-messages", "{}");
        HttpResponse<String> r = scrape(null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
        assertThat(r.body()).contains("# TYPE ms365_tool_calls_total counter")
                .contains("ms365_tool_call_duration_seconds_count{tool=\"get-current-user\"}");
        assertThat(value(r.body(), "ms365_tool_calls_total", "get-current-user", "ok") - okBefore).isEqualTo(2);
        assertThat(value(r.body(), "ms365_tool_calls_total", "list-mail-messages", "error") - errorBefore).isEqualTo(1);
        // Tools are pre-registered: one never called is listed at zero.
        assertThat(r.body()).contains("ms365_tool_calls_total{outcome=\"ok\",tool=\"send-mail\"}");
        assertThat(r.body()).doesNotContain("token-alice").doesNotContain("graph-token-alice");
    }

    @Test
    void aMetricsTokenKeepsOthersOut() throws Exception {
        server = TestServer.builder().env("MS365_MCP_METRICS_TOKEN", "scrape-secret-123").start();
        assertThat(scrape(null).statusCode()).isEqualTo(401);
        assertThat(scrape("wrong-secret-123").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = scrape("scrape-secret-123");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("ms365_oauth_tokens_total");
    }

    @Test
    void stateStoreErrorsAreCounted() throws Exception {
        server = TestServer.start();
        double before = value(scrape(null).body(), "ms365_state_store_errors_total", null, null);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (RedisStateStore unreachable = new RedisStateStore(URI.create("redis://127.0.0.1:" + closed + "/0"), "x")) {
            try {
                unreachable.get("k");
            } catch (RuntimeException expected) {
                // Redis is not there
            }
            assertThat(unreachable.healthy()).isFalse();
        }
        assertThat(value(scrape(null).body(), "ms365_state_store_errors_total", null, null) - before).isGreaterThanOrEqualTo(1);
    }

    @Test
    void throttledGraphAnswersAndRetriesAreCountedByTool() throws Exception {
        server = TestServer.builder().stateless(true).start();
        server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\"}"));
        server.graph.enqueue("GET", "/v1.0/me", FakeResponse.tooManyRequests(0));
        String before = scrape(null).body();
        assertThat(McpHttpClient.text(server.client("token-alice").callTool("get-current-user", "{}"))).contains("Alice");
        String after = scrape(null).body();
        Map<String, String> tool = Map.of("tool", "get-current-user");
        assertThat(value(after, "ms365_graph_throttled_total", tool) - value(before, "ms365_graph_throttled_total", tool))
                .isEqualTo(1);
        assertThat(value(after, "ms365_graph_retries_total", tool) - value(before, "ms365_graph_retries_total", tool))
                .isEqualTo(1);
        Map<String, String> throttled = Map.of("method", "GET", "status", "4xx", "tool", "get-current-user");
        Map<String, String> answered = Map.of("method", "GET", "status", "2xx", "tool", "get-current-user");
        assertThat(value(after, "ms365_graph_request_seconds_count", throttled)
                - value(before, "ms365_graph_request_seconds_count", throttled)).isEqualTo(1);
        assertThat(value(after, "ms365_graph_request_seconds_count", answered)
                - value(before, "ms365_graph_request_seconds_count", answered)).isEqualTo(1);
        assertThat(value(after, "ms365_graph_request_seconds_sum", answered)).isPositive();
        // No path, id or token in any label.
        assertThat(after).doesNotContain("/v1.0/me").doesNotContain("graph-token-alice");
    }

    @Test
    void entraTokenRefreshesAndSignInsRequiredAreCounted() throws Exception {
        try (FakeEntra entra = FakeEntra.start()) {
            URI publicUrl = URI.create("https://mcp.example.com");
            entra.addUser("alice@contoso.com");
            entra.addRedirectUri(FakeEntra.CONFIDENTIAL_CLIENT_ID, publicUrl + EntraSignIn.CALLBACK_PATH);
            entra.accessTokenLifetime(Duration.ofMinutes(1)); // inside MSAL's 5-minute margin: each call refreshes
            AuthSettings auth = AuthSettings.fromEnv(Map.of("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID,
                    "MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET,
                    "MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString()));
            MsalLoopbackHttpClient http = new MsalLoopbackHttpClient(entra);
            UserTokenCaches caches = new UserTokenCaches(new InMemoryUserCacheStore(), new byte[32]);
            EntraSignIn signIn = new EntraSignIn(auth, publicUrl, Set.of("User.Read"), caches, http);
            EntraAuthorizationRequest request = signIn.begin(null);
            EntraBrowser.Callback callback;
            try (EntraBrowser browser = new EntraBrowser(entra)) {
                callback = browser.signIn(request.authorizationUrl(), "alice@contoso.com");
            }
            String user = signIn.complete(callback.params().get("code"), request.codeVerifier(), request.nonce()).userKey();
            server = TestServer.builder().stateless(true)
                    .tokens(new PerUserTokenProvider(auth, caches, key -> { }, http, ServerMetrics.ENTRA_TOKENS)).start();
            server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\"}"));
            String before = scrape(null).body();
            McpHttpClient c = server.client("token-" + user);
            assertThat(McpHttpClient.text(c.callTool("get-current-user", "{}"))).contains("Alice");
            assertThat(McpHttpClient.text(c.callTool("get-current-user", "{}"))).contains("Alice");
            entra.revokeRefreshTokens("alice@contoso.com");
            c.callTool("get-current-user", "{}");
            String after = scrape(null).body();
            assertThat(entra.tokenRequests("refresh_token")).hasSize(3);
            assertThat(delta(before, after, "ms365_token_acquisitions_total", Map.of("outcome", "refreshed"))).isEqualTo(2);
            assertThat(delta(before, after, "ms365_token_acquisitions_total", Map.of("outcome", "interaction_required")))
                    .isEqualTo(1);
            assertThat(delta(before, after, "ms365_token_refresh_seconds_count", Map.of())).isEqualTo(2);
            assertThat(after).contains("ms365_token_acquisitions_total{outcome=\"cache\"}")
                    .contains("ms365_token_acquisitions_total{outcome=\"failed\"}")
                    .doesNotContain(user).doesNotContain("alice@contoso.com");
        }
    }

    @Test
    void everyMeterIsDocumentedInTheReadmeMetricsTable() throws Exception {
        server = TestServer.builder().stateless(true).start();
        server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\"}"));
        server.graph.enqueue("GET", "/v1.0/me", FakeResponse.tooManyRequests(0));
        server.client("token-alice").callTool("get-current-user", "{}");
        Set<String> names = new TreeSet<>();
        for (String line : scrape(null).body().split("\n")) {
            if (line.startsWith("ms365_")) {
                names.add(line.replaceAll("[{ ].*", "").replaceAll("_(count|sum|max)$", ""));
            }
        }
        assertThat(names).contains("ms365_graph_request_seconds", "ms365_graph_throttled_total",
                "ms365_graph_retries_total", "ms365_token_acquisitions_total", "ms365_token_refresh_seconds");
        Path readme = Path.of("..", "README.md");
        String table = Files.readString(readme, StandardCharsets.UTF_8);
        table = table.substring(table.indexOf("### Metrics"));
        table = table.substring(0, table.indexOf("\n## "));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(ms365_[a-z_]+)").matcher(table);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).as("README's metrics table").containsAll(names);
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return value(after, name, labels) - value(before, name, labels);
    }

    /** The value of the series {@code name} with exactly these labels (in Prometheus' sorted order), 0 when absent. */
    private static double value(String text, String name, Map<String, String> labels) {
        StringBuilder l = new StringBuilder();
        new java.util.TreeMap<>(labels).forEach((k, v) -> l.append(l.isEmpty() ? "" : ",").append(k).append("=\"")
                .append(v).append('"'));
        String series = labels.isEmpty() ? name : name + "{" + l + "}";
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private HttpResponse<String> scrape(String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url("/metrics")).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return McpHttpClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of {@code name{outcome=..,tool=..}} (or the untagged series), 0 when absent. */
    private static double value(String text, String name, String tool, String outcome) {
        String labels = tool == null ? "" : "\\{outcome=\"" + outcome + "\",tool=\"" + Pattern.quote(tool) + "\"\\}";
        Matcher m = Pattern.compile("(?m)^" + name + labels + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
