package dev.ms365mcp.http.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;

/**
 * A single-user server's bearer: {@code MS365_MCP_API_KEY}. Compared in constant time over SHA-256
 * digests, so neither the key's content nor its length shows in response times.
 */
public final class ApiKeyVerifier implements BearerTokenVerifier {

    /** The one caller of a single-user server. */
    public static final Caller OWNER = new Caller("single-user", Set.of());

    private final byte[] keyDigest;

    public ApiKeyVerifier(String apiKey) {
        this.keyDigest = sha256(apiKey);
    }

    @Override
    public Optional<Caller> verify(String token) {
        return MessageDigest.isEqual(keyDigest, sha256(token)) ? Optional.of(OWNER) : Optional.empty();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
