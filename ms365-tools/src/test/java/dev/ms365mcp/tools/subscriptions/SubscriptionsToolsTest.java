package dev.ms365mcp.tools.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** The change-notification subscriptions area: every reference tool is there, and its requests. */
class SubscriptionsToolsTest {

    static final List<String> TOOLS = List.of("list-subscriptions", "create-subscription", "get-subscription",
            "update-subscription", "delete-subscription", "reauthorize-subscription");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceSubscriptionToolIsInTheSubscriptionsArea() {
        assertThat(ParityRow.all().keySet()).containsAll(TOOLS);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("subscriptions")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void aSubscriptionIsCreatedWithTheFieldsGraphRequires() {
        harness.graph.on("POST", "/v1.0/subscriptions", FakeResponse.json(201,
                "{\"@odata.context\":\"x\",\"id\":\"s1\",\"expirationDateTime\":\"2025-03-04T00:00:00Z\"}"));
        Map<String, Object> sub = Map.of("changeType", "created,updated", "notificationUrl", "https://hooks.example.com/graph",
                "resource", "me/mailFolders('inbox')/messages", "expirationDateTime", "2025-03-04T00:00:00Z",
                "clientState", "s3cret");
        CallToolResult result = harness.call("create-subscription", Map.of("body", sub));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(sub));
        assertThat(ToolHarness.text(result)).isEqualTo("{\"id\":\"s1\",\"expirationDateTime\":\"2025-03-04T00:00:00Z\"}");
        assertThat(Catalog.builtIn().find("create-subscription").orElseThrow().inputSchema().path("properties").path("body")
                .path("required").toString()).contains("changeType", "notificationUrl", "resource", "expirationDateTime");
    }

    @Test
    void renewingMovesTheExpiry() {
        harness.graph.on("PATCH", "/v1.0/subscriptions/s1", FakeResponse.ok("{\"id\":\"s1\"}"));
        CallToolResult result = harness.call("update-subscription",
                Map.of("subscriptionId", "s1", "body", Map.of("expirationDateTime", "2025-03-06T00:00:00Z")));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().bodyText()).isEqualTo("{\"expirationDateTime\":\"2025-03-06T00:00:00Z\"}");
    }

    @Test
    void reauthorizePostsWithoutABody() {
        harness.graph.on("POST", "/v1.0/subscriptions/s1/reauthorize", FakeResponse.noContent());
        CallToolResult result = harness.call("reauthorize-subscription", Map.of("subscriptionId", "s1"));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().body()).isEmpty();
        assertThat(harness.graph.lastRequest().header("Content-Type")).isNull();
    }

    @Test
    void subscriptionsAreNotTiedToTheSignedInUserPath() {
        // /subscriptions works with app-only tokens too, so these tools stay listed there.
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("subscriptions")))
                .allSatisfy(t -> assertThat(t.path()).startsWith("/subscriptions"));
    }
}
