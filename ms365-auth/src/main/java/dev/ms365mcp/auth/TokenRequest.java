package dev.ms365mcp.auth;

import java.util.Set;

/**
 * What a tool call needs: the delegated scopes of the tool, and optionally which cached account to
 * use ({@code null}: the selected or only account).
 */
public record TokenRequest(Set<String> scopes, String account) {

    public TokenRequest {
        scopes = Set.copyOf(scopes);
    }

    public static TokenRequest forScopes(Set<String> scopes) {
        return new TokenRequest(scopes, null);
    }
}
