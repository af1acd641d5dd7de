package dev.ms365mcp.tools.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.AbstractList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The path-template patterns are built on the first call that needs them, not while the server starts. */
class TargetScopesStartupTest {

    @Test
    void buildingReadsNothingAndTheFirstCallReadsTheCatalog() {
        int[] reads = {0};
        List<ToolDef> catalog = Catalog.builtIn().tools();
        List<ToolDef> counted = new AbstractList<>() {
            @Override
            public ToolDef get(int i) {
                reads[0]++;
                return catalog.get(i);
            }

            @Override
            public int size() {
                return catalog.size();
            }
        };
        TargetScopes scopes = new TargetScopes(counted);
        assertThat(reads[0]).as("rows read at start-up").isZero();
        assertThat(scopes.of("GET", "v1.0/drives/d/items/i/thumbnails")).isEqualTo(List.of("Files.Read"));
        int afterFirst = reads[0];
        assertThat(afterFirst).isEqualTo(catalog.size());
        scopes.of("GET", "/me/messages/x");
        assertThat(reads[0]).as("built once").isEqualTo(afterFirst);
    }
}
