package dev.ms365mcp.tools.sharepointonenote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import dev.ms365mcp.tools.ToolHarness;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** OneNote notebooks stored in SharePoint sites: complete, HTML in and out, read-only behaviour. */
class SharePointOneNoteAreaTest {

    static final List<String> TOOLS = List.of("list-sharepoint-site-onenote-notebooks",
            "list-sharepoint-site-onenote-notebook-sections", "list-sharepoint-site-onenote-section-pages",
            "list-sharepoint-site-onenote-notebook-section-groups", "list-sharepoint-site-onenote-section-group-sections",
            "list-sharepoint-site-onenote-section-group-section-groups", "get-sharepoint-site-onenote-page-content",
            "create-sharepoint-site-onenote-notebook", "create-sharepoint-site-onenote-section",
            "create-sharepoint-site-onenote-section-group-section", "create-sharepoint-site-onenote-section-page",
            "update-sharepoint-site-onenote-page-content", "delete-sharepoint-site-onenote-page",
            "get-onenote-notebook-from-web-url");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyReferenceRowOfTheAreaIsInTheCatalog() {
        List<String> expected = ParityRow.all().values().stream()
                .filter(r -> r.orgOnly() && (r.path().startsWith("/sites/{site-id}/onenote/")
                        || r.path().endsWith("/getNotebookFromWebUrl")))
                .map(ParityRow::name).toList();
        assertThat(expected).containsExactlyInAnyOrderElementsOf(TOOLS);
        List<ToolDef> area = Catalog.builtIn().tools().stream().filter(t -> t.area().equals("sharepoint-onenote")).toList();
        assertThat(area).extracting(ToolDef::name).containsExactlyInAnyOrderElementsOf(TOOLS);
        assertThat(area).allMatch(ToolDef::orgOnly);
    }

    @Test
    void pageIsCreatedFromHtmlSentAsIs() {
        harness.graph.on("POST", "/v1.0/sites/s1/onenote/sections/sec1/pages",
                FakeResponse.json(201, "{\"id\":\"p1\",\"title\":\"Minutes\"}"));
        String html = "<html><head><title>Minutes</title></head><body><p>Ünïcode &amp; more</p></body></html>";

        CallToolResult result = harness.call("create-sharepoint-site-onenote-section-page",
                Map.of("siteId", "s1", "onenoteSectionId", "sec1", "body", html));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.header("Content-Type")).startsWith("text/html");
        assertThat(new String(req.body(), StandardCharsets.UTF_8)).isEqualTo(html);
        assertThat(ToolHarness.text(result)).contains("\"id\":\"p1\"");
    }

    @Test
    void pageContentComesBackAsHtmlText() {
        String html = "<html><body><p data-id=\"x\">Hello</p></body></html>";
        harness.graph.on("GET", "/v1.0/sites/s1/onenote/pages/p1/content",
                FakeResponse.bytes(200, "text/html", html.getBytes(StandardCharsets.UTF_8)));

        CallToolResult result = harness.call("get-sharepoint-site-onenote-page-content",
                Map.of("siteId", "s1", "onenotePageId", "p1"));

        assertThat(result.isError()).isFalse();
        assertThat(ToolHarness.text(result)).isEqualTo(html);
    }

    @Test
    void pageUpdateSendsAJsonArrayOfCommands() {
        harness.graph.on("PATCH", "/v1.0/sites/s1/onenote/pages/p1/content", FakeResponse.noContent());
        List<Map<String, Object>> commands = List.of(Map.of("target", "body", "action", "append", "content", "<p>Added</p>"));

        CallToolResult result = harness.call("update-sharepoint-site-onenote-page-content",
                Map.of("siteId", "s1", "onenotePageId", "p1", "body", commands));

        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.header("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(req.body())).isEqualTo(JSON.valueToTree(commands));
        assertThat(ToolHarness.text(result)).startsWith("Done");
    }

    @Test
    void notebookLookupByUrlIsAllowedInReadOnlyModeAndWritesAreNot() {
        harness.configure(s -> s.readOnly(true));
        harness.graph.on("POST", "/v1.0/me/onenote/notebooks/getNotebookFromWebUrl",
                FakeResponse.ok("{\"id\":\"nb1\",\"displayName\":\"Team notes\"}"));

        CallToolResult found = harness.call("get-onenote-notebook-from-web-url",
                Map.of("body", Map.of("webUrl", "https://contoso.sharepoint.com/sites/t/SiteAssets/Team notes")));
        assertThat(ToolHarness.text(found)).contains("nb1");
        assertThat(JSON.readTree(harness.graph.lastRequest().body()).path("webUrl").asString()).endsWith("Team notes");

        harness.graph.clearRequests();
        CallToolResult refused = harness.call("delete-sharepoint-site-onenote-page", Map.of("siteId", "s1", "onenotePageId", "p1"));
        assertThat(refused.isError()).isTrue();
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void sectionListsPassFilterAndOrderThoughNotListed() {
        harness.graph.on("GET", "/v1.0/sites/s1/onenote/notebooks/nb1/sections", FakeResponse.ok("{\"value\":[]}"));

        harness.call("list-sharepoint-site-onenote-notebook-sections", Map.of("siteId", "s1", "notebookId", "nb1",
                "filter", "displayName eq 'Q1'", "orderby", "displayName", "top", 5));

        assertThat(harness.graph.lastRequest().query()).containsEntry("$filter", "displayName eq 'Q1'")
                .containsEntry("$orderby", "displayName").containsEntry("$top", "5");
    }
}
