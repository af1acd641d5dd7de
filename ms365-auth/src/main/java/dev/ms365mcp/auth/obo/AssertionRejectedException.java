package dev.ms365mcp.auth.obo;

import dev.ms365mcp.auth.AuthException;

/**
 * Microsoft Entra refused to exchange the caller's token on-behalf-of ({@code invalid_grant},
 * {@code interaction_required}: expired or revoked sign-in, MFA or Conditional Access, missing consent).
 * Only a new token from the caller's own sign-in can fix it: a server answers that token 401
 * {@code invalid_token} so the client gets one.
 */
public final class AssertionRejectedException extends AuthException {

    public AssertionRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
