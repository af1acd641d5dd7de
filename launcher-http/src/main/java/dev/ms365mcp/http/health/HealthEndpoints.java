package dev.ms365mcp.http.health;

import dev.ms365mcp.http.JsonResponses;
import dev.ms365mcp.http.state.StateStore;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The probes, and the answer for every path nothing else serves.
 * <ul>
 * <li>{@code GET /}: 200 and JSON whose {@code message} is the reference server's text ("Microsoft 365 MCP
 *     Server is running"), so probes written for it keep passing;</li>
 * <li>{@code GET /healthz}: liveness — the process serves requests;</li>
 * <li>{@code GET /readyz}: readiness — 200 when the state store answers, else 503;</li>
 * <li>anything else: 404 with a small JSON body.</li>
 * </ul>
 */
public final class HealthEndpoints extends HttpServlet {

    private final StateStore store;
    private final String version;

    public HealthEndpoints(StateStore store, String version) {
        this.store = store;
        this.version = version;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        boolean read = "GET".equals(req.getMethod()) || "HEAD".equals(req.getMethod());
        if (!read || !(path.equals("/") || path.equals("/healthz") || path.equals("/readyz"))) {
            JsonResponses.error(resp, 404, "not_found", null);
            return;
        }
        resp.setHeader("Cache-Control", "no-store");
        ObjectNode body = JsonMapper.shared().createObjectNode();
        switch (path) {
            case "/" -> JsonResponses.write(resp, 200, body.put("status", "ok")
                    .put("message", "Microsoft 365 MCP Server is running").put("version", version));
            case "/healthz" -> JsonResponses.write(resp, 200, body.put("status", "ok"));
            default -> {
                boolean ready = healthy();
                JsonResponses.write(resp, ready ? 200 : 503, body.put("status", ready ? "ok" : "unavailable")
                        .put("state", ready ? "ok" : "unreachable"));
            }
        }
    }

    private boolean healthy() {
        try {
            return store.healthy();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
