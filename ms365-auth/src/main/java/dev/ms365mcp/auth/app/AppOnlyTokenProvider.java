package dev.ms365mcp.auth.app;

import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.errors.EntraErrors;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * App-only tokens ({@code MS365_MCP_AUTH_MODE=app}): the client credentials grant with
 * {@code MS365_MCP_CLIENT_SECRET} or a certificate ({@code MS365_MCP_CLIENT_CERTIFICATE_PATH}). The token carries the app's application permissions (granted by an
 * admin), not a user's, so the scope is always Graph's {@code /.default} and the tools' delegated
 * scopes do not apply. MSAL keeps the token in memory until it nears expiry.
 */
public final class AppOnlyTokenProvider implements TokenProvider {

    private final ConfidentialClientApplication app;
    private final String scope;

    public AppOnlyTokenProvider(AuthSettings settings, IHttpClient httpClient) {
        if (settings.clientId() == null || !settings.hasClientCredential()) {
            throw new IllegalArgumentException("App-only mode needs MS365_MCP_CLIENT_ID and MS365_MCP_CLIENT_SECRET "
                    + "or MS365_MCP_CLIENT_CERTIFICATE_PATH");
        }
        this.scope = settings.endpoint().defaultScope();
        this.app = ConfidentialClients.build(settings, httpClient);
    }

    @Override
    public AccessToken token(TokenRequest request) {
        if (request.account() != null) {
            throw new AuthException("This server runs as an application (MS365_MCP_AUTH_MODE=app): there are no "
                    + "user accounts to choose from.");
        }
        try {
            IAuthenticationResult result = app.acquireToken(ClientCredentialParameters.builder(Set.of(scope)).build()).get();
            return new AccessToken(result.accessToken(), result.expiresOnDate().toInstant());
        } catch (ExecutionException | RuntimeException e) {
            throw EntraErrors.toAuthException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while getting a token.", e);
        }
    }

    @Override
    public boolean appOnly() {
        return true;
    }
}
