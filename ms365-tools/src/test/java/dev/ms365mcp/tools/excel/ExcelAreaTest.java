package dev.ms365mcp.tools.excel;

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

/** Excel rows: all present; every change runs in a persistent workbook session that is always closed. */
class ExcelAreaTest {

    static final List<String> TOOLS = List.of("create-excel-chart", "format-excel-range", "get-excel-range-format",
            "format-excel-range-font", "format-excel-range-fill", "format-excel-range-border", "sort-excel-range",
            "get-excel-range", "update-excel-range", "insert-excel-range", "delete-excel-range", "merge-excel-range",
            "unmerge-excel-range", "clear-excel-range", "get-excel-used-range", "update-excel-table-row",
            "delete-excel-table-row", "create-excel-table", "list-excel-worksheets", "list-excel-tables", "get-excel-table",
            "list-excel-table-rows", "add-excel-table-rows");

    private static final String WORKBOOK = "/v1.0/drives/d1/items/book1/workbook";
    private static final String RANGE = WORKBOOK + "/worksheets/Sheet1/range(address='A1%3AB2')";

    @RegisterExtension
    final ToolHarness harness = new ToolHarness();

    @Test
    void everyExcelRowOfTheReferenceIsInTheCatalog() {
        assertThat(ParityRow.all().keySet()).containsAll(TOOLS);
        assertThat(TOOLS).hasSize(23).doesNotHaveDuplicates();
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("excel")).map(ToolDef::name))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void everyExcelRowThatChangesTheWorkbookUsesASessionAndNoReadDoes() {
        Catalog.builtIn().tools().stream().filter(t -> t.area().equals("excel"))
                .forEach(t -> assertThat(t.workbookSession()).as(t.name()).isEqualTo(!t.readOnly()));
    }

    @Test
    void aWriteOpensAPersistentSessionSendsItsIdAndClosesIt() {
        harness.graph.on("POST", WORKBOOK + "/createSession", FakeResponse.json(201, "{\"id\":\"s-1\",\"persistChanges\":true}"));
        harness.graph.on("PATCH", RANGE, FakeResponse.ok("{\"address\":\"Sheet1!A1:B2\",\"values\":[[1,2],[3,4]]}"));
        harness.graph.on("POST", WORKBOOK + "/closeSession", FakeResponse.noContent());

        CallToolResult r = harness.call("update-excel-range", Map.of("driveId", "d1", "driveItemId", "book1",
                "workbookWorksheetId", "Sheet1", "address", "A1:B2", "body", Map.of("values", List.of(List.of(1, 2), List.of(3, 4)))));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(ToolHarness.text(r)).contains("Sheet1!A1:B2");
        List<RecordedRequest> sent = harness.graph.requests();
        assertThat(sent).extracting(RecordedRequest::toString).containsExactly(
                "POST " + WORKBOOK + "/createSession", "PATCH " + RANGE, "POST " + WORKBOOK + "/closeSession");
        assertThat(sent.get(0).bodyText()).isEqualTo("{\"persistChanges\":true}");
        assertThat(sent.get(0).header("workbook-session-id")).isNull();
        assertThat(sent.get(1).header("workbook-session-id")).isEqualTo("s-1");
        assertThat(sent.get(1).bodyText()).isEqualTo("{\"values\":[[1,2],[3,4]]}");
        assertThat(sent.get(2).header("workbook-session-id")).isEqualTo("s-1");
        assertThat(sent).allSatisfy(req -> assertThat(req.header("Authorization")).isEqualTo("Bearer " + ToolHarness.TOKEN));
    }

    @Test
    void theSessionIsClosedWhenTheCallFails() {
        harness.graph.on("POST", WORKBOOK + "/createSession", FakeResponse.json(201, "{\"id\":\"s-2\"}"));
        harness.graph.on("POST", RANGE + "/insert", FakeResponse.error(400, "InvalidArgument", "The argument is invalid."));
        harness.graph.on("POST", WORKBOOK + "/closeSession", FakeResponse.noContent());

        CallToolResult r = harness.call("insert-excel-range", Map.of("driveId", "d1", "driveItemId", "book1",
                "workbookWorksheetId", "Sheet1", "address", "A1:B2", "body", Map.of("shift", "Down")));

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("400 InvalidArgument");
        assertThat(harness.graph.requests()).extracting(RecordedRequest::rawPath)
                .containsExactly(WORKBOOK + "/createSession", RANGE + "/insert", WORKBOOK + "/closeSession");
        assertThat(harness.graph.lastRequest().header("workbook-session-id")).isEqualTo("s-2");
    }

    @Test
    void whenNoSessionCanBeOpenedTheChangeIsNotSent() {
        harness.graph.on("POST", WORKBOOK + "/createSession", FakeResponse.error(404, "itemNotFound", "Not found."));

        CallToolResult r = harness.call("delete-excel-table-row", Map.of("driveId", "d1", "driveItemId", "book1",
                "workbookTableId", "Table1", "index", "3"));

        assertThat(r.isError()).isTrue();
        assertThat(ToolHarness.text(r)).contains("404 itemNotFound");
        assertThat(harness.graph.requests()).extracting(RecordedRequest::rawPath).containsExactly(WORKBOOK + "/createSession");
    }

    @Test
    void aWorkbookAddressedByPathGetsItsSessionAtThatPath() {
        String book = "/v1.0/drives/d1/items/root:/Budget%202025.xlsx:/workbook";
        harness.graph.on("POST", book + "/createSession", FakeResponse.json(201, "{\"id\":\"s-3\"}"));
        harness.graph.on("POST", book + "/tables/Table1/rows", FakeResponse.json(201, "{\"index\":7}"));
        harness.graph.on("POST", book + "/closeSession", FakeResponse.noContent());

        CallToolResult r = harness.call("add-excel-table-rows", Map.of("driveId", "d1", "driveItemId", "/Budget 2025.xlsx",
                "workbookTableId", "Table1", "body", Map.of("values", List.of(List.of("rent", 1200)))));

        assertThat(r.isError()).as(ToolHarness.text(r)).isFalse();
        assertThat(harness.graph.requests()).extracting(RecordedRequest::rawPath)
                .containsExactly(book + "/createSession", book + "/tables/Table1/rows", book + "/closeSession");
        assertThat(harness.graph.requests().get(1).header("workbook-session-id")).isEqualTo("s-3");
    }

    @Test
    void readsGoWithoutASession() {
        harness.graph.on("GET", RANGE, FakeResponse.ok("{\"values\":[[1]]}"));

        CallToolResult r = harness.call("get-excel-range", Map.of("driveId", "d1", "driveItemId", "book1",
                "workbookWorksheetId", "Sheet1", "address", "A1:B2"));

        assertThat(r.isError()).isFalse();
        assertThat(harness.graph.requests()).hasSize(1);
        assertThat(harness.graph.lastRequest().header("workbook-session-id")).isNull();
    }

    @Test
    void aTableRowIsAddressedByIndex() {
        harness.graph.fallback((req, base) -> FakeResponse.ok("{\"id\":\"s\"}"));

        harness.call("update-excel-table-row", Map.of("driveId", "d1", "driveItemId", "book1", "workbookTableId", "T1",
                "index", "2", "body", Map.of("values", List.of(List.of("x")))));

        assertThat(harness.graph.requests().get(1).toString())
                .isEqualTo("PATCH " + WORKBOOK + "/tables/T1/rows/2");
    }
}
