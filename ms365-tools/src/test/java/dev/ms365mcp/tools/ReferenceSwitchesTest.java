package dev.ms365mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.catalog.ToolDef;
import dev.ms365mcp.tools.selection.Preset;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The reference server's switches read by ToolSettings: MAX_TOP, ALLOW_PAGINATION, FORCE_WORK_SCOPES, feature toggles, ENABLED_TOOLS. */
class ReferenceSwitchesTest {

    @RegisterExtension
    final ToolHarness h = new ToolHarness();

    private static List<ToolDef> offered(Map<String, String> env) {
        Map<String, String> e = new HashMap<>(env);
        e.putIfAbsent("MS365_MCP_ORG_MODE", "true");
        return Ms365Tools.builder().settings(ToolSettings.fromEnv(e)).tokenProvider(new StaticTokenProvider("t")).build()
                .offeredTools();
    }

    @Test
    void maxTopLowersALargerTopOnly() {
        h.configure(s -> s.maxTop(15));
        h.graph.on("GET", "/v1.0/me/messages", FakeResponse.ok("{\"value\":[]}"));
        h.call("list-mail-messages", Map.of("top", 500));
        assertThat(h.graph.lastRequest().query()).containsEntry("$top", "15");
        h.call("list-mail-messages", Map.of("top", 5));
        assertThat(h.graph.lastRequest().query()).containsEntry("$top", "5");
        assertThat(ToolSettings.fromEnv(Map.of("MS365_MCP_MAX_TOP", "15")).maxTop()).isEqualTo(15);
        assertThat(ToolSettings.fromEnv(Map.of()).maxTop()).isZero();
        assertThatThrownBy(() -> ToolSettings.fromEnv(Map.of("MS365_MCP_MAX_TOP", "0"))).hasMessageStartingWith("MS365_MCP_MAX_TOP");
    }

    @Test
    void withPaginationOffFetchAllPagesIsNotListedAndGetsTheFirstPage() {
        assertThat(ToolSettings.fromEnv(Map.of("MS365_MCP_ALLOW_PAGINATION", "false")).allowPagination()).isFalse();
        assertThat(ToolSettings.fromEnv(Map.of()).allowPagination()).isTrue();
        h.graph.pages("/v1.0/me/messages", List.of(List.of("{\"id\":\"1\"}"), List.of("{\"id\":\"2\"}")));

        assertThat(properties(h.tools(), "list-mail-messages")).contains("fetchAllPages");
        h.configure(s -> s.allowPagination(false));
        assertThat(properties(h.tools(), "list-mail-messages")).doesNotContain("fetchAllPages").contains("top");
        CallToolResult r = h.call("list-mail-messages", Map.of("fetchAllPages", true));
        assertThat(r.isError()).isFalse();
        assertThat(h.graph.requests()).hasSize(1);
    }

    private static Set<String> properties(Ms365Tools tools, String name) {
        McpSchema.Tool tool = tools.syncToolSpecifications().stream().map(s -> s.tool())
                .filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        Object props = tool.inputSchema().get("properties");
        Set<String> names = new java.util.TreeSet<>();
        ((JsonNode) props).propertyNames().forEach(names::add);
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1"})
    void forceWorkScopesIsTheReferencesOlderNameForOrgMode(String v) {
        assertThat(ToolSettings.fromEnv(Map.of("MS365_MCP_FORCE_WORK_SCOPES", v)).orgMode()).isTrue();
        assertThat(ToolSettings.fromEnv(Map.of()).orgMode()).isFalse();
    }

    @Test
    void eachFeatureToggleDropsItsGroupAndNothingElse() {
        Set<String> all = offered(Map.of()).stream().map(ToolDef::name).collect(Collectors.toSet());
        assertThat(ToolSettings.fromEnv(Map.of()).disabledAreas()).isEmpty();
        Map<String, List<String>> expectedAreas = Map.of(
                "MS365_MCP_ENABLE_MAIL", List.of("mail", "shared-mailbox"),
                "MS365_MCP_ENABLE_CALENDAR", List.of("calendar", "org-calendar"),
                "MS365_MCP_ENABLE_FILES", List.of("files"),
                "MS365_MCP_ENABLE_TEAMS", List.of("teams", "meetings", "presence"),
                "MS365_MCP_ENABLE_EXCEL_POWERPOINT", List.of("excel"),
                "MS365_MCP_ENABLE_ONENOTE", List.of("onenote", "sharepoint-onenote"),
                "MS365_MCP_ENABLE_TASKS", List.of("todo", "planner"));
        assertThat(ToolSettings.FEATURE_TOGGLES.keySet()).isEqualTo(expectedAreas.keySet());
        expectedAreas.forEach((toggle, areas) -> {
            List<ToolDef> left = offered(Map.of(toggle, "false"));
            assertThat(left).as(toggle).noneMatch(t -> areas.contains(t.area()));
            Set<String> dropped = new java.util.HashSet<>(all);
            left.forEach(t -> dropped.remove(t.name()));
            assertThat(dropped).as(toggle + " drops some tools").isNotEmpty();
            assertThat(offered(Map.of()).stream().filter(t -> dropped.contains(t.name())))
                    .as(toggle + " drops only its areas").allMatch(t -> areas.contains(t.area()));
            assertThat(offered(Map.of(toggle, "true"))).hasSameSizeAs(offered(Map.of()));
        });
        assertThat(Preset.all().get("teams-write").areas()).containsExactlyInAnyOrder("teams", "meetings", "presence");
        assertThatThrownBy(() -> ToolSettings.fromEnv(Map.of("MS365_MCP_ENABLE_MAIL", "nope")))
                .hasMessageStartingWith("MS365_MCP_ENABLE_MAIL");
    }

    @Test
    void aBacktrackingPatternIsRefusedNamingWhereItCameFrom() {
        String evil = "(?:(.)\\1?|.)*#";
        long start = System.nanoTime();
        assertThatThrownBy(() -> ToolSettings.fromEnv(Map.of("ENABLED_TOOLS", evil)))
                .hasMessageStartingWith("ENABLED_TOOLS").hasMessageContaining(evil).hasMessageContaining("Backreferences");
        assertThatThrownBy(() -> ToolSettings.regex(evil, "--enabled-tools"))
                .hasMessageStartingWith("--enabled-tools").hasMessageNotContaining("ENABLED_TOOLS");
        assertThatThrownBy(() -> ToolSettings.regex("mail(?=x)", "--enabled-tools")).hasMessageContaining("lookaround");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
    }

    @Test
    void patternsThatBacktrackExponentiallyElsewhereRunInLinearTime() {
        // Nested quantifiers: java.util.regex needs about 2^n steps on a long non-matching name; RE2 does not.
        var p = ToolSettings.regex("^(a+)+$", "ENABLED_TOOLS");
        String name = "a".repeat(5_000) + "!";
        long start = System.nanoTime();
        assertThat(p.matcher(name).find()).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_000);
        List<ToolDef> offered = offered(Map.of("ENABLED_TOOLS", "(x+x+)+y|^LIST-MAIL-MESSAGES$"));
        assertThat(offered).extracting(ToolDef::name).contains("list-mail-messages").doesNotContain("get-mail-message");
    }
}
