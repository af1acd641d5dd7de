package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.graph.GraphClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Read-only mode hides write tools and refuses them at call time before anything is sent. */
class ReadOnlyTest {

    private ToolHarness h;

    @BeforeEach
    void start() {
        h = new ToolHarness(s -> s.readOnly(true));
        h.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[]}"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void onlyToolsThatChangeNothingAreListed() {
        assertThat(h.tools().tools()).isNotEmpty().allMatch(ToolDef::readOnly);
        assertThat(h.tools().tools()).extracting(ToolDef::name)
                .contains("list-mail-messages", "get-mail-tips")
                .doesNotContain("send-mail", "delete-mail-message", "update-mail-message");
    }

    @Test
    void callingAHiddenWriteToolSendsNothing() {
        CallToolResult r = h.call("send-mail", Map.of("body", Map.of("message", Map.of())));
        assertThat(r.isError()).isTrue();
        assertThat(h.graph.requests()).isEmpty();
    }

    @Test
    void theExecutorItselfRefusesWritesInReadOnlyMode() {
        ToolExecutor executor = new ToolExecutor(ToolSettings.defaults().toBuilder().readOnly(true).build(),
                new StaticTokenProvider("t"), new GraphClient(URI.create(h.graph.url()), 0), Map.of());
        ToolDef delete = Catalog.builtIn().find("delete-mail-message").orElseThrow();
        CallToolResult r = executor.call(delete, Map.of("messageId", "m1"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("read-only", "Nothing was sent");
        assertThat(h.graph.requests()).isEmpty();
    }

    @Test
    void readOnlyPostsStillWork() {
        CallToolResult r = h.call("get-mail-tips", Map.of("body", Map.of("EmailAddresses", java.util.List.of("a@b.example"),
                "MailTipsOptions", "automaticReplies")));
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(h.graph.lastRequest().method()).isEqualTo("POST");
    }
}
