package dev.ms365mcp.tools.directory;

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

/** Users, managers, groups and their members: complete, advanced queries, $ref membership changes. */
class DirectoryAreaTest {

    static final List<String> TOOLS = List.of("list-users", "get-my-manager", "list-my-direct-reports",
            "get-user-manager", "list-user-direct-reports", "list-groups", "get-group", "list-group-members",
            "list-group-owners", "list-group-conversations", "list-group-threads", "reply-to-group-thread",
            "create-group", "update-group", "delete-group", "add-group-member", "remove-group-member",
            "add-group-owner", "remove-group-owner", "list-relevant-people", "list-my-memberships");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceRowOfTheAreaIsInTheCatalog() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> r.orgOnly() && r.path().matches(
                        "/(users|groups)(/\\{[^}]+}(/(manager|directReports|members|owners|conversations|threads)\\b.*)?)?"
                                + "|/me/(manager|directReports|people|memberOf)"))
                .map(ParityRow::name).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(TOOLS);
        List<ToolDef> area = Catalog.builtIn().tools().stream().filter(t -> t.area().equals("directory")).toList();
        assertThat(area).extracting(ToolDef::name).containsExactlyInAnyOrderElementsOf(TOOLS);
        assertThat(area).allMatch(ToolDef::orgOnly);
    }

    @Test
    void userSearchIsQuotedAndSentWithEventualConsistency() {
        harness.graph.on("GET", "/v1.0/users", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"u1\",\"displayName\":\"Ann Lee\"}]}"));

        CallToolResult result = harness.call("list-users", Map.of("search", "displayName:ann",
                "ConsistencyLevel", "eventual", "select", "id,displayName"));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("$search", "\"displayName:ann\"").containsEntry("$select", "id,displayName");
        assertThat(req.header("ConsistencyLevel")).isEqualTo("eventual");
        assertThat(ToolHarness.text(result)).contains("Ann Lee");
    }

    @Test
    void countOnMembersAddsEventualConsistencyByItself() {
        harness.graph.on("GET", "/v1.0/groups/g1/members", FakeResponse.ok("{\"@odata.count\":1,\"value\":[{\"id\":\"u1\"}]}"));

        harness.call("list-group-members", Map.of("groupId", "g1", "count", true, "filter", "accountEnabled eq true"));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("$count", "true").containsEntry("$filter", "accountEnabled eq true");
        assertThat(req.header("ConsistencyLevel")).isEqualTo("eventual");
    }

    @Test
    void managerLookupsAcceptTheReferenceOptionsUnlisted() {
        harness.graph.on("GET", "/v1.0/users/ann%40contoso.com/manager", FakeResponse.ok("{\"id\":\"m1\",\"displayName\":\"Bo\"}"));
        ToolDef tool = Catalog.builtIn().find("get-user-manager").orElseThrow();
        assertThat(tool.inputSchema().path("properties").propertyNames()).containsExactly("userId");

        CallToolResult result = harness.call("get-user-manager", Map.of("userId", "ann@contoso.com",
                "select", "displayName", "ConsistencyLevel", "eventual"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(harness.graph.lastRequest().query()).containsEntry("$select", "displayName");
        assertThat(ToolHarness.text(result)).contains("Bo");
    }

    @Test
    void membershipChangesUseDirectoryObjectReferences() {
        harness.graph.on("POST", "/v1.0/groups/g1/members/$ref", FakeResponse.noContent());
        harness.graph.on("DELETE", "/v1.0/groups/g1/owners/u2/$ref", FakeResponse.noContent());
        String ref = "https://graph.microsoft.com/v1.0/directoryObjects/u1";

        CallToolResult added = harness.call("add-group-member", Map.of("groupId", "g1", "body", Map.of("@odata.id", ref)));
        assertThat(ToolHarness.text(added)).startsWith("Done");
        assertThat(JSON.readTree(harness.graph.lastRequest().body()).path("@odata.id").asString()).isEqualTo(ref);

        CallToolResult removed = harness.call("remove-group-owner", Map.of("groupId", "g1", "directoryObjectId", "u2"));
        assertThat(removed.isError()).isFalse();
        assertThat(harness.graph.lastRequest().method()).isEqualTo("DELETE");
        assertThat(harness.graph.lastRequest().rawPath()).isEqualTo("/v1.0/groups/g1/owners/u2/$ref");
    }

    @Test
    void groupThreadReplyPostsAndIsMarkedDestructive() {
        harness.graph.on("POST", "/v1.0/groups/g1/threads/t1/reply", FakeResponse.accepted());
        Map<String, Object> body = Map.of("post", Map.of("body", Map.of("contentType", "text", "content", "Agreed")));

        CallToolResult result = harness.call("reply-to-group-thread",
                Map.of("groupId", "g1", "conversationThreadId", "t1", "body", body));

        assertThat(result.isError()).isFalse();
        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(body));
        assertThat(Catalog.builtIn().find("reply-to-group-thread").orElseThrow().destructive()).isTrue();
    }

    @Test
    void groupCreationRequiresWhatGraphRequires() {
        ToolDef create = Catalog.builtIn().find("create-group").orElseThrow();
        assertThat(create.inputSchema().path("properties").path("body").path("required"))
                .extracting(n -> n.asString())
                .containsExactlyInAnyOrder("displayName", "mailNickname", "mailEnabled", "securityEnabled");
        harness.graph.on("POST", "/v1.0/groups", FakeResponse.json(201, "{\"id\":\"g9\"}"));

        CallToolResult result = harness.call("create-group", Map.of("body", Map.of("displayName", "Ops",
                "mailNickname", "ops", "mailEnabled", true, "securityEnabled", false, "groupTypes", List.of("Unified"))));

        assertThat(ToolHarness.text(result)).contains("g9");
        assertThat(JSON.readTree(harness.graph.lastRequest().body()).path("groupTypes").get(0).asString()).isEqualTo("Unified");
    }

    @Test
    void directoryWritesAreHiddenInReadOnlyMode() {
        harness.configure(s -> s.readOnly(true));
        List<String> offered = harness.tools().tools().stream().filter(t -> t.area().equals("directory"))
                .map(ToolDef::name).toList();
        assertThat(offered).contains("list-users", "list-group-threads")
                .doesNotContain("create-group", "delete-group", "add-group-member", "reply-to-group-thread");
    }
}
