package dev.ms365mcp.http.dnsrebinding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A page on another site must not reach /mcp, even when its host name resolves to this server. */
class DnsRebindingTest {

    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/list\",\"params\":{}}";

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(McpHttpClient c, String header, String value, String body) throws Exception {
        return McpHttpClient.HTTP.send(c.request().header(header, value).POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aForeignOriginIsRefusedBeforeAnythingRuns() throws Exception {
        server = TestServer.start();
        server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{}"));
        McpHttpClient alice = server.client("token-alice").initialize();
        HttpResponse<String> r = send(alice, "Origin", "http://evil.example",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"get-current-user\",\"arguments\":{}}}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(server.graph.requests()).isEmpty();
    }

    @Test
    void thePublicOriginAndNoOriginPass() throws Exception {
        server = TestServer.start();
        McpHttpClient alice = server.client("token-alice").initialize();
        assertThat(send(alice, "Origin", "http://localhost:3000", LIST).statusCode()).isEqualTo(200);
        assertThat(alice.post(LIST).statusCode()).isEqualTo(200);
    }

    @Test
    void originsFromTheCorsListPassAndGetCorsHeaders() throws Exception {
        server = TestServer.builder().env("MS365_MCP_CORS_ORIGIN", "https://inspector.example, http://localhost:6274").start();
        McpHttpClient alice = server.client("token-alice").initialize();
        HttpResponse<String> r = send(alice, "Origin", "https://inspector.example", LIST);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://inspector.example");
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
                .contains("WWW-Authenticate").contains("Mcp-Session-Id").contains("Retry-After");
        assertThat(send(alice, "Origin", "https://inspector.example.evil.example", LIST).statusCode()).isEqualTo(403);
    }

    @Test
    void aForeignHostIsRefused() throws Exception {
        server = TestServer.start();
        // The JDK client refuses to set Host; a raw socket sends what a rebinding browser would.
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.server.port())) {
            String req = "POST /mcp HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer token-alice\r\n"
                    + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                    + "Content-Length: " + LIST.length() + "\r\nConnection: close\r\n\r\n" + LIST;
            s.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 421");
        }
    }

    @Test
    void aPreflightFromAForeignOriginGetsNoCorsGrant() throws Exception {
        server = TestServer.start();
        HttpResponse<String> r = McpHttpClient.HTTP.send(HttpRequest.newBuilder(server.mcp())
                .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
