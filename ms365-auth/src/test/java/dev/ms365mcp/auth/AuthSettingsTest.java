package dev.ms365mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthSettingsTest {

    private static final String CLIENT = "0d4b9a7e-1c2f-4e5a-9b8c-7d6e5f4a3b2c";
    private static final Path HOME = Path.of("/home/u");

    private static AuthSettings linux(Map<String, String> env) {
        return AuthSettings.fromEnv(env, "Linux", HOME);
    }

    @Test
    void defaults() {
        AuthSettings s = linux(Map.of());
        assertThat(s.clientId()).isNull();
        assertThat(s.tenantId()).isEqualTo("common");
        assertThat(s.mode()).isEqualTo(AuthSettings.Mode.DELEGATED);
        assertThat(s.tokenCachePath()).isEqualTo(Path.of("/home/u/.config/ms365-mcp/token-cache.bin"));
        assertThat(s.selectedAccountPath()).isEqualTo(Path.of("/home/u/.config/ms365-mcp/selected-account.txt"));
        assertThat(s.cacheKey()).isNull();
        assertThat(s.allowedScopes()).isEmpty();
        assertThat(s.authorityUrl()).isEqualTo("https://login.microsoftonline.com/common/");
    }

    @Test
    void configDirectoryPerOperatingSystem() {
        assertThat(AuthSettings.defaultConfigDir(Map.of("XDG_CONFIG_HOME", "/xdg"), "Linux", HOME))
                .isEqualTo(Path.of("/xdg/ms365-mcp"));
        assertThat(AuthSettings.defaultConfigDir(Map.of("XDG_CONFIG_HOME", "relative"), "Linux", HOME))
                .isEqualTo(Path.of("/home/u/.config/ms365-mcp"));
        assertThat(AuthSettings.defaultConfigDir(Map.of(), "Mac OS X", HOME))
                .isEqualTo(Path.of("/home/u/Library/Application Support/ms365-mcp"));
        assertThat(AuthSettings.defaultConfigDir(Map.of("APPDATA", "/appdata"), "Windows 11", HOME))
                .isEqualTo(Path.of("/appdata/ms365-mcp"));
    }

    @Test
    void everyVariable() {
        byte[] key = new byte[32];
        key[0] = 7;
        Map<String, String> env = new HashMap<>();
        env.put("MS365_MCP_CLIENT_ID", CLIENT);
        env.put("MS365_MCP_TENANT_ID", "consumers");
        env.put("MS365_MCP_CLIENT_SECRET", "s3cret");
        env.put("MS365_MCP_TOKEN_CACHE_PATH", "/data/cache.bin");
        env.put("MS365_MCP_CACHE_KEY", Base64.getEncoder().encodeToString(key));
        env.put("MS365_MCP_ALLOWED_SCOPES", "Mail.Read, User.Read  Files.Read");
        env.put("MS365_MCP_EXTRA_SCOPES", "Calendars.Read");
        env.put("MS365_MCP_CLOUD_TYPE", "china");

        AuthSettings s = linux(env);

        assertThat(s.clientId()).isEqualTo(CLIENT);
        assertThat(s.tenantId()).isEqualTo("consumers");
        assertThat(s.clientSecret()).isEqualTo("s3cret");
        assertThat(s.tokenCachePath()).isEqualTo(Path.of("/data/cache.bin"));
        assertThat(s.selectedAccountPath()).isEqualTo(Path.of("/data/selected-account.txt"));
        assertThat(s.cacheKey()).isEqualTo(key);
        assertThat(s.allowedScopes()).containsExactlyInAnyOrder("Mail.Read", "User.Read", "Files.Read");
        assertThat(s.extraScopes()).containsExactly("Calendars.Read");
        assertThat(s.authorityUrl()).isEqualTo("https://login.chinacloudapi.cn/consumers/");

        env.put("MS365_MCP_SELECTED_ACCOUNT_PATH", "/elsewhere/sel");
        assertThat(linux(env).selectedAccountPath()).isEqualTo(Path.of("/elsewhere/sel"));
    }

    @Test
    void toStringHidesSecrets() {
        String text = linux(Map.of("MS365_MCP_CLIENT_SECRET", "s3cret-value", "MS365_MCP_OAUTH_TOKEN", "eyJtoken",
                "MS365_MCP_CACHE_KEY", Base64.getEncoder().encodeToString(new byte[32]))).toString();
        assertThat(text).doesNotContain("s3cret-value", "eyJtoken", "AAAAAAAA").contains("<redacted>");
    }

    @Test
    void malformedValuesNameTheVariableAndWhatIsAccepted() {
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_CLIENT_ID", "my-app")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MS365_MCP_CLIENT_ID")
                .hasMessageContaining("GUID");
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_TENANT_ID", "a b")))
                .hasMessageContaining("MS365_MCP_TENANT_ID").hasMessageContaining("consumers");
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_AUTH_MODE", "robot")))
                .hasMessageContaining("MS365_MCP_AUTH_MODE").hasMessageContaining("'app'");
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_CACHE_KEY", "c2hvcnQ=")))
                .hasMessageContaining("MS365_MCP_CACHE_KEY").hasMessageContaining("32")
                .hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_CACHE_KEY", "%%%")))
                .hasMessageContaining("MS365_MCP_CACHE_KEY");
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_CLOUD_TYPE", "mars")))
                .hasMessageContaining("global, china, usgov, usgov-dod");
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_AUTHORITY_URL", "http://login.example")))
                .hasMessageContaining("MS365_MCP_AUTHORITY_URL").hasMessageContaining("https");
    }

    @Test
    void appModeNeedsCredentialsAndARealTenant() {
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_AUTH_MODE", "app", "MS365_MCP_CLIENT_ID", CLIENT)))
                .hasMessageContaining("MS365_MCP_CLIENT_SECRET");
        assertThatThrownBy(() -> linux(Map.of("MS365_MCP_AUTH_MODE", "app", "MS365_MCP_CLIENT_ID", CLIENT,
                "MS365_MCP_CLIENT_SECRET", "s")))
                .hasMessageContaining("MS365_MCP_TENANT_ID").hasMessageContaining("common");
        AuthSettings app = linux(Map.of("MS365_MCP_AUTH_MODE", "APP", "MS365_MCP_CLIENT_ID", CLIENT,
                "MS365_MCP_CLIENT_SECRET", "s", "MS365_MCP_TENANT_ID", "contoso.onmicrosoft.com"));
        assertThat(app.mode()).isEqualTo(AuthSettings.Mode.APP);
        AuthSettings certificate = linux(Map.of("MS365_MCP_AUTH_MODE", "app", "MS365_MCP_CLIENT_ID", CLIENT,
                "MS365_MCP_CLIENT_CERTIFICATE_PATH", "/etc/ms365/app.p12",
                "MS365_MCP_CLIENT_CERTIFICATE_PASSWORD", "p12-password", "MS365_MCP_TENANT_ID", "contoso.onmicrosoft.com"));
        assertThat(certificate.clientCertificatePath()).isEqualTo(Path.of("/etc/ms365/app.p12"));
        assertThat(certificate.clientCertificatePassword()).isEqualTo("p12-password");
        assertThat(certificate.hasClientCredential()).isTrue();
        assertThat(certificate.toString()).contains("/etc/ms365/app.p12").doesNotContain("p12-password");
        assertThat(linux(Map.of()).hasClientCredential()).isFalse();
    }
}
