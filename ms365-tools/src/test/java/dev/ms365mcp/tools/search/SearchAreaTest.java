package dev.ms365mcp.tools.search;

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

/** Microsoft Search, Copilot retrieval, insights and sensitivity labels: complete and read-only. */
class SearchAreaTest {

    static final List<String> TOOLS = List.of("search-query", "copilot-retrieve", "list-trending-insights",
            "list-sensitivity-labels", "get-sensitivity-label");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness(s -> s.readOnly(true));

    @Test
    void everyReferenceRowOfTheAreaIsInTheCatalog() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> r.orgOnly() && r.path().matches("/search/query|/copilot/retrieval|/me/insights/trending"
                        + "|/me/dataSecurityAndGovernance/sensitivityLabels.*"))
                .map(ParityRow::name).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(TOOLS);
        List<ToolDef> area = Catalog.builtIn().tools().stream().filter(t -> t.area().equals("search")).toList();
        assertThat(area).extracting(ToolDef::name).containsExactlyInAnyOrderElementsOf(TOOLS);
        assertThat(area).allMatch(ToolDef::orgOnly).allMatch(ToolDef::readOnly);
    }

    @Test
    void searchQueryPostsTheRequestsInReadOnlyMode() {
        harness.graph.on("POST", "/v1.0/search/query", FakeResponse.ok(
                "{\"value\":[{\"hitsContainers\":[{\"total\":1,\"hits\":[{\"summary\":\"Q3 budget\"}]}]}]}"));
        Map<String, Object> body = Map.of("requests", List.of(Map.of("entityTypes", List.of("driveItem"),
                "query", Map.of("queryString", "budget filetype:xlsx"), "from", 0, "size", 5)));

        CallToolResult result = harness.call("search-query", Map.of("body", body));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.header("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(body));
        assertThat(ToolHarness.text(result)).contains("Q3 budget");
    }

    @Test
    void searchQueryAsksForEveryScopeItSearches() {
        ToolDef search = Catalog.builtIn().find("search-query").orElseThrow();
        assertThat(search.scopes()).contains("Mail.Read", "Files.Read.All", "Chat.Read", "ChannelMessage.Read.All");
        ToolDef retrieve = Catalog.builtIn().find("copilot-retrieve").orElseThrow();
        assertThat(retrieve.altScopes()).containsExactly("ExternalItem.Read.All");
    }

    @Test
    void copilotRetrievalPostsTheQuestion() {
        harness.graph.on("POST", "/v1.0/copilot/retrieval", FakeResponse.ok(
                "{\"retrievalHits\":[{\"webUrl\":\"https://contoso.sharepoint.com/a.docx\",\"extracts\":[{\"text\":\"x\"}]}]}"));
        Map<String, Object> body = Map.of("queryString", "What is the travel policy?", "dataSource", "sharePoint",
                "maximumNumberOfResults", 5);

        CallToolResult result = harness.call("copilot-retrieve", Map.of("body", body));

        assertThat(JSON.readTree(harness.graph.lastRequest().body())).isEqualTo(JSON.valueToTree(body));
        assertThat(ToolHarness.text(result)).contains("retrievalHits");
    }

    @Test
    void sensitivityLabelIsReadByIdUnderDataSecurityAndGovernance() {
        harness.graph.on("GET", "/v1.0/me/dataSecurityAndGovernance/sensitivityLabels/L1",
                FakeResponse.ok("{\"id\":\"L1\",\"name\":\"Confidential\"}"));

        CallToolResult result = harness.call("get-sensitivity-label", Map.of("sensitivityLabelId", "L1"));

        assertThat(result.isError()).as(ToolHarness.text(result)).isFalse();
        assertThat(ToolHarness.text(result)).contains("Confidential");
    }
}
