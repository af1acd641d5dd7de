package dev.ms365mcp.auth.web;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.cache.CacheCipher;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each user's MSAL token cache (refresh token included), encrypted with AES-256-GCM before it reaches
 * the {@link UserCacheStore} and bound to its user key as associated data: a blob copied under another
 * user's key does not decrypt, so a store bug or a tampered store cannot hand one user another's tokens.
 */
public final class UserTokenCaches {

    private static final Logger LOG = LoggerFactory.getLogger(UserTokenCaches.class);

    private final UserCacheStore store;
    private final CacheCipher cipher;

    /**
     * @param store where the encrypted blobs live
     * @param key   32 random bytes (the server's state key, e.g. {@code MS365_MCP_STATE_KEY} or its key file)
     */
    public UserTokenCaches(UserCacheStore store, byte[] key) {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("the token cache key must be 32 bytes (AES-256)");
        }
        this.store = store;
        this.cipher = new CacheCipher(key);
    }

    /**
     * The user's MSAL cache JSON, or empty when the user has none. A blob that cannot be decrypted
     * (another key, another user's blob, damage) is an {@link AuthException} telling the user to sign
     * in again; the log says why, without any of the data.
     */
    Optional<String> load(String userKey) {
        Optional<byte[]> blob = store.load(userKey);
        if (blob.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(cipher.decrypt(blob.get(), context(userKey)));
        } catch (CacheCipher.UnreadableException e) {
            LOG.warn("The stored Microsoft sign-in of user {} cannot be decrypted ({}){}", userKey, e.problem(),
                    e.problem() == CacheCipher.Problem.WRONG_KEY ? ": the server's state key changed" : "");
            throw new AuthException("Your stored Microsoft sign-in on this server cannot be read. "
                    + PerUserTokenProvider.RECONNECT);
        }
    }

    void save(String userKey, String msalCacheJson) {
        store.save(userKey, cipher.encrypt(msalCacheJson, context(userKey)));
    }

    /** Forgets the user's Entra tokens (sign-out, account removal). */
    public void delete(String userKey) {
        store.delete(userKey);
    }

    /** True when the user has a stored sign-in (it may still turn out expired). */
    public boolean contains(String userKey) {
        return store.load(userKey).isPresent();
    }

    <T> T locked(String userKey, Supplier<T> work) {
        return store.locked(userKey, work);
    }

    private static byte[] context(String userKey) {
        return ("ms365-mcp user cache " + userKey).getBytes(StandardCharsets.UTF_8);
    }
}
