package dev.ms365mcp.tools.graph;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * notifications/cancelled reaches a running call through {@link Ms365Tools#cancel}: the Graph exchange in
 * flight is aborted, a Retry-After wait ends, and the call answers at once without asking Graph again.
 */
class CancellationTest {

    private static final String PATH = "/v1.0/me/messages/m1";

    @RegisterExtension
    final ToolHarness h = new ToolHarness();

    /** Calls the tool the way the SDK does, tagged with {@code requestKey} as a transport would. */
    private CompletableFuture<CallToolResult> start(String requestKey) {
        SyncToolSpecification spec = h.tools().syncToolSpecifications().stream()
                .filter(s -> s.tool().name().equals("get-mail-message")).findFirst().orElseThrow();
        McpSchema.CallToolRequest request = McpSchema.CallToolRequest.builder().name("get-mail-message")
                .arguments(Map.of("messageId", "m1")).meta(Map.of(Ms365Tools.REQUEST_KEY_META, requestKey)).build();
        return CompletableFuture.supplyAsync(() -> spec.callHandler().apply(null, request));
    }

    private void awaitRequests(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (h.graph.requests().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(h.graph.requests()).hasSize(n);
    }

    @Test
    void cancellingAbortsTheExchangeInFlight() throws Exception {
        h.graph.on("GET", PATH, (req, base) -> {
            GraphResilienceTest.sleep(30_000);
            return FakeResponse.ok("{}");
        });
        CompletableFuture<CallToolResult> call = start("7");
        awaitRequests(1);
        Thread.sleep(100);
        assertThat(call).isNotDone();
        long start = System.nanoTime();
        assertThat(h.tools().cancel(null, "7")).isTrue();
        CallToolResult r = call.get(10, TimeUnit.SECONDS);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("cancelled");
        assertThat(h.tools().cancel(null, "7")).as("no longer running").isFalse();
    }

    @Test
    void cancellingEndsAWaitForRetryAfter() throws Exception {
        h.graph.on("GET", PATH, FakeResponse.ok("{\"id\":\"m1\"}"));
        h.graph.enqueue("GET", PATH, FakeResponse.tooManyRequests(25));
        CompletableFuture<CallToolResult> call = start("8");
        awaitRequests(1);
        Thread.sleep(200);
        assertThat(call).isNotDone();
        assertThat(h.tools().cancel(null, "8")).isTrue();
        CallToolResult r = call.get(5, TimeUnit.SECONDS);
        assertThat(text(r)).contains("cancelled");
        Thread.sleep(200);
        assertThat(h.graph.requests()).as("Graph was not asked again").hasSize(1);
    }

    @Test
    void aKeyOfAnotherCallerOrAnotherRequestCancelsNothing() throws Exception {
        h.graph.on("GET", PATH, (req, base) -> {
            GraphResilienceTest.sleep(500);
            return FakeResponse.ok("{\"id\":\"m1\"}");
        });
        CompletableFuture<CallToolResult> call = start("9");
        awaitRequests(1);
        assertThat(h.tools().cancel("someone-else", "9")).isFalse();
        assertThat(h.tools().cancel(null, "10")).isFalse();
        CallToolResult r = call.get(20, TimeUnit.SECONDS);
        assertThat(r.isError()).as(text(r)).isFalse();
    }

    @Test
    void aWaitIsCutShortByCancelAndByInterrupt() throws Exception {
        Cancellation c = new Cancellation();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> c.pause(30_000));
        Thread.sleep(100);
        c.cancel();
        assertThat(waited.get(5, TimeUnit.SECONDS)).isFalse();

        Cancellation d = new Cancellation();
        boolean[] result = new boolean[1];
        Thread t = Thread.ofPlatform().start(() -> result[0] = d.pause(30_000));
        Thread.sleep(100);
        t.interrupt();
        t.join(5_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(result[0]).isFalse();
        assertThat(new Cancellation().pause(1)).isTrue();
    }
}
