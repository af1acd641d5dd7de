package dev.ms365mcp.auth.web;

import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;

/**
 * One user's MSAL cache for one operation on a fresh app: MSAL reads it before each access and we
 * take the new serialization when MSAL changed it. One app per operation because msal4j's
 * {@code deserialize} merges into what the app already holds: a shared app would mix users.
 */
final class MsalCacheSnapshot implements ITokenCacheAccessAspect {

    private String json;
    private boolean changed;

    MsalCacheSnapshot(String json) {
        this.json = json;
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
            changed = true;
        }
    }

    String json() {
        return json;
    }

    boolean changed() {
        return changed;
    }
}
