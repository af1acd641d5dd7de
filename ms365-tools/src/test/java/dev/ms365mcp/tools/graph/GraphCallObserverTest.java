package dev.ms365mcp.tools.graph;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every Graph exchange, retries included, reaches the {@link GraphCallObserver} with its tool, status and timing. */
class GraphCallObserverTest {

    private static final String PATH = "/v1.0/me/messages/m1";
    private static final Map<String, Object> ARGS = Map.of("messageId", "m1");

    record Exchange(String tool, String method, int status, long nanos, boolean throttled, boolean retry) {
    }

    private final FakeGraph graph = FakeGraph.start();
    private final List<Exchange> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        graph.close();
    }

    private Ms365Tools tools(URI root, int maxRetries, GraphCallObserver observer) {
        return Ms365Tools.builder().settings(ToolSettings.defaults().toBuilder().orgMode(true).maxRetries(maxRetries).build())
                .tokenProvider(new StaticTokenProvider("t")).graphRoot(root).graphObserver(observer).build();
    }

    private Ms365Tools tools() {
        return tools(URI.create(graph.url()), 3, (tool, method, status, nanos, throttled, retry) ->
                seen.add(new Exchange(tool, method, status, nanos, throttled, retry)));
    }

    @Test
    void aThrottledExchangeAndItsRetryAreBothReported() {
        graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
        graph.enqueue("GET", PATH, FakeResponse.tooManyRequests(0));
        CallToolResult r = tools().call("get-mail-message", ARGS);
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(seen).extracting(Exchange::tool, Exchange::method, Exchange::status, Exchange::throttled, Exchange::retry)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("get-mail-message", "GET", 429, true, false),
                        org.assertj.core.groups.Tuple.tuple("get-mail-message", "GET", 200, false, true));
        assertThat(seen).allMatch(e -> e.nanos() > 0);
    }

    @Test
    void a503IsThrottlingOnlyWithRetryAfterAndOtherErrorsAreNot() {
        graph.on("GET", PATH, FakeResponse.error(404, "ErrorItemNotFound", "gone"));
        // Retry-After 1, not 0: OkHttp itself repeats a 503 with Retry-After 0 once, below the client.
        graph.enqueue("GET", PATH, FakeResponse.error(503, "busy", "later").withHeader("Retry-After", "1"));
        Ms365Tools tools = tools();
        tools.call("get-mail-message", ARGS);
        assertThat(seen).extracting(Exchange::status, Exchange::throttled, Exchange::retry)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(503, true, false),
                        org.assertj.core.groups.Tuple.tuple(404, false, true));
        seen.clear();
        graph.on("POST", "/v1.0/me/sendMail", FakeResponse.error(503, "busy", "later"));
        tools.call("send-mail", Map.of("body", Map.of("message", Map.of("subject", "Hi",
                "toRecipients", List.of(Map.of("emailAddress", Map.of("address", "a@b.example")))))));
        // Not idempotent: sent once, not retried; no Retry-After: not counted as throttling.
        assertThat(seen).extracting(Exchange::tool, Exchange::method, Exchange::status, Exchange::throttled)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("send-mail", "POST", 503, false));
    }

    @Test
    void noAnswerIsReportedWithStatusZero() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        CallToolResult r = tools(URI.create("http://127.0.0.1:" + closed), 0, (tool, method, status, nanos, throttled, retry) ->
                seen.add(new Exchange(tool, method, status, nanos, throttled, retry))).call("get-mail-message", ARGS);
        assertThat(r.isError()).isTrue();
        assertThat(seen).extracting(Exchange::status).containsExactly(0);
    }

    @Test
    void anObserverThatThrowsDoesNotBreakTheCall() {
        graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
        CallToolResult r = tools(URI.create(graph.url()), 3, (tool, method, status, nanos, throttled, retry) -> {
            throw new IllegalStateException("broken meter");
        }).call("get-mail-message", ARGS);
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(text(r)).contains("\"m1\"");
    }
}
