package dev.ms365mcp.http.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The stateful transport streams progress notifications (SSE) before the call's result. */
class ProgressTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void progressNotificationsReachTheClientOnTheCallsStream() throws Exception {
        server = TestServer.start();
        server.graph.pages("/v1.0/me/messages", List.of(List.of("{\"id\":\"m0\"}"), List.of("{\"id\":\"m1\"}"),
                List.of("{\"id\":\"m2\"}")));
        McpHttpClient c = server.client("token-alice").initialize();
        HttpResponse<String> r = c.post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/call\",\"params\":{\"name\":"
                + "\"list-mail-messages\",\"arguments\":{\"fetchAllPages\":true},\"_meta\":{\"progressToken\":\"p1\"}}}");
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<JsonNode> messages = McpHttpClient.messages(r);
        List<JsonNode> progress = messages.stream().filter(m -> "notifications/progress".equals(m.path("method").asString()))
                .toList();
        assertThat(progress).hasSize(3);
        assertThat(progress.get(0).path("params").path("progressToken").asString()).isEqualTo("p1");
        assertThat(progress.get(2).path("params").path("message").asString()).contains("page 3");
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.path("id").asInt()).isEqualTo(8);
        assertThat(McpHttpClient.text(last)).contains("m2");
    }
}
