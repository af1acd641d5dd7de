package dev.ms365mcp.http.oauth;

import java.net.URI;

/**
 * Where the user proves who they are after consenting: Microsoft Entra in production (msal4j
 * authorization code + PKCE, {@code response_mode=form_post} to {@code <public url>/oauth/callback}).
 * The authorization server keeps the pending transaction; an implementation keeps nothing between
 * {@link #begin} and {@link #complete} except what it stores for the user on success.
 */
public interface UpstreamSignIn {

    /**
     * The URL to send the user's browser to. It must carry {@code request.state()} as {@code state},
     * {@code request.nonce()} as the OpenID nonce, the S256 challenge of {@code request.codeVerifier()},
     * and {@code request.callbackUri()} as the redirect URI.
     */
    URI begin(UpstreamAuthorization request);

    /**
     * Redeems the {@code code} the callback received for the same {@code request} (verifier, nonce checked
     * against the ID token), keeps the user's upstream tokens on the server, and returns the signed-in
     * user's key: opaque, stable per user, no user name in it.
     *
     * @throws UpstreamSignInException when the code cannot be redeemed or the ID token is not acceptable
     */
    String complete(String code, UpstreamAuthorization request);

    /**
     * One sign-in at the upstream identity provider. Holds secrets: never log it.
     *
     * @param state        the random value that binds the callback to this transaction
     * @param nonce        the OpenID Connect nonce the ID token must carry
     * @param codeVerifier the PKCE verifier of the upstream code (43 base64url characters)
     * @param callbackUri  {@code <public url>/oauth/callback}
     */
    record UpstreamAuthorization(String state, String nonce, String codeVerifier, URI callbackUri) {
        @Override
        public String toString() {
            return "UpstreamAuthorization[callbackUri=" + callbackUri + "]";
        }
    }

    /** The upstream refused or failed the sign-in; the message is shown to no one but the log (no secrets in it). */
    final class UpstreamSignInException extends RuntimeException {
        public UpstreamSignInException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
