package dev.ms365mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.execution.CallContext;
import dev.ms365mcp.tools.execution.Progress;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a multi-user server changes per call: the token source of the request, and no account argument. */
class CallerContextTest {

    private final FakeGraph graph = FakeGraph.start();

    @AfterEach
    void close() {
        graph.close();
    }

    private Ms365Tools tools(boolean accountArgument) {
        graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Me\"}"));
        return Ms365Tools.builder().tokenProvider(new StaticTokenProvider("server-token"))
                .graphRoot(URI.create(graph.url())).accountArgument(accountArgument).build();
    }

    @Test
    void aRequestsOwnTokenSourceWinsOverTheToolSets() {
        Ms365Tools tools = tools(true);
        CallToolResult r = tools.call("get-current-user", Map.of(),
                new CallContext("user-1", Progress.NONE, request -> new AccessToken("request-token-" + request.principal(), null)));
        assertThat(r.isError()).isFalse();
        assertThat(graph.lastRequest().header("Authorization")).isEqualTo("Bearer request-token-user-1");
        tools.call("get-current-user", Map.of());
        assertThat(graph.lastRequest().header("Authorization")).isEqualTo("Bearer server-token");
    }

    @Test
    void theAccountArgumentIsRefusedWhenSwitchedOffAndNothingIsSent() {
        CallToolResult r = tools(false).call("get-current-user", Map.of("account", "other@example.com"));
        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("account argument is not accepted");
        assertThat(graph.requests()).isEmpty();
        assertThat(tools(true).call("get-current-user", Map.of("account", "other@example.com")).isError()).isFalse();
    }
}
