package dev.ms365mcp.http.metrics;

import dev.ms365mcp.auth.TokenObserver;
import dev.ms365mcp.tools.graph.GraphCallObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What operators watch, in Prometheus text format on {@code /metrics}: tool calls by tool and outcome
 * with their duration, Graph exchanges by tool, method and status class (throttling and retries apart),
 * Entra token acquisitions by outcome with the refresh time, OAuth tokens issued and refused by grant,
 * state store errors. Tool meters are registered up front and looked up once, so a call costs a few
 * atomic adds and no allocation of tags; Graph meters are found once per (tool, method, status class).
 * Tags stay bounded: tool names are the catalog's, methods five, status classes six; no user, path or id.
 *
 * <p>Meters live in Micrometer's global registry (components deep in the OAuth front door and the state
 * store count without being handed a registry); each server adds its Prometheus registry to it while it runs.
 */
public final class ServerMetrics implements AutoCloseable {

    /** A tool's meters, found once when the tool is wired. */
    public record ToolMeters(Counter ok, Counter error, Timer duration) {
        public void record(long startNanos, boolean isError) {
            duration.record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
            (isError ? error : ok).increment();
        }
    }

    /** OAuth token endpoint outcomes, by grant. */
    public static final Counter TOKENS_ISSUED_CODE = tokens("authorization_code", "issued");
    public static final Counter TOKENS_ISSUED_REFRESH = tokens("refresh_token", "issued");
    public static final Counter TOKENS_REFUSED = tokens("any", "refused");
    /** State store commands that failed (Redis unreachable, timed out). */
    public static final Counter STATE_STORE_ERRORS = Counter.builder("ms365.state.store.errors")
            .description("State store operations that failed").register(Metrics.globalRegistry);

    /** Told of every Graph exchange by the tool set ({@code Ms365Tools.builder().graphObserver}). */
    public static final GraphCallObserver GRAPH = ServerMetrics::graphExchange;
    /** Told of every Entra token request by the token providers of the HTTP modes. */
    public static final TokenObserver ENTRA_TOKENS = ServerMetrics::tokenAcquired;

    private static final Map<String, Timer> GRAPH_REQUESTS = new ConcurrentHashMap<>();
    private static final Map<String, Counter> GRAPH_THROTTLED = new ConcurrentHashMap<>();
    private static final Map<String, Counter> GRAPH_RETRIES = new ConcurrentHashMap<>();
    private static final Map<TokenObserver.Outcome, Counter> TOKEN_ACQUISITIONS = new EnumMap<>(TokenObserver.Outcome.class);
    private static final Timer TOKEN_REFRESH = Timer.builder("ms365.token.refresh")
            .description("Graph tokens fetched from Entra (silent refresh, on-behalf-of): time to the answer, "
                    + "the user's lock and cache I/O included").register(Metrics.globalRegistry);

    static {
        for (TokenObserver.Outcome outcome : TokenObserver.Outcome.values()) {
            TOKEN_ACQUISITIONS.put(outcome, Counter.builder("ms365.token.acquisitions")
                    .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
                    .description("Graph token requests by outcome: from the cache, refreshed at Entra, failed, "
                            + "interaction (a new sign-in) required").register(Metrics.globalRegistry));
        }
    }

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, ToolMeters> tools = new HashMap<>();

    public ServerMetrics(Collection<String> toolNames) {
        Metrics.addRegistry(prometheus);
        for (String name : toolNames) {
            tools.put(name, toolMeters(Metrics.globalRegistry, name));
        }
    }

    /** The meters of {@code tool} (registered at start for every offered tool). */
    public ToolMeters tool(String tool) {
        return tools.computeIfAbsent(tool, t -> toolMeters(Metrics.globalRegistry, t));
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return prometheus.scrape();
    }

    @Override
    public void close() {
        Metrics.removeRegistry(prometheus);
        prometheus.close();
    }

    private static ToolMeters toolMeters(MeterRegistry registry, String tool) {
        return new ToolMeters(
                Counter.builder("ms365.tool.calls").tag("tool", tool).tag("outcome", "ok")
                        .description("Tool calls by tool and outcome").register(registry),
                Counter.builder("ms365.tool.calls").tag("tool", tool).tag("outcome", "error")
                        .description("Tool calls by tool and outcome").register(registry),
                Timer.builder("ms365.tool.call.duration").tag("tool", tool)
                        .description("Tool call duration, Graph round trips included").register(registry));
    }

    private static void graphExchange(String tool, String method, int status, long nanos, boolean throttled,
            boolean retry) {
        String t = tool == null ? "none" : tool;
        String statusClass = status <= 0 ? "none" : status >= 600 ? "other" : (status / 100) + "xx";
        GRAPH_REQUESTS.computeIfAbsent(t + ' ' + method + ' ' + statusClass, k -> Timer.builder("ms365.graph.request")
                .tag("tool", t).tag("method", method).tag("status", statusClass)
                .description("Graph HTTP exchanges (each retry apart) by tool, method and status class; none: no answer")
                .register(Metrics.globalRegistry)).record(nanos, TimeUnit.NANOSECONDS);
        if (throttled) {
            GRAPH_THROTTLED.computeIfAbsent(t, k -> Counter.builder("ms365.graph.throttled").tag("tool", k)
                    .description("Graph answers asking to slow down: 429, or 503 with Retry-After")
                    .register(Metrics.globalRegistry)).increment();
        }
        if (retry) {
            GRAPH_RETRIES.computeIfAbsent(t, k -> Counter.builder("ms365.graph.retries").tag("tool", k)
                    .description("Graph requests sent again after a throttled, unavailable or unanswered one")
                    .register(Metrics.globalRegistry)).increment();
        }
    }

    private static void tokenAcquired(TokenObserver.Outcome outcome, long nanos) {
        TOKEN_ACQUISITIONS.get(outcome).increment();
        if (outcome == TokenObserver.Outcome.REFRESHED) {
            TOKEN_REFRESH.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    private static Counter tokens(String grant, String outcome) {
        return Counter.builder("ms365.oauth.tokens").tag("grant", grant).tag("outcome", outcome)
                .description("OAuth token endpoint answers").register(Metrics.globalRegistry);
    }
}
