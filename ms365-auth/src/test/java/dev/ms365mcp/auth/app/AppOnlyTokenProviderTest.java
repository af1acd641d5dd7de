package dev.ms365mcp.auth.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import dev.ms365mcp.testkit.entra.EntraRequest;
import dev.ms365mcp.testkit.entra.FakeEntra;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppOnlyTokenProviderTest {

    @TempDir
    Path dir;
    EntraFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = EntraFixture.start(dir).portlessAuthority()
                .with("MS365_MCP_AUTH_MODE", "app")
                .with("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .with("MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET)
                .with("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void clientCredentialsForGraphDefaultScopeAndCachedInMemory() {
        AppOnlyTokenProvider provider = new AppOnlyTokenProvider(fx.settings(), fx.portlessHttp);

        AccessToken first = provider.token(TokenRequest.forScopes(Set.of("Mail.Read")));
        AccessToken second = provider.token(TokenRequest.forScopes(Set.of("User.Read.All")));

        assertThat(provider.appOnly()).isTrue();
        assertThat(EntraFixture.claims(first.value())).contains("\"roles\"").doesNotContain("\"scp\"");
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(fx.entra.tokenRequests("client_credentials")).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/" + FakeEntra.TENANT_ID + "/oauth2/v2.0/token");
            // msal4j appends "openid profile offline_access"; Entra ignores them for this grant.
            assertThat(r.form().get("scope").split(" ")).contains("https://graph.microsoft.com/.default")
                    .doesNotContain("Mail.Read", "User.Read.All");
            assertThat(r.form()).containsEntry("client_id", FakeEntra.CONFIDENTIAL_CLIENT_ID);
        });
        assertThat(fx.entra.requests()).extracting(EntraRequest::path).allMatch(p -> p.contains("/oauth2/v2.0/token"));
        assertThat(fx.portlessHttp.foreignRequests()).isEmpty();
    }

    @Test
    void aWrongSecretSaysWhichVariableToFixAndDoesNotShowIt() {
        fx.with("MS365_MCP_CLIENT_SECRET", "wrong-secret-value");
        AppOnlyTokenProvider provider = new AppOnlyTokenProvider(fx.settings(), fx.portlessHttp);

        assertThatThrownBy(() -> provider.token(TokenRequest.forScopes(Set.of())))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("MS365_MCP_CLIENT_SECRET")
                .hasMessageContaining("AADSTS7000215")
                .hasMessageNotContaining("wrong-secret-value");
    }

    @Test
    void thereAreNoAccountsToChoose() {
        AppOnlyTokenProvider provider = new AppOnlyTokenProvider(fx.settings(), fx.portlessHttp);
        assertThatThrownBy(() -> provider.token(new TokenRequest(Set.of(), "alice@contoso.com")))
                .isInstanceOf(AuthException.class).hasMessageContaining("MS365_MCP_AUTH_MODE=app");
        assertThat(fx.entra.requests()).isEmpty();
    }
}
