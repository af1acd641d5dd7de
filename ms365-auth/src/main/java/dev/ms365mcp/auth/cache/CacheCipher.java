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
 *   ciphertext + 16-byte GCM tag; the 13 header bytes are authenticated too
 * </pre>
 */
final class CacheCipher {

    static final byte[] MAGIC = {'M', '3', 'T', 'C'};
    static final byte VERSION = 1;
    private static final int KEY_ID_LENGTH = 8;
    private static final int NONCE_LENGTH = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_LENGTH = MAGIC.length + 1 + KEY_ID_LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final byte[] keyId;

    CacheCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the token cache key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.keyId = keyId(key);
    }

    byte[] encrypt(String json) {
        byte[] nonce = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC).put(VERSION).put(keyId);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header.array());
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
        if (bytes.length < HEADER_LENGTH || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new AuthException("The token cache " + file + " is not an ms365-mcp token cache, or it is damaged."
                    + startOver);
        }
        if (bytes[MAGIC.length] != VERSION) {
            throw new AuthException("The token cache " + file + " has format version " + bytes[MAGIC.length]
                    + ", which this version of ms365-mcp cannot read. Use the newer version, or delete the file and "
                    + "sign in again (--login).");
        }
        byte[] storedKeyId = Arrays.copyOfRange(bytes, MAGIC.length + 1, HEADER_LENGTH);
        if (!MessageDigest.isEqual(storedKeyId, keyId)) {
            throw new AuthException("The token cache " + file + " was encrypted with a different key than "
                    + keySource + ". Set MS365_MCP_CACHE_KEY to the key it was written with (or restore the "
                    + "key file), or delete the cache and sign in again (--login).");
        }
        if (bytes.length < HEADER_LENGTH + NONCE_LENGTH + TAG_BITS / 8) {
            throw new AuthException("The token cache " + file + " is truncated." + startOver);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_BITS, bytes, HEADER_LENGTH, NONCE_LENGTH));
            cipher.updateAAD(bytes, 0, HEADER_LENGTH);
            byte[] plain = cipher.doFinal(bytes, HEADER_LENGTH + NONCE_LENGTH, bytes.length - HEADER_LENGTH - NONCE_LENGTH);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new AuthException("The token cache " + file + " is damaged (it fails its integrity check)."
                    + startOver);
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
