package dev.ms365mcp.http.transport;

import dev.ms365mcp.http.JsonResponses;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The JSON mapper the servlet transports write every body with, made to keep Java internals out of them.
 * The SDK writes an {@link McpError} exception object as an HTTP error body (its stack trace included) and
 * puts exception messages such as Jackson's "Cannot deserialize value of type `io.modelcontextprotocol...`"
 * into JSON-RPC errors. Here an {@code McpError} becomes a plain JSON-RPC error, and an error message that
 * names Java types, exceptions or stack frames is replaced by the standard text of its code. Messages of
 * ours (tool results, clear SDK texts such as "Session not found") pass unchanged.
 */
public final class SafeErrorJsonMapper implements McpJsonMapper {

    /** A qualified Java name ({@code java.lang.String}, {@code io.x.Y$Z}), an exception name, a stack frame. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+\\.[A-Z][\\w$]*)|Exception\\b|Error:|\\bat [\\w$.]+\\(|`|\\$[A-Z]",
            Pattern.DOTALL);

    private final McpJsonMapper delegate;

    public SafeErrorJsonMapper(McpJsonMapper delegate) {
        this.delegate = delegate;
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return delegate.writeValueAsString(safe(value));
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return delegate.writeValueAsBytes(safe(value));
    }

    static Object safe(Object value) {
        if (value instanceof McpError e) {
            JSONRPCError error = e.getJsonRpcError();
            int code = error == null || error.code() == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : error.code();
            String message = error == null ? e.getMessage() : error.message();
            return JsonResponses.jsonRpcErrorBody(codeOf(code, message), clean(code, message));
        }
        if (value instanceof JSONRPCResponse r && r.error() != null && unsafe(r.error())) {
            JSONRPCError e = r.error();
            int code = e.code() == null ? McpSchema.ErrorCodes.INTERNAL_ERROR : e.code();
            return new JSONRPCResponse(r.jsonrpc(), r.id(), null,
                    new JSONRPCError(codeOf(code, e.message()), clean(code, e.message()), null));
        }
        return value;
    }

    private static boolean unsafe(JSONRPCError e) {
        return e.message() != null && (INTERNALS.matcher(e.message()).find() || e.message().startsWith("Invalid message format"))
                || e.data() instanceof String s && INTERNALS.matcher(s).find();
    }

    /** Body that could not be read as JSON-RPC: the spec's parse error. */
    private static int codeOf(int code, String message) {
        return message != null && message.startsWith("Invalid message format") ? McpSchema.ErrorCodes.PARSE_ERROR : code;
    }

    static String clean(int code, String message) {
        if (message != null && message.startsWith("Invalid message format")) {
            return "Parse error: the body must be one JSON-RPC message.";
        }
        if (message != null && !INTERNALS.matcher(message).find()) {
            return message;
        }
        return switch (code) {
            case McpSchema.ErrorCodes.PARSE_ERROR -> "Parse error: the body must be one JSON-RPC message.";
            case McpSchema.ErrorCodes.INVALID_REQUEST -> "Invalid request.";
            case McpSchema.ErrorCodes.METHOD_NOT_FOUND -> "Method not found.";
            case McpSchema.ErrorCodes.INVALID_PARAMS -> "Invalid params: check the request's params against the method's schema.";
            default -> "Internal error while handling the request.";
        };
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, Class<T> type) {
        return delegate.convertValue(fromValue, type);
    }

    @Override
    public <T> T convertValue(Object fromValue, TypeRef<T> type) {
        return delegate.convertValue(fromValue, type);
    }
}
