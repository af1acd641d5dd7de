package dev.ms365mcp.http.security;

import java.util.Set;

/**
 * An authenticated caller of {@code /mcp}.
 *
 * @param principal opaque, stable user key (no user name in it): what the tools receive as
 *                  {@code Ms365Tools.PRINCIPAL} and what per-user state (Entra cache, limits) is keyed by
 * @param scopes    the scopes the caller's token was granted (for {@code insufficient_scope} answers)
 */
public record Caller(String principal, Set<String> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }
}
