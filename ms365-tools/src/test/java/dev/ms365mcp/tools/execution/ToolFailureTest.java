package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.local.LocalTool;
import dev.ms365mcp.tools.local.ParseTeamsUrl;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever is thrown while one call runs (a stack overflow, an exhausted heap, a bug) becomes an error
 * result for that call, naming no Java class, and the next call is served as usual.
 */
class ToolFailureTest {

    private final FakeGraph graph = FakeGraph.start();

    @AfterEach
    void stop() {
        graph.close();
    }

    /** Tools whose parse-teams-url row runs {@code failure}; every other tool as usual. */
    private Ms365Tools toolsFailingWith(Supplier<CallToolResult> failure) {
        graph.on("GET", "/v1.0/me", FakeResponse.ok("{\"displayName\":\"Ada\"}"));
        return Ms365Tools.builder().settings(ToolSettings.defaults()).tokenProvider(new StaticTokenProvider("t"))
                .graphRoot(URI.create(graph.url()))
                .localTool(ParseTeamsUrl.NAME, (LocalTool) args -> failure.get()).build();
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    private static void assertPlainErrorThenServing(Ms365Tools tools, String expected) {
        CallToolResult r = tools.call(ParseTeamsUrl.NAME, Map.of("url", "https://teams.microsoft.com/l/x"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains(expected).doesNotContain("Error", "Exception", "java.", "at dev.");
        CallToolResult next = tools.call("get-current-user", Map.of());
        assertThat(next.isError()).as(text(next)).isFalse();
        assertThat(text(next)).contains("Ada");
    }

    @Test
    void aStackOverflowEndsOnlyThatCall() {
        assertPlainErrorThenServing(toolsFailingWith(() -> {
            recurse(0);
            return null;
        }), "nested too deeply");
    }

    @Test
    void anExhaustedHeapEndsOnlyThatCall() {
        assertPlainErrorThenServing(toolsFailingWith(() -> {
            long[] huge = new long[Integer.MAX_VALUE - 8];
            return CallToolResult.builder().addTextContent(String.valueOf(huge.length)).build();
        }), "more memory");
    }

    @Test
    void aBugEndsOnlyThatCall() {
        assertPlainErrorThenServing(toolsFailingWith(() -> {
            throw new IllegalStateException("secret internal detail");
        }), "internal error");
        CallToolResult r = toolsFailingWith(() -> {
            throw new IllegalStateException("secret internal detail");
        }).call(ParseTeamsUrl.NAME, Map.of("url", "x"));
        assertThat(text(r)).doesNotContain("secret internal detail");
    }

    @Test
    void deeplyNestedArgumentsEndOnlyThatCall() {
        graph.on("POST", "/v1.0/me/sendMail", FakeResponse.accepted());
        Map<String, Object> nested = new HashMap<>();
        Map<String, Object> inner = nested;
        for (int i = 0; i < 50_000; i++) {
            Map<String, Object> next = new HashMap<>();
            inner.put("a", next);
            inner = next;
        }
        Ms365Tools tools = toolsFailingWith(() -> null);
        CallToolResult r = tools.call("send-mail", Map.of("body", Map.of("message", nested)));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).doesNotContain("Exception", "java.", "jackson");
        assertThat(tools.call("get-current-user", Map.of()).isError()).isFalse();
    }
}
