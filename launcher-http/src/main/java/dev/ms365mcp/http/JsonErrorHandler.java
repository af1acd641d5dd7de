package dev.ms365mcp.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Error pages as small JSON, whatever {@code sendError} was given: Jetty's default is an HTML page that
 * repeats the message (and, if enabled, a stack trace). On {@code /mcp} the body is a JSON-RPC error.
 */
final class JsonErrorHandler extends org.eclipse.jetty.ee10.servlet.ErrorHandler {

    JsonErrorHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    /** Every method gets a body: a PUT or DELETE client deserves to read why, too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
            String contentType, List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
        String reason = HttpStatus.getMessage(code);
        ObjectNode body = request.getHttpURI().getPath().startsWith(JettyServer.MCP_PATH)
                ? JsonResponses.jsonRpcErrorBody(JsonResponses.jsonRpcCode(code), reason)
                : JsonMapper.shared().createObjectNode().put("error", reason.toLowerCase(java.util.Locale.ROOT).replace(' ', '_'));
        byte[] bytes = JsonMapper.shared().writeValueAsBytes(body);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
