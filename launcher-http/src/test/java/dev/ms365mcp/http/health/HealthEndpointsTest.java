package dev.ms365mcp.http.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.state.InMemoryStateStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return McpHttpClient.HTTP.send(HttpRequest.newBuilder(server.url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void rootAnswersLikeTheReferenceAndTheProbesAnswer() throws Exception {
        server = TestServer.start();
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(root.body()).contains("\"message\":\"Microsoft 365 MCP Server is running\"");
        assertThat(get("/healthz").body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        // Probes ignore the Host check that guards /mcp (Kubernetes sends the pod address).
        assertThat(root.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void readinessFollowsTheStateStore() throws Exception {
        server = TestServer.builder().store(new InMemoryStateStore() {
            @Override
            public boolean healthy() {
                throw new IllegalStateException("redis down");
            }
        }).start();
        HttpResponse<String> r = get("/readyz");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).doesNotContain("redis down");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void everythingElseIsASmall404() throws Exception {
        server = TestServer.start();
        for (String path : new String[] {"/nope", "/mcp/extra", "/.env", "/healthz/x"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo("{\"error\":\"not_found\"}");
        }
        HttpResponse<String> post = McpHttpClient.HTTP.send(HttpRequest.newBuilder(server.url("/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(404);
    }
}
