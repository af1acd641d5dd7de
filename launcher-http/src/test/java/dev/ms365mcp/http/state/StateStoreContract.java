package dev.ms365mcp.http.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StateStore} promises, run against each implementation (a Redis store subclasses this
 * too). Subclasses create the store on a clock the tests move.
 */
public abstract class StateStoreContract {

    /** A clock tests move by hand. */
    public static final class MovableClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
        private final List<java.util.function.Consumer<Duration>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

        public void advance(Duration d) {
            now = now.plus(d);
            listeners.forEach(l -> l.accept(d));
        }

        /** Also moves time for a store that keeps its own (Redis: its keys' remaining lifetimes). */
        public void onAdvance(java.util.function.Consumer<Duration> listener) {
            listeners.add(listener);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    protected final MovableClock clock = new MovableClock();
    protected StateStore store;

    protected abstract StateStore create(MovableClock clock) throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = create(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] b) {
        return new String(b, UTF_8);
    }

    @Test
    void valuesExpireAfterTheirTtl() {
        store.put("k", b("v"), Duration.ofSeconds(10));
        assertThat(store.get("k").map(StateStoreContract::s)).hasValue("v");
        clock.advance(Duration.ofSeconds(9));
        assertThat(store.get("k")).isPresent();
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.get("k")).isEmpty();
        assertThat(store.take("k")).isEmpty();
    }

    @Test
    void putIfAbsentStoresOnlyOverNothingOrExpired() {
        assertThat(store.putIfAbsent("k", b("first"), Duration.ofSeconds(5))).isTrue();
        assertThat(store.putIfAbsent("k", b("second"), Duration.ofSeconds(5))).isFalse();
        assertThat(store.get("k").map(StateStoreContract::s)).hasValue("first");
        clock.advance(Duration.ofSeconds(6));
        assertThat(store.putIfAbsent("k", b("third"), Duration.ofSeconds(5))).isTrue();
        assertThat(store.get("k").map(StateStoreContract::s)).hasValue("third");
    }

    @Test
    void valuesAreCopiesNotShared() {
        byte[] v = b("abc");
        store.put("k", v, Duration.ofMinutes(1));
        v[0] = 'x';
        store.get("k").orElseThrow()[1] = 'y';
        assertThat(store.get("k").map(StateStoreContract::s)).hasValue("abc");
    }

    @Test
    void deleteRemoves() {
        store.put("k", b("v"), Duration.ofMinutes(1));
        store.delete("k");
        store.delete("never-there");
        assertThat(store.get("k")).isEmpty();
    }

    @Test
    void takeHasExactlyOneWinnerUnderConcurrency() throws Exception {
        for (int round = 0; round < 20; round++) {
            store.put("code" + round, b("grant"), Duration.ofMinutes(1));
            String key = "code" + round;
            assertThat(race(16, () -> store.take(key).isPresent())).isEqualTo(1);
            assertThat(store.get(key)).isEmpty();
        }
    }

    @Test
    void compareAndSetHasExactlyOneWinnerUnderConcurrency() throws Exception {
        store.put("rt", b("v0"), Duration.ofMinutes(1));
        AtomicInteger n = new AtomicInteger();
        assertThat(race(16, () -> store.compareAndSet("rt", b("v0"), b("v" + n.incrementAndGet()), Duration.ofMinutes(1))))
                .isEqualTo(1);
        assertThat(s(store.get("rt").orElseThrow())).startsWith("v").isNotEqualTo("v0");
        assertThat(store.compareAndSet("missing", b("a"), b("b"), Duration.ofMinutes(1))).isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.compareAndSet("rt", store.get("rt").orElse(b("gone")), b("x"), Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void incrementCountsWithinAWindowThenStartsOver() throws Exception {
        assertThat(store.increment("c", Duration.ofSeconds(60))).isEqualTo(1);
        assertThat(store.increment("c", Duration.ofSeconds(60))).isEqualTo(2);
        clock.advance(Duration.ofSeconds(59));
        assertThat(store.increment("c", Duration.ofSeconds(60))).isEqualTo(3);
        clock.advance(Duration.ofSeconds(1));
        assertThat(store.increment("c", Duration.ofSeconds(60))).isEqualTo(1);
        AtomicInteger unused = new AtomicInteger();
        race(16, () -> {
            unused.incrementAndGet();
            return store.increment("d", Duration.ofMinutes(1)) > 0;
        });
        assertThat(store.increment("d", Duration.ofMinutes(1))).isEqualTo(17);
    }

    @Test
    void lockedIsExclusivePerKey() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        race(8, () -> store.locked("user-1", Duration.ofSeconds(30), () -> {
            int now = inside.incrementAndGet();
            maxInside.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside.decrementAndGet();
            return true;
        }));
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(store.locked("other", Duration.ofSeconds(1), () -> "ran")).isEqualTo("ran");
    }

    @Test
    void countersAndLocksLiveApartFromValues() {
        store.put("k", b("value"), Duration.ofMinutes(1));
        assertThat(store.increment("k", Duration.ofMinutes(1))).isEqualTo(1);
        assertThat(store.get("k").map(StateStoreContract::s)).hasValue("value");
        store.put("lock:k", b("a value whose name looks like a lock"), Duration.ofMinutes(1));
        assertThat(store.locked("k", Duration.ofSeconds(1), () -> store.get("k").map(StateStoreContract::s)))
                .hasValue("value");
        assertThat(store.get("lock:k")).isPresent();
    }

    @Test
    void isHealthyWhenOpen() {
        assertThat(store.healthy()).isTrue();
    }

    /** Runs {@code task} on {@code threads} threads released together; returns how many returned true. */
    protected static int race(int threads, Callable<Boolean> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> tasks = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            tasks.add(() -> {
                start.await();
                return task.call();
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (Callable<Boolean> t : tasks) {
                futures.add(pool.submit(t));
            }
            start.countDown();
            int wins = 0;
            for (Future<Boolean> f : futures) {
                wins += f.get() ? 1 : 0;
            }
            return wins;
        }
    }
}
