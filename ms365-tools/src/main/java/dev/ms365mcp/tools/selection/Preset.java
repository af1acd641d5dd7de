package dev.ms365mcp.tools.selection;

import dev.ms365mcp.tools.catalog.ToolDef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A named group of tools ({@code --preset mail,calendar}): catalog areas, optionally only their
 * read-only tools. Defined as data in {@code catalog/presets.json}, with the reference's names.
 */
public record Preset(String name, String description, Set<String> areas, boolean readOnly) {

    /** The account tools belong to every preset: without them nobody can sign in. */
    private static final String ALWAYS = "accounts";

    public boolean includes(ToolDef tool) {
        return tool.area().equals(ALWAYS)
                || (areas.contains("*") || areas.contains(tool.area())) && (!readOnly || tool.readOnly());
    }

    /** Every preset by name, in file order. */
    public static Map<String, Preset> all() {
        return Holder.ALL;
    }

    /** Parses {@code mail,calendar}; an unknown name fails with the list of known ones. */
    public static List<Preset> parse(String csv) {
        List<Preset> out = new ArrayList<>();
        for (String raw : csv.split(",")) {
            String name = raw.strip().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            Preset p = all().get(name);
            if (p == null) {
                throw new IllegalArgumentException("Unknown preset '" + raw.strip() + "'; use one or more of: "
                        + String.join(", ", all().keySet()) + " (see --list-presets)");
            }
            out.add(p);
        }
        return out;
    }

    private static final class Holder {
        static final Map<String, Preset> ALL = read();

        private static Map<String, Preset> read() {
            try (InputStream in = Preset.class.getResourceAsStream("/dev/ms365mcp/tools/catalog/presets.json")) {
                JsonNode root = JsonMapper.shared().readTree(in);
                Map<String, Preset> out = new LinkedHashMap<>();
                root.properties().forEach(e -> {
                    JsonNode p = e.getValue();
                    Set<String> areas = new java.util.LinkedHashSet<>();
                    p.path("areas").forEach(a -> areas.add(a.asString()));
                    out.put(e.getKey(), new Preset(e.getKey(), p.path("description").asString(),
                            Set.copyOf(areas), p.path("readOnly").asBoolean(false)));
                });
                return java.util.Collections.unmodifiableMap(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (" + areas.stream().sorted().collect(Collectors.joining(", ")) + ")";
    }
}
