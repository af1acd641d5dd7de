package dev.ms365mcp.http.oauth;

/**
 * An RFC 6749 §5.2 error: the {@code error} code, a description safe to show (never a token, code or
 * state value), and the HTTP status it is answered with.
 */
final class OAuthError extends RuntimeException {

    private final String error;
    private final int status;

    OAuthError(String error, String description, int status) {
        super(description, null, false, false);
        this.error = error;
        this.status = status;
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description, 400);
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description, 400);
    }

    static OAuthError invalidClient(String description) {
        return new OAuthError("invalid_client", description, 401);
    }

    String error() {
        return error;
    }

    String description() {
        return getMessage();
    }

    int status() {
        return status;
    }
}
