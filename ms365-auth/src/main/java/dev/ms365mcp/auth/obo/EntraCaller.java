package dev.ms365mcp.auth.obo;

import java.time.Instant;

/**
 * The caller behind a validated Entra access token.
 *
 * @param userKey   opaque key from {@code oid} + {@code tid} ({@link dev.ms365mcp.auth.UserKey}), the
 *                  tool calls' principal
 * @param objectId  {@code oid}
 * @param tenantId  {@code tid}
 * @param username  {@code preferred_username}, for display; may be null
 * @param assertion the raw token, to exchange with {@link OnBehalfOfTokenProvider#forAssertion}
 * @param expiresAt when the token stops being valid
 */
public record EntraCaller(String userKey, String objectId, String tenantId, String username, String assertion,
                          Instant expiresAt) {

    /** Never shows the token. */
    @Override
    public String toString() {
        return "EntraCaller[userKey=" + userKey + ", tenantId=" + tenantId + ", expiresAt=" + expiresAt
                + ", assertion=<redacted>]";
    }
}
