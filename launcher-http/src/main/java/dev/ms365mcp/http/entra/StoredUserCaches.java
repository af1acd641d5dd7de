package dev.ms365mcp.http.entra;

import dev.ms365mcp.auth.web.UserCacheStore;
import dev.ms365mcp.http.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Users' encrypted MSAL caches in the {@link StateStore}: one entry per user, kept as long as the
 * user's refresh token can live (it slides with every save), and a lock per user across replicas
 * around load-refresh-save. Keys carry a hash of the user key, not the key itself.
 */
public final class StoredUserCaches implements UserCacheStore {

    /** Entra refresh tokens expire after 90 days unused; a cache not saved for that long is useless. */
    static final Duration KEEP = Duration.ofDays(90);
    /** A silent refresh is one round trip to Entra; a holder that died frees the lock after this. */
    static final Duration LOCK_LEASE = Duration.ofSeconds(30);

    private final StateStore store;

    public StoredUserCaches(StateStore store) {
        this.store = store;
    }

    @Override
    public Optional<byte[]> load(String userKey) {
        return store.get(key(userKey));
    }

    @Override
    public void save(String userKey, byte[] blob) {
        store.put(key(userKey), blob, KEEP);
    }

    @Override
    public void delete(String userKey) {
        store.delete(key(userKey));
    }

    @Override
    public <T> T locked(String userKey, Supplier<T> work) {
        return store.locked(key(userKey), LOCK_LEASE, work);
    }

    private static String key(String userKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(userKey.getBytes(StandardCharsets.UTF_8));
            return "entra-cache:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
