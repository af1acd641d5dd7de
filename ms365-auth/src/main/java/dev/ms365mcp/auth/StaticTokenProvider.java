package dev.ms365mcp.auth;

import java.time.Clock;

/**
 * Bring-your-own-token ({@code MS365_MCP_OAUTH_TOKEN}): the same token for every call, never
 * refreshed. When it is a JWT whose {@code exp} has passed, calls fail with a clear error instead of
 * sending a request Graph will reject with 401 over and over.
 */
public final class StaticTokenProvider implements TokenProvider {

    private final AccessToken token;
    private final Clock clock;

    public StaticTokenProvider(String token) {
        this(token, Clock.systemUTC());
    }

    StaticTokenProvider(String token, Clock clock) {
        this.token = new AccessToken(token.strip(), Jwt.expiry(token.strip()).orElse(null));
        this.clock = clock;
    }

    @Override
    public AccessToken token(TokenRequest request) {
        if (token.expiredAt(clock.instant())) {
            throw new AuthException("The token in MS365_MCP_OAUTH_TOKEN expired at " + token.expiresOn()
                    + ". Provide a fresh token, or unset MS365_MCP_OAUTH_TOKEN and sign in with --login.");
        }
        return token;
    }
}
