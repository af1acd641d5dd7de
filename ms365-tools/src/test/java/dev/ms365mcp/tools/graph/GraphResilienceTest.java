package dev.ms365mcp.tools.graph;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.execution.Progress;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Throttling, backoff, timeouts and the per-caller circuit breaker of {@link GraphClient}, against FakeGraph. */
class GraphResilienceTest {

    private static final String PATH = "/v1.0/me/messages/m1";
    private static final Map<String, Object> ARGS = Map.of("messageId", "m1");

    @RegisterExtension
    final ToolHarness h = new ToolHarness();

    private long millis(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void aRetryAfterBeyondTheBoundFailsAtOnceAndSaysHowLong(int status) {
        h.graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
        h.graph.enqueue("GET", PATH, FakeResponse.error(status, "TooManyRequests", "slow down")
                .withHeader("Retry-After", "100000"));
        CallToolResult[] r = new CallToolResult[1];
        long took = millis(() -> r[0] = h.call("get-mail-message", ARGS));
        assertThat(r[0].isError()).isTrue();
        assertThat(text(r[0])).startsWith("Microsoft Graph is throttling this account; it asks to wait 100000 s")
                .contains("MS365_MCP_GRAPH_MAX_RETRY_AFTER_MS").doesNotContainIgnoringCase("could not reach");
        assertThat(h.graph.requests()).hasSize(1);
        assertThat(took).isLessThan(5_000);
    }

    @Test
    void theBoundIsConfigurable() {
        h.configure(s -> s.graph(GraphClientSettings.defaults().withMaxRetryAfterMs(500)));
        h.graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
        h.graph.enqueue("GET", PATH, FakeResponse.tooManyRequests(1));
        assertThat(text(h.call("get-mail-message", ARGS))).contains("asks to wait 1 s");
        h.configure(s -> s.graph(GraphClientSettings.defaults().withMaxRetryAfterMs(1_000)));
        h.graph.enqueue("GET", PATH, FakeResponse.tooManyRequests(1));
        assertThat(h.call("get-mail-message", ARGS).isError()).isFalse();
    }

    @Test
    void anHttpDateRetryAfterCounts() {
        assertThat(GraphClient.retryAfterMs("120")).isEqualTo(120_000);
        String inTwoMinutes = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusMinutes(2));
        assertThat(GraphClient.retryAfterMs(inTwoMinutes)).isBetween(100_000L, 121_000L);
        assertThat(GraphClient.retryAfterMs("soon")).isEqualTo(-1);
        assertThat(GraphClient.retryAfterMs(null)).isEqualTo(-1);
    }

    @Test
    void withoutRetryAfterTheBackoffDoublesUpToItsCeilingWithJitter() {
        GraphClient c = new GraphClient(java.net.URI.create(h.graph.url()), 3,
                GraphClientSettings.defaults().withBackoffMs(100, 1_000));
        for (int attempt = 0; attempt < 6; attempt++) {
            long ceiling = Math.min(1_000, 100L << attempt);
            long max = 0;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 400; i++) {
                long d = c.backoffMs(attempt);
                assertThat(d).isBetween(0L, ceiling);
                max = Math.max(max, d);
                min = Math.min(min, d);
            }
            assertThat(max).as("attempt %d reaches towards %d", attempt, ceiling).isGreaterThan(ceiling / 2);
            assertThat(min).as("jitter").isLessThan(ceiling / 2);
        }
    }

    @Test
    void unavailableWithoutRetryAfterIsRetriedAfterTheBackoff() {
        h.configure(s -> s.maxRetries(2).graph(GraphClientSettings.defaults().withBackoffMs(1, 5)));
        h.graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
        h.graph.enqueue("GET", PATH, FakeResponse.error(504, "GatewayTimeout", "x"), FakeResponse.error(503, "x", "y"));
        CallToolResult r = h.call("get-mail-message", ARGS);
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(h.graph.requests()).hasSize(3);
    }

    @Test
    void aPostIsNotSentAgainAfter503ButIsAfter429() {
        h.configure(s -> s.graph(GraphClientSettings.defaults().withBackoffMs(1, 5)));
        h.graph.on("POST", "/v1.0/me/sendMail", FakeResponse.accepted());
        h.graph.enqueue("POST", "/v1.0/me/sendMail", FakeResponse.error(503, "ServiceUnavailable", "x"));
        Map<String, Object> body = Map.of("body", Map.of("message", Map.of("subject", "Hi",
                "toRecipients", List.of(Map.of("emailAddress", Map.of("address", "a@contoso.com"))))));
        CallToolResult r = h.call("send-mail", body);
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("503").doesNotContain("retries");
        assertThat(h.graph.requests()).hasSize(1);
        h.graph.clearRequests();
        h.graph.enqueue("POST", "/v1.0/me/sendMail", FakeResponse.tooManyRequests(0));
        assertThat(h.call("send-mail", body).isError()).isFalse();
        assertThat(h.graph.requests()).hasSize(2);
    }

    @Test
    void eachExchangeIsBoundedByTheTimeout() {
        h.configure(s -> s.maxRetries(0).graph(GraphClientSettings.defaults().withTimeoutMs(300)));
        h.graph.on("GET", "/v1.0/me/messages/warm", FakeResponse.ok("{}"));
        assertThat(h.call("get-mail-message", Map.of("messageId", "warm")).isError()).as("warm-up").isFalse();
        h.graph.on("GET", PATH, (req, base) -> {
            sleep(10_000);
            return FakeResponse.ok("{}");
        });
        CallToolResult[] r = new CallToolResult[1];
        long took = millis(() -> r[0] = h.call("get-mail-message", ARGS));
        assertThat(r[0].isError()).isTrue();
        assertThat(text(r[0])).contains("did not answer within 300 ms", "MS365_MCP_GRAPH_TIMEOUT_MS");
        assertThat(took).isLessThan(7_000);
    }

    @Test
    void anAnswerTricklingInPastTheTimeoutIsCut() {
        h.configure(s -> s.maxRetries(0).graph(GraphClientSettings.defaults().withTimeoutMs(300)));
        h.graph.onSlowBody("GET", "/v1.0/me/messages", "application/json", 16 * 64 * 1024, 100);
        CallToolResult[] r = new CallToolResult[1];
        long took = millis(() -> r[0] = h.call("list-mail-messages", Map.of()));
        assertThat(r[0].isError()).isTrue();
        assertThat(text(r[0])).contains("300 ms", "MS365_MCP_GRAPH_TIMEOUT_MS");
        assertThat(took).as("each read came within the timeout; the whole call did not").isLessThan(1_500);
    }

    /** A download to {@code dir/f1.mp4} with a 300 ms timeout from a Graph pausing after each 64 KiB. */
    private record Download(CallToolResult result, long millis) {
    }

    private Download slowDownload(Path dir, long pauseMillis) {
        h.configure(s -> s.localFiles(true).maxRetries(0).graph(GraphClientSettings.defaults().withTimeoutMs(300)));
        h.downloadFolder(dir);
        h.graph.onSlowBody("GET", "/v1.0/me/drive/items/f1/content", "video/mp4", 8 * 64 * 1024, pauseMillis);
        CallToolResult[] r = new CallToolResult[1];
        long took = millis(() -> r[0] = h.call("download-bytes-to-file",
                Map.of("target", "/me/drive/items/f1/content", "outputPath", "f1.mp4")));
        return new Download(r[0], took);
    }

    @Test
    void aDownloadToAFileMayOutlastTheTimeoutWhileGraphKeepsSending(@TempDir Path dir) throws Exception {
        Download d = slowDownload(dir, 100);
        assertThat(d.result().isError()).as(text(d.result())).isFalse();
        assertThat(d.millis()).isGreaterThan(600);
        assertThat(Files.size(dir.resolve("f1.mp4"))).isEqualTo(h.graph.largeBodyBytesSent()).isGreaterThan(500_000);
    }

    @Test
    void aDownloadThatStallsEndsAfterTheTimeoutAndLeavesNoFile(@TempDir Path dir) {
        Download d = slowDownload(dir, 20_000);
        assertThat(d.result().isError()).isTrue();
        assertThat(d.millis()).isLessThan(5_000);
        assertThat(dir.resolve("f1.mp4")).doesNotExist();
    }

    @Test
    void aCallersCircuitOpensAfterTheThresholdWithoutTouchingAnotherCaller() {
        h.configure(s -> s.maxRetries(0).graph(GraphClientSettings.defaults().withCircuit(2, 600, false)));
        h.graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
        h.graph.enqueue("GET", PATH, FakeResponse.error(503, "ServiceUnavailable", "down"),
                FakeResponse.error(503, "ServiceUnavailable", "down"));
        CallContext alice = new CallContext("alice", Progress.NONE);
        CallContext bob = new CallContext("bob", Progress.NONE);
        assertThat(h.tools().call("get-mail-message", ARGS, alice).isError()).isTrue();
        assertThat(h.tools().call("get-mail-message", ARGS, alice).isError()).isTrue();
        h.graph.clearRequests();

        CallToolResult refused = h.tools().call("get-mail-message", ARGS, alice);
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).contains("failed 2 times in a row", "next attempt is allowed in 1 s", "Nothing was sent");
        assertThat(h.graph.requests()).isEmpty();

        CallToolResult other = h.tools().call("get-mail-message", ARGS, bob);
        assertThat(other.isError()).as(text(other)).isFalse();
        assertThat(h.tools().call("get-mail-message", ARGS).isError()).as("the local user").isFalse();

        sleep(700);
        assertThat(h.tools().call("get-mail-message", ARGS, alice).isError()).as("probe after the cooldown").isFalse();
        assertThat(h.tools().call("get-mail-message", ARGS, alice).isError()).as("closed again").isFalse();
    }

    @Test
    void aFailedProbeKeepsTheCircuitOpen() {
        h.configure(s -> s.maxRetries(0).graph(GraphClientSettings.defaults().withCircuit(1, 300, false)));
        h.graph.on("GET", PATH, FakeResponse.error(503, "ServiceUnavailable", "down"));
        assertThat(text(h.call("get-mail-message", ARGS))).contains("503");
        assertThat(text(h.call("get-mail-message", ARGS))).contains("circuit breaker");
        sleep(350);
        assertThat(text(h.call("get-mail-message", ARGS))).contains("503");
        assertThat(text(h.call("get-mail-message", ARGS))).contains("circuit breaker");
    }

    @Test
    void theCircuitCanBeDisabled() {
        h.configure(s -> s.maxRetries(0).graph(GraphClientSettings.defaults().withCircuit(1, 60_000, true)));
        h.graph.on("GET", PATH, FakeResponse.error(503, "ServiceUnavailable", "down"));
        for (int i = 0; i < 3; i++) {
            assertThat(text(h.call("get-mail-message", ARGS))).contains("503");
        }
        assertThat(h.graph.requests()).hasSize(3);
    }

    @Test
    void settingsComeFromTheReferencesVariables() {
        GraphClientSettings s = GraphClientSettings.fromEnv(Map.of("MS365_MCP_GRAPH_TIMEOUT_MS", "1234",
                "MS365_MCP_GRAPH_BASE_BACKOFF_MS", "10", "MS365_MCP_GRAPH_MAX_BACKOFF_MS", "20",
                "MS365_MCP_GRAPH_MAX_RETRY_AFTER_MS", "0", "MS365_MCP_GRAPH_CIRCUIT_THRESHOLD", "7",
                "MS365_MCP_GRAPH_CIRCUIT_COOLDOWN_MS", "99", "MS365_MCP_GRAPH_CIRCUIT_DISABLED", "1",
                "MS365_MCP_MAX_GRAPH_BODY_BYTES", "65536"));
        assertThat(s).isEqualTo(new GraphClientSettings(1234, 10, 20, 0, 7, 99, true, 65536));
        assertThat(GraphClientSettings.fromEnv(Map.of())).isEqualTo(GraphClientSettings.defaults());
        for (String bad : List.of("MS365_MCP_GRAPH_TIMEOUT_MS=0", "MS365_MCP_GRAPH_CIRCUIT_THRESHOLD=x",
                "MS365_MCP_MAX_GRAPH_BODY_BYTES=10", "MS365_MCP_GRAPH_CIRCUIT_DISABLED=maybe")) {
            String[] kv = bad.split("=");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GraphClientSettings.fromEnv(Map.of(kv[0], kv[1])))
                    .hasMessageStartingWith(kv[0]);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(Duration.ofMillis(ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
