package dev.ms365mcp.auth.web;

import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import com.microsoft.aad.msal4j.SilentParameters;
import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.GraphScopes;
import dev.ms365mcp.auth.TokenObserver;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.UserKey;
import dev.ms365mcp.auth.app.ConfidentialClients;
import dev.ms365mcp.auth.errors.EntraErrors;
import java.net.MalformedURLException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graph tokens for the user behind each call of a multi-user server: {@link TokenRequest#principal()}
 * is the user key, whose encrypted MSAL cache ({@link UserTokenCaches}) is loaded into a short-lived
 * confidential client app, refreshed silently, and saved back when its content changed — all under that
 * user's lock, so one user's refresh never waits for another's. A token still good in the cache is served
 * without the lock (MSAL cannot reach Entra on that path), so most calls take no lock at all. (MSAL reports a change after every silent
 * call, even one served from its cache; comparing the serialization skips that write, one store round
 * trip per tool call.)
 *
 * <p>When only a new interactive sign-in can help (refresh token expired or revoked, MFA or consent
 * required, no stored sign-in), the {@link SignInRequiredListener} hears of it first, so the server can
 * revoke the user's grants; the caller gets an {@link AuthException} telling the user to reconnect.
 */
public final class PerUserTokenProvider implements TokenProvider {

    /** What users of the HTTP server do when their Entra sign-in is gone. */
    public static final String RECONNECT = "Reconnect this server in your MCP client to sign in to Microsoft again.";

    private static final Logger LOG = LoggerFactory.getLogger(PerUserTokenProvider.class);

    private final AuthSettings settings;
    private final UserTokenCaches caches;
    private final SignInRequiredListener listener;
    private final IHttpClient httpClient;
    private final IClientCredential credential;
    private final TokenObserver observer;

    /**
     * @param settings   client id, credential, tenant, authority (the same app registration as {@link EntraSignIn})
     * @param caches     the users' encrypted MSAL caches
     * @param listener   told when a user must sign in again
     * @param httpClient how msal4j talks to Entra; null for msal4j's default
     */
    public PerUserTokenProvider(AuthSettings settings, UserTokenCaches caches, SignInRequiredListener listener,
                                IHttpClient httpClient) {
        this(settings, caches, listener, httpClient, TokenObserver.NONE);
    }

    /** @param observer hears how each token request ended (metrics) */
    public PerUserTokenProvider(AuthSettings settings, UserTokenCaches caches, SignInRequiredListener listener,
                                IHttpClient httpClient, TokenObserver observer) {
        if (settings.clientId() == null || !settings.hasClientCredential()) {
            throw new IllegalArgumentException("Per-user tokens need MS365_MCP_CLIENT_ID and MS365_MCP_CLIENT_SECRET "
                    + "or MS365_MCP_CLIENT_CERTIFICATE_PATH");
        }
        this.settings = settings;
        this.caches = caches;
        this.listener = listener;
        this.httpClient = httpClient;
        this.credential = ConfidentialClients.credential(settings);
        this.observer = observer == null ? TokenObserver.NONE : observer;
    }

    /** Thrown inside the user's lock, so that the listener runs after it is released. */
    private static final class SignInRequired extends RuntimeException {
        final AuthException error;

        SignInRequired(AuthException error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    @Override
    public AccessToken token(TokenRequest request) {
        String userKey = request.principal();
        if (userKey == null || userKey.isBlank()) {
            throw new AuthException("No signed-in caller: this call carries no user, so there is no Microsoft "
                    + "account to act for. Connect through the server's OAuth sign-in.");
        }
        if (request.account() != null) {
            throw new AuthException("Each caller acts as the user who signed in; the account parameter does not "
                    + "apply on this server.");
        }
        Set<String> scopes = GraphScopes.forCloud(settings.endpoint().cloud(), request.scopes());
        long start = System.nanoTime();
        try {
            Acquired acquired = fromCacheAlone(userKey, scopes);
            if (acquired == null) {
                acquired = caches.locked(userKey, () -> acquire(userKey, scopes, httpClient, true));
            }
            observer.acquired(acquired.outcome(), System.nanoTime() - start);
            return acquired.token();
        } catch (SignInRequired e) {
            observer.acquired(TokenObserver.Outcome.INTERACTION_REQUIRED, System.nanoTime() - start);
            listener.signInRequired(userKey);
            throw e.error;
        } catch (RuntimeException e) {
            observer.acquired(TokenObserver.Outcome.FAILED, System.nanoTime() - start);
            throw e;
        }
    }

    private record Acquired(AccessToken token, TokenObserver.Outcome outcome) {
    }

    /**
     * The token from the user's cache as it is, without the user's lock: MSAL runs on an HTTP client that
     * refuses to go out, so it can only answer from the cache and never redeems the refresh token outside
     * the lock. Null when it would need Entra (or anything else went wrong): the locked path then refreshes,
     * or finds and reports the problem. A cache hit, most calls, costs one store read and no lock.
     */
    private Acquired fromCacheAlone(String userKey, Set<String> scopes) {
        OfflineHttpClient offline = new OfflineHttpClient();
        try {
            Acquired acquired = acquire(userKey, scopes, offline, false);
            return acquired == null || offline.asked ? null : acquired;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Refuses every request and remembers that MSAL wanted to reach Entra. */
    private static final class OfflineHttpClient implements IHttpClient {
        volatile boolean asked;

        @Override
        public IHttpResponse send(HttpRequest request) throws java.io.IOException {
            asked = true;
            throw new java.io.IOException("no network outside the user's lock");
        }
    }

    /** @param save false: read only, without the user's lock (null when no access token is left to serve from) */
    private Acquired acquire(String userKey, Set<String> scopes, IHttpClient http, boolean save) {
        Optional<String> json;
        try {
            json = caches.load(userKey);
        } catch (AuthException unreadable) {
            throw new SignInRequired(unreadable);
        }
        if (json.isEmpty()) {
            throw new SignInRequired(new AuthException("You are not signed in to Microsoft on this server. " + RECONNECT));
        }
        MsalCacheSnapshot cache = new MsalCacheSnapshot(json.get());
        if (!save && !cache.hasLiveAccessTokens()) {
            return null; // only Entra can help: not without the lock
        }
        ConfidentialClientApplication app = ConfidentialClients.builder(settings, credential, http)
                .setTokenCacheAccessAspect(cache).build();
        try {
            IAccount account = app.getAccounts().get().stream()
                    .filter(a -> UserKey.fromHomeAccountId(a.homeAccountId()).equals(userKey))
                    .findFirst().orElse(null);
            if (account == null) {
                throw new SignInRequired(new AuthException("Your stored Microsoft sign-in on this server holds no "
                        + "account. " + RECONNECT));
            }
            // authorityUrl on every call: MSAL remembers accounts by host without port, and would
            // otherwise send the refresh to port 443 of an authority that has another port.
            IAuthenticationResult result = app.acquireTokenSilently(SilentParameters.builder(scopes, account)
                    .authorityUrl(settings.authorityUrl()).build()).get();
            if (save && cache.changed()) {
                caches.save(userKey, cache.json());
            }
            return new Acquired(new AccessToken(result.accessToken(), result.expiresOnDate().toInstant()),
                    TokenObserver.Outcome.of(result));
        } catch (ExecutionException | MalformedURLException | RuntimeException e) {
            if (e instanceof SignInRequired signInRequired) {
                throw signInRequired;
            }
            if (EntraErrors.needsNewSignIn(e)) {
                int code = EntraErrors.aadstsCode(String.valueOf(rootMessage(e)));
                LOG.info("Entra needs a new sign-in of user {}{}", userKey, code == 0 ? "" : " (AADSTS" + code + ")");
                throw new SignInRequired(new AuthException("Your Microsoft sign-in on this server has expired or was "
                        + "revoked" + (code == 0 ? "" : " (Entra: AADSTS" + code + ")") + ". " + RECONNECT, e));
            }
            throw EntraErrors.toAuthException(e, RECONNECT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while getting a token.", e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while ((c instanceof ExecutionException || c instanceof java.util.concurrent.CompletionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }
}
