package dev.ms365mcp.tools.graph;

import java.util.function.Supplier;

/**
 * Who a Graph exchange is for and how it is stopped, for the duration of one tool call on the
 * thread running it. Set once by the executor around the call, read by {@link GraphClient} for every
 * exchange the call makes (pages, batch rounds, workbook sessions) without threading it through each.
 *
 * @param principal    the caller in a multi-user server; {@code null} for the single local user. Each
 *                     caller has a circuit breaker of their own
 * @param cancellation the call's off switch
 * @param tool         the tool being called, for metrics ({@link GraphCallObserver}); {@code null}: none
 */
public record CallScope(String principal, Cancellation cancellation, String tool) {

    private static final CallScope LOCAL = new CallScope(null, Cancellation.NEVER, null);
    private static final ThreadLocal<CallScope> CURRENT = new ThreadLocal<>();

    public CallScope {
        cancellation = cancellation == null ? Cancellation.NEVER : cancellation;
    }

    public CallScope(String principal, Cancellation cancellation) {
        this(principal, cancellation, null);
    }

    public static CallScope current() {
        CallScope s = CURRENT.get();
        return s == null ? LOCAL : s;
    }

    /** Runs {@code work} on this thread within this scope. */
    public <T> T run(Supplier<T> work) {
        CallScope previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
