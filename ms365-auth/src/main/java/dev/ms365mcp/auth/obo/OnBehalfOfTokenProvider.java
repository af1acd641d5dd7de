package dev.ms365mcp.auth.obo;

import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.OnBehalfOfParameters;
import com.microsoft.aad.msal4j.UserAssertion;
import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenObserver;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.app.ConfidentialClients;
import dev.ms365mcp.auth.errors.EntraErrors;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * On-behalf-of, for the HTTP launcher: a caller presents an access token for our API (the user
 * assertion); we exchange it, as the confidential client {@code MS365_MCP_CLIENT_ID} /
 * {@code MS365_MCP_CLIENT_SECRET}, for a Graph token of the same user.
 *
 * <p>One instance serves every request; {@link #forAssertion} gives the per-request provider. MSAL's
 * in-memory cache is keyed by a hash of the assertion, so repeated calls with the same incoming token
 * reuse the Graph token instead of exchanging again. (msal4j only finds it when the authority has no
 * explicit port, as with the real Entra hosts: its lookup compares {@code host:port} with {@code host}.
 * Against a fake on another port every call exchanges again, which is correct, only slower.)
 *
 * <p>MSAL never evicts that in-memory cache; expired entries stay until the process ends. A
 * long-running server with very many users may want to rebuild this provider now and then.
 */
public final class OnBehalfOfTokenProvider {

    private static final String SIGN_IN_AGAIN = "Get a new access token for this server: sign in again in your "
            + "MCP client.";

    private final ConfidentialClientApplication app;
    private final TokenObserver observer;

    public OnBehalfOfTokenProvider(AuthSettings settings, IHttpClient httpClient) {
        this(settings, httpClient, TokenObserver.NONE);
    }

    /** @param observer hears how each exchange ended: MSAL's cache, Entra, or a failure (metrics) */
    public OnBehalfOfTokenProvider(AuthSettings settings, IHttpClient httpClient, TokenObserver observer) {
        if (settings.clientId() == null || !settings.hasClientCredential()) {
            throw new IllegalArgumentException("On-behalf-of needs MS365_MCP_CLIENT_ID and MS365_MCP_CLIENT_SECRET "
                    + "or MS365_MCP_CLIENT_CERTIFICATE_PATH");
        }
        this.app = ConfidentialClients.builder(settings, httpClient).setTokenCacheAccessAspect(WRITES).build();
        this.observer = observer == null ? TokenObserver.NONE : observer;
    }

    /**
     * Whether MSAL wrote a token into its cache during this thread's exchange: a token from Entra. (msal4j
     * marks on-behalf-of results served from its cache as coming from the identity provider, so its result
     * metadata cannot tell; MSAL runs on the calling thread here.)
     */
    private static final ThreadLocal<boolean[]> WROTE = ThreadLocal.withInitial(() -> new boolean[1]);
    private static final ITokenCacheAccessAspect WRITES =
            new ITokenCacheAccessAspect() {
                @Override
                public void beforeCacheAccess(ITokenCacheAccessContext context) {
                }

                @Override
                public void afterCacheAccess(ITokenCacheAccessContext context) {
                    if (context.hasCacheChanged()) {
                        WROTE.get()[0] = true;
                    }
                }
            };

    /**
     * Graph tokens for the user who sent {@code userAssertion} (the bearer token of the incoming request).
     * Its {@link TokenProvider#token} throws {@link AssertionRejectedException} when Entra will not exchange
     * this assertion any more, and a plain {@link AuthException} for anything else (Entra unreachable or
     * failing, the app registration refused).
     */
    public TokenProvider forAssertion(String userAssertion) {
        if (userAssertion == null || userAssertion.isBlank()) {
            throw new AuthException("The request carries no access token to exchange: send Authorization: Bearer <token>.");
        }
        UserAssertion assertion = new UserAssertion(userAssertion.strip());
        return request -> exchange(assertion, request);
    }

    private AccessToken exchange(UserAssertion assertion, TokenRequest request) {
        if (request.account() != null) {
            throw new AuthException("Each HTTP request acts as the user who sent it; the account parameter does not apply.");
        }
        Set<String> scopes = request.scopes().isEmpty() ? Set.of("User.Read") : request.scopes();
        long start = System.nanoTime();
        boolean[] wrote = WROTE.get();
        wrote[0] = false;
        try {
            IAuthenticationResult result = app.acquireToken(OnBehalfOfParameters.builder(scopes, assertion).build()).get();
            observer.acquired(wrote[0] ? TokenObserver.Outcome.REFRESHED : TokenObserver.Outcome.CACHE,
                    System.nanoTime() - start);
            return new AccessToken(result.accessToken(), result.expiresOnDate().toInstant());
        } catch (ExecutionException | RuntimeException e) {
            observer.acquired(TokenObserver.Outcome.ofFailure(e), System.nanoTime() - start);
            AuthException explained = EntraErrors.toAuthException(e, SIGN_IN_AGAIN);
            if (EntraErrors.needsNewSignIn(e)) {
                throw new AssertionRejectedException(explained.getMessage(), e);
            }
            throw explained;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            observer.acquired(TokenObserver.Outcome.FAILED, System.nanoTime() - start);
            throw new AuthException("Interrupted while getting a token.", e);
        }
    }
}
