package dev.ms365mcp.http.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * CORS for browser-based MCP clients (the MCP Inspector, web agents). Two policies: the OAuth metadata,
 * registration, token and revocation endpoints answer any origin (they use no cookies, so {@code *} gives
 * nothing away); {@code /mcp} answers only the origins {@link OriginValidator} allows, and exposes
 * {@code WWW-Authenticate}, {@code Mcp-Session-Id} and {@code Retry-After} (of a 429 or 503) so a browser client
 * can read them. Preflights are
 * answered here (204) and go no further.
 */
public final class Cors extends HttpFilter {

    private final Set<String> origins;
    private final String methods;
    private final String allowHeaders;
    private final String exposeHeaders;

    private Cors(Set<String> origins, String methods, String allowHeaders, String exposeHeaders) {
        this.origins = origins;
        this.methods = methods;
        this.allowHeaders = allowHeaders;
        this.exposeHeaders = exposeHeaders;
    }

    /** For OAuth metadata, /register, /token, /revoke: every origin. */
    public static Cors anyOrigin() {
        return new Cors(null, "GET, POST, OPTIONS", "Authorization, Content-Type, Accept, Mcp-Protocol-Version",
                "WWW-Authenticate");
    }

    /** For /mcp: only {@code origins}. */
    public static Cors mcp(Set<String> origins) {
        return new Cors(Set.copyOf(origins), "GET, POST, DELETE, OPTIONS",
                "Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID",
                "WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version, Retry-After");
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String origin = req.getHeader("Origin");
        boolean allowed = origin != null && (origins == null || origins.contains(origin.strip().toLowerCase(Locale.ROOT)));
        if (allowed) {
            resp.setHeader("Access-Control-Allow-Origin", origins == null ? "*" : origin.strip());
            if (origins != null) {
                resp.addHeader("Vary", "Origin");
            }
            resp.setHeader("Access-Control-Expose-Headers", exposeHeaders);
        }
        if ("OPTIONS".equals(req.getMethod()) && req.getHeader("Access-Control-Request-Method") != null) {
            if (allowed) {
                resp.setHeader("Access-Control-Allow-Methods", methods);
                resp.setHeader("Access-Control-Allow-Headers", allowHeaders);
                resp.setHeader("Access-Control-Max-Age", "600");
            }
            resp.setStatus(204);
            return;
        }
        chain.doFilter(req, resp);
    }
}
