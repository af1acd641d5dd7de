package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.ChildJvm;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.graph.GraphClientSettings;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graph bodies are read up to MS365_MCP_MAX_GRAPH_BODY_BYTES and no further: JSON over the bound is a
 * clear error, text gives its beginning with a note, and the heap a call needs does not depend on what
 * Graph sends (proved in a JVM started with the README's -Xmx128m -Xss256k).
 */
class ResponseBoundTest {

    private static final long HUGE = 64L * 1024 * 1024;

    @RegisterExtension
    final ToolHarness h = new ToolHarness(s -> s.graph(GraphClientSettings.defaults().withMaxBodyBytes(64 * 1024)));

    @Test
    void jsonOverTheBoundIsAClearErrorAndTheRestIsNotRead() {
        h.graph.onLargeBody("GET", "/v1.0/me/messages", "application/json", HUGE);
        CallToolResult r = h.call("list-mail-messages", Map.of());
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("larger than 65536 bytes", "MS365_MCP_MAX_GRAPH_BODY_BYTES", "top", "select");
        assertThat(h.graph.largeBodyBytesSent()).as("reading stopped near the bound").isLessThan(HUGE / 2);
    }

    @Test
    void textOverTheBoundGivesItsBeginningWithANote() {
        h.graph.onLargeBody("GET", "/v1.0/me/messages/m1/$value", "text/plain", HUGE);
        CallToolResult r = h.call("get-mail-message-mime", Map.of("messageId", "m1"));
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(text(r)).startsWith("Lorem ipsum").contains("MS365_MCP_MAX_GRAPH_BODY_BYTES", "its beginning");
    }

    @Test
    void aPageOverTheBoundStopsFetchAllPagesWithTheReason() {
        h.graph.on("GET", "/v1.0/me/messages", FakeResponse.ok("{\"value\":[{\"id\":\"1\"}],\"@odata.nextLink\":\""
                + h.graph.url() + "/v1.0/me/messages/page2\"}"));
        h.graph.onLargeBody("GET", "/v1.0/me/messages/page2", "application/json", HUGE);
        CallToolResult r = h.call("list-mail-messages", Map.of("fetchAllPages", true));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("MS365_MCP_MAX_GRAPH_BODY_BYTES", "page 2");
    }

    @Test
    void underTheBoundNothingChanges() {
        h.graph.onLargeBody("GET", "/v1.0/me/messages", "application/json", 60 * 1024);
        CallToolResult r = h.call("list-mail-messages", Map.of());
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(text(r)).contains("Quarterly numbers");
    }

    /**
     * 64 MB answers to a JVM with the README's desktop options and the default bound: each call answers
     * (no OutOfMemoryError), and a body just under the bound (4 MiB of 63,000 small items, parsed and
     * shaped) fits the heap too; arguments nested 20,000 deep end only their call under the small stack. Measured: with the bound raised to 64 MiB the same JVM runs out of heap
     * on both huge answers.
     */
    @Test
    void aSmallHeapJvmSurvivesHugeAnswers() throws Exception {
        int bound = GraphClientSettings.defaults().maxBodyBytes();
        h.graph.onLargeBody("GET", "/v1.0/me/messages", "application/json", HUGE);
        h.graph.onLargeBody("GET", "/v1.0/me/messages/m1/$value", "text/plain", HUGE);
        h.graph.onLargeBody("GET", "/v1.0/me/mailFolders", "application/json", bound - 64);
        ChildJvm.Result child = ChildJvm.run(Duration.ofSeconds(120), List.of("-Xmx128m", "-Xss256k", "-XX:+UseSerialGC"),
                SmallHeapProbe.class, h.graph.url());
        List<String> lines = child.lines();
        lines.forEach(System.out::println);
        assertThat(child.exitCode()).as(child.output()).isZero();
        assertThat(lines).as(String.join("\n", lines))
                .anyMatch(l -> l.startsWith("send-mail error=true") && !l.contains("Exception") && !l.contains("java."))
                .anyMatch(l -> l.startsWith("list-mail-messages error=true") && l.contains("MS365_MCP_MAX_GRAPH_BODY_BYTES"))
                .anyMatch(l -> l.startsWith("get-mail-message-mime error=false") && l.contains("its beginning"))
                .anyMatch(l -> l.startsWith("list-mail-folders error=false") && l.contains("Quarterly numbers"))
                .noneMatch(l -> l.contains("memory"));
    }
}
