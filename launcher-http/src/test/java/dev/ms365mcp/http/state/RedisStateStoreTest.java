package dev.ms365mcp.http.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis store against a real redis-server, with two store instances standing for two replicas:
 * what one writes the other reads, single-use and compare-and-set have exactly one winner between
 * them, locks exclude across them, and data survives a Redis restart (append-only file).
 */
class RedisStateStoreTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @TempDir
    static Path dir;

    private static RedisServer redis;
    private static RedisStateStore replicaA;
    private static RedisStateStore replicaB;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = new RedisServer(dir).start();
        replicaA = new RedisStateStore(redis.url(), "test");
        replicaB = new RedisStateStore(redis.url(), "test");
    }

    @AfterAll
    static void stopRedis() throws Exception {
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void whatOneReplicaWritesTheOtherReads() {
        replicaA.put("registration:abc", b("{\"client\":1}"), MINUTE);
        assertThat(replicaB.get("registration:abc")).map(RedisStateStoreTest::s).hasValue("{\"client\":1}");
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
        assertThat(replicaA.get("once")).map(RedisStateStoreTest::s).hasValue("first");
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
    void aLockWhoseHolderDiedIsFreedByItsLease() {
        // A holder that never releases (a replica killed mid-refresh): its lease runs out.
        replicaA.put("lock:user:dead", b("someone-else"), Duration.ofMillis(200));
        long start = System.nanoTime();
        assertThat(replicaB.locked("user:dead", Duration.ofSeconds(2), () -> "got it")).isEqualTo("got it");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void dataSurvivesARedisRestart() throws Exception {
        replicaA.put("survivor", b("still here"), MINUTE);
        redis.restart();
        assertThat(replicaB.get("survivor")).map(RedisStateStoreTest::s).hasValue("still here");
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
