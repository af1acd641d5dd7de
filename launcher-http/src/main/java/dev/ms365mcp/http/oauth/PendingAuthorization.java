package dev.ms365mcp.http.oauth;

import dev.ms365mcp.auth.cache.CacheCipher;
import tools.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * An authorization request between {@code /authorize} and the callback: what the client asked for, the
 * hashes of the consent form's CSRF token and of the browser binding cookie, and after consent the
 * upstream sign-in's nonce and verifier. Stored under a hash of a random key, for
 * {@link OAuthSettings#PENDING_TTL}; never logged. Once it holds the upstream verifier it is stored
 * {@link #seal sealed} under a key derived from the upstream {@code state}, which only the browser carries:
 * whoever reads the store (a shared Redis) sees the state's hash and ciphertext, never the verifier.
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

    /** AES-GCM under a key derived from {@code upstreamState} (distinct from the hash the record is stored under). */
    byte[] seal(String upstreamState) {
        return cipher(upstreamState).encrypt(JsonMapper.shared().writeValueAsString(this), SEAL_CONTEXT);
    }

    /** The record {@link #seal} sealed with the same state; empty if it was sealed with another or altered. */
    static Optional<PendingAuthorization> unseal(byte[] sealed, String upstreamState) {
        try {
            return Optional.of(JsonMapper.shared().readValue(cipher(upstreamState).decrypt(sealed, SEAL_CONTEXT),
                    PendingAuthorization.class));
        } catch (CacheCipher.UnreadableException e) {
            return Optional.empty();
        }
    }

    private static final byte[] SEAL_CONTEXT = "ms365-mcp upstream transaction".getBytes(StandardCharsets.UTF_8);

    private static CacheCipher cipher(String upstreamState) {
        return new CacheCipher(Secrets.sha256(("ms365-mcp upstream transaction key\n" + upstreamState)
                .getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "PendingAuthorization[client=" + clientId + "]";
    }
}
