package dev.ms365mcp.http.oauth;

import java.util.Optional;

/**
 * The {@code refresh_token} grant with rotation and reuse detection (OAuth 2.1 §4.3.1, OAuth security
 * BCP §4.14.2): every use returns a new refresh token and retires the old one by compare-and-set, so of
 * concurrent uses exactly one wins, on any replica. A retired token presented again within the grace
 * window (a client retrying, or racing itself) is refused but harms nothing; after it, the token is
 * presumed stolen and its whole family is revoked — the thief's tokens and the client's alike.
 */
final class RefreshTokenRotation {

    private final Grants grants;

    RefreshTokenRotation(Grants grants) {
        this.grants = grants;
    }

    /**
     * New tokens for {@code refreshToken} presented by {@code clientId}.
     *
     * @param resource the {@code resource} parameter if sent (already checked to be ours), else null
     */
    Grants.TokenPair rotate(String refreshToken, String clientId, String resource) {
        String hash = Secrets.hash(refreshToken);
        Optional<byte[]> raw = grants.refreshRecord(hash);
        if (raw.isEmpty()) {
            throw OAuthError.invalidGrant("the refresh token is unknown, expired or revoked");
        }
        Grants.RefreshToken rt = Grants.parseRefresh(raw.get());
        long now = grants.clock().millis();
        if (!rt.clientId().equals(clientId)) {
            throw OAuthError.invalidGrant("the refresh token was issued to another client");
        }
        if (resource != null && !resource.equals(rt.resource())) {
            throw new OAuthError("invalid_target", "the refresh token was issued for another resource", 400);
        }
        if (rt.expiresAt() <= now || !grants.familyLive(rt.family()) || !grants.epochCurrent(rt.userKey(), rt.epoch())) {
            throw OAuthError.invalidGrant("the refresh token is unknown, expired or revoked");
        }
        if (rt.rotatedAt() != null) {
            throw replayed(rt, now);
        }
        if (!grants.replaceRefreshRecord(hash, raw.get(), rt.rotated(now))) {
            // Another request rotated it between our read and our write: it won.
            Grants.RefreshToken current = grants.refreshRecord(hash).map(Grants::parseRefresh).orElse(rt.rotated(now));
            throw replayed(current.rotatedAt() == null ? rt.rotated(now) : current, now);
        }
        return grants.issue(rt.clientId(), rt.userKey(), rt.scopes(), rt.resource(), rt.family(), rt.epoch());
    }

    private OAuthError replayed(Grants.RefreshToken rt, long now) {
        if (now - rt.rotatedAt() < grants.settings().refreshReuseGrace().toMillis()) {
            return OAuthError.invalidGrant("the refresh token was already used; use the one that request returned");
        }
        grants.revokeFamily(rt.family());
        return OAuthError.invalidGrant("the refresh token was already used; every token of this grant is revoked, sign in again");
    }
}
