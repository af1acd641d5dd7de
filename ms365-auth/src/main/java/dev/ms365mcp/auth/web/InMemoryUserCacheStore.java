package dev.ms365mcp.auth.web;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** A {@link UserCacheStore} in process memory: for tests and single-process trials (nothing survives a restart). */
public final class InMemoryUserCacheStore implements UserCacheStore {

    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    @Override
    public Optional<byte[]> load(String userKey) {
        return Optional.ofNullable(blobs.get(userKey)).map(byte[]::clone);
    }

    @Override
    public void save(String userKey, byte[] blob) {
        blobs.put(userKey, blob.clone());
    }

    @Override
    public void delete(String userKey) {
        blobs.remove(userKey);
    }

    @Override
    public <T> T locked(String userKey, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(userKey, k -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
