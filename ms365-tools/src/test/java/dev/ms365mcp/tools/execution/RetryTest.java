package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Throttled or unavailable Graph is retried by GraphClient, honouring Retry-After, bounded. */
class RetryTest {

    private static final String PATH = "/v1.0/me/messages/m1";
    private ToolHarness h;

    @BeforeEach
    void start() {
        h = new ToolHarness();
        h.graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503, 504})
    void retriesUntilGraphAnswers(int status) {
        h.graph.enqueue("GET", PATH, FakeResponse.error(status, "busy", "try later").withHeader("Retry-After", "0"),
                FakeResponse.error(status, "busy", "try later").withHeader("Retry-After", "0"));
        CallToolResult r = h.call("get-mail-message", Map.of("messageId", "m1"));
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(text(r)).contains("\"m1\"");
        assertThat(h.graph.requests()).hasSize(3);
    }

    @Test
    void givesUpAfterTheConfiguredRetriesAndSaysSo() {
        h.configure(s -> s.maxRetries(2));
        for (int i = 0; i < 5; i++) {
            h.graph.enqueue("GET", PATH, FakeResponse.tooManyRequests(0));
        }
        CallToolResult r = h.call("get-mail-message", Map.of("messageId", "m1"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("429", "TooManyRequests", "after 2 retries");
        assertThat(h.graph.requests()).hasSize(3);
    }

    @Test
    void noRetriesWhenDisabled() {
        // 429, not 503: OkHttp itself repeats a 503 once when Retry-After is 0, below graph-core.
        h.configure(s -> s.maxRetries(0));
        h.graph.enqueue("GET", PATH, FakeResponse.tooManyRequests(0));
        CallToolResult r = h.call("get-mail-message", Map.of("messageId", "m1"));
        assertThat(h.graph.requests()).hasSize(1);
        assertThat(r.isError()).as(text(r)).isTrue();
    }

    @Test
    void aRetriedPostSendsTheSameBodyAgain() {
        h.graph.on("POST", "/v1.0/me/sendMail", FakeResponse.accepted());
        h.graph.enqueue("POST", "/v1.0/me/sendMail", FakeResponse.tooManyRequests(0));
        Map<String, Object> body = Map.of("message", Map.of("subject", "Hi",
                "toRecipients", java.util.List.of(Map.of("emailAddress", Map.of("address", "a@b.example")))));
        CallToolResult r = h.call("send-mail", Map.of("body", body));
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(h.graph.requests()).hasSize(2);
        assertThat(h.graph.requests().get(1).bodyText()).isEqualTo(h.graph.requests().get(0).bodyText()).contains("a@b.example");
    }

    @Test
    void honoursRetryAfter() {
        h.graph.enqueue("GET", PATH, FakeResponse.tooManyRequests(1));
        long start = System.nanoTime();
        assertThat(h.call("get-mail-message", Map.of("messageId", "m1")).isError()).isFalse();
        // A lower bound only: the wait Graph asked for happened (no upper bound on a shared machine).
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(900);
    }
}
