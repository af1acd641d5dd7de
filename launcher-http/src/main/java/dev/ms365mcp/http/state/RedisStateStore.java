package dev.ms365mcp.http.state;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import dev.ms365mcp.http.metrics.ServerMetrics;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link StateStore} on Redis (7+, or Valkey), shared by every replica: chosen by
 * {@code MS365_MCP_REDIS_URL} ({@code redis://[user:password@]host:port/db} or {@code rediss://…}).
 * Keys get a namespace prefix and a kind ({@code v:} values, {@code n:} counters, {@code l:} locks, so the three
 * never collide); values are stored as given (callers encrypt secrets first). Every
 * operation is one Redis command or one Lua script, so it is atomic across replicas.
 */
public final class RedisStateStore implements StateStore {

    /** Swaps the value only if it is still the expected one. */
    private static final byte[] COMPARE_AND_SET = bytes("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0""");
    /** A fixed window: the first increment starts the window's clock. */
    private static final byte[] INCREMENT = bytes("""
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
            return n""");
    /** Releases a lock only if this holder still has it (not after its lease passed to another). */
    private static final byte[] RELEASE = bytes("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""");
    private static final long LOCK_POLL_MAX_MS = 50;

    private final RedisClient redis;
    private final String prefix;

    /** @param namespace prefix of every key, so several deployments can share one Redis */
    public RedisStateStore(URI url, String namespace) {
        this.redis = RedisClient.create(url);
        this.prefix = namespace.endsWith(":") ? namespace : namespace + ":";
    }

    private byte[] key(String key) {
        return bytes(prefix + "v:" + key);
    }

    /**
     * Runs one command, once more on a fresh connection if the pooled one turned out dead (Redis
     * restarted, a proxy dropped it). Jedis discards the broken connection. If the first attempt ran
     * and only its reply was lost, the second sees the outcome (a taken code is gone, a swap already
     * happened) and answers conservatively: the client is asked to sign in again, nothing is granted twice.
     */
    private <T> T command(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisConnectionException e) {
            try {
                return command.get();
            } catch (RuntimeException again) {
                ServerMetrics.STATE_STORE_ERRORS.increment();
                throw again;
            }
        } catch (RuntimeException e) {
            ServerMetrics.STATE_STORE_ERRORS.increment();
            throw e;
        }
    }

    @Override
    public void put(String key, byte[] value, Duration ttl) {
        command(() -> redis.set(key(key), value, SetParams.setParams().px(millis(ttl))));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] value, Duration ttl) {
        return "OK".equals(command(() -> redis.set(key(key), value, SetParams.setParams().nx().px(millis(ttl)))));
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(command(() -> redis.get(key(key))));
    }

    @Override
    public Optional<byte[]> take(String key) {
        return Optional.ofNullable(command(() -> redis.getDel(key(key))));
    }

    @Override
    public boolean compareAndSet(String key, byte[] expected, byte[] update, Duration ttl) {
        Object swapped = command(() -> redis.eval(COMPARE_AND_SET, List.of(key(key)),
                List.of(expected, update, bytes(Long.toString(millis(ttl))))));
        return Long.valueOf(1).equals(swapped);
    }

    @Override
    public void delete(String key) {
        command(() -> redis.del(key(key)));
    }

    @Override
    public long increment(String key, Duration window) {
        return (Long) command(() -> redis.eval(INCREMENT, List.of(bytes(prefix + "n:" + key)), List.of(bytes(Long.toString(millis(window))))));
    }

    @Override
    public <T> T locked(String key, Duration lease, Supplier<T> work) {
        byte[] lock = bytes(prefix + "l:" + key);
        byte[] holder = bytes(UUID.randomUUID().toString());
        long waitMs = 2;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis(lease) * 2);
        while (!"OK".equals(command(() -> redis.set(lock, holder, SetParams.setParams().nx().px(millis(lease)))))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for a lock held by another replica");
            }
            try {
                Thread.sleep(waitMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for a lock", e);
            }
            waitMs = Math.min(LOCK_POLL_MAX_MS, waitMs * 2);
        }
        try {
            return work.get();
        } finally {
            command(() -> redis.eval(RELEASE, List.of(lock), List.of(holder)));
        }
    }

    @Override
    public boolean healthy() {
        try {
            return "PONG".equals(command(redis::ping));
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    private static long millis(Duration d) {
        return Math.max(1, d.toMillis());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
