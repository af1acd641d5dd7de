package dev.ms365mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What tools/list costs a model on every turn, in bytes of compact JSON as the SDK writes it, for the
 * tool sets a desktop user gets (account tools and local files included). Budgets from DESIGN.md;
 * the reference spends 1,033,012 bytes (personal) and 2,094,958 bytes (org) on the same tools.
 */
class ToolListBudgetTest {

    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder().build());

    static int toolsListBytes(List<ToolDef> tools) {
        List<McpSchema.Tool> listed = tools.stream().map(Ms365Tools::mcpTool).toList();
        try {
            return MAPPER.writeValueAsString(McpSchema.ListToolsResult.builder(listed).build()).getBytes().length;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Ms365Tools toolSet(boolean orgMode) {
        return Ms365Tools.builder()
                .settings(ToolSettings.defaults().toBuilder().orgMode(orgMode).localFiles(true).build())
                .tokenProvider(new StaticTokenProvider("t"))
                .accountManager(AccountManager.unavailable("test"))
                .build();
    }

    private static int report(String mode, Ms365Tools set) {
        int bytes = toolsListBytes(set.tools());
        Map<String, String> perArea = new TreeMap<>(set.tools().stream().collect(Collectors.groupingBy(ToolDef::area,
                Collectors.collectingAndThen(Collectors.toList(), l -> l.size() + " tools " + toolsListBytes(l) + " B"))));
        System.out.println(mode + ": " + set.tools().size() + " tools, " + bytes + " bytes; per area " + perArea);
        return bytes;
    }

    @Test
    void personalModeFitsItsBudget() {
        Ms365Tools set = toolSet(false);
        assertThat(set.tools()).hasSize(188);
        assertThat(report("personal", set)).isLessThanOrEqualTo(80_000);
    }

    @Test
    void orgModeFitsItsBudget() {
        Ms365Tools set = toolSet(true);
        assertThat(set.tools()).hasSize(344);
        assertThat(report("org", set)).isLessThanOrEqualTo(160_000);
    }
}
