package dev.ms365mcp.http.transport;

import dev.ms365mcp.http.JsonResponses;
import dev.ms365mcp.http.security.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Binds each MCP session to the user who opened it (the spec's "bind session IDs to user-specific
 * information"): a request carrying another user's {@code Mcp-Session-Id} is answered as if the session did
 * not exist, so nobody can read another user's stream or answer their elicitations. At most
 * {@code capacity} sessions are remembered (least recently used forgotten first); a forgotten session's
 * client is told it is gone and starts a new one.
 */
public final class SessionOwners extends HttpFilter {

    private final Map<String, String> owners;

    public SessionOwners(int capacity) {
        this.owners = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        String user = req.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? c.principal() : "";
        String session = req.getHeader("Mcp-Session-Id");
        if (session == null) {
            chain.doFilter(req, resp);
            String created = resp.getHeader("Mcp-Session-Id");
            if (created != null) {
                synchronized (owners) {
                    owners.put(created, user);
                }
            }
            return;
        }
        String owner;
        synchronized (owners) {
            owner = owners.get(session);
        }
        if (!user.equals(owner)) {
            JsonResponses.jsonRpcError(resp, 404, -32001, "Session not found: start a new one with initialize.");
            return;
        }
        chain.doFilter(req, resp);
        if ("DELETE".equals(req.getMethod()) && resp.getStatus() < 300) {
            synchronized (owners) {
                owners.remove(session);
            }
        }
    }

    int size() {
        synchronized (owners) {
            return owners.size();
        }
    }
}
