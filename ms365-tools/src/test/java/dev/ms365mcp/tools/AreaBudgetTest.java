package dev.ms365mcp.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each area's share of tools/list (org mode, every row listed), against a ceiling a few percent above
 * its size today: an area that grows shows up here, by name, before the whole-mode budget breaks.
 */
class AreaBudgetTest {

    private static final Map<String, Integer> CEILING = Map.ofEntries(
            Map.entry("accounts", 1_650),
            Map.entry("calendar", 15_500),
            Map.entry("contacts", 5_400),
            Map.entry("directory", 8_550),
            Map.entry("excel", 12_900),
            Map.entry("files", 9_350), // + upload-file-from-path (ours, issue 15)
            Map.entry("mail", 19_250),
            Map.entry("meetings", 7_200),
            Map.entry("onenote", 3_450),
            Map.entry("org-calendar", 3_800),
            Map.entry("places", 1_950),
            Map.entry("planner", 6_700),
            Map.entry("presence", 3_400),
            Map.entry("profile", 500),
            Map.entry("search", 2_300),
            Map.entry("shared-mailbox", 10_650), // + add-shared-mailbox-attachment-from-path
            Map.entry("sharepoint", 9_850),
            Map.entry("sharepoint-onenote", 6_400),
            Map.entry("subscriptions", 1_850),
            Map.entry("teams", 19_900),
            Map.entry("todo", 5_250),
            Map.entry("utilities", 1_950)); // + list-local-files

    static List<String> areas() {
        return CEILING.keySet().stream().sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("areas")
    void areaStaysUnderItsCeiling(String area) {
        List<ToolDef> tools = ToolListBudgetTest.toolSet(true).tools().stream().filter(t -> t.area().equals(area))
                .collect(Collectors.toList());
        int bytes = ToolListBudgetTest.toolsListBytes(tools);
        System.out.println(area + ": " + tools.size() + " tools, " + bytes + " bytes, " + bytes / tools.size() + " per tool");
        assertThat(bytes).isLessThanOrEqualTo(CEILING.get(area));
    }

    @org.junit.jupiter.api.Test
    void everyAreaHasACeiling() {
        assertThat(ToolListBudgetTest.toolSet(true).tools().stream().map(ToolDef::area).distinct())
                .containsExactlyInAnyOrderElementsOf(CEILING.keySet());
    }
}
