package dev.ms365mcp.http.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address a request came from, for per-address limits. {@code X-Forwarded-For} is believed only as far
 * as {@code MS365_MCP_TRUST_PROXY_HOPS} proxies we run appended to it: anyone can send the header, so its
 * leftmost entries are whatever the client wrote.
 */
public final class ClientAddress {

    private final int trustedHops;

    public ClientAddress(int trustedHops) {
        this.trustedHops = trustedHops;
    }

    public String of(HttpServletRequest req) {
        if (trustedHops == 0) {
            return req.getRemoteAddr();
        }
        String xff = req.getHeader("X-Forwarded-For");
        if (xff == null || xff.isBlank()) {
            return req.getRemoteAddr();
        }
        String[] hops = xff.split(",");
        // The last proxy appended the address it saw; with N trusted proxies that is the Nth entry from the right.
        int index = Math.max(0, hops.length - trustedHops);
        String address = hops[index].strip();
        return address.isEmpty() || address.length() > 64 ? req.getRemoteAddr() : address;
    }
}
