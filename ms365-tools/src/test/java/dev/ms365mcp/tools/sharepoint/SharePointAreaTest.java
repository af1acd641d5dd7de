package dev.ms365mcp.tools.sharepoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The SharePoint sites, lists and columns rows: complete, and the requests Graph needs. */
class SharePointAreaTest {

    static final List<String> TOOLS = List.of("search-sharepoint-sites", "get-sharepoint-site",
            "list-sharepoint-site-drives", "get-sharepoint-site-drive-by-id", "list-sharepoint-site-items",
            "get-sharepoint-site-item", "list-sharepoint-site-lists", "get-sharepoint-site-list",
            "list-sharepoint-site-list-items", "get-sharepoint-site-list-item", "create-sharepoint-list-item",
            "update-sharepoint-list-item", "delete-sharepoint-list-item", "create-sharepoint-list",
            "list-sharepoint-list-columns", "create-sharepoint-list-column", "get-sharepoint-list-column",
            "update-sharepoint-list-column", "delete-sharepoint-list-column", "get-sharepoint-site-by-path",
            "get-sharepoint-sites-delta", "extract-drive-item-sensitivity-labels");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final ToolHarness harness = new ToolHarness();

    private static JsonNode body(RecordedRequest req) {
        return JSON.readTree(req.body());
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void everyReferenceRowOfTheAreaIsInTheCatalog() {
        Map<String, ParityRow> reference = ParityRow.all();
        List<String> expected = reference.values().stream()
                .filter(r -> r.orgOnly() && (r.path().startsWith("/sites") && !r.path().contains("/onenote")
                        || r.path().endsWith("/extractSensitivityLabels")))
                .map(ParityRow::name).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(TOOLS);
        Map<String, String> areaOf = Catalog.builtIn().tools().stream()
                .collect(Collectors.toMap(ToolDef::name, ToolDef::area));
        TOOLS.forEach(name -> assertThat(areaOf).as(name).containsEntry(name, "sharepoint"));
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("sharepoint")))
                .hasSize(22).allMatch(ToolDef::orgOnly);
    }

    @Test
    void listedOnlyInOrgMode() {
        try (ToolHarness personal = new ToolHarness(s -> s.orgMode(false))) {
            assertThat(personal.tools().tools()).noneMatch(t -> t.area().equals("sharepoint"));
            assertThat(personal.call("get-sharepoint-site", Map.of("siteId", "root")).isError()).isTrue();
            assertThat(personal.graph.requests()).isEmpty();
        }
    }

    @Test
    void siteSearchUsesTheSitesSearchParameterNotODataSearch() {
        harness.graph.on("GET", "/v1.0/sites", FakeResponse.ok(
                "{\"@odata.context\":\"x\",\"value\":[{\"id\":\"contoso.sharepoint.com,1,2\",\"displayName\":\"Team\"}]}"));

        CallToolResult result = harness.call("search-sharepoint-sites", Map.of("search", "team site", "top", 3));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("search", "team site").containsEntry("$top", "3")
                .doesNotContainKey("$search");
        assertThat(ToolHarness.text(result)).contains("\"displayName\":\"Team\"").doesNotContain("@odata.context");
    }

    @Test
    void siteByPathAddressesTheHostnameThenTheServerRelativePath() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"id\":\"contoso.sharepoint.com,1,2\"}"));

        CallToolResult result = harness.call("get-sharepoint-site-by-path",
                Map.of("siteId", "contoso.sharepoint.com", "path", "sites/Team"));

        assertThat(result.isError()).isFalse();
        String path = URLDecoder.decode(harness.graph.lastRequest().rawPath(), StandardCharsets.UTF_8);
        assertThat(path).isEqualTo("/v1.0/sites/contoso.sharepoint.com:/sites/Team");
        assertThat(ToolHarness.text(result)).contains("contoso.sharepoint.com,1,2");
    }

    @Test
    void listItemsAskForFieldsWithFilterAndOrder() {
        harness.graph.onMatching("GET", "/v1\\.0/sites/s1/lists/l1/items", (req, base) -> FakeResponse.ok(
                "{\"value\":[{\"id\":\"7\",\"fields\":{\"Title\":\"Fix roof\",\"Status\":\"Open\"}}]}"));

        CallToolResult result = harness.call("list-sharepoint-site-list-items", Map.of("siteId", "s1", "listId", "l1",
                "expand", "fields", "filter", "fields/Status eq 'Open'", "orderby", "fields/Title"));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.query()).containsEntry("$expand", "fields").containsEntry("$filter", "fields/Status eq 'Open'")
                .containsEntry("$orderby", "fields/Title");
        assertThat(ToolHarness.text(result)).contains("Fix roof");
    }

    @Test
    void itemWritesSendColumnValuesWhereGraphReadsThem() {
        harness.graph.on("POST", "/v1.0/sites/s1/lists/l1/items",
                FakeResponse.json(201, "{\"id\":\"8\",\"fields\":{\"Title\":\"New\"}}"));
        harness.graph.on("PATCH", "/v1.0/sites/s1/lists/l1/items/8/fields", FakeResponse.ok("{\"Status\":\"Done\"}"));

        CallToolResult created = harness.call("create-sharepoint-list-item", Map.of("siteId", "s1", "listId", "l1",
                "body", Map.of("fields", Map.of("Title", "New", "Priority", 2))));
        assertThat(body(harness.graph.lastRequest())).isEqualTo(JSON.readTree("{\"fields\":{\"Title\":\"New\",\"Priority\":2}}"));
        assertThat(ToolHarness.text(created)).contains("\"id\":\"8\"");

        // Graph documents the update as PATCH .../items/{id}/fields with the column values themselves; the
        // reference's {fields:{...}} shape is unwrapped, a bare map is sent as it is.
        harness.call("update-sharepoint-list-item", Map.of("siteId", "s1", "listId", "l1", "listItemId", "8",
                "body", Map.of("fields", Map.of("Status", "Done"))));
        RecordedRequest patch = harness.graph.lastRequest();
        assertThat(patch.toString()).isEqualTo("PATCH /v1.0/sites/s1/lists/l1/items/8/fields");
        assertThat(body(patch)).isEqualTo(JSON.readTree("{\"Status\":\"Done\"}"));
        harness.call("update-sharepoint-list-item", Map.of("siteId", "s1", "listId", "l1", "listItemId", "8",
                "body", Map.of("Status", "Done", "Priority", 1)));
        assertThat(body(harness.graph.lastRequest())).isEqualTo(JSON.readTree("{\"Status\":\"Done\",\"Priority\":1}"));
    }

    @Test
    void deletesAcceptAnUnlistedETag() {
        harness.graph.on("DELETE", "/v1.0/sites/s1/lists/l1/items/8", FakeResponse.noContent());
        ToolDef delete = Catalog.builtIn().find("delete-sharepoint-list-item").orElseThrow();
        assertThat(delete.inputSchema().path("properties").has("If-Match")).isFalse();

        CallToolResult result = harness.call("delete-sharepoint-list-item",
                Map.of("siteId", "s1", "listId", "l1", "listItemId", "8", "If-Match", "\"etag,3\""));

        assertThat(result.isError()).isFalse();
        assertThat(harness.graph.lastRequest().header("If-Match")).isEqualTo("\"etag,3\"");
    }

    @Test
    void columnCreationSendsTheTypeFacet() {
        harness.graph.on("POST", "/v1.0/sites/s1/lists/l1/columns", FakeResponse.json(201, "{\"id\":\"c1\"}"));

        harness.call("create-sharepoint-list-column", Map.of("siteId", "s1", "listId", "l1", "body",
                Map.of("name", "Stage", "choice", Map.of("choices", List.of("New", "Done")))));

        assertThat(body(harness.graph.lastRequest()))
                .isEqualTo(JSON.readTree("{\"name\":\"Stage\",\"choice\":{\"choices\":[\"New\",\"Done\"]}}"));
    }

    @Test
    void smallCollectionsStillFetchAllPagesWhenAsked() {
        harness.graph.pages("/v1.0/sites/s1/drives", List.of(List.of("{\"id\":\"d1\"}"), List.of("{\"id\":\"d2\"}")));
        ToolDef drives = Catalog.builtIn().find("list-sharepoint-site-drives").orElseThrow();
        assertThat(drives.inputSchema().path("properties").has("fetchAllPages")).isFalse();

        CallToolResult result = harness.call("list-sharepoint-site-drives", Map.of("siteId", "s1", "fetchAllPages", true));

        assertThat(harness.graph.requests()).hasSize(2);
        assertThat(ToolHarness.text(result)).contains("d1").contains("d2");
    }

    @Test
    void sitesSelectedIsAnAlternativeScopeForSiteReads() {
        ToolDef site = Catalog.builtIn().find("get-sharepoint-site").orElseThrow();
        assertThat(site.scopes()).containsExactly("Sites.Read.All");
        assertThat(site.altScopes()).containsExactly("Sites.Selected");
    }

    @Test
    void sensitivityLabelExtractionPostsWithoutBody() {
        harness.graph.on("POST", "/v1.0/drives/d1/items/i1/extractSensitivityLabels",
                FakeResponse.ok("{\"labels\":[{\"sensitivityLabelId\":\"L1\",\"assignmentMethod\":\"standard\"}]}"));

        CallToolResult result = harness.call("extract-drive-item-sensitivity-labels",
                Map.of("driveId", "d1", "driveItemId", "i1"));

        assertThat(harness.graph.lastRequest().body()).isEmpty();
        assertThat(ToolHarness.text(result)).contains("\"sensitivityLabelId\":\"L1\"");
    }
}
