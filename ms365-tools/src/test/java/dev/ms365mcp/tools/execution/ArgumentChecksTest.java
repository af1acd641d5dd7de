package dev.ms365mcp.tools.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Values Graph would reject or misread are refused with a plain message before anything is sent: numbers
 * out of range ({@code top: -5}, {@code 1e308}), a string where an array is wanted, a flat row list where
 * Excel wants rows of cells, an enum value Graph does not have.
 */
class ArgumentChecksTest {

    @RegisterExtension
    final ToolHarness h = new ToolHarness();

    @BeforeEach
    void answerEverything() {
        h.graph.fallback((req, base) -> FakeResponse.ok("{\"value\":[]}"));
    }

    private String refused(String tool, Map<String, Object> args) {
        CallToolResult r = h.call(tool, args);
        assertThat(r.isError()).as(ToolHarness.text(r)).isTrue();
        assertThat(h.graph.requests()).as("nothing sent").isEmpty();
        return ToolHarness.text(r);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-5, 0, 1e308, 1000, 2.5})
    void topOutsideOneTo999IsRefused(double top) {
        assertThat(refused("list-mail-messages", Map.of("top", top))).contains("'top'");
    }

    @Test
    void rangesAreInTheSchemaAndWithinThemTheValueIsSent() {
        var top = h.tools().tools().stream().filter(t -> t.name().equals("list-mail-messages")).findFirst().orElseThrow()
                .inputSchema().at("/properties/top");
        assertThat(top.path("minimum").asInt()).isEqualTo(1);
        assertThat(top.path("maximum").asInt()).isEqualTo(999);
        h.call("list-mail-messages", Map.of("top", 999));
        assertThat(h.graph.lastRequest().query()).containsEntry("$top", "999");
        h.call("list-mail-messages", Map.of("top", "25"));
        assertThat(h.graph.lastRequest().query()).as("a number as text").containsEntry("$top", "25");
    }

    @Test
    void skipBelowZeroAndNonNumbersAreRefused() {
        assertThat(refused("list-mail-messages", Map.of("skip", -1))).contains("'skip'").contains("at least 0");
        assertThat(refused("list-mail-messages", Map.of("top", "ten"))).contains("'top'");
    }

    @Test
    void aRecipientListGivenAsTextIsRefused() {
        String msg = refused("send-mail", Map.of("body", Map.of("message", Map.of("subject", "x",
                "toRecipients", "ana@contoso.com"))));
        assertThat(msg).contains("body.message.toRecipients").contains("must be an array").contains("Nothing was sent");
    }

    @Test
    void excelRowsMustBeRowsOfCells() {
        String msg = refused("add-excel-table-rows", Map.of("driveId", "d1", "driveItemId", "b1", "workbookTableId", "T1",
                "body", Map.of("values", List.of("rent", 1200))));
        assertThat(msg).contains("body.values[0]").contains("an array");
        String flat = refused("update-excel-range", Map.of("driveId", "d1", "driveItemId", "b1", "workbookWorksheetId", "S",
                "address", "A1:B1", "body", Map.of("values", "rent,1200")));
        assertThat(flat).contains("body.values").contains("array of arrays");
    }

    @Test
    void planningValuesOutsideGraphsRangeAreRefused() {
        assertThat(refused("update-planner-task", Map.of("plannerTaskId", "t1", "If-Match", "W/\"x\"",
                "body", Map.of("percentComplete", 150)))).contains("body.percentComplete").contains("from 0 to 100");
        assertThat(refused("create-drive-item-share-link", Map.of("driveId", "d1", "driveItemId", "i1",
                "body", Map.of("type", "public")))).contains("body.type").contains("view");
    }

    @Test
    void aMissingRequiredMemberIsNamed() {
        assertThat(refused("create-planner-task", Map.of("body", Map.of("title", "x")))).contains("needs 'planId'");
    }
}
