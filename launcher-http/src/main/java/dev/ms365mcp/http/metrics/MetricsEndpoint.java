package dev.ms365mcp.http.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: Prometheus text format. With {@code MS365_MCP_METRICS_TOKEN} set, only a scraper
 * sending {@code Authorization: Bearer <token>} gets it (compared in constant time); others get 401.
 */
public final class MetricsEndpoint extends HttpServlet {

    private final ServerMetrics metrics;
    private final byte[] token;

    /** @param token the bearer scrapers must send; null: open (bind the port to a private network) */
    public MetricsEndpoint(ServerMetrics metrics, String token) {
        this.metrics = metrics;
        this.token = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (token != null) {
            String given = req.getHeader("Authorization");
            if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
                resp.setHeader("WWW-Authenticate", "Bearer");
                resp.sendError(401);
                return;
            }
        }
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
        resp.getOutputStream().write(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
