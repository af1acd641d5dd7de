package dev.ms365mcp.http.entra;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.web.EntraSignIn;
import dev.ms365mcp.http.oauth.UpstreamSignIn;
import java.net.URI;

/**
 * The authorization server's upstream sign-in is Microsoft Entra: msal4j's authorization code + PKCE
 * with a {@code form_post} callback ({@link EntraSignIn}), which keeps the user's encrypted MSAL cache
 * under their user key on success.
 */
public final class EntraUpstreamSignIn implements UpstreamSignIn {

    private final EntraSignIn entra;

    public EntraUpstreamSignIn(EntraSignIn entra) {
        this.entra = entra;
    }

    @Override
    public URI begin(UpstreamAuthorization request) {
        if (!request.callbackUri().equals(entra.redirectUri())) {
            throw new IllegalStateException("the callback " + request.callbackUri()
                    + " is not the Entra redirect URI " + entra.redirectUri());
        }
        return entra.begin(request.state(), request.nonce(), request.codeVerifier(), null).authorizationUrl();
    }

    @Override
    public String complete(String code, UpstreamAuthorization request) {
        try {
            return entra.complete(code, request.codeVerifier(), request.nonce()).userKey();
        } catch (AuthException e) {
            throw new UpstreamSignInException(e.getMessage(), e);
        }
    }
}
