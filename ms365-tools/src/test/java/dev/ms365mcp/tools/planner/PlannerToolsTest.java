package dev.ms365mcp.tools.planner;

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

/** The Planner area: every reference tool is there; ETags, beta chat messages and task bodies. */
class PlannerToolsTest {

    static final List<String> TOOLS = List.of("list-planner-tasks", "get-planner-plan", "list-plan-tasks",
            "get-planner-task", "create-planner-task", "update-planner-task", "get-planner-task-details",
            "update-planner-task-details", "list-plan-buckets", "get-planner-bucket", "create-planner-bucket",
            "update-planner-bucket", "delete-planner-bucket", "list-planner-task-messages",
            "create-planner-task-message", "delete-planner-task-message");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferencePlannerToolIsInThePlannerArea() {
        assertThat(ParityRow.all().keySet()).containsAll(TOOLS);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("planner")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }


    @Test
    void updatingATaskSendsItsETag() {
        harness.graph.on("PATCH", "/v1.0/planner/tasks/T1", FakeResponse.noContent());
        Map<String, Object> changes = Map.of("percentComplete", 100, "assignments",
                Map.of("u1", Map.of("@odata.type", "#microsoft.graph.plannerAssignment", "orderHint", " !")));
        CallToolResult result = harness.call("update-planner-task",
                Map.of("plannerTaskId", "T1", "If-Match", "W/\"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc=\"", "body", changes));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.header("If-Match")).isEqualTo("W/\"JzEtVGFzayAgQEBAQEBAQEBAQEBAQEBAWCc=\"");
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(changes));
        assertThat(ToolHarness.text(result)).isEqualTo("Done (HTTP 204).");
    }

    @Test
    void planPatchesWithoutAnETagAreRefusedBeforeAnythingIsSent() {
        for (String tool : List.of("update-planner-task", "update-planner-task-details")) {
            CallToolResult result = harness.call(tool, Map.of("plannerTaskId", "T1", "body", Map.of("title", "x")));
            assertThat(result.isError()).as(tool).isTrue();
            assertThat(ToolHarness.text(result)).contains("If-Match");
        }
        CallToolResult bucket = harness.call("update-planner-bucket", Map.of("plannerBucketId", "B1", "body", Map.of("name", "x")));
        assertThat(bucket.isError()).isTrue();
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void taskDetailsChecklistIsPatchedOnTheDetailsResource() {
        harness.graph.on("PATCH", "/v1.0/planner/tasks/T1/details", FakeResponse.noContent());
        Map<String, Object> changes = Map.of("description", "Steps", "checklist", Map.of("95e27074-6c4a-447a-aa24-9d718a0b86fa",
                Map.of("@odata.type", "#microsoft.graph.plannerChecklistItem", "title", "Draft", "isChecked", false)));
        CallToolResult result = harness.call("update-planner-task-details",
                Map.of("plannerTaskId", "T1", "If-Match", "W/\"d1\"", "body", changes));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().header("If-Match")).isEqualTo("W/\"d1\"");
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(changes));
    }

    @Test
    void aNewTaskNamesItsPlanAndTitle() {
        harness.graph.on("POST", "/v1.0/planner/tasks", FakeResponse.json(201, "{\"id\":\"T2\",\"title\":\"Plan launch\"}"));
        Map<String, Object> task = Map.of("planId", "P1", "bucketId", "B1", "title", "Plan launch", "priority", 3);
        CallToolResult result = harness.call("create-planner-task", Map.of("body", task));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(task));
        assertThat(Catalog.builtIn().find("create-planner-task").orElseThrow().inputSchema().path("properties")
                .path("body").path("required").toString()).isEqualTo("[\"planId\",\"title\"]");
    }

    @Test
    void taskChatMessagesUseTheBetaEndpoint() {
        harness.graph.on("GET", "/beta/planner/tasks/T1/messages", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"m1\",\"content\":\"Done?\"}]}"));
        harness.graph.on("POST", "/beta/planner/tasks/T1/messages", FakeResponse.json(201, "{\"id\":\"m2\"}"));

        CallToolResult list = harness.call("list-planner-task-messages", Map.of("plannerTaskId", "T1"));
        assertThat(list.isError()).as(ToolHarness.text(list)).isFalse();
        assertThat(ToolHarness.text(list)).isEqualTo("{\"value\":[{\"id\":\"m1\",\"content\":\"Done?\"}]}");

        CallToolResult post = harness.call("create-planner-task-message",
                Map.of("plannerTaskId", "T1", "body", Map.of("content", "Yes, shipped.")));
        assertThat(post.isError()).as(ToolHarness.text(post)).isFalse();
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/beta/planner/tasks/T1/messages");
        assertThat(harness.graph.lastRequest().bodyText()).isEqualTo("{\"content\":\"Yes, shipped.\"}");
    }

    @Test
    void deletingABucketPassesItsETag() {
        harness.graph.on("DELETE", "/v1.0/planner/buckets/B1", FakeResponse.noContent());
        CallToolResult result = harness.call("delete-planner-bucket", Map.of("plannerBucketId", "B1", "If-Match", "W/\"b\""));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().header("If-Match")).isEqualTo("W/\"b\"");
    }
}
