package dev.ms365mcp.http.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * The Redis store against a real redis-server: the whole {@link StateStoreContract} (moving the test clock
 * shortens every key's remaining lifetime in Redis, so expiry is tested without waiting), and, with a second
 * store instance standing for a second replica: what one writes the other reads, single-use and
 * compare-and-set have exactly one winner between them, locks exclude across them, a dead holder's lock is
 * freed by its lease, and data survives a Redis restart (append-only file).
 */
class RedisStateStoreContractTest extends StateStoreContract {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    static Path dir;

    private static RedisServer redis;
    private static RedisClient admin;

    private RedisStateStore replicaA;
    private RedisStateStore replicaB;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServer(dir).start();
        admin = RedisClient.create(redis.url());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        admin.close();
        redis.close();
    }

    /** Each test gets its own namespace, so tests start empty; a second instance stands for a second replica. */
    @Override
    protected StateStore create(MovableClock clock) {
        String namespace = "contract-" + UUID.randomUUID();
        replicaA = new RedisStateStore(redis.url(), namespace);
        replicaB = new RedisStateStore(redis.url(), namespace);
        clock.onAdvance(elapsed -> age(namespace + ":", elapsed));
        return replicaA;
    }

    @AfterEach
    void closeSecondReplica() {
        replicaB.close();
    }

    /** What time passing does in Redis: every key of the namespace comes {@code elapsed} closer to expiry. */
    private static void age(String prefix, Duration elapsed) {
        for (String key : admin.keys(prefix + "*")) {
            long left = admin.pttl(key);
            if (left >= 0) {
                if (left <= elapsed.toMillis()) {
                    admin.del(key);
                } else {
                    admin.pexpire(key, left - elapsed.toMillis());
                }
            }
        }
    }

    @Test
    void whatOneReplicaWritesTheOtherReads() {
        replicaA.put("registration:abc", b("{\"client\":1}"), MINUTE);
        assertThat(replicaB.get("registration:abc")).map(StateStoreContract::s).hasValue("{\"client\":1}");
        replicaB.delete("registration:abc");
        assertThat(replicaA.get("registration:abc")).isEmpty();
    }

    @Test
    void entriesExpire() throws Exception {
        replicaA.put("short", b("x"), Duration.ofMillis(150));
        assertThat(replicaB.get("short")).isPresent();
        Thread.sleep(400);
        assertThat(replicaB.get("short")).isEmpty();
    }

    @Test
    void namespacesDoNotSeeEachOther() {
        try (RedisStateStore other = new RedisStateStore(redis.url(), "other-deployment")) {
            replicaA.put("shared-name", b("mine"), MINUTE);
            assertThat(other.get("shared-name")).isEmpty();
        }
    }

    @Test
    void putIfAbsentKeepsTheFirst() {
        assertThat(replicaA.putIfAbsent("once", b("first"), MINUTE)).isTrue();
        assertThat(replicaB.putIfAbsent("once", b("second"), MINUTE)).isFalse();
        assertThat(replicaA.get("once")).map(StateStoreContract::s).hasValue("first");
    }

    @Test
    void aCodeTakenConcurrentlyByManyReplicasIsTakenOnce() throws Exception {
        for (int round = 0; round < 20; round++) {
            String key = "code:" + round;
            replicaA.put(key, b("code"), MINUTE);
            List<Callable<Boolean>> takers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RedisStateStore store = i % 2 == 0 ? replicaA : replicaB;
                takers.add(() -> store.take(key).isPresent());
            }
            assertThat(winners(takers)).isEqualTo(1);
        }
    }

    @Test
    void concurrentRotationsHaveOneWinner() throws Exception {
        for (int round = 0; round < 20; round++) {
            String key = "family:" + round;
            replicaA.put(key, b("generation-1"), MINUTE);
            List<Callable<Boolean>> rotations = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RedisStateStore store = i % 2 == 0 ? replicaA : replicaB;
                String next = "generation-2-by-" + i;
                rotations.add(() -> store.compareAndSet(key, b("generation-1"), b(next), MINUTE));
            }
            assertThat(winners(rotations)).isEqualTo(1);
            assertThat(s(replicaB.get(key).orElseThrow())).startsWith("generation-2-by-");
        }
        assertThat(replicaA.compareAndSet("absent", b("x"), b("y"), MINUTE)).isFalse();
        assertThat(replicaA.get("absent")).isEmpty();
    }

    @Test
    void countersCountAcrossReplicasWithinAWindow() throws Exception {
        assertThat(replicaA.increment("rate:1.2.3.4", Duration.ofMillis(300))).isEqualTo(1);
        assertThat(replicaB.increment("rate:1.2.3.4", Duration.ofMillis(300))).isEqualTo(2);
        assertThat(replicaA.increment("rate:1.2.3.4", Duration.ofMillis(300))).isEqualTo(3);
        Thread.sleep(500);
        assertThat(replicaB.increment("rate:1.2.3.4", Duration.ofMillis(300))).isEqualTo(1);
    }

    @Test
    void aLockExcludesOtherReplicas() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Callable<Boolean>> holders = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RedisStateStore store = i % 2 == 0 ? replicaA : replicaB;
            holders.add(() -> store.locked("user:42", Duration.ofSeconds(5), () -> {
                if (inside.incrementAndGet() > 1) {
                    overlaps.incrementAndGet();
                }
                sleep(30);
                inside.decrementAndGet();
                return true;
            }));
        }
        assertThat(winners(holders)).isEqualTo(6);
        assertThat(overlaps).hasValue(0);
    }

    @Test
    void aLockWhoseHolderHangsIsFreedByItsLease() throws Exception {
        // Replica A takes the lock with a short lease and never gives it back (killed mid-refresh, or stuck).
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = Thread.ofVirtual().start(() -> replicaA.locked("user:stuck", Duration.ofMillis(300), () -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        holding.await();
        long start = System.nanoTime();
        assertThat(replicaB.locked("user:stuck", Duration.ofSeconds(2), () -> "got it")).isEqualTo("got it");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
        release.countDown();
        stuck.join();
    }

    @Test
    void keysCarryTheNamespaceAndValuesCountersAndLocksDoNotCollide() {
        replicaA.put("a", b("value"), MINUTE);
        replicaA.increment("a", MINUTE);
        replicaA.locked("a", MINUTE, () -> {
            assertThat(admin.keys("*")).filteredOn(k -> !k.startsWith("contract-")).isEmpty();
            return null;
        });
        assertThat(replicaB.get("a")).map(StateStoreContract::s).hasValue("value");
    }

    @Test
    void dataSurvivesARedisRestart() throws Exception {
        replicaA.put("survivor", b("still here"), MINUTE);
        redis.restart();
        admin.close();
        admin = RedisClient.create(redis.url());
        assertThat(replicaB.get("survivor")).map(StateStoreContract::s).hasValue("still here");
        assertThat(replicaA.healthy()).isTrue();
    }

    private static int winners(List<Callable<Boolean>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            int wins = 0;
            for (Future<Boolean> f : pool.invokeAll(tasks)) {
                wins += f.get() ? 1 : 0;
            }
            return wins;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
