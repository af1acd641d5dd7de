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
 * the spec says to treat as 2025-03-26), the body size (413, from {@code Content-Length} or while reading a
 * chunked body) and the JSON-RPC envelope of a POSTed message ({@link JsonRpcEnvelope}). The body is read
 * once here and handed on as a buffer.
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
            tooLarge(resp);
            return;
        }
        String type = req.getContentType();
        if (!"POST".equals(req.getMethod()) || type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            chain.doFilter(req, resp);
            return;
        }
        byte[] body = req.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (body.length > maxBytes) {
            tooLarge(resp);
            return;
        }
        JsonRpcEnvelope.Problem problem = JsonRpcEnvelope.check(body);
        if (problem != null) {
            tools.jackson.databind.node.ObjectNode error = JsonResponses.jsonRpcErrorBody(problem.code(), problem.message());
            if (problem.id() != null) {
                error.set("id", problem.id());
            }
            JsonResponses.write(resp, 400, error);
            return;
        }
        chain.doFilter(new BufferedBody(req, body), resp);
    }

    private void tooLarge(HttpServletResponse resp) throws IOException {
        JsonResponses.jsonRpcError(resp, 413, -32600, "The request body is larger than this server accepts ("
                + maxBytes + " bytes, MS365_MCP_MAX_REQUEST_BYTES).");
    }

    /** The request with its body already read. */
    private static final class BufferedBody extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest req, byte[] body) {
            super(req);
            this.body = body;
        }

        @Override
        public jakarta.servlet.ServletInputStream getInputStream() {
            java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(body);
            return new jakarta.servlet.ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(jakarta.servlet.ReadListener listener) {
                    throw new IllegalStateException("the body is already read");
                }
            };
        }

        @Override
        public java.io.BufferedReader getReader() {
            return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
