package dev.ms365mcp.http.state;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The state the HTTP server keeps between requests — client registrations, pending authorizations,
 * authorization codes, token records, users' encrypted Entra caches, rate-limit counters — as opaque
 * values under string keys. One replica keeps it in its data directory; several share it (Redis).
 *
 * <p>Callers encrypt values holding secrets before they reach a store, and put no user names in keys.
 * Every operation is atomic on its key, across every replica sharing the store.
 */
public interface StateStore extends AutoCloseable {

    /** Stores {@code value} under {@code key} (replacing any), gone after {@code ttl}. */
    void put(String key, byte[] value, Duration ttl);

    /** Stores only if {@code key} holds nothing; true if stored. */
    boolean putIfAbsent(String key, byte[] value, Duration ttl);

    Optional<byte[]> get(String key);

    /** Reads and removes in one step: of two concurrent callers, only one gets the value (single-use codes). */
    Optional<byte[]> take(String key);

    /**
     * Replaces the value only if it still equals {@code expected} (byte for byte); true if replaced.
     * The new value lives for {@code ttl}. Refresh-token rotation uses it so only one of two concurrent
     * refreshes wins.
     */
    boolean compareAndSet(String key, byte[] expected, byte[] update, Duration ttl);

    void delete(String key);

    /**
     * Adds one to the counter under {@code key}, which starts at zero and disappears {@code window}
     * after its first increment; returns the new count (fixed-window rate limits). Counters live apart from
     * the values above ({@link #get} does not see them) and a single-replica store keeps them in memory only.
     */
    long increment(String key, Duration window);

    /**
     * Runs {@code work} while holding a lock named {@code key}, exclusive across every replica sharing
     * this store; the lock is given up after {@code lease} even if its holder died. Used around a
     * user's silent refresh at Entra.
     */
    <T> T locked(String key, Duration lease, Supplier<T> work);

    /** True when the store answers (readiness). */
    boolean healthy();

    @Override
    void close();
}
