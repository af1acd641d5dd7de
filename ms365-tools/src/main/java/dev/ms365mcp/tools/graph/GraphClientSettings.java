package dev.ms365mcp.tools.graph;

import static dev.ms365mcp.tools.EnvironmentValues.bool;
import static dev.ms365mcp.tools.EnvironmentValues.integer;

import java.util.Locale;
import java.util.Map;

/**
 * How the Graph client bounds each exchange. Names and defaults follow the reference server where it
 * has the variable; the Retry-After bound and the body bound are ours.
 *
 * @param timeoutMs        one HTTP exchange, connect to last byte ({@code MS365_MCP_GRAPH_TIMEOUT_MS}, 100 000)
 * @param baseBackoffMs    first wait before retrying a 429/503/504 that carries no {@code Retry-After}; doubled
 *                         per retry, a random part of it is waited ({@code MS365_MCP_GRAPH_BASE_BACKOFF_MS}, 200)
 * @param maxBackoffMs     ceiling of that doubling ({@code MS365_MCP_GRAPH_MAX_BACKOFF_MS}, 5 000)
 * @param maxRetryAfterMs  the longest {@code Retry-After} waited for; Graph asking for more fails the call at
 *                         once ({@code MS365_MCP_GRAPH_MAX_RETRY_AFTER_MS}, 30 000: below the 60 s request
 *                         timeout of common MCP clients)
 * @param circuitThreshold consecutive failed exchanges (429/503/504 or no answer) that open a caller's
 *                         circuit ({@code MS365_MCP_GRAPH_CIRCUIT_THRESHOLD}, 5)
 * @param circuitCooldownMs how long an open circuit refuses calls before one probe is let through
 *                         ({@code MS365_MCP_GRAPH_CIRCUIT_COOLDOWN_MS}, 30 000)
 * @param circuitDisabled  no circuit breaker ({@code MS365_MCP_GRAPH_CIRCUIT_DISABLED})
 * @param maxBodyBytes     the most of one response body read into memory; reading stops there, so the heap a
 *                         call needs does not depend on what Graph sends ({@code MS365_MCP_MAX_GRAPH_BODY_BYTES},
 *                         4 MiB). Downloads to a file stream and are not bounded by it.
 */
public record GraphClientSettings(int timeoutMs, int baseBackoffMs, int maxBackoffMs, int maxRetryAfterMs,
        int circuitThreshold, int circuitCooldownMs, boolean circuitDisabled, int maxBodyBytes) {

    public GraphClientSettings {
        if (timeoutMs < 1 || baseBackoffMs < 0 || maxBackoffMs < 0 || maxRetryAfterMs < 0 || circuitThreshold < 1
                || circuitCooldownMs < 0 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("Graph client settings out of range: " + this);
        }
    }

    public static GraphClientSettings defaults() {
        return new GraphClientSettings(100_000, 200, 5_000, 30_000, 5, 30_000, false, 4 * 1024 * 1024);
    }

    /** Reads the variables named on the record; a malformed value fails with one line naming it. */
    public static GraphClientSettings fromEnv(Map<String, String> env) {
        GraphClientSettings d = defaults();
        return new GraphClientSettings(
                integer(env, "MS365_MCP_GRAPH_TIMEOUT_MS", d.timeoutMs, 1),
                integer(env, "MS365_MCP_GRAPH_BASE_BACKOFF_MS", d.baseBackoffMs, 0),
                integer(env, "MS365_MCP_GRAPH_MAX_BACKOFF_MS", d.maxBackoffMs, 0),
                integer(env, "MS365_MCP_GRAPH_MAX_RETRY_AFTER_MS", d.maxRetryAfterMs, 0),
                integer(env, "MS365_MCP_GRAPH_CIRCUIT_THRESHOLD", d.circuitThreshold, 1),
                integer(env, "MS365_MCP_GRAPH_CIRCUIT_COOLDOWN_MS", d.circuitCooldownMs, 0),
                bool(env, "MS365_MCP_GRAPH_CIRCUIT_DISABLED", d.circuitDisabled),
                integer(env, "MS365_MCP_MAX_GRAPH_BODY_BYTES", d.maxBodyBytes, 1024));
    }

    public GraphClientSettings withTimeoutMs(int v) {
        return new GraphClientSettings(v, baseBackoffMs, maxBackoffMs, maxRetryAfterMs, circuitThreshold,
                circuitCooldownMs, circuitDisabled, maxBodyBytes);
    }

    public GraphClientSettings withBackoffMs(int base, int max) {
        return new GraphClientSettings(timeoutMs, base, max, maxRetryAfterMs, circuitThreshold, circuitCooldownMs,
                circuitDisabled, maxBodyBytes);
    }

    public GraphClientSettings withMaxRetryAfterMs(int v) {
        return new GraphClientSettings(timeoutMs, baseBackoffMs, maxBackoffMs, v, circuitThreshold, circuitCooldownMs,
                circuitDisabled, maxBodyBytes);
    }

    public GraphClientSettings withCircuit(int threshold, int cooldownMs, boolean disabled) {
        return new GraphClientSettings(timeoutMs, baseBackoffMs, maxBackoffMs, maxRetryAfterMs, threshold, cooldownMs,
                disabled, maxBodyBytes);
    }

    public GraphClientSettings withMaxBodyBytes(int v) {
        return new GraphClientSettings(timeoutMs, baseBackoffMs, maxBackoffMs, maxRetryAfterMs, circuitThreshold,
                circuitCooldownMs, circuitDisabled, v);
    }

}
