package dev.ms365mcp.auth.msal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AccountInfo;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.entra.FakeUser;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MS365_MCP_EXPECTED_USERNAME / _HOME_ACCOUNT_ID: no other account is ever signed in, selected or used. */
class ExpectedAccountTest {

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
        fx.entra.autoApprove(username, 0);
        return provider.startLogin(MAIL).completion().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSignInAsAnotherAccountIsRefusedAndNeverCached() throws Exception {
        fx.with("MS365_MCP_EXPECTED_USERNAME", "Alice@Contoso.com");
        MsalTokenProvider provider = provider();

        assertThatThrownBy(() -> login(provider, "bob@contoso.com"))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AuthException.class)
                .hasMessageContaining("bob@contoso.com")
                .hasMessageContaining("username alice@contoso.com")
                .hasMessageContaining("not saved");
        assertThat(provider.accounts()).isEmpty();
        assertThat(fx.selectedAccountFile()).doesNotExist();
        // Without the guard the same cache would now hold nothing of bob either.
        fx.env.remove("MS365_MCP_EXPECTED_USERNAME");
        assertThat(provider().accounts()).isEmpty();

        fx.with("MS365_MCP_EXPECTED_USERNAME", "alice@contoso.com");
        assertThat(login(provider(), "alice@contoso.com").username()).isEqualTo("alice@contoso.com");
        assertThat(upn(provider().token(TokenRequest.forScopes(MAIL)))).isEqualTo("alice@contoso.com");
    }

    @Test
    void aCachedTokenOfAnotherAccountIsNeverUsed() throws Exception {
        MsalTokenProvider unguarded = provider();
        login(unguarded, "alice@contoso.com");
        login(unguarded, "bob@contoso.com"); // bob is now the selected account
        assertThat(upn(unguarded.token(TokenRequest.forScopes(MAIL)))).isEqualTo("bob@contoso.com");

        fx.with("MS365_MCP_EXPECTED_HOME_ACCOUNT_ID", alice.homeAccountId());
        MsalTokenProvider guarded = provider();
        // The selection (bob) is ignored: only alice's tokens are used.
        assertThat(upn(guarded.token(TokenRequest.forScopes(MAIL)))).isEqualTo("alice@contoso.com");
        assertThat(guarded.verify().account().username()).isEqualTo("alice@contoso.com");
        // Asking for bob by name or id, or selecting him, is refused.
        assertThatThrownBy(() -> guarded.token(new TokenRequest(MAIL, "bob@contoso.com")))
                .isInstanceOf(AuthException.class).hasMessageContaining("not the expected Microsoft account");
        assertThatThrownBy(() -> guarded.token(new TokenRequest(MAIL, bob.homeAccountId())))
                .isInstanceOf(AuthException.class).hasMessageContaining("not the expected Microsoft account");
        assertThatThrownBy(() -> guarded.select("bob@contoso.com"))
                .isInstanceOf(AuthException.class).hasMessageContaining("not the expected Microsoft account");
        // Naming the expected account itself is fine.
        assertThat(upn(guarded.token(new TokenRequest(MAIL, "ALICE@contoso.com")))).isEqualTo("alice@contoso.com");
    }

    @Test
    void anExpectedAccountThatIsNotCachedIsAnErrorNotAFallback() throws Exception {
        login(provider(), "bob@contoso.com");
        fx.with("MS365_MCP_EXPECTED_USERNAME", "alice@contoso.com");
        assertThatThrownBy(() -> provider().token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("expected Microsoft account 'username alice@contoso.com' is not in the token cache")
                .hasMessageContaining("cached accounts: bob@contoso.com")
                .hasMessageContaining("--login");
        assertThat(provider().verify().signedIn()).isFalse();
    }

    @Test
    void bothPinsMustNameTheSameAccount() throws Exception {
        MsalTokenProvider unguarded = provider();
        login(unguarded, "alice@contoso.com");
        login(unguarded, "bob@contoso.com");
        fx.with("MS365_MCP_EXPECTED_USERNAME", "alice@contoso.com")
                .with("MS365_MCP_EXPECTED_HOME_ACCOUNT_ID", bob.homeAccountId());
        assertThatThrownBy(() -> provider().token(TokenRequest.forScopes(MAIL)))
                .isInstanceOf(AuthException.class).hasMessageContaining("is not in the token cache");
        fx.with("MS365_MCP_EXPECTED_HOME_ACCOUNT_ID", alice.homeAccountId());
        assertThat(upn(provider().token(TokenRequest.forScopes(MAIL)))).isEqualTo("alice@contoso.com");
    }

    @Test
    void aBlankPinIsABadSettingNotAnyAccount() {
        fx.with("MS365_MCP_EXPECTED_USERNAME", "  ");
        assertThatThrownBy(() -> AuthSettings.fromEnv(fx.env))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MS365_MCP_EXPECTED_USERNAME is set but empty");
    }

    private static String upn(AccessToken token) {
        String claims = EntraFixture.claims(token.value());
        int start = claims.indexOf("\"upn\":\"") + 7;
        return claims.substring(start, claims.indexOf('"', start));
    }
}
