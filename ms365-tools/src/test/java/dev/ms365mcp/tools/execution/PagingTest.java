package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** fetchAllPages follows @odata.nextLink verbatim, merges value, and stops at its bounds. */
class PagingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/v1.0/me/messages";
    private ToolHarness h;

    @BeforeEach
    void start() {
        h = new ToolHarness();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** {@code pages} pages of {@code perPage} messages each, ids m0, m1, ... */
    private void serve(int pages, int perPage) {
        List<List<String>> all = new ArrayList<>();
        int n = 0;
        for (int p = 0; p < pages; p++) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < perPage; i++) {
                items.add("{\"@odata.etag\":\"W/x\",\"id\":\"m" + n++ + "\"}");
            }
            all.add(items);
        }
        h.graph.pages(PATH, all);
    }

    private JsonNode call(Map<String, Object> args) {
        CallToolResult r = h.call("list-mail-messages", args);
        assertThat(r.isError()).as(text(r)).isFalse();
        return JSON.readTree(text(r));
    }

    @Test
    void mergesEveryPageAndKeepsTheDeltaLink() {
        serve(3, 2);
        JsonNode out = call(Map.of("fetchAllPages", true, "top", 2));
        assertThat(out.path("value")).hasSize(6);
        assertThat(out.path("value").get(5).path("id").asString()).isEqualTo("m5");
        assertThat(out.path("@odata.deltaLink").asString()).endsWith("$deltatoken=end");
        assertThat(out.has("@odata.nextLink")).isFalse();
        assertThat(out.has("note")).isFalse();
        assertThat(h.graph.requests()).hasSize(3);
        // The next link is followed exactly as Graph wrote it, token and headers included.
        assertThat(h.graph.requests().get(1).rawQuery()).isEqualTo("$skiptoken=1");
        assertThat(h.graph.requests().get(2).header("Authorization")).isEqualTo("Bearer " + ToolHarness.TOKEN);
    }

    @Test
    void eachPageIsReportedAsProgress() {
        serve(3, 2);
        java.util.List<String> reports = new java.util.ArrayList<>();
        CallToolResult r = h.tools().call("list-mail-messages", Map.of("fetchAllPages", true),
                new CallContext(null, (progress, total, message) -> reports.add((int) progress + ":" + message)));
        assertThat(r.isError()).isFalse();
        assertThat(reports).containsExactly("1:Fetched page 1 (2 items)", "2:Fetched page 2 (4 items)",
                "3:Fetched page 3 (6 items)");
    }

    @Test
    void withoutFetchAllPagesOnlyTheFirstPageComesBackWithItsNextLink() {
        serve(3, 2);
        JsonNode out = call(Map.of());
        assertThat(out.path("value")).hasSize(2);
        assertThat(out.path("@odata.nextLink").asString()).contains("skiptoken=1");
        assertThat(h.graph.requests()).hasSize(1);
    }

    @Test
    void stopsAtThePageLimitAndSaysHowToContinue() {
        h.configure(s -> s.maxPages(2));
        serve(5, 2);
        JsonNode out = call(Map.of("fetchAllPages", true));
        assertThat(out.path("value")).hasSize(4);
        assertThat(out.path("@odata.nextLink").asString()).contains("skiptoken=2");
        assertThat(out.path("note").asString()).contains("MS365_MCP_MAX_PAGES=2");
        assertThat(h.graph.requests()).hasSize(2);
    }

    @Test
    void stopsAtTheItemLimit() {
        h.configure(s -> s.maxItems(5));
        serve(4, 3);
        JsonNode out = call(Map.of("fetchAllPages", true));
        assertThat(out.path("value")).hasSize(5);
        assertThat(out.path("note").asString()).contains("MS365_MCP_MAX_ITEMS=5");
        assertThat(h.graph.requests()).hasSize(2);
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() {
        h.graph.on("GET", PATH, FakeResponse.ok(
                "{\"value\":[{\"id\":\"a\"}],\"@odata.nextLink\":\"https://evil.example/v1.0/me/messages?x=1\"}"));
        CallToolResult r = h.call("list-mail-messages", Map.of("fetchAllPages", true));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("evil.example", "not followed");
        assertThat(h.graph.requests()).hasSize(1);
    }

    @Test
    void aFailingPageIsReportedWithWhereItHappened() {
        serve(3, 2);
        h.graph.enqueue("GET", PATH, FakeResponse.ok(
                "{\"value\":[{\"id\":\"a\"}],\"@odata.nextLink\":\"" + h.graph.url() + "/v1.0/gone\"}"));
        CallToolResult r = h.call("list-mail-messages", Map.of("fetchAllPages", true));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("404", "page 2", "after 1 items");
    }
}
