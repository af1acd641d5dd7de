package dev.ms365mcp.auth.msal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.Map;

/**
 * An MSAL cache serialization with the access tokens that can no longer serve a request taken out.
 *
 * <p>msal4j keeps expired access tokens forever, one per scope set, and when several match a request it may
 * pick the dead one and refresh at Entra on every call although a live one is there. Both caches (the
 * desktop's encrypted file and the HTTP server's per-user store) hand MSAL the pruned form.
 *
 * @param json      the cache without access tokens expiring before now plus MSAL's refresh margin; the input
 *                  itself when none does (or when it cannot be parsed: MSAL then reports what it cannot read)
 * @param anyLeft   whether any access token is left (true when unknown), i.e. MSAL might answer from its cache
 */
public record LiveAccessTokens(String json, boolean anyLeft) {

    /** MSAL refreshes an access token this close to its expiry. */
    static final long REFRESH_MARGIN_SECONDS = 300;

    public static LiveAccessTokens of(String json, long nowEpochSeconds) {
        try {
            Map<String, Object> cache = JSONObjectUtils.parse(json);
            if (!(cache.get("AccessToken") instanceof Map<?, ?> tokens)) {
                return new LiveAccessTokens(json, false);
            }
            boolean removed = tokens.values().removeIf(at -> at instanceof Map<?, ?> entry
                    && expiresOn(entry) < nowEpochSeconds + REFRESH_MARGIN_SECONDS);
            return new LiveAccessTokens(removed ? JSONObjectUtils.toJSONString(cache) : json, !tokens.isEmpty());
        } catch (ParseException | RuntimeException e) {
            return new LiveAccessTokens(json, true);
        }
    }

    private static long expiresOn(Map<?, ?> accessToken) {
        Object value = accessToken.get("expires_on");
        try {
            return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // unknown: leave it to MSAL
        }
    }
}
