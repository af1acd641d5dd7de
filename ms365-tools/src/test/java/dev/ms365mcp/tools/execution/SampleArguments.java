package dev.ms365mcp.tools.execution;

import dev.ms365mcp.tools.catalog.Param;
import dev.ms365mcp.tools.catalog.ToolDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Typical arguments for any catalog row, made from its schema: what a model would send. */
final class SampleArguments {

    /** A path value with every character that must stay inside its segment. */
    static final String AWKWARD_ID = "AAMk/x?y#z";
    static final String AWKWARD_ID_ENCODED = "AAMk%2Fx%3Fy%23z";

    private SampleArguments() {
    }

    static Map<String, Object> forTool(ToolDef tool) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (Param p : tool.params()) {
            switch (p.in()) {
                case PATH -> args.put(p.name(), p.schema().has("enum") ? p.schema().path("enum").get(0).asString() : AWKWARD_ID);
                case BODY -> args.put(p.name(), sample(p.schema()));
                case QUERY -> {
                    if (p.name().equals("top")) {
                        args.put("top", 5);
                    } else if (p.name().equals("select")) {
                        args.put("select", "id,displayName");
                    } else if (p.required()) {
                        args.put(p.name(), sample(p.schema()));
                    }
                }
                case HEADER -> {
                    if (p.name().equals("If-Match")) {
                        args.put("If-Match", "W/\"etag-1\"");
                    }
                }
                case LOCAL -> { }
            }
        }
        return args;
    }

    static Object sample(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.path("enum").get(0).asString();
        }
        return switch (schema.path("type").asString("string")) {
            case "integer" -> 1;
            case "number" -> 1.5;
            case "boolean" -> true;
            case "array" -> {
                List<Object> list = new ArrayList<>();
                list.add(sample(schema.path("items")));
                yield list;
            }
            case "object" -> {
                Map<String, Object> obj = new LinkedHashMap<>();
                schema.path("properties").properties().forEach(e -> obj.put(e.getKey(), sample(e.getValue())));
                yield obj;
            }
            default -> "sample text";
        };
    }
}
