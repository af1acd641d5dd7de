package dev.ms365mcp.http.transport;

import dev.ms365mcp.http.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * What the SDK's servlet transports leave unchecked on {@code /mcp}: {@code MCP-Protocol-Version} (the
 * spec's 400 for a version the server does not speak; absent means the client predates the header, which
 * the spec says to treat as 2025-03-26) and the body size (413 before anything is read when
 * {@code Content-Length} says so; the transport's own cap stops chunked bodies).
 */
public final class McpRequestGuard extends HttpFilter {

    private final List<String> versions;
    private final long maxBytes;

    public McpRequestGuard(List<String> versions, long maxBytes) {
        this.versions = List.copyOf(versions);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String version = req.getHeader("MCP-Protocol-Version");
        if (version != null && !versions.contains(version.strip())) {
            JsonResponses.jsonRpcError(resp, 400, -32600, "Unsupported MCP-Protocol-Version; this server speaks "
                    + String.join(", ", versions) + ".");
            return;
        }
        if (req.getContentLengthLong() > maxBytes) {
            JsonResponses.jsonRpcError(resp, 413, -32600, "The request body is larger than this server accepts ("
                    + maxBytes + " bytes, MS365_MCP_MAX_REQUEST_BYTES).");
            return;
        }
        chain.doFilter(req, resp);
    }
}
