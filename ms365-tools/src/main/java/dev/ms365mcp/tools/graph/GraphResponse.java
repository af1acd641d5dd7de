package dev.ms365mcp.tools.graph;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Status, headers (lower-cased names) and body of a Graph answer.
 *
 * @param truncated the body is only the start of what Graph sent: reading stopped at the client's body
 *                  bound ({@code MS365_MCP_MAX_GRAPH_BODY_BYTES})
 */
public record GraphResponse(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {

    public GraphResponse(int status, Map<String, List<String>> headers, byte[] body) {
        this(status, headers, body, false);
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    public String contentType() {
        String ct = header("content-type");
        return ct == null ? "" : ct;
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
