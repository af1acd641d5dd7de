package dev.ms365mcp.tools.catalog;

import dev.ms365mcp.tools.catalog.Param.Location;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a tool's input schema from its parameters: a flat JSON Schema 2020-12 object, path
 * parameters first, then the body, then options; no {@code $ref}, nothing Graph fills in itself.
 */
final class InputSchemas {

    private InputSchemas() {
    }

    static ObjectNode of(JsonMapper json, List<Param> params) {
        ObjectNode schema = json.createObjectNode().put("type", "object");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = json.createArrayNode();
        params.stream().filter(Param::listed).sorted(Comparator.comparingInt(InputSchemas::rank)).forEach(p -> {
            props.set(p.name(), p.schema());
            if (p.required()) {
                required.add(p.name());
            }
        });
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static int rank(Param p) {
        return p.in() == Location.PATH ? 0 : p.in() == Location.BODY ? 1 : 2;
    }
}
