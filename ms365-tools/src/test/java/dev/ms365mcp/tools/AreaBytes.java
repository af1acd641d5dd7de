package dev.ms365mcp.tools;

import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.List;

/** What an area's tools cost in tools/list (personal or org mode), for per-area budget checks. */
public final class AreaBytes {

    private AreaBytes() {
    }

    /** The area's tools as {@code orgMode} lists them. */
    public static List<ToolDef> tools(String area, boolean orgMode) {
        return ToolListBudgetTest.toolSet(orgMode).tools().stream().filter(t -> t.area().equals(area)).toList();
    }

    /** Bytes of compact tools/list JSON for just these tools, as the SDK writes it. */
    public static int of(List<ToolDef> tools) {
        return ToolListBudgetTest.toolsListBytes(tools);
    }
}
