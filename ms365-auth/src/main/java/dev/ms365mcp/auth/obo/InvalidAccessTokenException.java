package dev.ms365mcp.auth.obo;

import dev.ms365mcp.auth.AuthException;

/**
 * A bearer token that is not a valid Entra access token for this API (RFC 6750 {@code invalid_token}:
 * answer 401). The message says which check failed, never what the token holds.
 */
public final class InvalidAccessTokenException extends AuthException {

    public InvalidAccessTokenException(String message) {
        super(message);
    }
}
