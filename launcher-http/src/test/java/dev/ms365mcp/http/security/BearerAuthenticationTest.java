package dev.ms365mcp.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.security.McpAuthentication.BearerChallenge;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BearerAuthenticationTest {

    private static final String INIT = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
             "clientInfo":{"name":"t","version":"1"}}}""";

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void noTokenGets401WithTheProtectedResourceMetadataAndScope() throws Exception {
        server = TestServer.start();
        HttpResponse<String> r = server.client(null).post(INIT);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue(
                "Bearer resource_metadata=\"http://localhost:3000/.well-known/oauth-protected-resource/mcp\", scope=\"mcp\"");
        assertThat(r.body()).contains("\"jsonrpc\":\"2.0\"").doesNotContain("Exception");
    }

    @Test
    void aRefusedTokenIsNamedInvalidToken() throws Exception {
        server = TestServer.start();
        HttpResponse<String> r = server.client("forged").post(INIT);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).endsWith(", error=\"invalid_token\"");
        assertThat(r.body()).doesNotContain("forged");
    }

    @Test
    void aTokenInTheQueryStringIsNeverAccepted() throws Exception {
        server = TestServer.start();
        URI withQuery = URI.create(server.mcp() + "?access_token=token-alice");
        HttpResponse<String> r = McpHttpClient.HTTP.send(HttpRequest.newBuilder(withQuery)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(INIT)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        // A form-encoded body token (RFC 6750 §2.2) is not read either.
        HttpResponse<String> form = McpHttpClient.HTTP.send(HttpRequest.newBuilder(server.mcp())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=token-alice")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).isEqualTo(401);
    }

    @Test
    void aValidTokenReachesTheToolsAsThatCaller() throws Exception {
        server = TestServer.start();
        server.graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Alice\"}"));
        McpHttpClient alice = server.client("token-alice").initialize();
        assertThat(McpHttpClient.text(alice.callTool("get-current-user", "{}"))).contains("Alice");
        assertThat(server.graph.lastRequest().header("Authorization")).isEqualTo("Bearer graph-token-alice");
    }

    @Test
    void aVerifierThatThrowsStillRefusesTheToken() throws Exception {
        server = TestServer.builder().auth(new McpAuthentication(token -> {
            throw new IllegalStateException("boom");
        }, null, new BearerChallenge(null, null), null, true)).start();
        HttpResponse<String> r = server.client("token-alice").post(INIT);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ms365-mcp\", error=\"invalid_token\"");
    }

    @Test
    void theApiKeyOfASingleUserServerIsRequiredAndComparedExactly() throws Exception {
        String key = "k".repeat(40);
        server = TestServer.builder().auth(new McpAuthentication(new ApiKeyVerifier(key), null,
                new BearerChallenge(null, null), null, false)).start();
        assertThat(server.client(null).post(INIT).statusCode()).isEqualTo(401);
        assertThat(server.client(key + "x").post(INIT).statusCode()).isEqualTo(401);
        assertThat(server.client(key.substring(1)).post(INIT).statusCode()).isEqualTo(401);
        assertThat(server.client(key).post(INIT).statusCode()).isEqualTo(200);
    }

    @Test
    void aTrustedProxyMustNameTheUserWhenConfiguredTo() throws Exception {
        server = TestServer.builder().auth(new McpAuthentication(null, null, null, "X-Forwarded-User", true)).start();
        assertThat(server.client(null).post(INIT).statusCode()).isEqualTo(401);
        HttpResponse<String> named = McpHttpClient.HTTP.send(server.client(null).request()
                .header("X-Forwarded-User", "carol").POST(HttpRequest.BodyPublishers.ofString(INIT)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(named.statusCode()).isEqualTo(200);
    }

    @Test
    void bearerSchemeIsCaseInsensitiveAndNothingElseIsABearer() {
        assertThat(BearerAuthentication.bearer("bearer abc")).isEqualTo("abc");
        assertThat(BearerAuthentication.bearer("Basic abc")).isNull();
        assertThat(BearerAuthentication.bearer("Bearer ")).isNull();
        assertThat(BearerAuthentication.bearer(null)).isNull();
    }
}
