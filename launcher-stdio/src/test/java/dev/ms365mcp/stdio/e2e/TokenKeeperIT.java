package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.entra.FakeEntra;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The STDIO container's main process, as the compose file runs it: {@code --keep-tokens} at a terminal
 * ({@code docker compose run --rm ms365-mcp}) is the one-time device code login; without one
 * ({@code docker compose up -d}) it refreshes every cached account against FakeEntra on
 * {@code MS365_MCP_REFRESH_INTERVAL}, reports through the status file that {@code HealthProbe} reads, and
 * names the re-login command when Entra revokes the sign-in.
 */
class TokenKeeperIT {

    private static final String USER = "adele@contoso.example";
    private static final String LOGIN_COMMAND = "docker compose run --rm ms365-mcp";

    @TempDir
    Path home;

    private FakeEntra entra;
    private final List<Process> running = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        entra = FakeEntra.startHttps();
        entra.addUser(USER);
        entra.autoApprove(USER, 1);
        entra.pollIntervalSeconds(1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : running) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        entra.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MS365_MCP_CLIENT_ID", FakeEntra.PUBLIC_CLIENT_ID);
        env.put("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID);
        env.put("MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString());
        env.put("MS365_MCP_TOKEN_CACHE_PATH", home.resolve("data/msal-cache.json").toString());
        env.put("MS365_MCP_SELECTED_ACCOUNT_PATH", home.resolve("data/selected-account.json").toString());
        env.put("MS365_MCP_ORG_MODE", "true");
        env.put("MS365_MCP_REFRESH_INTERVAL", "5s");
        env.put("MS365_MCP_LOGIN_COMMAND", LOGIN_COMMAND);
        env.put("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + entra.trustStore()
                + " -Djavax.net.ssl.trustStorePassword=" + entra.trustStorePassword());
        return env;
    }

    private ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().putAll(env());
        return pb;
    }

    private static List<String> jar(String... args) {
        List<String> cmd = new ArrayList<>(List.of(McpClientRun.java(), "-jar", System.getProperty("e2e.jar")));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code docker compose run} gives the process a terminal; util-linux {@code script} does the same here. */
    private String atATerminal(String... args) throws Exception {
        String command = String.join(" ", jar(args).stream().map(a -> "'" + a + "'").toList());
        Process p = builder(List.of("script", "-qec", command, "/dev/null")).redirectErrorStream(true).start();
        running.add(p);
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The keeper as {@code docker compose up -d} runs it: no terminal, stderr collected line by line. */
    private List<String> keeperInBackground() throws Exception {
        Process p = builder(jar("--keep-tokens")).start();
        running.add(p);
        p.getOutputStream().close();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // process ended
            }
        });
        return lines;
    }

    private static void await(List<String> lines, Predicate<String> wanted, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (lines.stream().anyMatch(wanted)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(lines).as("no matching line within " + limit).anyMatch(wanted);
    }

    /** The keeper logs a round's line before it writes the round's status: the status, once it says {@code state}. */
    private static String statusOnceWritten(Path status, String state) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < end) {
            if (Files.exists(status) && Files.readString(status).startsWith(state)) {
                break;
            }
            Thread.sleep(50);
        }
        return Files.exists(status) ? Files.readString(status) : "(no status file)";
    }

    private int health() throws Exception {
        Process p = builder(List.of(McpClientRun.java(), "-cp", System.getProperty("e2e.jar"),
                "dev.ms365mcp.stdio.HealthProbe", "--token-keeper")).redirectErrorStream(true).start();
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    @Test
    void loginAtATerminalThenTheKeeperRefreshesOnScheduleAndReportsARevokedSignIn() throws Exception {
        String login = atATerminal("--keep-tokens");
        assertThat(login).contains("enter the code", "Device code login successful: signed in as " + USER);
        assertThat(entra.tokenRequests("device_code")).isNotEmpty();
        assertThat(atATerminal("--keep-tokens")).contains("Already signed in as " + USER);

        List<String> log = keeperInBackground();
        await(log, l -> l.contains(USER + " refreshed, next at "), Duration.ofSeconds(30));
        int afterFirst = entra.tokenRequests("refresh_token").size();
        assertThat(afterFirst).isGreaterThanOrEqualTo(1);
        Path status = home.resolve("data/token-keeper.status");
        assertThat(statusOnceWritten(status, "ok ")).startsWith("ok ");
        assertThat(health()).isZero();

        // The schedule: a second refresh after MS365_MCP_REFRESH_INTERVAL (5s) without any tool call.
        // (Counted at Entra, not in the log: on a slow machine the second refresh may already be logged
        // by the time the first was counted.)
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (entra.tokenRequests("refresh_token").size() <= afterFirst && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(entra.tokenRequests("refresh_token").size()).isGreaterThan(afterFirst);
        await(log, l -> log.stream().filter(x -> x.contains(USER + " refreshed, next at ")).count() >= 2,
                Duration.ofSeconds(20));

        entra.revokeRefreshTokens(USER);
        await(log, l -> l.contains(USER + ": Microsoft Entra requires a new sign-in")
                && l.endsWith("Sign in again with: " + LOGIN_COMMAND), Duration.ofSeconds(20));
        assertThat(statusOnceWritten(status, "sign-in-required ")).startsWith("sign-in-required ");
        assertThat(health()).isEqualTo(1);

        String all = String.join("\n", log);
        for (String token : entra.issuedTokens()) {
            assertThat(all).doesNotContain(token);
        }
    }

    @Test
    void withNoAccountTheKeeperNamesTheLoginCommandAndIsUnhealthy() throws Exception {
        List<String> log = keeperInBackground();
        await(log, l -> l.contains("no account is signed in. Sign in once with: " + LOGIN_COMMAND), Duration.ofSeconds(30));
        assertThat(health()).isEqualTo(1);
        assertThat(entra.tokenRequests("device_code")).isEmpty();
    }

    @Test
    void aBadIntervalIsRefusedWithTheFix() throws Exception {
        ProcessBuilder pb = builder(jar("--keep-tokens"));
        pb.environment().put("MS365_MCP_REFRESH_INTERVAL", "daily");
        Process p = pb.start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains("MS365_MCP_REFRESH_INTERVAL='daily' is not a duration", "12h");
    }
}
