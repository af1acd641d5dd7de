package dev.ms365mcp.auth.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.UserKey;
import dev.ms365mcp.auth.obo.EntraAccessTokenValidator;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.FormEncoding;
import dev.ms365mcp.testkit.entra.EntraBrowser;
import dev.ms365mcp.testkit.entra.EntraRequest;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.FakeUser;
import dev.ms365mcp.testkit.entra.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntraSignInTest {

    @TempDir
    Path dir;
    WebSignInFixture w;

    @BeforeEach
    void start() throws Exception {
        w = new WebSignInFixture(dir);
    }

    @AfterEach
    void stop() {
        w.close();
    }

    @Test
    void beginAsksForCodeWithPkceS256StateNonceAndFormPostToTheCallback() {
        EntraAuthorizationRequest request = w.signIn().begin("alice@contoso.com");
        Map<String, String> query = FormEncoding.decode(request.authorizationUrl().getRawQuery());

        assertThat(request.authorizationUrl().toString())
                .startsWith(w.fx.entra.authorityBase() + "/common/oauth2/v2.0/authorize?");
        assertThat(query).containsEntry("client_id", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .containsEntry("redirect_uri", "https://mcp.example.com/oauth/callback")
                .containsEntry("response_type", "code")
                .containsEntry("response_mode", "form_post")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("code_challenge", EntraSignIn.s256(request.codeVerifier()))
                .containsEntry("state", request.state())
                .containsEntry("nonce", request.nonce())
                .containsEntry("login_hint", "alice@contoso.com");
        assertThat(query.get("scope").split(" ")).contains("openid", "offline_access", "Mail.Read", "Calendars.Read");
        assertThat(query.values()).doesNotContain(request.codeVerifier(), FakeEntra.CONFIDENTIAL_CLIENT_SECRET);
        assertThat(request.toString()).doesNotContain(request.codeVerifier());
        EntraAuthorizationRequest other = w.signIn().begin(null);
        assertThat(other.state()).isNotEqualTo(request.state());
        assertThat(other.codeVerifier()).isNotEqualTo(request.codeVerifier()).hasSize(43);
        assertThat(w.fx.entra.requests()).isEmpty(); // making the URL needs no network
    }

    @Test
    void completeRedeemsTheCodeAndStoresTheUsersCacheEncryptedUnderAnOpaqueKey() throws Exception {
        EntraSignIn signIn = w.signIn();
        FakeUser alice = w.fx.entra.user("alice@contoso.com");
        EntraAuthorizationRequest request = signIn.begin(null);
        EntraBrowser.Callback callback = w.browser.signIn(request.authorizationUrl(), "alice@contoso.com");
        assertThat(callback.method()).isEqualTo("POST");
        assertThat(callback.redirectUri().toString()).isEqualTo("https://mcp.example.com/oauth/callback");
        assertThat(callback.params()).containsEntry("state", request.state());

        SignedInUser user = signIn.complete(callback.params().get("code"), request.codeVerifier(), request.nonce());

        assertThat(user.userKey()).isEqualTo(UserKey.fromHomeAccountId(alice.homeAccountId()))
                .matches("[0-9a-f]{64}").doesNotContain("alice");
        assertThat(user.username()).isEqualTo("alice@contoso.com");
        assertThat(user.tenantId()).isEqualTo(FakeEntra.TENANT_ID);
        EntraRequest redemption = w.fx.entra.tokenRequests("authorization_code").getFirst();
        assertThat(redemption.form()).containsEntry("code_verifier", request.codeVerifier())
                .containsEntry("redirect_uri", "https://mcp.example.com/oauth/callback")
                .containsEntry("client_secret", FakeEntra.CONFIDENTIAL_CLIENT_SECRET);
        byte[] blob = w.store.load(user.userKey()).orElseThrow();
        String stored = new String(blob, StandardCharsets.ISO_8859_1);
        for (String token : w.fx.entra.issuedTokens()) {
            assertThat(stored).doesNotContain(token.substring(token.length() - 20));
        }
        assertThat(stored).doesNotContain("alice", "refresh_token", "RefreshToken");
        assertThat(w.caches.load(user.userKey()).orElseThrow()).contains("RefreshToken", alice.homeAccountId());
        assertThat(w.fx.http.foreignRequests()).isEmpty();
    }

    @Test
    void aCallbackFromAnotherSignInFailsOnTheNonceAndStoresNothing() throws Exception {
        EntraSignIn signIn = w.signIn();
        EntraAuthorizationRequest mine = signIn.begin(null);
        EntraAuthorizationRequest theirs = signIn.begin(null);
        EntraBrowser.Callback callback = w.browser.signIn(theirs.authorizationUrl(), "bob@contoso.com");

        // An attacker's code (with its verifier) injected into my transaction: the nonce gives it away.
        assertThatThrownBy(() -> signIn.complete(callback.params().get("code"), theirs.codeVerifier(), mine.nonce()))
                .isInstanceOf(AuthException.class).hasMessageContaining("nonce mismatch")
                .hasMessageContaining("Start the connection again");
        assertThat(w.store.load(UserKey.fromHomeAccountId(w.fx.entra.user("bob@contoso.com").homeAccountId()))).isEmpty();
    }

    @Test
    void entraRefusingTheCodeGivesAClearErrorWithoutSecrets() throws Exception {
        EntraSignIn signIn = w.signIn();
        EntraAuthorizationRequest request = signIn.begin(null);
        String code = w.browser.signIn(request.authorizationUrl(), "alice@contoso.com").params().get("code");

        assertThatThrownBy(() -> signIn.complete(code, request.codeVerifier() + "x", request.nonce()))
                .isInstanceOf(AuthException.class).hasMessageContaining("AADSTS50148")
                .hasMessageNotContaining(request.codeVerifier()).hasMessageNotContaining(code);
        // The code is used up by the failed attempt (as at Entra).
        assertThatThrownBy(() -> signIn.complete(code, request.codeVerifier(), request.nonce()))
                .isInstanceOf(AuthException.class).hasMessageContaining("AADSTS54005")
                .hasMessageContaining("Start the connection again").hasMessageNotContaining("--login");
        assertThatThrownBy(() -> signIn.complete(" ", request.codeVerifier(), request.nonce()))
                .isInstanceOf(AuthException.class).hasMessageContaining("incomplete");
        assertThat(w.store.load(UserKey.fromHomeAccountId(w.fx.entra.user("alice@contoso.com").homeAccountId()))).isEmpty();
    }

    @Test
    void anErrorAtTheCallbackIsExplainedByItsAadstsCode() throws Exception {
        w.fx.entra.failNext(FakeEntra.Endpoint.AUTHORIZE, 1,
                Fault.aadsts(400, "access_denied", 65004, "User declined to consent to access the app."));
        EntraAuthorizationRequest request = w.signIn().begin(null);
        EntraBrowser.Callback callback = w.browser.signIn(request.authorizationUrl(), "alice@contoso.com");
        assertThat(callback.params()).containsKey("error").doesNotContainKey("code");

        AuthException error = EntraSignIn.errorResponse(callback.params().get("error"),
                callback.params().get("error_description"));
        assertThat(error).hasMessageContaining("Consent was declined").hasMessageContaining("AADSTS65004")
                .hasMessageNotContaining("Trace ID");
        assertThat(EntraSignIn.errorResponse("invalid_request",
                "AADSTS50105: Your administrator has configured the application to block users.")
                .getMessage()).contains("not assigned to this app");
        assertThat(EntraSignIn.errorResponse(null, null).getMessage()).contains("Microsoft Entra refused");
    }

    @Test
    void needsAConfidentialClientCredential() {
        w.fx.env.remove("MS365_MCP_CLIENT_SECRET");
        assertThatThrownBy(() -> w.signIn()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MS365_MCP_CLIENT_CERTIFICATE_PATH")
                .hasMessageContaining("https://mcp.example.com/oauth/callback");
    }

    @Test
    void theWholeFlowWorksAgainstAnHttpsFakeToo() throws Exception {
        try (EntraFixture https = EntraFixture.startHttps(dir.resolve("https"));
             EntraBrowser browser = new EntraBrowser(https.entra)) {
            https.with("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                    .with("MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET)
                    .with("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID);
            FakeUser alice = https.entra.addUser("alice@contoso.com");
            https.entra.addRedirectUri(FakeEntra.CONFIDENTIAL_CLIENT_ID, "https://mcp.example.com/oauth/callback");
            https.entra.signInAs("alice@contoso.com");
            EntraSignIn signIn = new EntraSignIn(https.settings(), WebSignInFixture.PUBLIC_URL, WebSignInFixture.SCOPES,
                    w.caches, https.http);

            EntraAuthorizationRequest request = signIn.begin(null);
            EntraBrowser.Callback callback = browser.signIn(request.authorizationUrl(), null);
            SignedInUser user = signIn.complete(callback.params().get("code"), request.codeVerifier(), request.nonce());

            assertThat(user.userKey()).isEqualTo(UserKey.fromHomeAccountId(alice.homeAccountId()));
            assertThat(https.entra.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.host()).startsWith("localhost:"));
            // Its JWKS over https, trusted through the fake's certificate.
            EntraAccessTokenValidator validator = new EntraAccessTokenValidator(https.settings(),
                    https.entra.jwksUri(FakeEntra.TENANT_ID), https.entra.clientSslContext().getSocketFactory());
            assertThat(validator.validate(https.entra.issueAccessToken("alice@contoso.com",
                    FakeEntra.CONFIDENTIAL_CLIENT_ID)).userKey()).isEqualTo(user.userKey());
        }
    }
}
