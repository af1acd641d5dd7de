package dev.ms365mcp.auth;

/**
 * The one question the tools ask: "a Graph access token for these scopes, for this account".
 *
 * <p>Implementations decide where the token comes from (a static token, an MSAL cache, client
 * credentials, an on-behalf-of exchange). They throw {@link AuthException} with a message a person
 * can act on; that message is shown to MCP clients, so it never contains a token or a secret.
 */
@FunctionalInterface
public interface TokenProvider {

    AccessToken token(TokenRequest request);

    /** True when tokens are issued to an application rather than a signed-in user (no {@code /me}). */
    default boolean appOnly() {
        return false;
    }
}
