package dev.ms365mcp.http.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What the SDK transport leaves open on /mcp, each tried and refused. */
class McpHardeningTest {

    /** Anything that smells of Java: qualified names, exception class names, stack frames. */
    static final Pattern JAVA = Pattern.compile("[a-z]+\\.[a-z]+\\.[A-Za-z]|Exception|\\tat |stackTrace|\\.java");

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String body) throws Exception {
        return McpHttpClient.HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnsupportedProtocolVersionIs400AndAnAbsentOneIsAccepted() throws Exception {
        server = TestServer.start();
        McpHttpClient c = server.client("token-alice").initialize();
        String list = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":{}}";
        HttpResponse<String> r = send(c.request().setHeader("MCP-Protocol-Version", "1999-01-01"), list);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("2025-06-18");
        HttpRequest.Builder noVersion = HttpRequest.newBuilder(server.mcp()).header("Authorization", "Bearer token-alice")
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Mcp-Session-Id", c.session());
        assertThat(send(noVersion, list).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheCapIs413() throws Exception {
        server = TestServer.builder().env("MS365_MCP_MAX_REQUEST_BYTES", "2048").start();
        McpHttpClient c = server.client("token-alice").initialize();
        String big = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\",\"params\":{\"x\":\"" + "a".repeat(4096) + "\"}}";
        HttpResponse<String> r = c.post(big);
        assertThat(r.statusCode()).isEqualTo(413);
        // Chunked (no Content-Length): the transport's own cap stops it.
        HttpResponse<String> chunked = McpHttpClient.HTTP.send(c.request().POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big.getBytes()))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).doesNotContain("<html");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{not json",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":\"x\"}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":5,\"arguments\":[1]}}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"get-current-user\",\"arguments\":\"x\"}}",
        "[1,2,3]",
        "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":7}",
        "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"nope/nope\",\"params\":{}}"
    })
    void errorAnswersNameNoJavaInternals(String body) throws Exception {
        for (boolean stateless : List.of(false, true)) {
            server = TestServer.builder().stateless(stateless).start();
            McpHttpClient c = server.client("token-alice").initialize();
            HttpResponse<String> r = c.post(body);
            assertThat(r.body()).as("stateless=%s HTTP %s", stateless, r.statusCode()).doesNotContainPattern(JAVA);
            if (r.statusCode() >= 400) {
                assertThat(r.body()).startsWith("{\"jsonrpc\":\"2.0\"");
            }
            // And the server serves on.
            assertThat(c.rpc("tools/list", "{}").path("result").path("tools").size()).isPositive();
            server.close();
            server = null;
        }
    }

    @Test
    void malformedMessagesGetTheirJsonRpcErrorWithTheRequestsIdInBothTransports() throws Exception {
        for (boolean stateless : List.of(false, true)) {
            server = TestServer.builder().stateless(stateless).start();
            McpHttpClient c = server.client("token-alice").initialize();
            HttpResponse<String> params = c.post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":\"x\"}");
            assertThat(params.statusCode()).isEqualTo(400);
            JsonNode error = McpHttpClient.messages(params).get(0);
            assertThat(error.path("id").asInt()).isEqualTo(9);
            assertThat(error.path("error").path("code").asInt()).isEqualTo(-32602);
            HttpResponse<String> args = c.post("{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"get-current-user\",\"arguments\":\"x\"}}");
            assertThat(McpHttpClient.messages(args).get(0).path("id").asString()).isEqualTo("a");
            assertThat(McpHttpClient.messages(args).get(0).path("error").path("code").asInt()).isEqualTo(-32602);
            HttpResponse<String> parse = c.post("{not json");
            assertThat(parse.statusCode()).isEqualTo(400);
            assertThat(McpHttpClient.messages(parse).get(0).path("error").path("code").asInt()).isEqualTo(-32700);
            HttpResponse<String> batch = c.post("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]");
            assertThat(McpHttpClient.messages(batch).get(0).path("error").path("code").asInt()).isEqualTo(-32600);
            server.close();
            server = null;
        }
    }

    @Test
    void aToolCallThatThrowsAnErrorBecomesAnErrorResultAndTheServerServesOn() throws Exception {
        for (boolean stateless : List.of(false, true)) {
            server = TestServer.builder().stateless(stateless).tokens(request -> {
                if ("crash".equals(request.principal())) {
                    throw new StackOverflowError("deep inside dev.ms365mcp.Secret");
                }
                return new AccessToken("graph-token", null);
            }).start();
            server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\"}"));
            JsonNode crashed = server.client("token-crash").initialize().callTool("get-current-user", "{}");
            assertThat(crashed.path("result").path("isError").asBoolean()).isTrue();
            assertThat(crashed.toString()).doesNotContainPattern(JAVA).doesNotContain("Secret");
            JsonNode fine = server.client("token-alice").initialize().callTool("get-current-user", "{}");
            assertThat(McpHttpClient.text(fine)).contains("Alice");
            server.close();
            server = null;
        }
    }

    @Test
    void anythingThrownWhileHandlingARequestIsA500WithoutDetailsAndTheServerServesOn() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean(true);
        server = TestServer.builder().auth(new dev.ms365mcp.http.security.McpAuthentication(token -> {
            if (fail.get()) {
                throw new AssertionError("secret detail from dev.ms365mcp.Internal");
            }
            return TestServer.NAMED_TOKENS.verify(token);
        }, null, new dev.ms365mcp.http.security.McpAuthentication.BearerChallenge(null, null), null, true)).start();
        HttpResponse<String> r = server.client("token-alice").post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).startsWith("{\"jsonrpc\":\"2.0\"").doesNotContain("secret").doesNotContainPattern(JAVA);
        fail.set(false);
        assertThat(server.client("token-alice").initialize().rpc("tools/list", "{}").path("result").path("tools").size())
                .isPositive();
    }

    @Test
    void sdkErrorObjectsBecomePlainJsonRpcErrors() throws Exception {
        Object safe = SafeErrorJsonMapper.safe(io.modelcontextprotocol.spec.McpError.builder(-32603)
                .message("Error processing message: java.lang.IllegalStateException: at x.Y(Z.java:1)").build());
        String json = tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(safe);
        assertThat(json).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
                + "\"message\":\"Internal error while handling the request.\"}}");
        assertThat(SafeErrorJsonMapper.clean(-32001, "Session not found: abc")).isEqualTo("Session not found: abc");
    }

    @Test
    void unknownPathsUnderMcpAndUnsupportedMethodsAnswerSmallJson() throws Exception {
        server = TestServer.start();
        HttpResponse<String> put = McpHttpClient.HTTP.send(server.client("token-alice").request()
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.body()).startsWith("{").doesNotContain("<html").doesNotContainPattern(JAVA);
    }
}
