package dev.ms365mcp.http.security;

import dev.ms365mcp.http.JsonResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding protection for {@code /mcp} (MCP transports spec, "Security Warning"): a browser page
 * from another site must not reach the server, even when its host name resolves to our address.
 * <ul>
 * <li>{@code Origin}, when sent, must be the public URL's origin or one of {@code MS365_MCP_CORS_ORIGIN} (or,
 *     when the server listens on loopback only, a page on a loopback host: a local app, not a rebinding site);
 *     requests without it (non-browser clients) pass. Otherwise 403.</li>
 * <li>{@code Host} must name the public URL's host (any port), one of {@code MS365_MCP_ALLOWED_HOSTS}, or,
 *     when the server listens on loopback only, a loopback name. Otherwise 421 (Misdirected Request).</li>
 * </ul>
 */
public final class OriginValidator extends HttpFilter {

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final Set<String> origins;
    private final Set<String> hosts;
    private final boolean loopback;

    /**
     * @param origins  allowed Origin values, {@code scheme://host[:port]}
     * @param hosts    allowed host names (without port), lower case
     * @param loopback also allow loopback host names
     */
    public OriginValidator(Set<String> origins, Set<String> hosts, boolean loopback) {
        this.origins = Set.copyOf(origins);
        this.hosts = Set.copyOf(hosts);
        this.loopback = loopback;
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String origin = req.getHeader("Origin");
        if (origin != null && !originAllowed(origin.strip().toLowerCase(Locale.ROOT))) {
            JsonResponses.jsonRpcError(resp, 403, -32000, "Origin not allowed. Browser clients need their origin "
                    + "in MS365_MCP_CORS_ORIGIN.");
            return;
        }
        if (!hostAllowed(req.getHeader("Host"))) {
            JsonResponses.jsonRpcError(resp, 421, -32000, "Host not allowed: connect through the server's public URL "
                    + "(MS365_MCP_PUBLIC_URL).");
            return;
        }
        chain.doFilter(req, resp);
    }

    private boolean originAllowed(String origin) {
        if (origins.contains(origin)) {
            return true;
        }
        int scheme = origin.indexOf("://");
        return loopback && scheme > 0 && LOOPBACK_NAMES.contains(hostName(origin.substring(scheme + 3)));
    }

    boolean hostAllowed(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String h = hostName(hostHeader.strip().toLowerCase(Locale.ROOT));
        return hosts.contains(h) || loopback && LOOPBACK_NAMES.contains(h);
    }

    /** The name part of a Host header: {@code [::1]:3000} → {@code [::1]}, {@code a.example:443} → {@code a.example}. */
    static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
