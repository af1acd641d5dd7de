package dev.ms365mcp.tools.todo;

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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Microsoft To Do area: every reference tool is there, and the requests it relies on. */
class TodoToolsTest {

    static final List<String> TOOLS = List.of("list-todo-task-lists", "list-todo-tasks", "get-todo-task",
            "create-todo-task", "update-todo-task", "delete-todo-task", "list-todo-linked-resources",
            "create-todo-linked-resource", "delete-todo-linked-resource", "create-todo-task-list",
            "update-todo-task-list", "delete-todo-task-list");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceTodoToolIsInTheTodoArea() {
        assertThat(ParityRow.all().keySet()).containsAll(TOOLS);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("todo")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }


    @Test
    void openTasksAreListedWithAFilter() {
        harness.graph.on("GET", "/v1.0/me/todo/lists/L1/tasks", FakeResponse.ok(
                "{\"value\":[{\"@odata.etag\":\"W/x\",\"id\":\"t1\",\"title\":\"Pay rent\",\"status\":\"notStarted\"}]}"));
        CallToolResult result = harness.call("list-todo-tasks", Map.of("todoTaskListId", "L1",
                "filter", "status ne 'completed'", "orderby", "dueDateTime/dateTime"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().query()).containsEntry("$filter", "status ne 'completed'")
                .containsEntry("$orderby", "dueDateTime/dateTime");
        assertThat(ToolHarness.text(result)).isEqualTo("{\"value\":[{\"id\":\"t1\",\"title\":\"Pay rent\",\"status\":\"notStarted\"}]}");
    }

    @Test
    void aTaskIsCompletedWithAPatch() {
        harness.graph.on("PATCH", "/v1.0/me/todo/lists/L1/tasks/t1", FakeResponse.ok("{\"id\":\"t1\",\"status\":\"completed\"}"));
        CallToolResult result = harness.call("update-todo-task", Map.of("todoTaskListId", "L1", "todoTaskId", "t1",
                "body", Map.of("status", "completed")));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.method()).isEqualTo("PATCH");
        assertThat(req.bodyText()).isEqualTo("{\"status\":\"completed\"}");
        JsonNode status = Catalog.builtIn().find("update-todo-task").orElseThrow().inputSchema()
                .path("properties").path("body").path("properties").path("status");
        assertThat(status.path("enum").toString()).contains("notStarted", "completed");
    }

    @Test
    void aNewTaskNeedsATitleAndTakesDueAndReminderTimes() {
        harness.graph.on("POST", "/v1.0/me/todo/lists/L1/tasks", FakeResponse.json(201, "{\"id\":\"t2\"}"));
        Map<String, Object> task = Map.of("title", "Call the bank",
                "dueDateTime", Map.of("dateTime", "2025-03-03T00:00:00", "timeZone", "UTC"),
                "reminderDateTime", Map.of("dateTime", "2025-03-03T09:00:00", "timeZone", "UTC"), "importance", "high");
        CallToolResult result = harness.call("create-todo-task", Map.of("todoTaskListId", "L1", "body", task));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(task));
        JsonNode body = Catalog.builtIn().find("create-todo-task").orElseThrow().inputSchema().path("properties").path("body");
        assertThat(body.path("required").toString()).isEqualTo("[\"title\"]");
    }

    @Test
    void aLinkIsAttachedToATask() {
        harness.graph.on("POST", "/v1.0/me/todo/lists/L1/tasks/t1/linkedResources",
                FakeResponse.json(201, "{\"id\":\"r1\",\"webUrl\":\"https://example.com/ticket/7\"}"));
        Map<String, Object> link = Map.of("webUrl", "https://example.com/ticket/7", "applicationName", "Tracker",
                "displayName", "Ticket 7");
        CallToolResult result = harness.call("create-todo-linked-resource",
                Map.of("todoTaskListId", "L1", "todoTaskId", "t1", "body", link));
        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(link));
    }
}
