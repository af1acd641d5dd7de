package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.FormEncoding;
import dev.ms365mcp.testkit.entra.EntraBrowser;
import dev.ms365mcp.testkit.entra.FakeEntra;
import java.io.BufferedReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --login --auth-browser} through the jar: the sign-in URL printed on stderr is followed by a
 * scripted browser that signs in at FakeEntra and posts the code to the jar's loopback listener.
 */
class BrowserLoginEndToEndIT {

    private static final String USER = "adele@contoso.example";

    @TempDir
    Path home;
    private FakeEntra entra;

    @BeforeEach
    void start() throws Exception {
        entra = FakeEntra.startHttps();
        entra.addUser(USER);
    }

    @AfterEach
    void stop() {
        entra.close();
    }

    private ProcessBuilder jar(String... args) {
        List<String> cmd = new ArrayList<>(List.of(McpClientRun.java(), "-jar", System.getProperty("e2e.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().remove("DISPLAY"); // no real browser in a test
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("MS365_MCP_CLIENT_ID", FakeEntra.PUBLIC_CLIENT_ID);
        pb.environment().put("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID);
        pb.environment().put("MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString());
        pb.environment().put("MS365_MCP_TOKEN_CACHE_PATH", home.resolve("cache/token-cache.bin").toString());
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + entra.trustStore()
                + " -Djavax.net.ssl.trustStorePassword=" + entra.trustStorePassword());
        return pb;
    }

    @Test
    void signsInThroughTheSystemBrowserAndCachesTheLogin() throws Exception {
        Process p = jar("--login", "--auth-browser").start();
        p.getOutputStream().close();
        URI authorize = null;
        String out;
        StringBuilder err = new StringBuilder();
        try (BufferedReader stderr = p.errorReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = stderr.readLine()) != null) {
                err.append(line).append('\n');
                if (line.startsWith("https://") && line.contains("/oauth2/v2.0/authorize?")) {
                    authorize = URI.create(line.strip());
                    break;
                }
            }
            assertThat(authorize).as(err.toString()).isNotNull();
            Map<String, String> query = FormEncoding.decode(authorize.getRawQuery());
            assertThat(query).containsEntry("code_challenge_method", "S256").containsKey("state");
            assertThat(query.get("redirect_uri")).startsWith("http://localhost:");
            entra.addRedirectUri(FakeEntra.PUBLIC_CLIENT_ID, query.get("redirect_uri"));

            try (EntraBrowser browser = new EntraBrowser(entra); HttpClient http = HttpClient.newHttpClient()) {
                EntraBrowser.Callback callback = browser.signIn(authorize, USER);
                String form = callback.params().entrySet().stream()
                        .map(e -> FormEncoding.encode(e.getKey()) + "=" + FormEncoding.encode(e.getValue()))
                        .collect(Collectors.joining("&"));
                HttpResponse<String> page = http.send(HttpRequest.newBuilder(callback.redirectUri())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.body()).contains("Signed in to ms365-mcp");
            }
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            stderr.lines().forEach(l -> err.append(l).append('\n'));
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertThat(p.exitValue()).as(out + err).isZero();
        assertThat(out).contains("Signed in as " + USER);
        assertThat(entra.tokenRequests("authorization_code")).singleElement()
                .satisfies(r -> assertThat(r.form().get("code_verifier")).isNotBlank());

        Process verify = jar("--verify-login").start();
        verify.getOutputStream().close();
        String verified = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(verify.exitValue()).as(verified).isZero();
        assertThat(verified).contains("Signed in as " + USER);
    }
}
