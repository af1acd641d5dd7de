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
        System.out.println(mode + ": the reference's " + reference(set).size() + " tools " + toolsListBytes(reference(set))
                + " bytes; ours only " + oursOnly(set).stream().map(ToolDef::name).toList() + " add " + (bytes
                - toolsListBytes(reference(set))) + " bytes");
        Map<String, String> perArea = new TreeMap<>(set.tools().stream().collect(Collectors.groupingBy(ToolDef::area,
                Collectors.collectingAndThen(Collectors.toList(), l -> l.size() + " tools " + toolsListBytes(l) + " B"))));
        System.out.println(mode + ": " + set.tools().size() + " tools, " + bytes + " bytes; per area " + perArea);
        return bytes;
    }

    /**
     * The budgets are for the reference's tool sets (188 / 344 tools, measured like for like); our own
     * files-by-reference tools (issue 15, {@code ParityRow.OURS_ONLY}) have a small budget of their own.
     */
    private static List<ToolDef> reference(Ms365Tools set) {
        return set.tools().stream().filter(t -> !dev.ms365mcp.tools.catalog.ParityRow.OURS_ONLY.contains(t.name())).toList();
    }

    private static List<ToolDef> oursOnly(Ms365Tools set) {
        return set.tools().stream().filter(t -> dev.ms365mcp.tools.catalog.ParityRow.OURS_ONLY.contains(t.name())).toList();
    }

    @Test
    void personalModeFitsItsBudget() {
        Ms365Tools set = toolSet(false);
        assertThat(reference(set)).hasSize(188);
        assertThat(toolsListBytes(reference(set))).isLessThanOrEqualTo(80_000);
        assertThat(oursOnly(set)).hasSize(3);
        assertThat(report("personal", set) - toolsListBytes(reference(set))).isLessThanOrEqualTo(OURS_ONLY_BUDGET);
    }

    @Test
    void orgModeFitsItsBudget() {
        Ms365Tools set = toolSet(true);
        assertThat(reference(set)).hasSize(344);
        assertThat(toolsListBytes(reference(set))).isLessThanOrEqualTo(160_000);
        assertThat(oursOnly(set)).hasSize(4);
        assertThat(report("org", set)).isLessThanOrEqualTo(160_000);
    }

    /** The HTTP server's tool set: create-upload-link instead of the local-file tools, within the org budget. */
    @Test
    void theHttpServersUploadLinkToolIsSmall() {
        Ms365Tools set = Ms365Tools.builder().settings(ToolSettings.defaults().toBuilder().orgMode(true).build())
                .tokenProvider(new StaticTokenProvider("t")).fileLinks(new dev.ms365mcp.tools.links.FileLinks() {
                    @Override
                    public McpSchema.CallToolResult download(dev.ms365mcp.tools.links.ContentLink c, String p) {
                        return null;
                    }

                    @Override
                    public McpSchema.CallToolResult upload(dev.ms365mcp.tools.links.UploadLink u, String p) {
                        return null;
                    }
                }).build();
        List<ToolDef> link = set.tools().stream().filter(t -> t.name().equals(Ms365Tools.UPLOAD_LINK)).toList();
        assertThat(link).hasSize(1);
        System.out.println("create-upload-link: " + toolsListBytes(link) + " bytes");
        assertThat(toolsListBytes(link)).isLessThanOrEqualTo(750);
        assertThat(toolsListBytes(set.tools())).isLessThanOrEqualTo(160_000);
    }

    /** What upload-file-from-path, add-mail-attachment-from-path and list-local-files add in personal mode. */
    static final int OURS_ONLY_BUDGET = 1_500;
}
