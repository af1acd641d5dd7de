package dev.ms365mcp.auth.web;

/**
 * Told when a user's Entra sign-in can no longer produce tokens (refresh token expired or revoked,
 * MFA or consent needed, no stored sign-in): the HTTP front door revokes that user's grants, so the
 * MCP client runs the browser flow again instead of retrying a dead bearer token.
 */
@FunctionalInterface
public interface SignInRequiredListener {

    void signInRequired(String userKey);
}
