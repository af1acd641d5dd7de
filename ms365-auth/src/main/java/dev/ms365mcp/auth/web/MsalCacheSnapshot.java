package dev.ms365mcp.auth.web;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import dev.ms365mcp.auth.msal.LiveAccessTokens;
import java.time.Instant;

/**
 * One user's MSAL cache for one operation on a fresh app: MSAL reads it before each access and we
 * take the new serialization when MSAL changed it. One app per operation because msal4j's
 * {@code deserialize} merges into what the app already holds: a shared app would mix users.
 *
 * <p>msal4j says the cache changed after every silent call, a token served from the cache included, and
 * then serializes the same content again: {@link #changed()} compares with what was read instead, so an
 * unchanged cache is not written back (a shared store saves a round trip per call).
 *
 * <p>MSAL reads the cache without its dead access tokens ({@link LiveAccessTokens}).
 */
final class MsalCacheSnapshot implements ITokenCacheAccessAspect {

    private final String read;
    private String json;
    private boolean liveAccessTokens;

    MsalCacheSnapshot(String json) {
        this.read = json;
        if (json != null) {
            LiveAccessTokens live = LiveAccessTokens.of(json, Instant.now().getEpochSecond());
            this.json = live.json();
            this.liveAccessTokens = live.anyLeft();
        }
    }

    /** False when no access token in the cache can still serve a request: MSAL would have to ask Entra. */
    boolean hasLiveAccessTokens() {
        return liveAccessTokens;
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
