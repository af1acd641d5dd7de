package dev.ms365mcp.http.security;

import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.http.oauth.ProtectedResourceMetadata;
import java.util.function.Function;

/**
 * How {@code /mcp} authenticates its callers.
 *
 * @param verifier       checks the bearer token and says who sent it; {@code null}: no bearer is asked for (a
 *                       single-user server on loopback, or a trusted reverse proxy authenticated the caller)
 * @param requestTokens  for modes whose Graph token comes from the caller's own credential (on-behalf-of,
 *                       legacy passthrough): the token source for one request, built from its bearer;
 *                       {@code null}: the tool set's provider, asked with the caller's principal
 * @param challenge      the {@code WWW-Authenticate} parameters of a 401
 * @param proxyUserHeader with a trusted proxy: the header naming the authenticated user (required); null: none
 * @param multiUser      several people share this server: the {@code account} tool argument is refused
 */
public record McpAuthentication(BearerTokenVerifier verifier, Function<String, TokenProvider> requestTokens,
        BearerChallenge challenge, String proxyUserHeader, boolean multiUser) {

    /**
     * What a 401 tells the client about where to get a token (RFC 6750 §3, RFC 9728 §5.1).
     *
     * @param resourceMetadata the protected-resource metadata URL; null when this mode has none (API key)
     * @param scope            the scopes to ask for; null: none named
     * @param document         the metadata document {@code /.well-known/oauth-protected-resource} serves when no
     *                         front door of ours does ({@code --obo}: Entra is the authorization server); null: none
     */
    public record BearerChallenge(String resourceMetadata, String scope, ProtectedResourceMetadata document) {

        /** A challenge whose metadata document, if any, is served by the front door itself. */
        public BearerChallenge(String resourceMetadata, String scope) {
            this(resourceMetadata, scope, null);
        }

        /** The header value, with {@code error="invalid_token"} when a token was sent and refused. */
        public String header(boolean tokenSent) {
            StringBuilder sb = new StringBuilder("Bearer");
            String sep = " ";
            if (resourceMetadata != null) {
                sb.append(sep).append("resource_metadata=\"").append(resourceMetadata).append('"');
                sep = ", ";
            } else {
                sb.append(sep).append("realm=\"ms365-mcp\"");
                sep = ", ";
            }
            if (scope != null && !scope.isBlank()) {
                sb.append(sep).append("scope=\"").append(scope).append('"');
            }
            if (tokenSent) {
                sb.append(sep).append("error=\"invalid_token\"");
            }
            return sb.toString();
        }
    }
}
