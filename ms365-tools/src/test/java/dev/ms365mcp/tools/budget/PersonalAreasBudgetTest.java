package dev.ms365mcp.tools.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the files, excel, onenote and utilities areas cost in personal mode's tools/list (local files
 * allowed, so every row is listed), in bytes of compact JSON as the SDK writes it.
 */
class PersonalAreasBudgetTest {

    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    /** Ceilings per area: today's size plus a little room; the reference spends about 5,500 bytes per tool. */
    private static final Map<String, Integer> CEILING = Map.of("files", 8_400, "excel", 12_300, "onenote", 3_500,
            "utilities", 1_800);

    @Test
    void theseAreasStayWithinTheirCeilings() {
        Ms365Tools tools = Ms365Tools.builder().settings(ToolSettings.defaults().toBuilder().localFiles(true).build())
                .tokenProvider(new StaticTokenProvider("t")).build();
        Map<String, Integer> bytes = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (String area : CEILING.keySet()) {
            List<McpSchema.Tool> listed = tools.syncToolSpecifications().stream().map(SyncToolSpecification::tool)
                    .filter(t -> tools.tools().stream().anyMatch(d -> d.name().equals(t.name()) && d.area().equals(area)))
                    .toList();
            bytes.put(area, size(listed));
            counts.put(area, listed.size());
        }
        int total = bytes.values().stream().mapToInt(Integer::intValue).sum();
        int count = counts.values().stream().mapToInt(Integer::intValue).sum();
        bytes.forEach((area, b) -> System.out.println(area + ": " + counts.get(area) + " tools, " + b + " bytes, "
                + b / counts.get(area) + " per tool"));
        System.out.println("files+excel+onenote+utilities: " + count + " tools, " + total + " bytes, " + total / count
                + " per tool");
        assertThat(counts).containsEntry("files", 20).containsEntry("excel", 23).containsEntry("onenote", 12)
                .containsEntry("utilities", 5);
        CEILING.forEach((area, max) -> assertThat(bytes.get(area)).as(area).isLessThanOrEqualTo(max));
    }

    private static int size(List<McpSchema.Tool> tools) {
        try {
            return MAPPER.writeValueAsString(new McpSchema.ListToolsResult(tools, null)).getBytes(StandardCharsets.UTF_8).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
