package dev.ms365mcp.auth.cache;

import dev.ms365mcp.auth.AuthException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The on-disk format of the token cache: AES-256-GCM over MSAL's JSON.
 *
 * <pre>
 *   "M3TC"   4 bytes  magic: this is an ms365-mcp token cache
 *   version  1 byte   format version (1)
 *   key id   8 bytes  first bytes of SHA-256("ms365-mcp cache key id" + key): tells "wrong key"
 *                     apart from "damaged file" without revealing anything useful about the key
 *   nonce   12 bytes  random per write (GCM must never reuse a nonce with the same key)
 *   ciphertext + 16-byte GCM tag; the 13 header bytes are authenticated too, and so is an optional
 *            context the caller names (e.g. the user a blob belongs to), which is not stored
 * </pre>
 *
 * <p>Public for the HTTP server's per-user caches, which bind each blob to its user through the context:
 * a blob copied to another user's entry fails to decrypt.
 */
public final class CacheCipher {

    /** Why bytes could not be decrypted. */
    public enum Problem {
        /** Not this format (no magic), or too short to be. */
        NOT_A_CACHE,
        /** A format version this code does not know. */
        UNKNOWN_VERSION,
        /** Encrypted with another key. */
        WRONG_KEY,
        /** Cut short. */
        TRUNCATED,
        /** Fails the integrity check: changed, or bound to another context. */
        TAMPERED
    }

    /** Decryption failed; {@link #problem()} says why. Carries no part of the data or the key. */
    public static final class UnreadableException extends Exception {
        private final Problem problem;

        UnreadableException(Problem problem) {
            super(problem.name());
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private static final byte[] NO_CONTEXT = new byte[0];

    static final byte[] MAGIC = {'M', '3', 'T', 'C'};
    static final byte VERSION = 1;
    private static final int KEY_ID_LENGTH = 8;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_LENGTH = MAGIC.length + 1 + KEY_ID_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] keyId;

    /** @param key 32 bytes (AES-256) */
    public CacheCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the token cache key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = keyId(key);
    }

    byte[] encrypt(String json) {
        return encrypt(json, NO_CONTEXT);
    }

    /** Encrypts {@code json}, binding it to {@code context}: decrypting needs the same context. */
    public byte[] encrypt(String json, byte[] context) {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).put(VERSION).put(keyId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header.array());
            cipher.updateAAD(context);
            byte[] sealed = cipher.doFinal(json.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(HEADER_LENGTH + NONCE_LENGTH + sealed.length)
                    .put(header.array()).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Decrypts a cache file's bytes; every way it can fail becomes an {@link AuthException} that names
     * the file and says what to do. {@code keySource} says where the key came from, for that message.
     */
    String decrypt(byte[] bytes, Path file, String keySource) {
        String startOver = " Delete it and sign in again (--login).";
        try {
            return decrypt(bytes, NO_CONTEXT);
        } catch (UnreadableException e) {
            throw new AuthException(switch (e.problem()) {
                case NOT_A_CACHE -> "The token cache " + file + " is not an ms365-mcp token cache, or it is damaged."
                        + startOver;
                case UNKNOWN_VERSION -> "The token cache " + file + " has format version " + bytes[MAGIC.length]
                        + ", which this version of ms365-mcp cannot read. Use the newer version, or delete the file and "
                        + "sign in again (--login).";
                case WRONG_KEY -> "The token cache " + file + " was encrypted with a different key than "
                        + keySource + ". Set MS365_MCP_CACHE_KEY to the key it was written with (or restore the "
                        + "key file), or delete the cache and sign in again (--login).";
                case TRUNCATED -> "The token cache " + file + " is truncated." + startOver;
                case TAMPERED -> "The token cache " + file + " is damaged (it fails its integrity check)." + startOver;
            });
        }
    }

    /** Decrypts what {@link #encrypt(String, byte[])} made with the same key and {@code context}. */
    public String decrypt(byte[] bytes, byte[] context) throws UnreadableException {
        if (bytes.length < HEADER_LENGTH || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new UnreadableException(Problem.NOT_A_CACHE);
        }
        if (bytes[MAGIC.length] != VERSION) {
            throw new UnreadableException(Problem.UNKNOWN_VERSION);
        }
        byte[] storedKeyId = Arrays.copyOfRange(bytes, MAGIC.length + 1, HEADER_LENGTH);
        if (!MessageDigest.isEqual(storedKeyId, keyId)) {
            throw new UnreadableException(Problem.WRONG_KEY);
        }
        if (bytes.length < HEADER_LENGTH + NONCE_LENGTH + TAG_BITS / 8) {
            throw new UnreadableException(Problem.TRUNCATED);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, bytes, HEADER_LENGTH, NONCE_LENGTH));
            cipher.updateAAD(bytes, 0, HEADER_LENGTH);
            cipher.updateAAD(context);
            byte[] plain = cipher.doFinal(bytes, HEADER_LENGTH + NONCE_LENGTH, bytes.length - HEADER_LENGTH - NONCE_LENGTH);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableException(Problem.TAMPERED);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static byte[] keyId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("ms365-mcp cache key id".getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha.digest(key), KEY_ID_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
