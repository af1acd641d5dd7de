package dev.ms365mcp.http.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * An authenticated caller of {@code /mcp}.
 *
 * @param principal opaque, stable user key (no user name in it): what the tools receive as
 *                  {@code Ms365Tools.PRINCIPAL} and what per-user state (Entra cache, limits) is keyed by
 * @param scopes    the scopes the caller's token was granted (for {@code insufficient_scope} answers)
 */
public record Caller(String principal, Set<String> scopes) {

    /** The request attribute under which {@link BearerAuthentication} leaves the caller. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** A short hash of the principal: what logs and rate-limit keys carry instead of the key itself. */
    public String hashedId() {
        return hash(principal);
    }

    /** First 16 hex digits of SHA-256. */
    static String hash(String value) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
