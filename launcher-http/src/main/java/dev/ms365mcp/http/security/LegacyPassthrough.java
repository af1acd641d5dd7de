package dev.ms365mcp.http.security;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.auth.TokenProvider;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --legacy-passthrough}, the reference server's behaviour kept for migration only: the caller's bearer
 * is a Microsoft Graph token and is sent to Graph as it is (Graph, not this server, judges it). The MCP
 * authorization spec forbids this; the server warns at start. Each distinct token is its own caller.
 */
public final class LegacyPassthrough {

    private LegacyPassthrough() {
    }

    public static BearerTokenVerifier verifier() {
        return token -> Optional.of(new Caller("passthrough:" + Caller.hash(token), Set.of()));
    }

    public static TokenProvider tokensFor(String bearer) {
        return new StaticTokenProvider(bearer);
    }
}
