package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.LoginRequiredTokenProvider;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.tools.Ms365Tools;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a token the tools are still listed, and a call explains how to sign in. */
class SignInTest {

    @Test
    void aCallWithoutTokenSaysHowToSignInAndSendsNothing() {
        try (FakeGraph graph = FakeGraph.start()) {
            Ms365Tools tools = Ms365Tools.builder().tokenProvider(new LoginRequiredTokenProvider("Run --login first."))
                    .graphRoot(URI.create(graph.url())).build();
            assertThat(tools.tools()).isNotEmpty();
            CallToolResult r = tools.call("list-mail-messages", Map.of());
            assertThat(r.isError()).isTrue();
            assertThat(text(r)).isEqualTo("Run --login first.");
            assertThat(graph.requests()).isEmpty();
        }
    }
}
