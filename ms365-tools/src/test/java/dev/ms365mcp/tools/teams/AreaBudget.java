package dev.ms365mcp.tools.teams;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.catalog.Catalog;
import dev.ms365mcp.tools.catalog.ParityRow;
import dev.ms365mcp.tools.catalog.ToolDef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an org-mode area costs in tools/list, measured the way the budget test measures it (compact
 * JSON of the listed tools as the SDK writes them), and which parity rows an area must hold.
 */
public final class AreaBudget {

    /** Org-only areas must stay at or below this average per tool. */
    public static final int ORG_BYTES_PER_TOOL = 440;

    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder().build());

    private AreaBudget() {
    }

    /** The listed tools of {@code area} in org mode. */
    public static List<McpSchema.Tool> listed(String area) {
        Ms365Tools tools = Ms365Tools.builder().settings(ToolSettings.defaults().toBuilder().orgMode(true).build())
                .tokenProvider(new StaticTokenProvider("t")).build();
        Set<String> names = Set.copyOf(Catalog.builtIn().tools().stream().filter(t -> t.area().equals(area))
                .map(ToolDef::name).toList());
        return tools.syncToolSpecifications().stream().map(s -> s.tool()).filter(t -> names.contains(t.name())).toList();
    }

    /** Bytes of a tools/list answer holding {@code tools}. */
    public static int bytes(List<McpSchema.Tool> tools) {
        try {
            return MAPPER.writeValueAsString(new McpSchema.ListToolsResult(tools, null))
                    .getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints the area's total and each tool's share (largest first), and returns the total. */
    public static int report(String area) {
        List<McpSchema.Tool> tools = listed(area);
        int total = bytes(tools);
        Map<String, Integer> each = new LinkedHashMap<>();
        tools.stream().sorted((a, b) -> bytes(List.of(b)) - bytes(List.of(a)))
                .forEach(t -> each.put(t.name(), bytes(List.of(t))));
        System.out.println(area + ": " + tools.size() + " tools, " + total + " bytes, "
                + (tools.isEmpty() ? 0 : total / tools.size()) + " per tool; each: " + each);
        return total;
    }

    /** The parity rows named. */
    public static List<ParityRow> rows(List<String> names) {
        Map<String, ParityRow> all = ParityRow.all();
        return names.stream().map(n -> {
            ParityRow r = all.get(n);
            if (r == null) {
                throw new AssertionError(n + " is not in tool-parity.tsv");
            }
            return r;
        }).toList();
    }
}
