package dev.ms365mcp.testkit.graph;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the testkit. */
final class JsonText {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonText() {
    }

    static String quote(String s) {
        return MAPPER.writeValueAsString(s);
    }
}
