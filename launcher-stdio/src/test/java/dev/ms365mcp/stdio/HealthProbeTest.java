package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthProbeTest {

    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("MS365_MCP_TOKEN_CACHE_PATH", dir.resolve("msal-cache.json").toString());
    }

    @Test
    void keeperIsHealthyOnlyWithARecentOkStatusBesideTheCache() throws Exception {
        Instant now = Instant.now();
        assertThat(HealthProbe.keeperVerdict(env(), now)).startsWith("unhealthy: no token keeper status");

        Path status = dir.resolve(TokenKeeper.STATUS_FILE_NAME);
        Files.writeString(status, "ok 2026-01-01T00:00:00Z \n");
        assertThat(HealthProbe.keeperVerdict(env(), now)).startsWith("healthy: ok");

        Files.setLastModifiedTime(status, FileTime.from(now.minus(HealthProbe.MAX_STATUS_AGE).minus(Duration.ofSeconds(5))));
        assertThat(HealthProbe.keeperVerdict(env(), now)).startsWith("unhealthy: the token keeper has not written");

        Files.writeString(status, "sign-in-required 2026-01-01T00:00:00Z adele@contoso.example\n");
        assertThat(HealthProbe.keeperVerdict(env(), now)).isEqualTo("unhealthy: sign-in-required 2026-01-01T00:00:00Z adele@contoso.example");
    }

    @Test
    void theStatusPathCanBeSetExplicitly() throws Exception {
        Path elsewhere = dir.resolve("state/keeper.status");
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, "ok now \n");
        Map<String, String> env = Map.of("MS365_MCP_TOKEN_CACHE_PATH", dir.resolve("msal-cache.json").toString(),
                TokenKeeper.STATUS_PATH_ENV, elsewhere.toString());
        assertThat(HealthProbe.keeperVerdict(env, Instant.now())).startsWith("healthy");
    }

    @Test
    void httpIsHealthyOnlyOn200() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/healthz", x -> { x.sendResponseHeaders(200, -1); x.close(); });
        server.createContext("/broken", x -> { x.sendResponseHeaders(503, -1); x.close(); });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(HealthProbe.httpVerdict(URI.create(base + "/healthz"))).startsWith("healthy");
            assertThat(HealthProbe.httpVerdict(URI.create(base + "/broken"))).startsWith("unhealthy").contains("503");
        } finally {
            server.stop(0);
        }
        assertThat(HealthProbe.httpVerdict(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/healthz")))
                .startsWith("unhealthy").contains("did not answer");
    }
}
