package dev.ms365mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.app.AppOnlyTokenProvider;
import dev.ms365mcp.auth.msal.MsalTokenProvider;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenProvidersTest {

    private static final String CLIENT = "0d4b9a7e-1c2f-4e5a-9b8c-7d6e5f4a3b2c";

    @TempDir
    Path dir;

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("MS365_MCP_TOKEN_CACHE_PATH", dir.resolve("cache.bin").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private TokenProvider provider(String... pairs) {
        return TokenProviders.fromSettings(AuthSettings.fromEnv(env(pairs)));
    }

    @Test
    void aStaticTokenWinsOverEverythingElse() {
        TokenProvider p = provider("MS365_MCP_OAUTH_TOKEN", "opaque", "MS365_MCP_CLIENT_ID", CLIENT);
        assertThat(p).isInstanceOf(StaticTokenProvider.class);
        assertThat(TokenProviders.accountManager(p).verify().message()).contains("MS365_MCP_OAUTH_TOKEN");
        assertThatThrownBy(() -> TokenProviders.accountManager(p).startLogin(Set.of()))
                .isInstanceOf(AuthException.class).hasMessageContaining("Unset it");
    }

    @Test
    void appModeGivesAnAppOnlyProvider() {
        TokenProvider p = provider("MS365_MCP_AUTH_MODE", "app", "MS365_MCP_CLIENT_ID", CLIENT,
                "MS365_MCP_CLIENT_SECRET", "s", "MS365_MCP_TENANT_ID", "contoso.com");
        assertThat(p).isInstanceOf(AppOnlyTokenProvider.class);
        assertThat(p.appOnly()).isTrue();
        assertThat(TokenProviders.accountManager(p).accounts()).isEmpty();
        assertThatThrownBy(() -> TokenProviders.accountManager(p).logout()).hasMessageContaining("no user");
    }

    @Test
    void aClientIdGivesTheMsalProviderWhichAlsoManagesAccounts() {
        TokenProvider p = provider("MS365_MCP_CLIENT_ID", CLIENT);
        assertThat(p).isInstanceOf(MsalTokenProvider.class);
        assertThat(TokenProviders.accountManager(p)).isSameAs(p);
    }

    @Test
    void withoutAnyConfigurationCallsExplainHowToRegisterAnApp() {
        TokenProvider p = provider();
        assertThat(p).isInstanceOf(LoginRequiredTokenProvider.class);
        assertThatThrownBy(() -> p.token(TokenRequest.forScopes(Set.of("Mail.Read"))))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("MS365_MCP_CLIENT_ID")
                .hasMessageContaining("Allow public client flows")
                .hasMessageContaining("single tenant")
                .hasMessageContaining("admin consent")
                .hasMessageContaining("MS365_MCP_TENANT_ID=consumers");
        assertThatThrownBy(() -> TokenProviders.accountManager(p).startLogin(Set.of()))
                .hasMessage(TokenProviders.REGISTER_APP_HOWTO);
    }
}
