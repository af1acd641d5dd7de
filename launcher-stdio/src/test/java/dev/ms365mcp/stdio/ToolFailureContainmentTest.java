package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Whatever one tool call throws, even what Reactor treats as fatal, it ends as that call's error result. */
class ToolFailureContainmentTest {

    private static McpSchema.CallToolResult call(Supplier<RuntimeException> thrower, Error error) {
        SyncToolSpecification spec = SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder("probe", Map.of("type", "object")).build())
                .callHandler((exchange, request) -> {
                    if (error != null) {
                        throw error;
                    }
                    throw thrower.get();
                }).build();
        return StdioMain.answeringEveryFailure(spec).callHandler()
                .apply(null, McpSchema.CallToolRequest.builder().name("probe").arguments(Map.of()).build());
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void aStackOverflowBecomesAnErrorResult() {
        McpSchema.CallToolResult r = call(null, new StackOverflowError());
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("probe did not complete", "nested too deeply", "keeps serving")
                .doesNotContain("StackOverflowError");
    }

    @Test
    void runningOutOfMemoryBecomesAnErrorResultThatSaysWhatToDo() {
        McpSchema.CallToolResult r = call(null, new OutOfMemoryError("Java heap space"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("did not fit in the server's memory", "-Xmx").doesNotContain("heap space");
    }

    @Test
    void anyOtherFailureKeepsItsTextOutOfTheResult() {
        McpSchema.CallToolResult r = call(() -> new IllegalStateException("secret body text"), null);
        assertThat(text(r)).contains("internal error").doesNotContain("secret body text", "IllegalStateException");
    }

    @Test
    void protocolErrorsStayProtocolErrors() {
        assertThatThrownBy(() -> call(() -> McpError.builder(-32602).message("bad").build(), null))
                .isInstanceOf(McpError.class);
    }
}
