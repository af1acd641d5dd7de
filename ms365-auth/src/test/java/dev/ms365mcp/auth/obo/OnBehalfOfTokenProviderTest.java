package dev.ms365mcp.auth.obo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenObserver;
import dev.ms365mcp.auth.TokenProvider;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.Fault;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnBehalfOfTokenProviderTest {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Set<String> MAIL = Set.of("Mail.Read");

    @TempDir
    Path dir;
    EntraFixture fx;
    OnBehalfOfTokenProvider obo;

    @BeforeEach
    void start() throws Exception {
        fx = EntraFixture.start(dir).portlessAuthority()
                .with("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .with("MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET);
        fx.entra.addUser("alice@contoso.com");
        fx.entra.addUser("bob@contoso.com");
        obo = new OnBehalfOfTokenProvider(fx.settings(), fx.portlessHttp);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void exchangesTheCallersTokenForAGraphTokenOfTheSameUserAndReusesIt() {
        String assertion = fx.entra.issueUserAssertion("alice@contoso.com", FakeEntra.CONFIDENTIAL_CLIENT_ID);
        TokenProvider forAlice = obo.forAssertion(assertion);

        AccessToken token = forAlice.token(TokenRequest.forScopes(MAIL));
        AccessToken again = obo.forAssertion(assertion).token(TokenRequest.forScopes(MAIL));

        assertThat(EntraFixture.claims(token.value())).contains("\"upn\":\"alice@contoso.com\"", "Mail.Read");
        assertThat(again.value()).isEqualTo(token.value());
        assertThat(fx.entra.tokenRequests(JWT_BEARER)).singleElement().satisfies(r -> assertThat(r.form())
                .containsEntry("requested_token_use", "on_behalf_of")
                .containsEntry("assertion", assertion)
                .containsEntry("client_id", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .containsKey("client_secret"));
        assertThat(fx.portlessHttp.foreignRequests()).isEmpty();
        assertThat(forAlice.appOnly()).isFalse();
    }

    @Test
    void eachCallerGetsTheirOwnToken() {
        String alice = fx.entra.issueUserAssertion("alice@contoso.com", FakeEntra.CONFIDENTIAL_CLIENT_ID);
        String bob = fx.entra.issueUserAssertion("bob@contoso.com", FakeEntra.CONFIDENTIAL_CLIENT_ID);

        AccessToken a = obo.forAssertion(alice).token(TokenRequest.forScopes(MAIL));
        AccessToken b = obo.forAssertion(bob).token(TokenRequest.forScopes(MAIL));

        assertThat(EntraFixture.claims(a.value())).contains("alice@contoso.com");
        assertThat(EntraFixture.claims(b.value())).contains("bob@contoso.com");
        assertThat(fx.entra.tokenRequests(JWT_BEARER)).hasSize(2);
    }

    @Test
    void anAssertionEntraRejectsGivesAClearError() {
        assertThatThrownBy(() -> obo.forAssertion("not.a.token").token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class)
                .isInstanceOf(AssertionRejectedException.class)
                .hasMessageContaining("AADSTS50013")
                .hasMessageContaining("sign in again in your MCP client")
                .hasMessageNotContaining("not.a.token");
        assertThatThrownBy(() -> obo.forAssertion(" ")).isInstanceOf(AuthException.class)
                .hasMessageContaining("Authorization: Bearer");
    }

    @Test
    void aTokenIssuedForAnotherApiIsNotExchanged() {
        String forOtherApi = fx.entra.issueAccessToken("alice@contoso.com", "api://99999999-9999-9999-9999-999999999999");
        assertThatThrownBy(() -> obo.forAssertion(forOtherApi).token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AssertionRejectedException.class).hasMessageContaining("AADSTS500131")
                .hasMessageNotContaining(forOtherApi);
    }

    @Test
    void entraAskingForInteractionMeansANewTokenButEntraFailingMeansRetry() {
        String assertion = fx.entra.issueUserAssertion("alice@contoso.com", FakeEntra.CONFIDENTIAL_CLIENT_ID);
        fx.entra.failNext(FakeEntra.Endpoint.TOKEN, 1, Fault.aadsts(400, "interaction_required", 50079,
                "Due to a configuration change made by your administrator, you must enroll in multi-factor authentication."));
        assertThatThrownBy(() -> obo.forAssertion(assertion).token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AssertionRejectedException.class).hasMessageContaining("sign in again");

        // msal4j retries a 5xx once: both attempts fail
        fx.entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503));
        assertThatThrownBy(() -> obo.forAssertion(assertion).token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class).isNotInstanceOf(AssertionRejectedException.class)
                .hasMessageContaining("try again");
    }

    @Test
    void eachExchangeIsObservedWithWhereItsTokenCameFrom() {
        List<TokenObserver.Outcome> outcomes = new CopyOnWriteArrayList<>();
        OnBehalfOfTokenProvider observed = new OnBehalfOfTokenProvider(fx.settings(), fx.portlessHttp,
                (outcome, nanos) -> outcomes.add(outcome));
        String assertion = fx.entra.issueUserAssertion("alice@contoso.com", FakeEntra.CONFIDENTIAL_CLIENT_ID);
        observed.forAssertion(assertion).token(TokenRequest.forScopes(MAIL));
        observed.forAssertion(assertion).token(TokenRequest.forScopes(MAIL));
        fx.entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503));
        String bob = fx.entra.issueUserAssertion("bob@contoso.com", FakeEntra.CONFIDENTIAL_CLIENT_ID);
        assertThatThrownBy(() -> observed.forAssertion(bob).token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class);
        assertThat(outcomes).containsExactly(TokenObserver.Outcome.REFRESHED,
                TokenObserver.Outcome.CACHE, TokenObserver.Outcome.FAILED);
    }
}
