package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.security.BearerTokenVerifier;
import dev.ms365mcp.http.security.Caller;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verifies the access tokens this server issued: known (by hash), unexpired, for this resource, its
 * grant not revoked and its user not signed out since. The caller is the opaque user key.
 */
public final class OAuthBearerTokenVerifier implements BearerTokenVerifier {

    /** Our tokens: 32 random bytes, base64url. Anything else is not looked up. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final Grants grants;

    OAuthBearerTokenVerifier(Grants grants) {
        this.grants = grants;
    }

    @Override
    public Optional<Caller> verify(String token) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        return grants.access(token)
                .filter(at -> grants.settings().isOurResource(at.resource()))
                .map(at -> new Caller(at.userKey(), java.util.Set.copyOf(at.scopes())));
    }
}
