package dev.ms365mcp.auth.msal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AccountInfo;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.DeviceCodeLogin;
import dev.ms365mcp.auth.LoginStatus;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.entra.EntraRequest;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.FakeUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MsalTokenProviderTest {

    private static final Set<String> MAIL = Set.of("Mail.Read");

    @TempDir
    Path dir;
    EntraFixture fx;
    FakeUser alice;
    FakeUser bob;

    @BeforeEach
    void start() throws Exception {
        fx = EntraFixture.start(dir);
        alice = fx.entra.addUser("alice@contoso.com");
        bob = fx.entra.addUser("bob@contoso.com");
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private MsalTokenProvider provider() {
        return new MsalTokenProvider(fx.settings(), fx.http);
    }

    private AccountInfo login(MsalTokenProvider provider, String username) throws Exception {
        fx.entra.autoApprove(username, 1);
        return provider.startLogin(MAIL).completion().get(30, TimeUnit.SECONDS);
    }

    @Test
    void deviceCodeLoginShowsTheCodeAtOnceAndCompletesAfterPendingPolls() throws Exception {
        fx.entra.pendingPolls(2);
        MsalTokenProvider provider = provider();

        DeviceCodeLogin login = provider.startLogin(MAIL);

        assertThat(login.userCode()).isNotBlank();
        assertThat(login.message()).contains(login.userCode()).contains(login.verificationUri());
        assertThat(login.verificationUri()).startsWith(fx.entra.authorityBase().toString());
        assertThat(login.completion()).isNotDone();

        fx.entra.approve(login.userCode(), "alice@contoso.com");
        AccountInfo account = login.completion().get(30, TimeUnit.SECONDS);

        assertThat(account).isEqualTo(new AccountInfo("alice@contoso.com", alice.homeAccountId(), true));
        List<EntraRequest> polls = fx.entra.tokenRequests("device_code");
        // Two answered authorization_pending, the third got the tokens.
        assertThat(polls).hasSizeGreaterThanOrEqualTo(3);
        EntraRequest deviceCodeRequest = fx.entra.requests().getFirst();
        assertThat(deviceCodeRequest.path()).isEqualTo("/common/oauth2/v2.0/devicecode");
        // MSAL adds offline_access (and openid profile) itself: we get a refresh token.
        assertThat(deviceCodeRequest.form().get("scope").split(" ")).contains("Mail.Read", "offline_access");
        assertThat(Files.readString(fx.selectedAccountFile()).strip()).isEqualTo(alice.homeAccountId());
    }

    @Test
    void silentRefreshRotatesTheRefreshTokenAndASecondProcessUsesTheRotatedOne() throws Exception {
        // Below MSAL's 5-minute margin every silent call refreshes: each one redeems a refresh token.
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
        MsalTokenProvider first = provider();
        login(first, "alice@contoso.com");

        AccessToken refreshed = first.token(TokenRequest.forScopes(MAIL));
        assertThat(EntraFixture.claims(refreshed.value())).contains("\"upn\":\"alice@contoso.com\"", "Mail.Read");
        assertThat(fx.entra.tokenRequests("refresh_token")).hasSize(1);

        // Another process: its own MSAL application and cache object over the same file.
        MsalTokenProvider second = provider();
        AccessToken fromSecond = second.token(TokenRequest.forScopes(MAIL));
        AccessToken again = first.token(TokenRequest.forScopes(MAIL));

        assertThat(fromSecond.value()).isNotEqualTo(refreshed.value());
        assertThat(again.value()).isNotEqualTo(fromSecond.value());
        List<String> presented = fx.entra.tokenRequests("refresh_token").stream()
                .map(r -> r.form().get("refresh_token")).toList();
        assertThat(presented).hasSize(3).doesNotHaveDuplicates();
        assertThat(fx.entra.reusedRefreshTokenCount()).isZero();
        assertThat(fx.entra.tokenRequests("refresh_token"))
                .allSatisfy(r -> assertThat(r.form().get("scope")).contains("offline_access"));
    }

    @Test
    void aValidAccessTokenComesFromTheCacheWithoutANetworkCall() throws Exception {
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        AccessToken first = provider.token(TokenRequest.forScopes(MAIL));
        int requests = fx.entra.requests().size();

        AccessToken second = provider().token(TokenRequest.forScopes(MAIL));

        assertThat(second.value()).isEqualTo(first.value());
        assertThat(second.expiresOn()).isAfter(java.time.Instant.now().plusSeconds(600));
        assertThat(fx.entra.requests()).hasSize(requests);
    }

    @Test
    void aTokenServedFromTheCacheDoesNotRewriteTheCacheFile() throws Exception {
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        provider.token(TokenRequest.forScopes(MAIL));
        Path file = fx.settings().tokenCachePath();
        byte[] before = Files.readAllBytes(file);

        provider().token(TokenRequest.forScopes(MAIL));

        // Each write encrypts under a fresh nonce: equal bytes mean no write.
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void talksToNoHostButTheConfiguredAuthority() throws Exception {
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        provider.token(TokenRequest.forScopes(MAIL));
        provider.accounts();
        provider.verify();

        assertThat(fx.http.foreignRequests()).isEmpty();
        assertThat(fx.entra.requests()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.path()).startsWith("/common/oauth2/v2.0/");
            assertThat(r.path()).doesNotContain("discovery", "well-known");
        });
    }

    @Test
    void severalAccountsAccountParameterSelectionAndItsPersistence() throws Exception {
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        AccountInfo bobInfo = login(provider, "bob@contoso.com");

        // The last sign-in becomes the selected account.
        assertThat(bobInfo.selected()).isTrue();
        assertThat(provider.accounts()).containsExactly(
                new AccountInfo("alice@contoso.com", alice.homeAccountId(), false),
                new AccountInfo("bob@contoso.com", bob.homeAccountId(), true));
        assertThat(upn(provider.token(TokenRequest.forScopes(MAIL)))).isEqualTo("bob@contoso.com");

        // The account parameter: username in any case, or home account id.
        assertThat(upn(provider.token(new TokenRequest(MAIL, "ALICE@Contoso.com")))).isEqualTo("alice@contoso.com");
        assertThat(upn(provider.token(new TokenRequest(MAIL, alice.homeAccountId())))).isEqualTo("alice@contoso.com");
        assertThatThrownBy(() -> provider.token(new TokenRequest(MAIL, "carol@contoso.com")))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("carol@contoso.com")
                .hasMessageContaining("alice@contoso.com, bob@contoso.com");

        // Several accounts, none selected, none named: an error listing the choices.
        Files.delete(fx.selectedAccountFile());
        assertThatThrownBy(() -> provider.token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("Several accounts")
                .hasMessageContaining("alice@contoso.com, bob@contoso.com")
                .hasMessageContaining("select-account");

        // select-account survives a restart (a new provider).
        assertThat(provider.select("alice@CONTOSO.com").selected()).isTrue();
        MsalTokenProvider restarted = provider();
        assertThat(upn(restarted.token(TokenRequest.forScopes(MAIL)))).isEqualTo("alice@contoso.com");
        assertThat(restarted.accounts()).filteredOn(AccountInfo::selected)
                .extracting(AccountInfo::username).containsExactly("alice@contoso.com");
    }

    @Test
    void removeAndLogout() throws Exception {
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        login(provider, "bob@contoso.com");

        provider.remove("bob@contoso.com");

        assertThat(provider.accounts()).extracting(AccountInfo::username).containsExactly("alice@contoso.com");
        assertThat(fx.selectedAccountFile()).doesNotExist();
        // One account left: it is used without being selected.
        assertThat(upn(provider.token(TokenRequest.forScopes(MAIL)))).isEqualTo("alice@contoso.com");
        // Another process sees the removal too.
        assertThat(provider().accounts()).hasSize(1);

        provider.logout();

        assertThat(provider.accounts()).isEmpty();
        assertThatThrownBy(() -> provider().token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class).hasMessageContaining("Not signed in").hasMessageContaining("--login");
        assertThatThrownBy(() -> provider.remove("alice@contoso.com")).isInstanceOf(AuthException.class);
    }

    @Test
    void verifyLogin() throws Exception {
        MsalTokenProvider provider = provider();
        LoginStatus before = provider.verify();
        assertThat(before.signedIn()).isFalse();
        assertThat(before.message()).contains("--login");

        login(provider, "alice@contoso.com");
        LoginStatus after = provider.verify();

        assertThat(after.signedIn()).isTrue();
        assertThat(after.account().username()).isEqualTo("alice@contoso.com");
        assertThat(after.message()).contains("alice@contoso.com");
    }

    @Test
    void refreshRedeemsTheRefreshTokenWhileTheAccessTokenIsStillValid() throws Exception {
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        provider.token(TokenRequest.forScopes(MAIL));
        int before = fx.entra.tokenRequests("refresh_token").size();

        assertThat(provider().refresh("alice@contoso.com").username()).isEqualTo("alice@contoso.com");
        assertThat(fx.entra.tokenRequests("refresh_token")).hasSize(before + 1);

        fx.entra.revokeRefreshTokens("alice@contoso.com");
        assertThatThrownBy(() -> provider().refresh("alice@contoso.com"))
                .isInstanceOf(AuthException.class).hasMessageContaining("--login");
    }

    @Test
    void revokedRefreshTokenAsksToSignInAgain() throws Exception {
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        byte[] cacheBefore = Files.readAllBytes(fx.cacheFile());

        fx.entra.revokeRefreshTokens("alice@contoso.com");

        assertThatThrownBy(() -> provider.token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("expired or was revoked")
                .hasMessageContaining("--login")
                .hasMessageContaining("AADSTS50173");
        // The account stays (a new login replaces its tokens); the cache file is still readable.
        assertThat(Files.readAllBytes(fx.cacheFile())).isEqualTo(cacheBefore);
        login(provider, "alice@contoso.com");
        assertThat(upn(provider.token(TokenRequest.forScopes(MAIL)))).isEqualTo("alice@contoso.com");
    }

    @Test
    void deviceCodeNotAllowedForTheAppExplainsThePortalSetting() {
        fx.entra.addConfidentialClient("44444444-4444-4444-4444-444444444444", "s");
        fx.with("MS365_MCP_CLIENT_ID", "44444444-4444-4444-4444-444444444444");

        assertThatThrownBy(() -> provider().startLogin(MAIL))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("Allow public client flows")
                .hasMessageContaining("AADSTS7000218");
    }

    @Test
    void cancellingALoginStopsPolling() throws Exception {
        fx.entra.pollIntervalSeconds(1);
        DeviceCodeLogin login = provider().startLogin(MAIL);

        login.completion().cancel(true);

        assertThatThrownBy(() -> login.completion().get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        int polls = fx.entra.tokenRequests("device_code").size();
        Thread.sleep(2500);
        assertThat(fx.entra.tokenRequests("device_code").size()).isLessThanOrEqualTo(polls + 1);
    }

    @Test
    void extraScopesJoinTheLoginAndAllowedScopesLimitIt() throws Exception {
        fx.with("MS365_MCP_EXTRA_SCOPES", "Calendars.Read, Files.Read");
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        assertThat(fx.entra.requests().getFirst().form().get("scope").split(" "))
                .contains("Mail.Read", "Calendars.Read", "Files.Read");

        fx.with("MS365_MCP_EXTRA_SCOPES", "").with("MS365_MCP_ALLOWED_SCOPES", "Mail.Read User.Read");
        MsalTokenProvider limited = provider();
        assertThat(limited.token(TokenRequest.forScopes(MAIL))).isNotNull();
        assertThatThrownBy(() -> limited.token(TokenRequest.forScopes(Set.of("Mail.Send"))))
                .isInstanceOf(AuthException.class).hasMessageContaining("MS365_MCP_ALLOWED_SCOPES")
                .hasMessageContaining("Mail.Send");
    }

    @Test
    void nationalCloudScopesNameThatCloudsGraph() throws Exception {
        fx.with("MS365_MCP_CLOUD_TYPE", "china");
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");

        assertThat(fx.entra.requests().getFirst().form().get("scope").split(" "))
                .contains("https://microsoftgraph.chinacloudapi.cn/Mail.Read", "offline_access");
    }

    @Test
    void oneInjectedServerErrorIsRetriedByMsal() throws Exception {
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");
        fx.entra.failNext(FakeEntra.Endpoint.TOKEN, 1, dev.ms365mcp.testkit.entra.Fault.serverError(503));

        assertThat(upn(provider.token(TokenRequest.forScopes(MAIL)))).isEqualTo("alice@contoso.com");
        assertThat(fx.entra.tokenRequests("refresh_token")).hasSize(2);
    }

    @Test
    void entraErrorsDuringRefreshAndLoginBecomeFixes() throws Exception {
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
        MsalTokenProvider provider = provider();
        login(provider, "alice@contoso.com");

        fx.entra.failNext(FakeEntra.Endpoint.TOKEN, 1, dev.ms365mcp.testkit.entra.Fault.aadsts(400, "invalid_grant",
                65001, "The user or administrator has not consented to use the application."));
        assertThatThrownBy(() -> provider.token(TokenRequest.forScopes(Set.of("Calendars.Read"))))
                .isInstanceOf(AuthException.class).hasMessageContaining("consent").hasMessageContaining("AADSTS65001");

        fx.entra.autoApprove("bob@contoso.com", 0);
        fx.entra.failNext(FakeEntra.Endpoint.TOKEN, 1, dev.ms365mcp.testkit.entra.Fault.aadsts(400, "invalid_request",
                50020, "User account from identity provider 'live.com' does not exist in tenant."));
        DeviceCodeLogin login = provider.startLogin(MAIL);
        assertThat(login.completion()).failsWithin(Duration.ofSeconds(30))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(AuthException.class)
                .withMessageContaining("MS365_MCP_TENANT_ID=consumers");

        fx.entra.failNext(FakeEntra.Endpoint.DEVICE_CODE, 1, dev.ms365mcp.testkit.entra.Fault.aadsts(400,
                "invalid_client", 90094, "The grant requires admin permission."));
        assertThatThrownBy(() -> provider.startLogin(MAIL)).isInstanceOf(AuthException.class)
                .hasMessageContaining("admin consent");
        assertThat(fx.http.foreignRequests()).isEmpty();
    }

    private static String upn(AccessToken token) {
        String claims = EntraFixture.claims(token.value());
        int start = claims.indexOf("\"upn\":\"") + 7;
        return claims.substring(start, claims.indexOf('"', start));
    }

    @Test
    void eachTokenRequestIsObservedAsCachedRefreshedOrSignInRequired() throws Exception {
        java.util.List<dev.ms365mcp.auth.TokenObserver.Outcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        MsalTokenProvider observed = new MsalTokenProvider(fx.settings(), fx.http, (outcome, nanos) -> outcomes.add(outcome));
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60)); // inside MSAL's 5-minute margin: the next call refreshes
        login(observed, "alice@contoso.com");
        fx.entra.accessTokenLifetime(Duration.ofHours(1));
        observed.token(TokenRequest.forScopes(MAIL));
        observed.token(TokenRequest.forScopes(MAIL));
        fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
        login(observed, "alice@contoso.com");
        fx.entra.revokeRefreshTokens("alice@contoso.com");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> observed.token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(dev.ms365mcp.auth.AuthException.class);
        assertThat(outcomes).containsExactly(dev.ms365mcp.auth.TokenObserver.Outcome.REFRESHED,
                dev.ms365mcp.auth.TokenObserver.Outcome.CACHE, dev.ms365mcp.auth.TokenObserver.Outcome.INTERACTION_REQUIRED);
    }
}
