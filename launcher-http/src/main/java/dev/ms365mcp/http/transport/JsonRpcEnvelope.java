package dev.ms365mcp.http.transport;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shape of one incoming JSON-RPC message, checked before the SDK sees it: the SDK turns a malformed
 * message into a Java exception, and on the stateful transport a request whose params do not fit ends its
 * stream without any answer, leaving the client waiting. Here such a message gets the JSON-RPC error it
 * deserves (-32700, -32600, -32602), with the request's id when it has one.
 */
final class JsonRpcEnvelope {

    /** A refusal: the JSON-RPC code, a message of ours, and the id to answer (null when unknown). */
    record Problem(int code, String message, JsonNode id) {
    }

    private JsonRpcEnvelope() {
    }

    /** Null when {@code body} is one well-formed message; otherwise what is wrong with it. */
    static Problem check(byte[] body) {
        JsonNode m;
        try {
            m = JsonMapper.shared().readTree(body);
        } catch (JacksonException e) {
            return new Problem(-32700, "Parse error: the body is not valid JSON.", null);
        }
        if (m == null || m.isMissingNode()) {
            return new Problem(-32700, "Parse error: the body is empty.", null);
        }
        if (m.isArray()) {
            return new Problem(-32600, "Invalid request: send one JSON-RPC message per request (batches are not supported).", null);
        }
        if (!m.isObject() || !"2.0".equals(m.path("jsonrpc").asString(null))) {
            return new Problem(-32600, "Invalid request: a JSON-RPC 2.0 object is expected (\"jsonrpc\": \"2.0\").", null);
        }
        JsonNode id = m.get("id");
        if (id != null && !(id.isString() || id.isIntegralNumber())) {
            return new Problem(-32600, "Invalid request: id must be a string or an integer.", null);
        }
        JsonNode method = m.get("method");
        if (method == null) {
            boolean answer = id != null && (m.has("result") || m.has("error"));
            return answer ? null : new Problem(-32600, "Invalid request: method is missing.", id);
        }
        if (!method.isString()) {
            return new Problem(-32600, "Invalid request: method must be a string.", id);
        }
        JsonNode params = m.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            return new Problem(-32602, "Invalid params: params must be an object.", id);
        }
        return switch (method.asString()) {
            case "tools/call", "prompts/get" -> string(params, "name") && objectOrAbsent(params, "arguments") ? null
                    : new Problem(-32602, "Invalid params: name must be a string and arguments an object.", id);
            case "resources/read", "resources/subscribe", "resources/unsubscribe" -> string(params, "uri") ? null
                    : new Problem(-32602, "Invalid params: uri must be a string.", id);
            default -> null;
        };
    }

    private static boolean string(JsonNode params, String field) {
        return params != null && params.path(field).isString();
    }

    private static boolean objectOrAbsent(JsonNode params, String field) {
        JsonNode v = params.get(field);
        return v == null || v.isNull() || v.isObject();
    }
}
