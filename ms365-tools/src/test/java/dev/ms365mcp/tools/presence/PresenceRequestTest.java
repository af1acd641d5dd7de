package dev.ms365mcp.tools.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** Presence: the bulk lookup is a read even though it is a POST; setting presence is a write. */
class PresenceRequestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final ToolHarness harness = new ToolHarness(s -> s.readOnly(true));

    @Test
    void presencesOfSeveralUsersCanBeReadInReadOnlyMode() {
        harness.graph.on("POST", "/v1.0/communications/getPresencesByUserId", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"u1\",\"availability\":\"Busy\",\"activity\":\"InACall\"}]}"));

        CallToolResult result = harness.call("get-presences-by-user-id", Map.of("body", Map.of("ids", List.of("u1", "u2"))));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(ToolHarness.text(result)).isEqualTo("{\"value\":[{\"id\":\"u1\",\"availability\":\"Busy\",\"activity\":\"InACall\"}]}");
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.readTree("{\"ids\":[\"u1\",\"u2\"]}"));
    }

    @Test
    void settingPresenceIsRefusedInReadOnlyModeBeforeAnythingIsSent() {
        for (String tool : List.of("set-my-presence", "clear-my-presence", "set-my-user-preferred-presence",
                "clear-my-user-preferred-presence", "set-my-status-message")) {
            CallToolResult result = harness.call(tool, Map.of("body", Map.of()));
            assertThat(result.isError()).as(tool).isTrue();
        }
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void preferredPresenceIsSetWithItsDuration() {
        harness.configure(s -> s.readOnly(false));
        harness.graph.fallback((req, base) -> FakeResponse.noContent());
        Map<String, Object> body = Map.of("availability", "DoNotDisturb", "activity", "DoNotDisturb",
                "expirationDuration", "PT1H");

        CallToolResult result = harness.call("set-my-user-preferred-presence", Map.of("body", body));

        assertThat(ToolHarness.text(result)).isEqualTo("Done (HTTP 204).");
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.rawPath()).isEqualTo("/v1.0/me/presence/setUserPreferredPresence");
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(body));
    }
}
