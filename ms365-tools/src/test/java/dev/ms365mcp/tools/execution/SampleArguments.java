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
    /** A whole Graph path (download targets): an escaped '/' inside a segment must stay escaped. */
    static final String TARGET = "/me/drive/items/AAMk%2Fx/content";
    /** A directory object ID, as a model gives it to a {@code $ref} row. */
    static final String MEMBER_ID = "7c1f1d3e-0000-4000-8000-00000000abcd";
    /** Bytes of a binary body, as base64. */
    static final String BASE64 = java.util.Base64.getEncoder().encodeToString("sample bytes".getBytes());

    private SampleArguments() {
    }

    static Map<String, Object> forTool(ToolDef tool) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (Param p : tool.params()) {
            switch (p.in()) {
                case PATH -> args.put(p.name(), p.schema().has("enum") ? p.schema().path("enum").get(0).asString()
                        : Param.GRAPH_PATH.equals(p.format()) ? TARGET : AWKWARD_ID);
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
        if (tool.response() == ToolDef.ResponseKind.BATCH) {
            args.put("body", Map.of("requests", List.of(Map.of("id", "1", "method", "GET", "url", "/me/messages?$top=5"))));
        }
        return args;
    }

    static Object sample(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.path("enum").get(0).asString();
        }
        if (schema.path("contentEncoding").asString("").equals("base64")) {
            return BASE64;
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
                schema.path("properties").properties().forEach(e -> obj.put(e.getKey(),
                        e.getKey().equals("@odata.id") ? MEMBER_ID : sample(e.getValue())));
                // members a prose body only names as required
                schema.path("required").forEach(r -> obj.putIfAbsent(r.asString(), "sample text"));
                yield obj;
            }
            default -> "sample text";
        };
    }
}
