package dev.ms365mcp.auth.web;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a multi-user server keeps each user's MSAL token cache, as an opaque blob per user key. The
 * blobs arrive already encrypted and bound to their user ({@link UserTokenCaches}); a store only keeps
 * bytes. The HTTP launcher's state store implements it (embedded on disk, or shared, e.g. Redis);
 * {@link InMemoryUserCacheStore} is for tests.
 */
public interface UserCacheStore {

    Optional<byte[]> load(String userKey);

    void save(String userKey, byte[] blob);

    void delete(String userKey);

    /**
     * Runs {@code work} while holding this user's lock, so that load, refresh and save of one user's
     * cache happen as one step (no duplicate refresh round trips, no lost rotated refresh token). Other
     * users are not blocked. A shared store makes this a lock across replicas.
     */
    <T> T locked(String userKey, Supplier<T> work);
}
