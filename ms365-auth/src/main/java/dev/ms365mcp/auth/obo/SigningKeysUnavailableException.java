package dev.ms365mcp.auth.obo;

import dev.ms365mcp.auth.AuthException;

/**
 * Microsoft Entra's signing keys (its JWKS) could not be fetched, so a caller's token could not be checked.
 * Not a verdict on the token: a server answers 503 with {@code Retry-After}, never 401, which would make the
 * client throw a token that may be fine away and sign the user in again.
 */
public final class SigningKeysUnavailableException extends AuthException {

    public SigningKeysUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
