package dev.ms365mcp.http;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The small JSON bodies the server answers with outside the MCP SDK: plain errors ({@code {"error": ...}})
 * for HTTP endpoints and JSON-RPC errors without id for {@code /mcp}, as the Streamable HTTP transport
 * expects. Messages are fixed texts of ours, never an exception's.
 */
public final class JsonResponses {

    private JsonResponses() {
    }

    /** {@code {"error": code, "error_description": description}}. */
    public static void error(HttpServletResponse resp, int status, String code, String description) throws IOException {
        ObjectNode body = JsonMapper.shared().createObjectNode().put("error", code);
        if (description != null) {
            body.put("error_description", description);
        }
        write(resp, status, body);
    }

    /** {@code {"jsonrpc":"2.0","id":null,"error":{"code":..,"message":..}}}. */
    public static void jsonRpcError(HttpServletResponse resp, int status, int code, String message) throws IOException {
        write(resp, status, jsonRpcErrorBody(code, message));
    }

    public static ObjectNode jsonRpcErrorBody(int code, String message) {
        ObjectNode body = JsonMapper.shared().createObjectNode().put("jsonrpc", "2.0").putNull("id");
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }

    public static void write(HttpServletResponse resp, int status, ObjectNode body) throws IOException {
        byte[] bytes = JsonMapper.shared().writeValueAsBytes(body);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding("UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    /** The JSON-RPC error code for an HTTP status of ours. */
    public static int jsonRpcCode(int status) {
        return switch (status) {
            case 400, 413, 415 -> -32600;
            case 404 -> -32001;
            default -> -32603;
        };
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
