package dev.ms365mcp.http.stateless;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** --stateless: no sessions, one JSON answer per request, so any replica can take any request. */
class StatelessTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersWithoutSessionsInPlainJson() throws Exception {
        server = TestServer.builder().stateless(true).start();
        server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\"}"));
        McpHttpClient c = server.client("token-alice").initialize();
        assertThat(c.session()).isNull();
        HttpResponse<String> r = c.post("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"get-current-user\",\"arguments\":{}}}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(McpHttpClient.text(McpHttpClient.messages(r).get(0))).contains("Alice");
        assertThat(server.graph.lastRequest().header("Authorization")).isEqualTo("Bearer graph-token-alice");
        // A fresh client that never initialized is served too: nothing ties requests to one process.
        McpHttpClient other = server.client("token-bob");
        assertThat(other.rpc("tools/list", "{}").path("result").path("tools").size()).isPositive();
    }

    @Test
    void getHasNoStreamToOpen() throws Exception {
        server = TestServer.builder().stateless(true).start();
        HttpResponse<String> r = McpHttpClient.HTTP.send(server.client("token-alice").request()
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void statefulByDefaultWithASessionId() throws Exception {
        server = TestServer.start();
        McpHttpClient c = server.client("token-alice").initialize();
        assertThat(c.session()).isNotBlank();
        HttpResponse<String> delete = McpHttpClient.HTTP.send(c.request().DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(200);
        assertThat(c.post("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":{}}").statusCode()).isEqualTo(404);
        assertThat(HttpRequest.newBuilder(server.mcp()).build().method()).isEqualTo("GET");
    }
}
