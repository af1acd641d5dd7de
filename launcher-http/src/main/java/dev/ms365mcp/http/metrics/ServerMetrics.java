package dev.ms365mcp.http.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * What operators watch, in Prometheus text format on {@code /metrics}: tool calls by tool and outcome
 * with their duration, OAuth tokens issued and refused by grant, state store errors. Every meter is
 * registered up front and looked up once, so a call costs a few atomic adds and no allocation of tags.
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

    private static Counter tokens(String grant, String outcome) {
        return Counter.builder("ms365.oauth.tokens").tag("grant", grant).tag("outcome", outcome)
                .description("OAuth token endpoint answers").register(Metrics.globalRegistry);
    }
}
