package dev.ms365mcp.tools.graph;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One circuit breaker per caller, with the reference server's meaning: {@code threshold} failed
 * exchanges in a row (429/503/504 or no answer) open the caller's circuit; while open, calls are
 * refused at once; after {@code cooldown} one call goes through as a probe: success closes the
 * circuit, failure keeps it open for another cooldown. One user's failures never refuse another's
 * calls.
 *
 * <p>Only callers with failures have an entry, so the success path of a healthy server costs one
 * empty-map check; stale entries are dropped when the map grows.
 */
final class CircuitBreakers {

    private static final Logger log = LoggerFactory.getLogger(CircuitBreakers.class);
    private static final String LOCAL = "";
    private static final int PRUNE_ABOVE = 4096;

    private static final class Circuit {
        int failures;
        long openedAt = -1;
        long lastFailureAt;
    }

    private final int threshold;
    private final long cooldownNanos;
    private final boolean disabled;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Circuit> circuits = new ConcurrentHashMap<>();

    CircuitBreakers(int threshold, long cooldownMs, boolean disabled, LongSupplier nanoClock) {
        this.threshold = threshold;
        this.cooldownNanos = cooldownMs * 1_000_000L;
        this.disabled = disabled;
        this.nanoClock = nanoClock;
    }

    /** Milliseconds until {@code principal}'s open circuit lets a probe through, or -1 when calls may go. */
    long refusedForMs(String principal) {
        if (disabled || circuits.isEmpty()) {
            return -1;
        }
        Circuit c = circuits.get(key(principal));
        if (c == null) {
            return -1;
        }
        synchronized (c) {
            if (c.openedAt < 0) {
                return -1;
            }
            long left = cooldownNanos - (nanoClock.getAsLong() - c.openedAt);
            return left <= 0 ? -1 : Math.max(1, left / 1_000_000L);
        }
    }

    /** Consecutive failures recorded for {@code principal}. */
    int failures(String principal) {
        Circuit c = circuits.get(key(principal));
        return c == null ? 0 : c.failures;
    }

    void success(String principal) {
        if (!circuits.isEmpty() && circuits.remove(key(principal)) != null) {
            log.info("Graph answered again: circuit closed");
        }
    }

    void failure(String principal) {
        if (disabled) {
            return;
        }
        if (circuits.size() > PRUNE_ABOVE) {
            prune();
        }
        Circuit c = circuits.computeIfAbsent(key(principal), k -> new Circuit());
        synchronized (c) {
            long now = nanoClock.getAsLong();
            c.failures++;
            c.lastFailureAt = now;
            if (c.openedAt >= 0) {
                c.openedAt = now;
                log.warn("Graph still failing: circuit stays open for {} ms", cooldownNanos / 1_000_000L);
            } else if (c.failures >= threshold) {
                c.openedAt = now;
                log.warn("Graph failed {} times in a row: circuit open for {} ms", c.failures, cooldownNanos / 1_000_000L);
            }
        }
    }

    /** Drops callers whose last failure is older than a cooldown (at least a minute): their count is stale. */
    private void prune() {
        long now = nanoClock.getAsLong();
        long stale = Math.max(cooldownNanos, 60_000_000_000L);
        circuits.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now - e.getValue().lastFailureAt > stale;
            }
        });
    }

    private static String key(String principal) {
        return principal == null ? LOCAL : "u:" + principal;
    }
}
