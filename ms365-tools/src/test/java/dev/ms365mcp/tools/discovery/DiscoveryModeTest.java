package dev.ms365mcp.tools.discovery;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.selection.Preset;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Discovery mode: three small tools that find, describe and run the offered ones. */
class DiscoveryModeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private ToolHarness h;

    @BeforeEach
    void start() {
        h = new ToolHarness(s -> s.discovery(true));
        h.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[{\"id\":\"m1\"}]}"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private List<String> search(String query) {
        CallToolResult r = h.call("search-tools", Map.of("query", query));
        assertThat(r.isError()).as(text(r)).isFalse();
        return JSON.readTree(text(r)).path("tools").valueStream().map(t -> t.path("name").asString()).toList();
    }

    @Test
    void onlyTheThreeDiscoveryToolsAreListedInUnder4000Bytes() throws Exception {
        assertThat(h.tools().tools()).extracting(ToolDef::name)
                .containsExactly("search-tools", "get-tool-schema", "execute-tool");
        List<McpSchema.Tool> listed = h.tools().syncToolSpecifications().stream().map(s -> s.tool()).toList();
        String json = new JacksonMcpJsonMapper(JSON).writeValueAsString(McpSchema.ListToolsResult.builder(listed).build());
        System.out.println("discovery tools/list: " + json.getBytes().length + " bytes");
        assertThat(json.getBytes().length).isLessThanOrEqualTo(4_000);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "send a message in a Teams channel            | send-channel-message",
        "send an email                                | send-mail",
        "reply to an email                            | reply-mail-message",
        "list my emails                               | list-mail-messages",
        "show calendar events between two dates       | get-calendar-view",
        "create a meeting in my calendar              | create-calendar-event",
        "accept a meeting invitation                  | accept-calendar-event",
        "upload a file to OneDrive                    | upload-file-content",
        "search for files in OneDrive                 | search-onedrive-files",
        "read cells from an Excel worksheet range     | get-excel-range",
        "add rows to an Excel table                   | add-excel-table-rows",
        "create a OneNote page                        | create-onenote-page",
        "list tasks in a To Do list                   | list-todo-tasks",
        "create a Planner task                        | create-planner-task",
        "send a chat message                          | send-chat-message",
        "list the channels of a team                  | list-team-channels",
        "who is my manager                            | get-my-manager",
        "list members of a group                      | list-group-members",
        "read messages in a shared mailbox            | list-shared-mailbox-messages",
        "get a meeting transcript                     | get-meeting-transcript",
        "set my presence                              | set-my-presence",
        "find a SharePoint site                       | search-sharepoint-sites",
        "move an email to another folder              | move-mail-message",
        "delete a file from OneDrive                  | delete-onedrive-file",
        "list my contacts                             | list-outlook-contacts"})
    void theObviousToolRanksFirst(String query, String expected) {
        assertThat(search(query)).first().isEqualTo(expected);
    }

    @Test
    void aCategoryNarrowsTheSearch() {
        CallToolResult r = h.call("search-tools", Map.of("query", "list messages", "category", "teams"));
        List<String> names = JSON.readTree(text(r)).path("tools").valueStream().map(t -> t.path("name").asString()).toList();
        assertThat(names).isNotEmpty().allMatch(n -> Preset.all().get("teams").includes(
                h.tools().offeredTools().stream().filter(t -> t.name().equals(n)).findFirst().orElseThrow()));
    }

    @Test
    void schemaThenExecuteRoundTrip() {
        JsonNode schema = JSON.readTree(text(h.call("get-tool-schema", Map.of("name", "list-mail-messages"))));
        assertThat(schema.path("inputSchema").path("properties").has("top")).isTrue();
        CallToolResult r = h.call("execute-tool", Map.of("name", "list-mail-messages", "arguments", Map.of("top", 3)));
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(text(r)).contains("m1");
        assertThat(h.graph.lastRequest().query()).containsEntry("$top", "3");
    }

    @Test
    void argumentsAreCheckedAgainstTheRealSchemaBeforeSending() {
        CallToolResult r = h.call("execute-tool", Map.of("name", "get-mail-message", "arguments", Map.of("top", "x")));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("do not match", "get-mail-message");
        assertThat(h.graph.requests()).isEmpty();
    }

    @Test
    void readOnlyModeRefusesWritesThroughExecuteTool() {
        h.configure(s -> s.discovery(true).readOnly(true));
        assertThat(search("send an email")).doesNotContain("send-mail");
        CallToolResult r = h.call("execute-tool", Map.of("name", "send-mail",
                "arguments", Map.of("body", Map.of("message", Map.of("subject", "x")))));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("No tool named 'send-mail' is offered", "read-only");
        assertThat(h.graph.requests()).isEmpty();
    }

    @Test
    void orgToolsAreNotFoundOutsideOrgMode() {
        h.configure(s -> s.discovery(true).orgMode(false));
        assertThat(search("send a message in a Teams channel")).doesNotContain("send-channel-message");
    }
}
