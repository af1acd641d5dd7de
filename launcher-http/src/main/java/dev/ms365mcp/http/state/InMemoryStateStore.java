package dev.ms365mcp.http.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link StateStore} in this process's memory: for tests, and the base of the embedded store. Expired
 * entries are dropped when touched and by {@link #sweep()}.
 */
public class InMemoryStateStore implements StateStore {

    private record Entry(byte[] value, Instant expires) {
        boolean liveAt(Instant now) {
            return expires.isAfter(now);
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryStateStore() {
        this(Clock.systemUTC());
    }

    public InMemoryStateStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        entries.put(key, new Entry(value.clone(), expiry(ttl)));
        changed(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Duration ttl) {
        Instant now = clock.instant();
        boolean[] stored = {false};
        entries.compute(key, (k, old) -> {
            if (old != null && old.liveAt(now)) {
                return old;
            }
            stored[0] = true;
            return new Entry(value.clone(), expiry(ttl));
        });
        if (stored[0]) {
            changed(key);
        }
        return stored[0];
    }

    @Override
    public Optional<byte[]> get(String key) {
        Entry e = entries.get(key);
        return e != null && e.liveAt(clock.instant()) ? Optional.of(e.value().clone()) : Optional.empty();
    }

    @Override
    public Optional<byte[]> take(String key) {
        Entry e = entries.remove(key);
        if (e == null) {
            return Optional.empty();
        }
        changed(key);
        return e.liveAt(clock.instant()) ? Optional.of(e.value()) : Optional.empty();
    }

    @Override
    public boolean compareAndSet(String key, byte[] expected, byte[] update, Duration ttl) {
        Instant now = clock.instant();
        boolean[] swapped = {false};
        entries.computeIfPresent(key, (k, old) -> {
            if (old.liveAt(now) && Arrays.equals(old.value(), expected)) {
                swapped[0] = true;
                return new Entry(update.clone(), expiry(ttl));
            }
            return old;
        });
        if (swapped[0]) {
            changed(key);
        }
        return swapped[0];
    }

    @Override
    public void delete(String key) {
        if (entries.remove(key) != null) {
            changed(key);
        }
    }

    @Override
    public long increment(String key, Duration window) {
        Instant now = clock.instant();
        Entry e = entries.compute(key, (k, old) -> {
            if (old == null || !old.liveAt(now)) {
                return new Entry(longBytes(1), now.plus(window));
            }
            return new Entry(longBytes(toLong(old.value()) + 1), old.expires());
        });
        return toLong(e.value());
    }

    @Override
    public <T> T locked(String key, Duration lease, Supplier<T> work) {
        // One process: a plain lock; the lease only matters where a holder can die with the lock held.
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean healthy() {
        return true;
    }

    /** Drops every expired entry. */
    public void sweep() {
        Instant now = clock.instant();
        entries.entrySet().removeIf(e -> !e.getValue().liveAt(now));
    }

    @Override
    public void close() {
    }

    /** Called after every change of {@code key}; the embedded store persists here. */
    protected void changed(String key) {
    }

    private Instant expiry(Duration ttl) {
        return clock.instant().plus(ttl);
    }

    private static byte[] longBytes(long v) {
        return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static long toLong(byte[] v) {
        return Long.parseLong(new String(v, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
