package dev.ms365mcp.auth;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Delegated Graph scopes as Entra must see them in the configured cloud. */
public final class GraphScopes {

    /** Scopes MSAL handles itself (it adds openid, profile and offline_access to every request). */
    public static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    /** Every app registration has it; enough to prove a sign-in works. */
    public static final String DEFAULT_SCOPE = "User.Read";

    private GraphScopes() {
    }

    /**
     * Bare Graph scopes ({@code Mail.Read}) mean global Graph to Entra; in the other clouds they must
     * name that cloud's Graph ({@code https://microsoftgraph.chinacloudapi.cn/Mail.Read}). No scopes at
     * all means {@link #DEFAULT_SCOPE}.
     */
    public static Set<String> forCloud(Cloud cloud, Set<String> scopes) {
        Set<String> wanted = scopes.isEmpty() ? Set.of(DEFAULT_SCOPE) : scopes;
        if (cloud == Cloud.GLOBAL) {
            return new LinkedHashSet<>(wanted);
        }
        return wanted.stream()
                .map(s -> s.contains("://") || OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT)) ? s : cloud.graphRoot() + "/" + s)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
