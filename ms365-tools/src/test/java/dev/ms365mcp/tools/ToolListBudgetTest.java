package dev.ms365mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

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
 * What tools/list costs a model on every turn, in bytes of compact JSON as the SDK writes it. The
 * budgets come from DESIGN.md; the per-area numbers are printed to keep an eye on growth.
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
        return Ms365Tools.builder().settings(ToolSettings.defaults().toBuilder().orgMode(orgMode).build())
                .tokenProvider(new StaticTokenProvider("t")).build();
    }

    @Test
    void mailAreaStaysSmall() {
        List<ToolDef> mail = toolSet(false).tools().stream().filter(t -> t.area().equals("mail")).toList();
        int bytes = toolsListBytes(mail);
        Map<String, Integer> perArea = new TreeMap<>(toolSet(true).tools().stream()
                .collect(Collectors.groupingBy(ToolDef::area, Collectors.collectingAndThen(Collectors.toList(),
                        ToolListBudgetTest::toolsListBytes))));
        System.out.println("tools/list bytes per area (org mode): " + perArea);
        System.out.println("mail: " + mail.size() + " tools, " + bytes + " bytes, " + bytes / mail.size() + " per tool");
        // 43 tools in at most 23,500 bytes: the reference spends 1,033,012 bytes on 188 tools.
        assertThat(bytes).isLessThanOrEqualTo(23_500);
    }
}
