package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.state.StateStore;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our authorization codes: random 256-bit values, stored by hash for {@link OAuthSettings#CODE_TTL},
 * bound to the client, redirect URI, PKCE challenge, resource and user. Redeeming marks the record used
 * by compare-and-set (one winner across replicas) and keeps it, so a second redemption is recognised and
 * revokes the tokens the first one got (RFC 6749 §4.1.2).
 */
final class AuthorizationCodes {

    private static final String PREFIX = "oauth:code:";

    /** A code's record. Holds no secret: the challenge is a hash, the user key opaque. */
    record CodeGrant(String clientId, String redirectUri, boolean redirectUriSent, String codeChallenge, String resource, List<String> scopes,
                     String userKey, String family, boolean used) {
        CodeGrant markUsed() {
            return new CodeGrant(clientId, redirectUri, redirectUriSent, codeChallenge, resource, scopes, userKey, family, true);
        }

        @Override
        public String toString() {
            return "CodeGrant[client=" + clientId + "]";
        }
    }

    private final StateStore store;
    private final Grants grants;

    AuthorizationCodes(StateStore store, Grants grants) {
        this.store = store;
        this.grants = grants;
    }

    String issue(PendingAuthorization pending, String userKey) {
        String code = Secrets.random(32);
        CodeGrant grant = new CodeGrant(pending.clientId(), pending.redirectUri(), pending.redirectUriSent(), pending.codeChallenge(), pending.resource(),
                pending.scopes(), userKey, Secrets.random(16), false);
        store.put(PREFIX + Secrets.hash(code), Grants.json(grant), OAuthSettings.CODE_TTL);
        return code;
    }

    /**
     * Redeems {@code code} once. The grant is spent whatever happens next (wrong verifier included), so a
     * stolen code is worth one guess; a replay of a spent code revokes its family.
     */
    CodeGrant redeem(String code) {
        String key = PREFIX + Secrets.hash(code);
        Optional<byte[]> raw = store.get(key);
        if (raw.isEmpty()) {
            throw OAuthError.invalidGrant("the authorization code is unknown or expired");
        }
        CodeGrant grant = JsonMapper.shared().readValue(raw.get(), CodeGrant.class);
        // Kept as long as an access token lives, so a late replay still finds it spent.
        if (grant.used() || !store.compareAndSet(key, raw.get(), Grants.json(grant.markUsed()), grants.settings().accessTokenTtl())) {
            grants.revokeFamily(grant.family());
            throw OAuthError.invalidGrant("the authorization code was already used; the tokens issued for it are revoked");
        }
        return grant;
    }
}
