package dev.ms365mcp.http.oauth;

import java.util.List;

/**
 * An authorization request between {@code /authorize} and the callback: what the client asked for, the
 * hashes of the consent form's CSRF token and of the browser binding cookie, and after consent the
 * upstream sign-in's nonce and verifier. Stored under a hash of a random key, for
 * {@link OAuthSettings#PENDING_TTL}; never logged.
 */
record PendingAuthorization(String clientId, String redirectUri, boolean redirectUriSent, String codeChallenge, String state, String resource,
                            List<String> scopes, String csrfHash, String browserHash, String upstreamNonce,
                            String upstreamVerifier) {

    PendingAuthorization {
        scopes = List.copyOf(scopes);
    }

    PendingAuthorization approved(String nonce, String verifier) {
        return new PendingAuthorization(clientId, redirectUri, redirectUriSent, codeChallenge, state, resource, scopes, null, null, nonce, verifier);
    }

    @Override
    public String toString() {
        return "PendingAuthorization[client=" + clientId + "]";
    }
}
