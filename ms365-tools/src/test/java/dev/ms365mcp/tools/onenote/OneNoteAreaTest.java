package dev.ms365mcp.tools.onenote;

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

/** OneNote rows: all present; pages are created from XHTML and read back as HTML text. */
class OneNoteAreaTest {

    static final List<String> TOOLS = List.of("list-onenote-notebooks", "create-onenote-notebook",
            "list-onenote-notebook-sections", "create-onenote-section", "list-all-onenote-sections",
            "list-onenote-section-pages", "get-onenote-page-content", "create-onenote-page", "create-onenote-section-page",
            "delete-onenote-page", "list-onenote-pages", "list-onenote-section-groups");

    private static final String PAGE = "<!DOCTYPE html><html><head><title>Trip – día 1</title></head>"
            + "<body><p>Packed &amp; ready</p></body></html>";

    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyPersonalOneNoteRowOfTheReferenceIsInTheCatalog() {
        List<String> personal = ParityRow.all().values().stream()
                .filter(r -> !r.orgOnly() && r.path().startsWith("/me/onenote")).map(ParityRow::name).toList();
        assertThat(personal).containsExactlyInAnyOrderElementsOf(TOOLS);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("onenote")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void aPageIsCreatedFromItsXhtmlAsIs() {
        harness.graph.on("POST", "/v1.0/me/onenote/sections/s%211/pages", FakeResponse.json(201, "{\"id\":\"p1\",\"title\":\"Trip\"}"));

        CallToolResult r = harness.call("create-onenote-section-page", Map.of("onenoteSectionId", "s!1", "body", PAGE));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        RecordedRequest req = harness.graph.lastRequest();
        assertThat(req.header("Content-Type")).startsWith("text/html");
        assertThat(req.body()).isEqualTo(PAGE.getBytes(StandardCharsets.UTF_8));
        assertThat(ToolHarness.text(r)).contains("\"id\":\"p1\"");
    }

    @Test
    void aPageBodyMustBeText() {
        CallToolResult r = harness.call("create-onenote-page", Map.of("body", Map.of("title", "x")));

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("must be a string").contains("text/html");
        assertThat(harness.graph.requests()).isEmpty();
    }

    @Test
    void pageContentComesBackAsHtmlText() {
        String html = "<html><head><title>Trip</title></head><body><p>Packed</p></body></html>";
        harness.graph.on("GET", "/v1.0/me/onenote/pages/p1/content",
                FakeResponse.bytes(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8)));

        CallToolResult r = harness.call("get-onenote-page-content", Map.of("onenotePageId", "p1"));

        assertThat(r.isError()).isFalse();
        assertThat(ToolHarness.text(r)).isEqualTo(html);
    }

    @Test
    void pagesCanBeListedNewestFirst() {
        harness.graph.on("GET", "/v1.0/me/onenote/pages", FakeResponse.ok("{\"value\":[{\"id\":\"p2\"}]}"));

        harness.call("list-onenote-pages", Map.of("top", 5, "orderby", "lastModifiedDateTime desc"));

        assertThat(harness.graph.lastRequest().query()).containsEntry("$top", "5")
                .containsEntry("$orderby", "lastModifiedDateTime desc");
    }
}
