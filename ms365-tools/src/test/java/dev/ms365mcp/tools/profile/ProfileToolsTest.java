package dev.ms365mcp.tools.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The profile area: who is signed in (v1.0) and the extended profile (beta). */
class ProfileToolsTest {

    static final List<String> TOOLS = List.of("get-current-user", "get-my-profile");

    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceProfileToolIsInTheProfileArea() {
        assertThat(ParityRow.all().keySet()).containsAll(TOOLS);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("profile")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void currentUserTakesSelectAndTheConsistencyHeader() {
        harness.graph.on("GET", "/v1.0/me", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"displayName\":\"Ana Lima\",\"mail\":\"ana@example.com\"}"));
        CallToolResult result = harness.call("get-current-user",
                Map.of("select", "displayName,mail", "ConsistencyLevel", "eventual"));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().query()).containsEntry("$select", "displayName,mail");
        assertThat(harness.graph.lastRequest().header("ConsistencyLevel")).isEqualTo("eventual");
        assertThat(ToolHarness.text(result)).isEqualTo("{\"displayName\":\"Ana Lima\",\"mail\":\"ana@example.com\"}");
    }

    @Test
    void extendedProfileIsReadFromBeta() {
        harness.graph.on("GET", "/beta/me/profile", FakeResponse.ok("{\"skills\":[{\"displayName\":\"Java\"}]}"));
        CallToolResult result = harness.call("get-my-profile", Map.of("expand", "skills"));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/beta/me/profile");
        assertThat(harness.graph.lastRequest().query()).containsEntry("$expand", "skills");
        assertThat(ToolHarness.text(result)).isEqualTo("{\"skills\":[{\"displayName\":\"Java\"}]}");
    }
}
