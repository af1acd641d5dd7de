package dev.ms365mcp.http.oauth;

import dev.ms365mcp.http.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tokens this server issues and what keeps them alive. Every token is a random 256-bit value the
 * store knows only by its SHA-256. A grant (one user's consent to one client) is a token family: the
 * refresh tokens rotated from one authorization code and their access tokens. A token is good only while
 * its family is live and its user's epoch is the one it was issued under, so one write revokes a family
 * (reuse detected, {@code /revoke}) or every grant of a user (signed out upstream).
 */
public final class Grants {

    private static final String ACCESS = "oauth:at:";
    private static final String REFRESH = "oauth:rt:";
    private static final String FAMILY = "oauth:family:";
    private static final String USER = "oauth:user:";
    private static final byte[] LIVE = "live".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REVOKED = "revoked".getBytes(StandardCharsets.US_ASCII);
    private static final String NO_EPOCH = "0";
    /** Outlives every token issued under it; each issuance renews it. */
    private static final Duration EPOCH_TTL = Duration.ofDays(400);

    /** An access token's record. */
    record AccessToken(String clientId, String userKey, List<String> scopes, String resource, String family,
                       String epoch, long expiresAt) {
        @Override
        public String toString() {
            return "AccessToken[client=" + clientId + "]";
        }
    }

    /**
     * A refresh token's record. A rotated token's record stays until the token would have expired, with
     * the time of its rotation, so a replay is recognised.
     */
    record RefreshToken(String clientId, String userKey, List<String> scopes, String resource, String family,
                        String epoch, long expiresAt, Long rotatedAt) {
        RefreshToken rotated(long at) {
            return new RefreshToken(clientId, userKey, scopes, resource, family, epoch, expiresAt, at);
        }

        @Override
        public String toString() {
            return "RefreshToken[client=" + clientId + "]";
        }
    }

    /** What {@code /token} answers. Holds secrets: never log it. */
    record TokenPair(String accessToken, String refreshToken, long expiresIn, List<String> scopes) {
        @Override
        public String toString() {
            return "TokenPair[expiresIn=" + expiresIn + "]";
        }
    }

    private final StateStore store;
    private final OAuthSettings settings;
    private final Clock clock;

    Grants(StateStore store, OAuthSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** Opens a token family (once per authorization code); false if it was revoked before it opened. */
    boolean openFamily(String family) {
        return store.putIfAbsent(FAMILY + family, LIVE, settings.refreshTokenTtl());
    }

    boolean familyLive(String family) {
        return store.get(FAMILY + family).map(v -> java.util.Arrays.equals(v, LIVE)).orElse(false);
    }

    /** Revokes every token of the family; a tombstone keeps it revoked even if a racing issuance comes later. */
    void revokeFamily(String family) {
        store.put(FAMILY + family, REVOKED, settings.refreshTokenTtl());
    }

    /**
     * Revokes every grant of {@code userKey}: all their clients must run the browser flow again. Called
     * when the upstream says the user must sign in again (refresh token expired, password changed, signed out).
     */
    public void revokeUser(String userKey) {
        store.put(USER + Secrets.hash(userKey), Secrets.random(16).getBytes(StandardCharsets.US_ASCII), EPOCH_TTL);
    }

    /** The user's current epoch, renewed so it outlives the tokens about to be issued under it. */
    String currentEpoch(String userKey) {
        String key = USER + Secrets.hash(userKey);
        Optional<byte[]> epoch = store.get(key);
        if (epoch.isEmpty()) {
            return NO_EPOCH;
        }
        // Renew only if unchanged: a revocation racing with this must win.
        store.compareAndSet(key, epoch.get(), epoch.get(), EPOCH_TTL);
        return new String(epoch.get(), StandardCharsets.US_ASCII);
    }

    boolean epochCurrent(String userKey, String epoch) {
        String now = store.get(USER + Secrets.hash(userKey)).map(b -> new String(b, StandardCharsets.US_ASCII)).orElse(NO_EPOCH);
        return now.equals(epoch);
    }

    /** Issues a new access + refresh pair in {@code family}; the family's life restarts (sliding). */
    TokenPair issue(String clientId, String userKey, List<String> scopes, String resource, String family, String epoch) {
        String access = Secrets.random(32);
        String refresh = Secrets.random(32);
        store(access, refresh, clientId, userKey, scopes, resource, family, epoch);
        return new TokenPair(access, refresh, settings.accessTokenTtl().toSeconds(), scopes);
    }

    void store(String access, String refresh, String clientId, String userKey, List<String> scopes, String resource,
               String family, String epoch) {
        long now = clock.millis();
        store.put(ACCESS + Secrets.hash(access), json(new AccessToken(clientId, userKey, scopes, resource, family, epoch,
                now + settings.accessTokenTtl().toMillis())), settings.accessTokenTtl());
        store.put(REFRESH + Secrets.hash(refresh), json(new RefreshToken(clientId, userKey, scopes, resource, family, epoch,
                now + settings.refreshTokenTtl().toMillis(), null)), settings.refreshTokenTtl());
        store.compareAndSet(FAMILY + family, LIVE, LIVE, settings.refreshTokenTtl());
    }

    /** The live record of an access token: unexpired, family live, user's epoch current. */
    Optional<AccessToken> access(String token) {
        Optional<byte[]> raw = store.get(ACCESS + Secrets.hash(token));
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        AccessToken at = JsonMapper.shared().readValue(raw.get(), AccessToken.class);
        if (at.expiresAt() <= clock.millis() || !familyLive(at.family()) || !epochCurrent(at.userKey(), at.epoch())) {
            return Optional.empty();
        }
        return Optional.of(at);
    }

    void deleteAccessByHash(String hash) {
        store.delete(ACCESS + hash);
    }

    /** Raw bytes of a refresh token record (for compare-and-set) under its hash. */
    Optional<byte[]> refreshRecord(String hash) {
        return store.get(REFRESH + hash);
    }

    boolean replaceRefreshRecord(String hash, byte[] expected, RefreshToken update) {
        long remaining = update.expiresAt() - clock.millis();
        if (remaining <= 0) {
            return false;
        }
        return store.compareAndSet(REFRESH + hash, expected, json(update), Duration.ofMillis(remaining));
    }

    void deleteRefreshByHash(String hash) {
        store.delete(REFRESH + hash);
    }

    static RefreshToken parseRefresh(byte[] raw) {
        return JsonMapper.shared().readValue(raw, RefreshToken.class);
    }

    static byte[] json(Object record) {
        return JsonMapper.shared().writeValueAsBytes(record);
    }

    OAuthSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }
}
