package dev.ms365mcp.auth;

import java.time.Instant;

/**
 * A bearer token and when it stops working ({@code null}: unknown). {@link #toString()} never shows
 * the token, so it is safe in logs and exception messages.
 */
public record AccessToken(String value, Instant expiresOn) {

    public AccessToken {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("access token must not be blank");
        }
    }

    public boolean expiredAt(Instant now) {
        return expiresOn != null && !now.isBefore(expiresOn);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresOn=" + expiresOn + ", value=<redacted>]";
    }
}
