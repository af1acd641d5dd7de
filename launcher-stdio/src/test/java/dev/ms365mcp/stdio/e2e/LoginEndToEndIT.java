package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.graph.DemoMailbox;
import dev.ms365mcp.testkit.graph.FakeGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Signing in as a desktop user does: {@code --login} in a terminal against Entra (FakeEntra over
 * https, trusted through the JVM trust store), then an MCP client session whose tool call reaches
 * Graph with the token Entra issued, then the account flags.
 */
class LoginEndToEndIT {

    private static final String USER = "adele@contoso.example";

    @TempDir
    Path home;

    private FakeEntra entra;
    private FakeGraph graph;

    @BeforeEach
    void start() throws Exception {
        entra = FakeEntra.startHttps();
        entra.addUser(USER);
        entra.autoApprove(USER, 1);
        entra.pollIntervalSeconds(1);
        graph = FakeGraph.start();
        DemoMailbox.install(graph);
    }

    @AfterEach
    void stop() {
        graph.close();
        entra.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MS365_MCP_CLIENT_ID", FakeEntra.PUBLIC_CLIENT_ID);
        env.put("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID);
        env.put("MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString());
        env.put("MS365_MCP_GRAPH_URL", graph.url());
        env.put("MS365_MCP_TOKEN_CACHE_PATH", home.resolve("cache/token-cache.bin").toString());
        env.put("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + entra.trustStore()
                + " -Djavax.net.ssl.trustStorePassword=" + entra.trustStorePassword());
        return env;
    }

    private record Outcome(int exit, String out, String err) {
    }

    private Outcome jar(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(McpClientRun.java(), "-jar", System.getProperty("e2e.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().putAll(env());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out, err);
    }

    @Test
    void loginThenAToolCallWithTheIssuedToken() throws Exception {
        Outcome login = jar("--login");
        assertThat(login.exit()).as(login.out() + login.err()).isZero();
        assertThat(login.out()).contains("enter the code", "Waiting", "Signed in as " + USER);
        assertThat(entra.tokenRequests("device_code")).hasSizeGreaterThanOrEqualTo(2);
        Path cache = home.resolve("cache/token-cache.bin");
        assertThat(cache).exists();
        assertThat(Files.readString(cache, StandardCharsets.ISO_8859_1)).doesNotContain(entra.issuedTokens().get(0));

        McpClientRun session = new McpClientRun();
        env().forEach(session::env);
        JsonNode r = session.call("list-mail-messages", Map.of("top", 2)).run().path("results").get(0);
        assertThat(r.path("isError").asBoolean(false)).as(r.toString()).isFalse();
        String auth = graph.lastRequest().header("Authorization");
        assertThat(auth).startsWith("Bearer ");
        assertThat(entra.issuedTokens()).contains(auth.substring("Bearer ".length()));

        Outcome accounts = jar("--list-accounts");
        assertThat(accounts.exit()).isZero();
        assertThat(accounts.out()).contains(USER);
        assertThat(jar("--verify-login").exit()).isZero();

        Outcome logout = jar("--logout");
        assertThat(logout.exit()).isZero();
        Outcome after = jar("--verify-login");
        assertThat(after.exit()).isEqualTo(1);
    }
}
