package dev.ms365mcp.tools.graph;

/**
 * Hears every HTTP exchange {@link GraphClient} has with Graph, retries included, for metrics. Called on the
 * calling thread after each exchange; it must be quick and must not throw (a throw is logged and ignored).
 * Nothing that identifies a user or an item is passed: no path, no ids, no bodies.
 */
@FunctionalInterface
public interface GraphCallObserver {

    /** Observes nothing (the default). */
    GraphCallObserver NONE = (tool, method, status, nanos, throttled, retry) -> {
    };

    /**
     * @param tool      the tool whose call made the exchange ({@link CallScope#tool()}), or {@code null} outside one
     * @param method    the HTTP method, upper case
     * @param status    Graph's HTTP status; 0 when no answer came (unreachable, timed out)
     * @param nanos     how long the exchange took, body read included
     * @param throttled Graph said to slow down: 429, or 503 with {@code Retry-After}
     * @param retry     this exchange repeats an earlier one of the same call (a retry)
     */
    void exchanged(String tool, String method, int status, long nanos, boolean throttled, boolean retry);
}
