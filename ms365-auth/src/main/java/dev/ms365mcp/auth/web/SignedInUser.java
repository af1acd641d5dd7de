package dev.ms365mcp.auth.web;

/**
 * Who signed in at Entra.
 *
 * @param userKey  opaque, stable key ({@link dev.ms365mcp.auth.UserKey}): the principal of this user's
 *                 tool calls and the key of their token cache; names no one
 * @param username the sign-in name ({@code preferred_username}), for display only (consent page, logs
 *                 at the operator's discretion) — never an identity
 * @param tenantId the user's home tenant
 */
public record SignedInUser(String userKey, String username, String tenantId) {
}
