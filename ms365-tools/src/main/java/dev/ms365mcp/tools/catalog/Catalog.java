package dev.ms365mcp.tools.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every tool the server knows, read once from the catalog resources (one JSON file per area under
 * {@code dev/ms365mcp/tools/catalog/}). Immutable and shared: filters decide what is listed.
 */
public final class Catalog {

    private final List<ToolDef> tools;
    private final Map<String, ToolDef> byName;

    Catalog(List<ToolDef> tools) {
        this.tools = List.copyOf(tools);
        Map<String, ToolDef> map = new LinkedHashMap<>();
        for (ToolDef t : tools) {
            if (map.put(t.name(), t) != null) {
                throw new IllegalStateException("Duplicate tool name in catalog: " + t.name());
            }
        }
        this.byName = Map.copyOf(map);
    }

    /** The built-in catalog, parsed on first use. */
    public static Catalog builtIn() {
        return Holder.INSTANCE;
    }

    /** The three tools of discovery mode (search-tools, get-tool-schema, execute-tool). */
    public static List<ToolDef> discoveryTools() {
        return Holder.DISCOVERY;
    }

    public List<ToolDef> tools() {
        return tools;
    }

    public Optional<ToolDef> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private static final class Holder {
        static final Catalog INSTANCE = new Catalog(CatalogReader.readBuiltIn());
        static final List<ToolDef> DISCOVERY = List.copyOf(CatalogReader.readExtra("discovery.json"));
    }
}
