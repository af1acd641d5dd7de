package dev.ms365mcp.http.state;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A {@link StateStore} in this process's memory: for tests, and the base of the embedded store. Expired
 * entries are dropped when touched and swept at most every {@link #SWEEP_INTERVAL} on writes; per-key
 * locks live only while someone holds or waits for them. So memory is bounded by what is live.
 */
public class InMemoryStateStore implements StateStore {

    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

    /** A value and when it expires. */
    protected record Entry(byte[] value, Instant expires) {
        boolean liveAt(Instant now) {
            return expires.isAfter(now);
        }
    }

    /** A lock and how many threads hold or wait for it; removed from the map when that drops to zero. */
    private static final class CountedLock {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    /** Rate-limit counters, apart from the entries: they live one window and are never persisted. */
    private final ConcurrentHashMap<String, Entry> counters = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CountedLock> locks = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong();
    protected final Clock clock;

    public InMemoryStateStore() {
        this(Clock.systemUTC());
    }

    public InMemoryStateStore(Clock clock) {
        this.clock = clock;
        lastSweep.set(clock.millis());
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        maybeSweep();
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

    /** Counters are kept apart and never passed to {@link #changed}: they matter for one window only. */
    @Override
    public long increment(String key, Duration window) {
        Instant now = clock.instant();
        Entry e = counters.compute(key, (k, old) -> {
            if (old == null || !old.liveAt(now)) {
                return new Entry(longBytes(1), now.plus(window));
            }
            return new Entry(longBytes(toLong(old.value()) + 1), old.expires());
        });
        maybeSweep();
        return toLong(e.value());
    }

    @Override
    public <T> T locked(String key, Duration lease, Supplier<T> work) {
        // One process: a plain lock; the lease only matters where a holder can die with the lock held.
        CountedLock counted = locks.compute(key, (k, l) -> {
            CountedLock c = l == null ? new CountedLock() : l;
            c.users++;
            return c;
        });
        counted.lock.lock();
        try {
            return work.get();
        } finally {
            counted.lock.unlock();
            locks.computeIfPresent(key, (k, l) -> --l.users == 0 ? null : l);
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
        counters.entrySet().removeIf(e -> !e.getValue().liveAt(now));
    }

    @Override
    public void close() {
    }

    /** Called after every change of {@code key} except counters; the embedded store persists here. */
    protected void changed(String key) {
    }

    /** The entry under {@code key} as stored now (expired or not), or null. */
    protected final Entry entry(String key) {
        return entries.get(key);
    }

    /** Every entry, for a snapshot. */
    protected final Map<String, Entry> entries() {
        return entries;
    }

    /** Restores an entry read back from disk, without reporting it as a change. */
    protected final void restore(String key, byte[] value, Instant expires) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, new Entry(value, expires));
        }
    }

    /** Number of per-key locks held or waited for (tests: the lock map must not grow with keys). */
    final int lockCount() {
        return locks.size();
    }

    private void maybeSweep() {
        long now = clock.millis();
        long last = lastSweep.get();
        if (now - last > SWEEP_INTERVAL.toMillis() && lastSweep.compareAndSet(last, now)) {
            sweep();
        }
    }

    private Instant expiry(Duration ttl) {
        return clock.instant().plus(ttl);
    }

    private static byte[] longBytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    private static long toLong(byte[] v) {
        return Long.parseLong(new String(v, StandardCharsets.US_ASCII));
    }
}
