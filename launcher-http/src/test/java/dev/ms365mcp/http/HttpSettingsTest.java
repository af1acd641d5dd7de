package dev.ms365mcp.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.http.HttpSettings.AuthMode;
import dev.ms365mcp.http.HttpSettings.Flags;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

    private static Flags flags(String http) {
        return new Flags(http, null, null, null, false, false, false, false, false);
    }

    private static HttpSettings settings(Flags f, String... env) {
        Map<String, String> e = new HashMap<>();
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return HttpSettings.from(f, e);
    }

    @Test
    void listensOnAllAddressesPort3000ByDefaultAndTakesTheReferencesHttpFlag() {
        HttpSettings d = settings(flags(null));
        assertThat(d.listen().getHostString()).isEqualTo("0.0.0.0");
        assertThat(d.listen().getPort()).isEqualTo(3000);
        assertThat(settings(flags("8080")).listen().getPort()).isEqualTo(8080);
        HttpSettings hostPort = settings(flags("127.0.0.1:9000"));
        assertThat(hostPort.listen().getHostString()).isEqualTo("127.0.0.1");
        assertThat(hostPort.loopbackOnly()).isTrue();
        assertThat(settings(new Flags("1.2.3.4:80", "127.0.0.1", 81, null, false, false, false, false, false)).listen())
                .hasToString("/127.0.0.1:81");
        assertThatThrownBy(() -> settings(flags("70000"))).hasMessageContaining("--http needs a port");
    }

    @Test
    void thePublicUrlComesFromFlagOrEitherVariableAndDefaultsToLocalhostWithAWarning() {
        assertThat(settings(flags(null), "MS365_MCP_BASE_URL", "https://old.example/").publicUrl())
                .hasToString("https://old.example");
        assertThat(settings(flags(null), "MS365_MCP_PUBLIC_URL", "https://new.example", "MS365_MCP_BASE_URL",
                "https://old.example").mcpUrl()).isEqualTo("https://new.example/mcp");
        HttpSettings unset = settings(flags("0.0.0.0:4000"), "MS365_MCP_API_KEY", "x".repeat(32));
        assertThat(unset.publicUrl()).hasToString("http://localhost:4000");
        assertThat(unset.check()).anyMatch(w -> w.contains("MS365_MCP_PUBLIC_URL is not set"));
        assertThat(settings(flags("127.0.0.1:4000"), "MS365_MCP_API_KEY", "x".repeat(32)).check()).isEmpty();
        assertThatThrownBy(() -> settings(flags(null), "MS365_MCP_PUBLIC_URL", "https://x.example/mcp"))
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> settings(flags(null), "MS365_MCP_PUBLIC_URL", "ftp://x.example"))
                .hasMessageContaining("MS365_MCP_PUBLIC_URL");
    }

    @Test
    void aSingleUserServerOffLoopbackNeedsAnApiKey() {
        HttpSettings open = settings(flags("0.0.0.0:3000"), "MS365_MCP_OAUTH_TOKEN", "eyJ.x.y");
        assertThat(open.auth()).isEqualTo(AuthMode.SINGLE_USER);
        assertThatThrownBy(open::check).hasMessageContaining("MS365_MCP_API_KEY").hasMessageContaining("--host 127.0.0.1");
        HttpSettings singleFlag = settings(new Flags("0.0.0.0:3000", null, null, null, false, false, false, true, false));
        assertThatThrownBy(singleFlag::check).hasMessageContaining("MS365_MCP_API_KEY");
        settings(flags("127.0.0.1:3000"), "MS365_MCP_OAUTH_TOKEN", "eyJ.x.y").check();
        settings(flags("0.0.0.0:3000"), "MS365_MCP_OAUTH_TOKEN", "eyJ.x.y", "MS365_MCP_API_KEY", "k".repeat(32)).check();
        assertThatThrownBy(() -> settings(flags(null), "MS365_MCP_API_KEY", "short")).hasMessageContaining("16 characters");
    }

    @Test
    void modesAreExplicitAndExclusive() {
        assertThat(settings(flags(null)).auth()).isEqualTo(AuthMode.OAUTH);
        assertThat(settings(new Flags(null, null, null, null, false, true, false, false, false)).auth()).isEqualTo(AuthMode.OBO);
        assertThat(settings(new Flags(null, null, null, null, false, false, true, false, false)).auth())
                .isEqualTo(AuthMode.TRUST_PROXY);
        HttpSettings legacy = settings(new Flags(null, null, null, null, false, false, false, false, true));
        assertThat(legacy.auth()).isEqualTo(AuthMode.LEGACY_PASSTHROUGH);
        assertThat(legacy.check()).anyMatch(w -> w.contains("forbids token passthrough"));
        assertThatThrownBy(() -> settings(new Flags(null, null, null, null, false, true, true, false, false)))
                .hasMessageContaining("choose one way");
        assertThatThrownBy(() -> settings(new Flags(null, null, null, null, false, true, false, false, false),
                "MS365_MCP_OAUTH_TOKEN", "t")).hasMessageContaining("choose one way");
        assertThat(AuthMode.SINGLE_USER.multiUser()).isFalse();
        assertThat(AuthMode.TRUST_PROXY.multiUser()).isTrue();
    }

    @Test
    void limitsOriginsAndSizesParseOrFailClearly() {
        HttpSettings s = settings(flags(null), "MS365_MCP_RATE_LIMIT_MCP", "5", "MS365_MCP_CORS_ORIGIN",
                "https://A.example, http://localhost:6274", "MS365_MCP_TRUST_PROXY_HOPS", "2", "MS365_MCP_DATA_DIR", "/srv/x");
        assertThat(s.rateLimits().mcp()).isEqualTo(5);
        assertThat(s.rateLimits().enabled()).isTrue();
        assertThat(s.corsOrigins()).containsExactly("https://a.example", "http://localhost:6274");
        assertThat(s.trustProxyHops()).isEqualTo(2);
        assertThat(s.dataDir()).hasToString("/srv/x");
        assertThat(settings(flags(null)).dataDir()).hasToString("./data");
        assertThat(settings(flags(null), "MS365_MCP_RATE_LIMIT_DISABLED", "1").rateLimits().enabled()).isFalse();
        assertThatThrownBy(() -> settings(flags(null), "MS365_MCP_RATE_LIMIT_MCP", "0")).hasMessageContaining("MS365_MCP_RATE_LIMIT_MCP");
        assertThatThrownBy(() -> settings(flags(null), "MS365_MCP_CORS_ORIGIN", "not a url")).hasMessageContaining("MS365_MCP_CORS_ORIGIN");
    }

    @Test
    void aRedisUrlChoosesSharedStateAndTheStatelessTransport() {
        HttpSettings embedded = settings(flags(null));
        assertThat(embedded.redis()).isNull();
        assertThat(embedded.stateless()).isFalse();
        HttpSettings shared = settings(flags(null), "MS365_MCP_REDIS_URL", "rediss://:s3cret-pass@redis.internal/2",
                "MS365_MCP_REDIS_PREFIX", "team-a");
        assertThat(shared.stateless()).isTrue();
        assertThat(shared.redis().url()).hasToString("rediss://:s3cret-pass@redis.internal:6379/2");
        assertThat(shared.redis().namespace()).isEqualTo("team-a");
        assertThat(shared.redis().toString()).doesNotContain("s3cret-pass");
        assertThat(settings(flags(null), "MS365_MCP_REDIS_URL", "redis://127.0.0.1:6380").redis())
                .satisfies(r -> assertThat(r.url().getPort()).isEqualTo(6380))
                .satisfies(r -> assertThat(r.namespace()).isEqualTo("ms365-mcp"));
    }

    @Test
    void aBadRedisUrlIsRefusedWithoutRepeatingItsPassword() {
        for (String bad : new String[] {"http://:pw-secret-1@host:6379", "redis://:pw-secret-1@host:6379/db0",
                "redis://:pw-secret-1@/0", "redis://:pw-secret-1@host:6379/0?x=1", "::pw-secret-1"}) {
            assertThatThrownBy(() -> settings(flags(null), "MS365_MCP_REDIS_URL", bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("MS365_MCP_REDIS_URL must look like redis://")
                    .message().doesNotContain("pw-secret-1");
        }
        assertThatThrownBy(() -> settings(flags(null), "MS365_MCP_REDIS_URL", "redis://h", "MS365_MCP_REDIS_PREFIX", "a b"))
                .hasMessageContaining("MS365_MCP_REDIS_PREFIX");
    }
}
