package dev.ms365mcp.tools.utilities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Utility rows: all present; only they borrow the scopes of the endpoint they reach. */
class UtilitiesAreaTest {

    static final List<String> TOOLS = List.of("graph-batch", "download-bytes", "download-bytes-to-file", "get-download-url",
            "parse-teams-url");

    @Test
    void everyUtilityRowOfTheReferenceIsInTheCatalog() {
        Map<String, ParityRow> reference = ParityRow.all();
        assertThat(reference.keySet()).containsAll(TOOLS);
        assertThat(Catalog.builtIn().tools().stream().filter(t -> t.area().equals("utilities")).map(ToolDef::name)
                .filter(n -> !ParityRow.OURS_ONLY.contains(n)))
                .containsExactlyInAnyOrderElementsOf(TOOLS);
    }

    @Test
    void scopesComeFromTheTargetOnlyWhereTheReferenceDeclaresNone() {
        Map<String, ParityRow> reference = ParityRow.all();
        List<String> borrowing = Catalog.builtIn().tools().stream().filter(ToolDef::scopesFromTarget).map(ToolDef::name).toList();
        assertThat(borrowing).containsExactlyInAnyOrder("graph-batch", "download-bytes", "download-bytes-to-file",
                "get-download-url");
        assertThat(borrowing).allSatisfy(name -> assertThat(reference.get(name).scopes()).isEmpty());
    }

    @Test
    void utilityResponsesAreHandledByTheirKind() {
        Catalog c = Catalog.builtIn();
        assertThat(c.find("graph-batch").orElseThrow().response()).isEqualTo(ToolDef.ResponseKind.BATCH);
        assertThat(c.find("download-bytes").orElseThrow().response()).isEqualTo(ToolDef.ResponseKind.BYTES);
        assertThat(c.find("download-bytes-to-file").orElseThrow().response()).isEqualTo(ToolDef.ResponseKind.FILE);
        assertThat(c.find("get-download-url").orElseThrow().response()).isEqualTo(ToolDef.ResponseKind.DOWNLOAD_URL);
        assertThat(c.find("parse-teams-url").orElseThrow().method()).isEqualTo(ToolDef.HttpMethod.LOCAL);
    }
}
