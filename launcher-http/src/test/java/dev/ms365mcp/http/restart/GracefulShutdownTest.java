package dev.ms365mcp.http.restart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A stop lets the calls in flight answer before Jetty goes away. */
class GracefulShutdownTest {

    @Test
    void aCallInFlightFinishesWhileTheServerStops() throws Exception {
        TestServer server = TestServer.start();
        CountDownLatch reached = new CountDownLatch(1);
        server.graph.on("GET", "/v1.0/me", (req, base) -> {
            reached.countDown();
            try {
                Thread.sleep(800);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeResponse.ok("{\"displayName\":\"Slow\"}");
        });
        McpHttpClient c = server.client("token-alice").initialize();
        CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> {
            try {
                return c.callTool("get-current-user", "{}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(reached.await(10, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        server.close();
        assertThat(McpHttpClient.text(call.get(10, TimeUnit.SECONDS))).contains("Slow");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(500);
    }
}
