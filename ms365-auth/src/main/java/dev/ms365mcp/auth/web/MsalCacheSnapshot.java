package dev.ms365mcp.auth.web;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.util.Map;

/**
 * One user's MSAL cache for one operation on a fresh app: MSAL reads it before each access and we
 * take the new serialization when MSAL changed it. One app per operation because msal4j's
 * {@code deserialize} merges into what the app already holds: a shared app would mix users.
 *
 * <p>msal4j says the cache changed after every silent call, a token served from the cache included, and
 * then serializes the same content again: {@link #changed()} compares with what was read instead, so an
 * unchanged cache is not written back (a shared store saves a round trip per call).
 *
 * <p>Access tokens that expired (or are inside MSAL's 5-minute refresh margin) are dropped before MSAL reads
 * the cache: msal4j keeps them forever, one per scope set, and when several match a request it may pick
 * the dead one and refresh at Entra on every call although a live one is there.
 */
final class MsalCacheSnapshot implements ITokenCacheAccessAspect {

    private final String read;
    private String json;
    private boolean liveAccessTokens;

    /** MSAL refreshes an access token this close to its expiry. */
    private static final long REFRESH_MARGIN_SECONDS = 300;

    MsalCacheSnapshot(String json) {
        this.read = json;
        this.json = json == null ? null : withoutExpiredAccessTokens(json, Instant.now().getEpochSecond());
    }

    /**
     * {@code json} without the access tokens that expire before {@code now} plus MSAL's margin; as is when
     * none does. Notes whether any access token is left.
     */
    private String withoutExpiredAccessTokens(String json, long now) {
        try {
            Map<String, Object> cache = JSONObjectUtils.parse(json);
            if (!(cache.get("AccessToken") instanceof Map<?, ?> tokens)) {
                return json;
            }
            boolean removed = tokens.values().removeIf(at -> at instanceof Map<?, ?> entry
                    && expiresOn(entry) < now + REFRESH_MARGIN_SECONDS);
            liveAccessTokens = !tokens.isEmpty();
            return removed ? JSONObjectUtils.toJSONString(cache) : json;
        } catch (ParseException | RuntimeException e) {
            liveAccessTokens = true; // unknown: let MSAL look
            return json; // MSAL reads it as it is and reports what it cannot
        }
    }

    /** False when no access token in the cache can still serve a request: MSAL would have to ask Entra. */
    boolean hasLiveAccessTokens() {
        return liveAccessTokens;
    }

    private static long expiresOn(Map<?, ?> accessToken) {
        Object value = accessToken.get("expires_on");
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // unknown: leave it to MSAL
        }
    }

    @Override
    public void beforeCacheAccess(ITokenCacheAccessContext context) {
        if (json != null) {
            context.tokenCache().deserialize(json);
        }
    }

    @Override
    public void afterCacheAccess(ITokenCacheAccessContext context) {
        if (context.hasCacheChanged()) {
            json = context.tokenCache().serialize();
        }
    }

    String json() {
        return json;
    }

    /** True when the cache now holds something else than what was read (a refreshed or new token). */
    boolean changed() {
        return json != null && !json.equals(read);
    }
}
