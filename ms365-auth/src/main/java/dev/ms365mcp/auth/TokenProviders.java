package dev.ms365mcp.auth;

import com.microsoft.aad.msal4j.IHttpClient;
import dev.ms365mcp.auth.app.AppOnlyTokenProvider;
import dev.ms365mcp.auth.msal.MsalTokenProvider;

/**
 * Picks where tokens come from, in this order: a static token ({@code MS365_MCP_OAUTH_TOKEN}); app-only
 * client credentials ({@code MS365_MCP_AUTH_MODE=app}); the MSAL public client with its encrypted cache
 * (when {@code MS365_MCP_CLIENT_ID} is set); otherwise a provider that explains how to register an app.
 * (On-behalf-of is not chosen here: the HTTP launcher builds it per request.)
 */
public final class TokenProviders {

    /** What to do when no app registration is configured. */
    public static final String REGISTER_APP_HOWTO = "No app registration is configured: set MS365_MCP_CLIENT_ID. "
            + "To create one, open https://entra.microsoft.com > App registrations > New registration. "
            + "For a work or school (Business) account choose 'Accounts in this organizational directory only' "
            + "(single tenant) and set MS365_MCP_TENANT_ID to your tenant id; for a personal Microsoft account "
            + "choose an option that includes personal accounts and set MS365_MCP_TENANT_ID=consumers. "
            + "Under Authentication set 'Allow public client flows' to Yes. Under API permissions add the "
            + "Microsoft Graph delegated permissions you need (for example User.Read, Mail.Read) and, where your "
            + "organization requires it, Grant admin consent. Then set MS365_MCP_CLIENT_ID to the Application "
            + "(client) ID and sign in with --login.";

    private TokenProviders() {
    }

    public static TokenProvider fromSettings(AuthSettings settings) {
        return fromSettings(settings, null);
    }

    /**
     * @param httpClient how MSAL talks to Entra; {@code null} for msal4j's default. Tests pass one that
     *                   routes to a fake.
     */
    public static TokenProvider fromSettings(AuthSettings settings, IHttpClient httpClient) {
        return fromSettings(settings, httpClient, TokenObserver.NONE);
    }

    /** @param observer hears how each token request of the MSAL public client ended (metrics) */
    public static TokenProvider fromSettings(AuthSettings settings, IHttpClient httpClient, TokenObserver observer) {
        if (settings.oauthToken() != null) {
            return new StaticTokenProvider(settings.oauthToken());
        }
        if (settings.mode() == AuthSettings.Mode.APP) {
            return new AppOnlyTokenProvider(settings, httpClient);
        }
        if (settings.clientId() != null) {
            return new MsalTokenProvider(settings, httpClient, observer);
        }
        return new LoginRequiredTokenProvider(REGISTER_APP_HOWTO);
    }

    /**
     * The account operations (login, logout, accounts...) for {@code provider}: the provider itself when
     * it signs users in, otherwise one that explains why these operations do not apply.
     */
    public static AccountManager accountManager(TokenProvider provider) {
        if (provider instanceof AccountManager accounts) {
            return accounts;
        }
        if (provider instanceof LoginRequiredTokenProvider loginRequired) {
            return AccountManager.unavailable(loginRequired.howToSignIn());
        }
        if (provider instanceof StaticTokenProvider) {
            return AccountManager.unavailable("MS365_MCP_OAUTH_TOKEN is set, so this server uses that token and "
                    + "does not sign anyone in. Unset it to sign in with --login.");
        }
        if (provider.appOnly()) {
            return AccountManager.unavailable("This server runs as an application (MS365_MCP_AUTH_MODE=app): "
                    + "there is no user to sign in.");
        }
        return AccountManager.unavailable("This token source does not sign users in.");
    }
}
