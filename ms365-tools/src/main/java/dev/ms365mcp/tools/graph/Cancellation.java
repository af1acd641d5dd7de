package dev.ms365mcp.tools.graph;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Call;

/**
 * The off switch of one running tool call. {@link #cancel()} aborts the HTTP exchange in flight
 * (OkHttp closes its socket, so a blocked read ends at once, on platform and virtual threads alike)
 * and wakes a wait for {@code Retry-After}; the client then stops at its next step.
 */
public final class Cancellation {

    /** For calls nobody can cancel (a single caller without the transport hook). */
    public static final Cancellation NEVER = new Cancellation();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private volatile boolean cancelled;
    private volatile Call inFlight;

    public void cancel() {
        if (this == NEVER) {
            return;
        }
        cancelled = true;
        Call c = inFlight;
        if (c != null) {
            c.cancel();
        }
        lock.lock();
        try {
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** The exchange now in flight; cancelled at once if the call already is. */
    void attach(Call call) {
        if (this == NEVER) {
            return;
        }
        inFlight = call;
        if (cancelled) {
            call.cancel();
        }
    }

    void detach() {
        inFlight = null;
    }

    /**
     * Waits {@code millis} unless cancelled first. A thread interrupt also ends the wait (and stays set).
     *
     * @return false when the wait was cut short
     */
    public boolean pause(long millis) {
        if (millis <= 0) {
            return !cancelled;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!cancelled) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                woken.awaitNanos(left);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
