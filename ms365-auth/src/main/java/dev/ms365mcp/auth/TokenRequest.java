package dev.ms365mcp.auth;

import java.util.Set;

/**
 * What a tool call needs: the delegated scopes of the tool, optionally which cached account to use
 * ({@code null}: the selected or only account), and who is calling.
 *
 * @param principal the authenticated caller behind this call in a multi-user server (the HTTP
 *                  launcher's opaque user key); {@code null} in a single-user process (STDIO). Token
 *                  sources that serve many users pick the user's tokens by it.
 */
public record TokenRequest(Set<String> scopes, String account, String principal) {

    public TokenRequest {
        scopes = Set.copyOf(scopes);
    }

    public TokenRequest(Set<String> scopes, String account) {
        this(scopes, account, null);
    }

    public static TokenRequest forScopes(Set<String> scopes) {
        return new TokenRequest(scopes, null, null);
    }
}
