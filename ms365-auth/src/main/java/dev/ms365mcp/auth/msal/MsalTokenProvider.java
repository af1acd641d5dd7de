package dev.ms365mcp.auth.msal;

import com.microsoft.aad.msal4j.DeviceCode;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.InteractiveRequestParameters;
import com.microsoft.aad.msal4j.SystemBrowserOptions;
import com.microsoft.aad.msal4j.ITokenCache;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SilentParameters;
import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AccountInfo;
import dev.ms365mcp.auth.AccountManager;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.DeviceCodeLogin;
import dev.ms365mcp.auth.ExpectedAccount;
import dev.ms365mcp.auth.GraphScopes;
import dev.ms365mcp.auth.LoginStatus;
import dev.ms365mcp.auth.TokenObserver;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.cache.EncryptedTokenCache;
import dev.ms365mcp.auth.errors.EntraErrors;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Consumer;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delegated tokens from MSAL's public client: device code sign-in, silent refresh, several accounts in
 * one encrypted cache ({@link EncryptedTokenCache}) shared safely by several processes, and a
 * persisted selected account.
 *
 * <p>Every operation builds a fresh {@link PublicClientApplication} (cheap: no network until a token
 * is needed). MSAL's in-memory cache can only grow when it loads the file, so a long-lived one would
 * keep accounts another process removed, and write them back. A fresh one holds exactly the file.
 *
 * <p>Token requests hold the cache lock across MSAL's whole silent acquisition, so when the access
 * token must be refreshed, reading the refresh token, redeeming it and storing the rotated one happen
 * as one step: another process cannot redeem the same refresh token in between.
 */
public final class MsalTokenProvider implements TokenProvider, AccountManager {

    private static final Logger LOG = LoggerFactory.getLogger(MsalTokenProvider.class);

    private static final Set<String> OIDC_SCOPES = GraphScopes.OIDC_SCOPES;
    private static final String VERIFY_SCOPE = GraphScopes.DEFAULT_SCOPE;
    private static final long DEVICE_CODE_WAIT_SECONDS = 120;
    /**
     * Device code flows wait for a person for minutes: one virtual thread each. (Not the caller's
     * thread: msal4j's polling loop looks at its own future, which only exists once the call returned.)
     */
    private static final ExecutorService LOGIN_EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

    private final AuthSettings settings;
    private final IHttpClient httpClient;
    private final EncryptedTokenCache cache;
    private final SelectedAccountStore selection;
    private final TokenObserver observer;

    /**
     * @param settings   needs a client id; authority, tenant, cache paths and key, scopes come from it too
     * @param httpClient how MSAL talks to Entra; {@code null} for msal4j's default (tests route it to a fake)
     */
    public MsalTokenProvider(AuthSettings settings, IHttpClient httpClient) {
        this(settings, httpClient, TokenObserver.NONE);
    }

    /** @param observer hears how each token request ended (metrics) */
    public MsalTokenProvider(AuthSettings settings, IHttpClient httpClient, TokenObserver observer) {
        if (settings.clientId() == null) {
            throw new IllegalArgumentException("MsalTokenProvider needs MS365_MCP_CLIENT_ID");
        }
        this.settings = settings;
        this.httpClient = httpClient;
        this.cache = EncryptedTokenCache.open(settings.tokenCachePath(), settings.cacheKey(), settings.authCacheCommand());
        this.selection = new SelectedAccountStore(settings.selectedAccountPath());
        this.observer = observer == null ? TokenObserver.NONE : observer;
    }

    public EncryptedTokenCache cache() {
        return cache;
    }

    // ---------------------------------------------------------------- TokenProvider

    @Override
    public AccessToken token(TokenRequest request) {
        Set<String> scopes = graphScopes(request.scopes());
        checkAllowed(scopes);
        long start = System.nanoTime();
        IAuthenticationResult result;
        try {
            result = acquireSilently(scopes, request.account()).result();
        } catch (RuntimeException e) {
            observer.acquired(TokenObserver.Outcome.ofFailure(e), System.nanoTime() - start);
            throw e;
        }
        observer.acquired(TokenObserver.Outcome.of(result), System.nanoTime() - start);
        return new AccessToken(result.accessToken(), result.expiresOnDate().toInstant());
    }

    private record Acquired(IAccount account, IAuthenticationResult result) {
    }

    private Acquired acquireSilently(Set<String> scopes, String requestedAccount) {
        return cache.locked(() -> {
            PublicClientApplication app = newApp();
            IAccount account = resolveAllowed(accountsOf(app), requestedAccount);
            // authorityUrl on every call: MSAL remembers accounts by host without port, and would
            // otherwise send the refresh to port 443 of an authority that has another port.
            SilentParameters parameters = SilentParameters.builder(scopes, account)
                    .authorityUrl(settings.authorityUrl()).build();
            try {
                return new Acquired(account, app.acquireTokenSilently(parameters).get());
            } catch (ExecutionException | MalformedURLException | RuntimeException e) {
                throw EntraErrors.toAuthException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthException("Interrupted while getting a token.", e);
            }
        });
    }

    // ---------------------------------------------------------------- AccountManager

    private Set<String> loginScopes(Set<String> requestedScopes) {
        Set<String> scopes = new LinkedHashSet<>(requestedScopes);
        scopes.addAll(settings.extraScopes());
        if (scopes.stream().allMatch(s -> OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT)))) {
            scopes.add(VERIFY_SCOPE);
        }
        Set<String> loginScopes = graphScopes(scopes);
        checkAllowed(loginScopes);
        return loginScopes;
    }

    /**
     * {@code --auth-browser}: the authorization code flow with PKCE in the system browser, for tenants
     * whose Conditional Access blocks the device code flow. msal4j listens on a free loopback port
     * ({@code http://localhost:<port>}, which Entra accepts for public clients whatever the port),
     * checks {@code state} and redeems the code with its PKCE verifier. {@code showUrl} gets the sign-in
     * URL to print and open. Waits for the user up to {@code timeout}.
     */
    public AccountInfo loginInBrowser(Set<String> requestedScopes, Consumer<URL> showUrl, Duration timeout) {
        cache.verifyWritable();
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        // As with the device code: msal4j's listener loop reads its own future, which is set only once
        // acquireToken has returned; a fast browser would find it null. The URL goes out after that.
        CompletableFuture<Void> started = new CompletableFuture<>();
        InteractiveRequestParameters parameters = InteractiveRequestParameters.builder(URI.create("http://localhost"))
                .scopes(loginScopes(requestedScopes))
                // OpenID Connect nonce: msal4j sends none on its own; Entra accepts it and binds the ID token.
                .extraQueryParameters(Map.of("nonce", Base64.getUrlEncoder().withoutPadding().encodeToString(nonce)))
                .httpPollingTimeoutInSeconds((int) Math.max(1, timeout.toSeconds()))
                .systemBrowserOptions(SystemBrowserOptions.builder()
                        .openBrowserAction(url -> {
                            started.join();
                            showUrl.accept(url);
                        })
                        .htmlMessageSuccess("Signed in to ms365-mcp. You can close this window.")
                        .htmlMessageError("ms365-mcp sign-in failed; see the terminal.")
                        .build())
                .build();
        IAuthenticationResult result;
        try {
            CompletableFuture<IAuthenticationResult> flow;
            try {
                flow = newApp(LOGIN_EXECUTOR, loginCacheAspect()).acquireToken(parameters);
            } finally {
                started.complete(null);
            }
            result = flow.get();
        } catch (ExecutionException | RuntimeException e) {
            throw EntraErrors.toAuthException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while waiting for the browser sign-in.", e);
        }
        IAccount account = result.account();
        if (!settings.expectedAccount().matches(account.username(), account.homeAccountId())) {
            throw new AuthException("Signed in as '" + account.username() + "', which is not the expected Microsoft "
                    + "account '" + settings.expectedAccount().label() + "'. The sign-in was not saved; sign in as that account.");
        }
        selection.write(account.homeAccountId());
        LOG.info("Signed in as {}", account.username());
        return new AccountInfo(account.username(), account.homeAccountId(), true);
    }

    @Override
    public DeviceCodeLogin startLogin(Set<String> requestedScopes) {
        Set<String> loginScopes = loginScopes(requestedScopes);
        // Before a code is shown: a sign-in that cannot be stored would be lost after the user's work.
        cache.verifyWritable();

        CompletableFuture<DeviceCode> code = new CompletableFuture<>();
        CompletableFuture<AccountInfo> completion = new CompletableFuture<>();
        // The flow polls Entra until the user is done (minutes), so it runs on its own (virtual)
        // thread, and MSAL hands us the code as soon as it has it. MSAL stops polling when its
        // future is cancelled. The cache is locked only while MSAL stores the result.
        // msal4j's polling loop reads its own future from a reference that acquireToken sets only
        // after starting the flow; a fast answer would find it null. So the code consumer (called
        // before the first poll) waits until acquireToken has returned.
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<IAuthenticationResult> flow;
        try {
            flow = newApp(LOGIN_EXECUTOR, loginCacheAspect()).acquireToken(DeviceCodeFlowParameters.builder(loginScopes, deviceCode -> {
                code.complete(deviceCode);
                started.join();
            }).build());
        } finally {
            started.complete(null);
        }
        flow.whenComplete((result, failure) -> {
            if (failure != null) {
                AuthException error = EntraErrors.toAuthException(failure);
                code.completeExceptionally(error);
                completion.completeExceptionally(error);
                return;
            }
            try {
                IAccount account = result.account();
                if (!settings.expectedAccount().matches(account.username(), account.homeAccountId())) {
                    completion.completeExceptionally(new AuthException("Signed in as '" + account.username()
                            + "', which is not the expected Microsoft account '" + settings.expectedAccount().label()
                            + "' (MS365_MCP_EXPECTED_USERNAME / MS365_MCP_EXPECTED_HOME_ACCOUNT_ID). The sign-in was "
                            + "not saved; sign in as that account."));
                    return;
                }
                selection.write(account.homeAccountId());
                LOG.info("Signed in as {}", account.username());
                completion.complete(new AccountInfo(account.username(), account.homeAccountId(), true));
            } catch (RuntimeException e) {
                completion.completeExceptionally(e);
            }
        });
        completion.whenComplete((account, failure) -> {
            if (completion.isCancelled()) {
                flow.cancel(true);
            }
        });
        try {
            DeviceCode deviceCode = code.get(DEVICE_CODE_WAIT_SECONDS, TimeUnit.SECONDS);
            return new DeviceCodeLogin(deviceCode.message(), deviceCode.verificationUri(), deviceCode.userCode(),
                    Instant.now().plusSeconds(deviceCode.expiresIn()), completion);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AuthException auth ? auth : EntraErrors.toAuthException(e);
        } catch (TimeoutException e) {
            completion.cancel(true);
            throw new AuthException("Microsoft Entra did not answer the sign-in request within "
                    + DEVICE_CODE_WAIT_SECONDS + " seconds. Check the network and MS365_MCP_AUTHORITY_URL.");
        } catch (InterruptedException e) {
            completion.cancel(true);
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while starting the sign-in.", e);
        }
    }

    @Override
    public LoginStatus verify() {
        try {
            Acquired acquired = acquireSilently(graphScopes(Set.of(VERIFY_SCOPE)), null);
            AccountInfo account = info(acquired.account(), selection.read());
            return new LoginStatus(true, account, "Signed in as " + account.username() + ".");
        } catch (AuthException e) {
            return new LoginStatus(false, null, e.getMessage());
        }
    }

    /**
     * Redeems the refresh token of one cached account now, even while its access token is still valid,
     * so the refresh token is renewed and never lapses from inactivity (the token keeper's job).
     * Fails with an {@link AuthException} when Entra demands a new sign-in.
     */
    public AccountInfo refresh(String idOrUsername) {
        return cache.locked(() -> {
            PublicClientApplication app = newApp();
            IAccount account = resolve(accountsOf(app), requireAccountArgument(idOrUsername));
            SilentParameters parameters = SilentParameters.builder(graphScopes(Set.of(VERIFY_SCOPE)), account)
                    .authorityUrl(settings.authorityUrl()).forceRefresh(true).build();
            try {
                app.acquireTokenSilently(parameters).get();
            } catch (ExecutionException | MalformedURLException | RuntimeException e) {
                throw EntraErrors.toAuthException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AuthException("Interrupted while refreshing a token.", e);
            }
            return info(account, selection.read());
        });
    }

    @Override
    public List<AccountInfo> accounts() {
        return cache.locked(() -> {
            Optional<String> selected = selection.read();
            return accountsOf(newApp()).stream().map(a -> info(a, selected))
                    .sorted(Comparator.comparing(AccountInfo::username, String.CASE_INSENSITIVE_ORDER))
                    .toList();
        });
    }

    @Override
    public AccountInfo select(String idOrUsername) {
        return cache.locked(() -> {
            IAccount account = resolve(accountsOf(newApp()), requireAccountArgument(idOrUsername));
            if (!settings.expectedAccount().matches(account.username(), account.homeAccountId())) {
                throw new AuthException("Account '" + idOrUsername.strip() + "' is not the expected Microsoft account '"
                        + settings.expectedAccount().label() + "'.");
            }
            selection.write(account.homeAccountId());
            return new AccountInfo(account.username(), account.homeAccountId(), true);
        });
    }

    @Override
    public void remove(String idOrUsername) {
        cache.locked(() -> {
            PublicClientApplication app = newApp();
            IAccount account = resolve(accountsOf(app), requireAccountArgument(idOrUsername));
            removeFromCache(app, account);
            if (selection.read().filter(account.homeAccountId()::equals).isPresent()) {
                selection.clear();
            }
            return null;
        });
    }

    @Override
    public void logout() {
        cache.locked(() -> {
            PublicClientApplication app = newApp();
            for (IAccount account : accountsOf(app)) {
                removeFromCache(app, account);
            }
            selection.clear();
            return null;
        });
    }

    // ---------------------------------------------------------------- accounts

    /**
     * Which account a call uses: the one it names (username, case-insensitive, or home account id);
     * else the selected one; else the only one. Several accounts and no choice is an error that
     * lists them, rather than a guess.
     */
    private IAccount resolve(Set<IAccount> accounts, String requested) {
        String names = accounts.stream().map(IAccount::username).sorted(String.CASE_INSENSITIVE_ORDER)
                .collect(Collectors.joining(", "));
        if (accounts.isEmpty()) {
            throw new AuthException("Not signed in. Sign in with --login (or the login tool).");
        }
        if (requested != null && !requested.isBlank()) {
            String wanted = requested.strip();
            return accounts.stream()
                    .filter(a -> wanted.equalsIgnoreCase(a.username()) || wanted.equals(a.homeAccountId()))
                    .findFirst()
                    .orElseThrow(() -> new AuthException("No signed-in account matches '" + wanted
                            + "'. Signed-in accounts: " + names + ". Sign in with --login to add one."));
        }
        Optional<String> selected = selection.read();
        if (selected.isPresent()) {
            Optional<IAccount> match = accounts.stream().filter(a -> a.homeAccountId().equals(selected.get())).findFirst();
            if (match.isPresent()) {
                return match.get();
            }
        }
        if (accounts.size() == 1) {
            return accounts.iterator().next();
        }
        throw new AuthException("Several accounts are signed in (" + names + ") and none is selected. "
                + "Name the account in the call, or choose one with select-account.");
    }

    /**
     * {@link #resolve}, except that with an expected account configured that account is the only one a
     * token can be for: the selection is ignored, and naming another account is refused, so a cached
     * token of another account is never used.
     */
    private IAccount resolveAllowed(Set<IAccount> accounts, String requested) {
        ExpectedAccount expected = settings.expectedAccount();
        if (!expected.isSet()) {
            return resolve(accounts, requested);
        }
        List<IAccount> matching = accounts.stream().filter(a -> expected.matches(a.username(), a.homeAccountId()))
                .toList();
        if (matching.size() != 1) {
            String cached = accounts.isEmpty() ? "none" : accounts.stream().map(IAccount::username)
                    .sorted(String.CASE_INSENSITIVE_ORDER).collect(Collectors.joining(", "));
            throw new AuthException("The expected Microsoft account '" + expected.label() + "' is not in the token "
                    + "cache (cached accounts: " + cached + "). Sign in as that account with --login.");
        }
        IAccount account = matching.get(0);
        if (requested != null && !requested.isBlank()
                && !(requested.strip().equalsIgnoreCase(account.username()) || requested.strip().equals(account.homeAccountId()))) {
            throw new AuthException("Account '" + requested.strip() + "' is not the expected Microsoft account '"
                    + expected.label() + "'.");
        }
        return account;
    }

    /**
     * The cache as the login sees it. With an expected account, a sign-in as anyone else is never
     * written: the write is skipped when it would add an account that does not match.
     */
    private ITokenCacheAccessAspect loginCacheAspect() {
        ExpectedAccount expected = settings.expectedAccount();
        if (!expected.isSet()) {
            return cache;
        }
        return new ITokenCacheAccessAspect() {
            private Set<String> before = Set.of();

            @Override
            public void beforeCacheAccess(ITokenCacheAccessContext context) {
                cache.beforeCacheAccess(context);
                before = accountIds(context.tokenCache().serialize());
            }

            @Override
            public void afterCacheAccess(ITokenCacheAccessContext context) {
                boolean foreign = context.hasCacheChanged() && cachedAccounts(context.tokenCache().serialize())
                        .stream().anyMatch(a -> !before.contains(a.get("home_account_id"))
                                && !expected.matches(a.get("username"), a.get("home_account_id")));
                if (foreign) {
                    LOG.warn("Not saving a sign-in as an account other than the expected {}", expected.label());
                }
                cache.afterCacheAccess(foreign ? unchanged(context) : context);
            }
        };
    }

    private static ITokenCacheAccessContext unchanged(ITokenCacheAccessContext context) {
        return new ITokenCacheAccessContext() {
            @Override public ITokenCache tokenCache() { return context.tokenCache(); }
            @Override public String clientId() { return context.clientId(); }
            @Override public IAccount account() { return context.account(); }
            @Override public boolean hasCacheChanged() { return false; }
        };
    }

    private static Set<String> accountIds(String serialized) {
        return cachedAccounts(serialized).stream().map(a -> a.get("home_account_id")).collect(Collectors.toSet());
    }

    /** The {@code Account} entries of MSAL's serialized cache: username and home_account_id. */
    private static List<Map<String, String>> cachedAccounts(String serialized) {
        try {
            Map<String, Object> json = JSONObjectUtils.parse(serialized == null || serialized.isBlank() ? "{}" : serialized);
            Map<String, Object> accounts = JSONObjectUtils.getJSONObject(json, "Account");
            if (accounts == null) {
                return List.of();
            }
            return accounts.values().stream().filter(Map.class::isInstance).map(Map.class::cast)
                    .map(a -> {
                        Map<String, String> entry = new HashMap<>();
                        entry.put("username", a.get("username") instanceof String u ? u : null);
                        entry.put("home_account_id", a.get("home_account_id") instanceof String h ? h : null);
                        return entry;
                    }).toList();
        } catch (java.text.ParseException e) {
            throw new AuthException("The token cache could not be parsed after sign-in.", e);
        }
    }

    private static String requireAccountArgument(String idOrUsername) {
        if (idOrUsername == null || idOrUsername.isBlank()) {
            throw new AuthException("Name the account: its username or home account id (see list-accounts).");
        }
        return idOrUsername;
    }

    private static AccountInfo info(IAccount account, Optional<String> selected) {
        return new AccountInfo(account.username(), account.homeAccountId(),
                selected.filter(account.homeAccountId()::equals).isPresent());
    }

    private static Set<IAccount> accountsOf(PublicClientApplication app) {
        try {
            return app.getAccounts().get();
        } catch (ExecutionException | RuntimeException e) {
            throw EntraErrors.toAuthException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while reading the token cache.", e);
        }
    }

    private static void removeFromCache(PublicClientApplication app, IAccount account) {
        try {
            app.removeAccount(account).get();
        } catch (ExecutionException | RuntimeException e) {
            throw EntraErrors.toAuthException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuthException("Interrupted while removing an account.", e);
        }
    }

    // ---------------------------------------------------------------- MSAL

    private PublicClientApplication newApp() {
        return newApp(CallerRunsExecutor.INSTANCE);
    }

    private PublicClientApplication newApp(ExecutorService executor) {
        return newApp(executor, cache);
    }

    private PublicClientApplication newApp(ExecutorService executor, ITokenCacheAccessAspect cacheAspect) {
        try {
            PublicClientApplication.Builder builder = PublicClientApplication.builder(settings.clientId())
                    .authority(settings.authorityUrl())
                    // Talk to the configured authority only: no instance discovery on another host.
                    .instanceDiscovery(false)
                    .setTokenCacheAccessAspect(cacheAspect)
                    .executorService(executor);
            if (httpClient != null) {
                builder.httpClient(httpClient);
            }
            return builder.build();
        } catch (MalformedURLException e) {
            throw new AuthException("The authority URL " + settings.authorityUrl()
                    + " is not valid: check MS365_MCP_AUTHORITY_URL and MS365_MCP_TENANT_ID.", e);
        }
    }

    private Set<String> graphScopes(Set<String> scopes) {
        return GraphScopes.forCloud(settings.endpoint().cloud(), scopes);
    }

    /** {@code MS365_MCP_ALLOWED_SCOPES}, when set, is the most this server may ask for. */
    private void checkAllowed(Set<String> scopes) {
        if (settings.allowedScopes().isEmpty()) {
            return;
        }
        Set<String> allowed = settings.allowedScopes().stream().map(MsalTokenProvider::bareScope)
                .collect(Collectors.toSet());
        List<String> refused = scopes.stream()
                .filter(s -> !OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT)) && !allowed.contains(bareScope(s)))
                .toList();
        if (!refused.isEmpty()) {
            throw new AuthException("Scopes " + refused + " are not in MS365_MCP_ALLOWED_SCOPES; add them there "
                    + "to use this tool.");
        }
    }

    private static String bareScope(String scope) {
        int slash = scope.lastIndexOf('/');
        return (slash < 0 ? scope : scope.substring(slash + 1)).toLowerCase(Locale.ROOT);
    }
}
