package dev.ms365mcp.http.security;

/**
 * A {@link BearerTokenVerifier} could not decide about a token right now (e.g. Microsoft Entra's signing keys
 * cannot be fetched). {@link BearerAuthentication} answers 503 with {@code Retry-After}: a 401 would tell the
 * client its token is bad and make it discard a token that may be fine.
 *
 * @param message what the client is told; a fixed text, never a token or an upstream error body
 */
public final class AuthenticationUnavailableException extends RuntimeException {

    private final int retryAfterSeconds;

    public AuthenticationUnavailableException(String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
