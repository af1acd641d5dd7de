package dev.ms365mcp.http.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.security.LegacyPassthrough;
import dev.ms365mcp.http.security.McpAuthentication;
import dev.ms365mcp.http.security.McpAuthentication.BearerChallenge;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Two users on one server never see each other's mailbox, session or identity. */
class IsolationTest {

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** FakeGraph answers /me with the name the Graph token belongs to. */
    private void meByToken() {
        server.graph.on("GET", "/v1.0/me", (req, base) -> FakeResponse.ok("{\"displayName\":\""
                + req.header("Authorization").substring("Bearer graph-token-".length()) + "\"}"));
    }

    @Test
    void concurrentCallsOfTwoUsersEachReachGraphWithTheirOwnToken() throws Exception {
        for (boolean stateless : List.of(false, true)) {
            server = TestServer.builder().stateless(stateless).start();
            meByToken();
            McpHttpClient alice = server.client("token-alice").initialize();
            McpHttpClient bob = server.client("token-bob").initialize();
            List<Callable<String[]>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                McpHttpClient who = i % 2 == 0 ? alice : bob;
                String expected = i % 2 == 0 ? "alice" : "bob";
                calls.add(() -> new String[] {expected, McpHttpClient.text(who.callTool("get-current-user", "{}"))});
            }
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                for (Future<String[]> f : pool.invokeAll(calls)) {
                    String[] r = f.get();
                    assertThat(r[1]).contains("\"" + r[0] + "\"");
                }
            }
            server.close();
            server = null;
        }
    }

    @Test
    void anotherUsersSessionIdLeadsNowhere() throws Exception {
        server = TestServer.start();
        McpHttpClient alice = server.client("token-alice").initialize();
        McpHttpClient bob = server.client("token-bob");
        HttpResponse<String> hijack = McpHttpClient.HTTP.send(bob.request().header("Mcp-Session-Id", alice.session())
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\",\"params\":{}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hijack.statusCode()).isEqualTo(404);
        HttpResponse<String> stream = McpHttpClient.HTTP.send(bob.request().header("Mcp-Session-Id", alice.session())
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(stream.statusCode()).isEqualTo(404);
        HttpResponse<String> delete = McpHttpClient.HTTP.send(bob.request().header("Mcp-Session-Id", alice.session())
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(delete.statusCode()).isEqualTo(404);
        // Alice's session is untouched.
        assertThat(alice.rpc("tools/list", "{}").path("result").path("tools").size()).isPositive();
    }

    @Test
    void theAccountArgumentIsRefusedWhereIdentityIsTheBearer() throws Exception {
        server = TestServer.start();
        meByToken();
        McpHttpClient alice = server.client("token-alice").initialize();
        JsonNode r = alice.callTool("get-current-user", "{\"account\":\"bob@example.com\"}");
        assertThat(r.path("result").path("isError").asBoolean()).isTrue();
        assertThat(McpHttpClient.text(r)).contains("account argument is not accepted");
        assertThat(server.graph.requests()).isEmpty();
    }

    @Test
    void aSingleUserServerStillHonoursTheAccountArgument() throws Exception {
        List<String> accounts = new java.util.concurrent.CopyOnWriteArrayList<>();
        server = TestServer.builder().auth(new McpAuthentication(null, null, null, null, false)).tokens(req -> {
            accounts.add(String.valueOf(req.account()));
            return new AccessToken("graph-token-owner", null);
        }).start();
        meByToken();
        McpHttpClient owner = server.client(null).initialize();
        assertThat(McpHttpClient.text(owner.callTool("get-current-user", "{\"account\":\"work@example.com\"}"))).contains("owner");
        assertThat(accounts).containsExactly("work@example.com");
    }

    @Test
    void requestBoundCredentialsTravelWithTheirOwnRequest() throws Exception {
        // As on-behalf-of and passthrough do: each request's Graph token comes from that request's bearer.
        server = TestServer.builder().auth(new McpAuthentication(LegacyPassthrough.verifier(), LegacyPassthrough::tokensFor,
                new BearerChallenge(null, null), null, true)).tokens(req -> {
                    throw new AssertionError("the tool set's own provider must not be asked");
                }).start();
        meByToken();
        McpHttpClient first = server.client("graph-token-first").initialize();
        McpHttpClient second = server.client("graph-token-second").initialize();
        assertThat(McpHttpClient.text(first.callTool("get-current-user", "{}"))).contains("\"first\"");
        assertThat(McpHttpClient.text(second.callTool("get-current-user", "{}"))).contains("\"second\"");
        assertThat(McpHttpClient.text(first.callTool("get-current-user", "{}"))).contains("\"first\"");
    }
}
