package dev.ms365mcp.auth.cache;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.msal.LiveAccessTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MSAL's token cache, kept in one AES-256-GCM encrypted file that several processes can share.
 *
 * <p>MSAL calls {@link #beforeCacheAccess} before it reads or changes its in-memory cache and
 * {@link #afterCacheAccess} afterwards. Between the two this class holds the cache lock
 * ({@link CacheFileLock}, also across processes); before, it loads the file again, so MSAL always
 * sees what the last writer left (without dead access tokens: {@link LiveAccessTokens}); after, if MSAL
 * changed something, it writes the file atomically.
 * Callers that must not lose a refresh-token rotation hold {@link #locked} around the whole
 * operation (read refresh token, redeem it, store the new one).
 *
 * <p>A file that cannot be read (wrong key, damaged, truncated, newer format) fails with an
 * {@link AuthException} naming the file and the fix. It is never overwritten: the lock is released
 * before MSAL could change anything.
 */
public final class EncryptedTokenCache implements ITokenCacheAccessAspect {

    private static final Logger LOG = LoggerFactory.getLogger(EncryptedTokenCache.class);

    private final Path file;
    private final CacheFileLock lock;
    private final byte[] configuredKey;
    /** When set, the encrypted blob lives with this program instead of in {@link #file}. */
    private final AuthCacheCommand command;
    private CacheCipher cipher; // guarded by lock; made on first access so that opening has no side effects
    /** What MSAL last stored when the file could not be written (a read-only mount); newer than the file. */
    private String inMemory; // guarded by lock
    /** What {@link #beforeCacheAccess} read, so an unchanged cache is not written again. */
    private String loaded; // guarded by lock

    private EncryptedTokenCache(Path file, byte[] configuredKey, AuthCacheCommand command) {
        this.file = file;
        this.command = command;
        this.lock = CacheFileLock.forFile(lockFileOf(file));
        this.configuredKey = configuredKey == null ? null : configuredKey.clone();
    }

    /**
     * The cache at {@code file}. Nothing is read or created until first use.
     *
     * @param key the 32-byte key ({@code MS365_MCP_CACHE_KEY}); {@code null}: use the key file beside the
     *            cache ({@code <file>.key}, base64), created with mode 0600 on first use
     */
    public static EncryptedTokenCache open(Path file, byte[] key) {
        return open(file, key, null);
    }

    /**
     * As {@link #open(Path, byte[])}, with the encrypted blob kept by an external program
     * ({@code MS365_MCP_AUTH_CACHE_COMMAND}) when {@code command} is not null. The lock and key files
     * stay beside {@code file}, so the same lock guards read, refresh and save through the program.
     */
    public static EncryptedTokenCache open(Path file, byte[] key, AuthCacheCommand command) {
        if (key != null && key.length != 32) {
            throw new IllegalArgumentException("the token cache key must be 32 bytes");
        }
        return new EncryptedTokenCache(file.toAbsolutePath().normalize(), key, command);
    }

    public static Path keyFileOf(Path cacheFile) {
        return cacheFile.resolveSibling(cacheFile.getFileName() + ".key");
    }

    public static Path lockFileOf(Path cacheFile) {
        return cacheFile.resolveSibling(cacheFile.getFileName() + ".lock");
    }

    public Path file() {
        return file;
    }

    /**
     * Runs {@code action} holding the cache lock, so that nobody else (thread or process) reads or
     * writes the cache in between. MSAL's callbacks inside take the same lock again, which is fine on
     * the same thread: run MSAL on the calling thread (see {@code CallerRunsExecutor}).
     */
    public <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Throws the same {@link AuthException} MSAL would get if the file cannot be read; does nothing otherwise. */
    public void verifyReadable() {
        locked(this::read);
    }

    /**
     * Checks, before anyone is asked to sign in, that a sign-in could be stored: the cache can be
     * read (or does not exist yet) and its folder can be written. Throws an {@link AuthException}
     * saying why not ("permission denied", "read-only file system"); creates nothing but the folder.
     */
    public void verifyWritable() {
        locked(() -> {
            read();
            Path dir = file.getParent();
            try {
                SecureFiles.createPrivateDirectories(dir);
                Files.delete(Files.createTempFile(dir, "." + file.getFileName() + ".", ".probe", SecureFiles.privateFile()));
            } catch (IOException e) {
                throw new AuthException("A sign-in could not be stored: the token cache folder " + dir + " cannot be "
                        + "written (" + SecureFiles.reason(e) + "). Make it writable or set MS365_MCP_TOKEN_CACHE_PATH "
                        + "to a writable place, then sign in again.", e);
            }
            return null;
        });
    }

    /** True when the cache file exists (it may still be unreadable). */
    public boolean exists() {
        return Files.exists(file);
    }

    @Override
    public void beforeCacheAccess(ITokenCacheAccessContext context) {
        lock.lock();
        try {
            // MSAL's deserialize adds to what it holds; callers use a fresh MSAL application per
            // operation, so after this the in-memory cache is exactly the file.
            loaded = read().orElse(null);
            if (loaded != null) {
                context.tokenCache().deserialize(LiveAccessTokens.of(loaded, Instant.now().getEpochSecond()).json());
            }
        } catch (RuntimeException e) {
            // MSAL will not call afterCacheAccess when this throws: release here.
            lock.unlock();
            throw e;
        }
    }

    @Override
    public void afterCacheAccess(ITokenCacheAccessContext context) {
        try {
            // msal4j reports a change after every silent call, a token served from the cache included.
            if (context.hasCacheChanged()) {
                String json = context.tokenCache().serialize();
                if (!json.equals(loaded)) {
                    write(json);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The decrypted JSON, or empty when there is no cache file yet. Package-private: it holds tokens. */
    Optional<String> read() {
        if (inMemory != null) {
            return Optional.of(inMemory);
        }
        if (command != null) {
            return command.load().map(blob -> cipher(false).decrypt(blob, file, keySource()));
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new AuthException("Cannot read the token cache " + file + " (" + SecureFiles.reason(e)
                    + "). Make it readable, or set MS365_MCP_TOKEN_CACHE_PATH.", e);
        }
        return Optional.of(cipher(false).decrypt(bytes, file, keySource()));
    }

    private void write(String json) {
        if (command != null) {
            command.save(cipher(true).encrypt(json));
            LOG.debug("Token cache saved through {}", command.command());
            return;
        }
        try {
            SecureFiles.writeAtomically(file, cipher(true).encrypt(json));
            LOG.debug("Token cache written to {}", file);
        } catch (IOException e) {
            if (SecureFiles.unwritable(e) && Files.exists(file)) {
                // A cache on a read-only mount: refreshed tokens live on in this process only.
                if (inMemory == null) {
                    LOG.warn("The token cache {} cannot be written ({}); refreshed tokens are kept in memory "
                            + "for this process only", file, SecureFiles.reason(e));
                }
                inMemory = json;
                return;
            }
            throw new AuthException("Cannot write the token cache " + file + " (" + SecureFiles.reason(e)
                    + "). Check that the directory is writable, or set MS365_MCP_TOKEN_CACHE_PATH.", e);
        }
    }

    /**
     * Called with the lock held, so two processes starting together agree on one key file. A key is
     * only created for writing: an existing cache whose key file is gone must not get a new key.
     */
    private CacheCipher cipher(boolean forWriting) {
        if (cipher == null) {
            Path keyFile = keyFileOf(file);
            if (configuredKey == null && !forWriting && !Files.exists(keyFile)) {
                throw new AuthException("The token cache " + file + " exists but its key file " + keyFile
                        + " is missing. Restore the key file or set MS365_MCP_CACHE_KEY, or delete the cache and "
                        + "sign in again (--login).");
            }
            cipher = new CacheCipher(configuredKey != null ? configuredKey : readOrCreateKey(keyFile));
        }
        return cipher;
    }

    private String keySource() {
        return configuredKey != null ? "MS365_MCP_CACHE_KEY" : "the key file " + keyFileOf(file);
    }

    private static byte[] readOrCreateKey(Path keyFile) {
        return KeyFile.readOrCreate(keyFile, "token cache", "Restore it, or delete it together with the token cache and "
                + "sign in again (--login).", "MS365_MCP_CACHE_KEY");
    }
}
