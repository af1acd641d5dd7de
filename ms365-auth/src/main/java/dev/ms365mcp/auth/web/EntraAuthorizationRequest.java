package dev.ms365mcp.auth.web;

import java.net.URI;

/**
 * A sign-in at Entra that was started: where to send the browser, and what the caller must keep
 * (keyed by {@code state}, in its state store) until the callback arrives.
 *
 * @param authorizationUrl the Entra authorize URL to redirect the browser to
 * @param state            random, echoed by Entra to the callback: binds the callback to this transaction
 * @param nonce            random, must come back in the id token ({@link EntraSignIn#complete})
 * @param codeVerifier     PKCE verifier (secret until redeemed); its S256 challenge is in the URL
 */
public record EntraAuthorizationRequest(URI authorizationUrl, String state, String nonce, String codeVerifier) {

    /** Never shows the verifier. */
    @Override
    public String toString() {
        return "EntraAuthorizationRequest[state=" + state + ", codeVerifier=<redacted>]";
    }
}
