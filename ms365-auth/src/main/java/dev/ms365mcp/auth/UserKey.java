package dev.ms365mcp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The opaque key a multi-user server files a user under ({@link TokenRequest#principal()}, per-user
 * caches, grants): SHA-256 hex of the user's Entra identity ({@code <object id>.<tenant id>}, what
 * MSAL calls the home account id). Stable across sign-ins, the same for the browser sign-in and for
 * on-behalf-of callers, and safe in logs: it names no one.
 */
public final class UserKey {

    private UserKey() {
    }

    /** From MSAL's home account id ({@code <uid>.<utid>}). */
    public static String fromHomeAccountId(String homeAccountId) {
        if (homeAccountId == null || homeAccountId.isBlank()) {
            throw new IllegalArgumentException("home account id must not be blank");
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("ms365-mcp user " + homeAccountId).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** From the {@code oid} and {@code tid} claims of a user's token. */
    public static String fromObjectId(String objectId, String tenantId) {
        return fromHomeAccountId(objectId + "." + tenantId);
    }
}
