package dev.ms365mcp.auth;

/**
 * A signed-in account in the token cache, as the account tools show it.
 *
 * @param username      the sign-in name, e.g. {@code alice@contoso.com}
 * @param homeAccountId MSAL's stable id ({@code <object id>.<tenant id>}); also accepted where a username is
 * @param selected      whether calls without an explicit account use this one
 */
public record AccountInfo(String username, String homeAccountId, boolean selected) {
}
