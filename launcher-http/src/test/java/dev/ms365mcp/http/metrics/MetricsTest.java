package dev.ms365mcp.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.state.RedisStateStore;
import dev.ms365mcp.testkit.graph.FakeResponse;
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
