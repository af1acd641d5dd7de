package dev.ms365mcp.auth.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ms365mcp.auth.AuthException;
import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.msal.CacheSharingChild;
import dev.ms365mcp.auth.msal.MsalTokenProvider;
import dev.ms365mcp.auth.testing.EntraFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * MS365_MCP_AUTH_CACHE_COMMAND with a small shell script as the "secret manager": it keeps the blob in
 * a file of its own and logs how it was called.
 */
@DisabledOnOs(OS.WINDOWS)
class AuthCacheCommandTest {

    private static final Set<String> MAIL = Set.of("Mail.Read");
    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    private Path script(String body) throws Exception {
        Path script = dir.resolve("cache-command-" + System.nanoTime() + ".sh");
        Files.writeString(script, "#!/bin/sh\n" + body);
        assertThat(script.toFile().setExecutable(true)).isTrue();
        return script;
    }

    /** Stores what save gets on stdin; load prints it back with "found":true. Logs its arguments. */
    private Path storingScript() throws Exception {
        Path store = dir.resolve("vault.json");
        Path log = dir.resolve("calls.log");
        return script("echo \"$*\" >> '" + log + "'\n"
                + "case \"$1\" in\n"
                + "  load) if [ -f '" + store + "' ]; then sed 's/^{/{\"found\":true,/' '" + store + "'; "
                + "else echo '{\"found\":false}'; fi ;;\n"
                + "  save) cat > '" + store + ".tmp' && mv '" + store + ".tmp' '" + store + "' ;;\n"
                + "  *) echo \"unknown $1\" >&2; exit 2 ;;\n"
                + "esac\n");
    }

    @Test
    void loginRefreshAndASecondProcessGoThroughTheCommand() throws Exception {
        try (EntraFixture fx = EntraFixture.start(dir)) {
            fx.entra.addUser("alice@contoso.com");
            fx.entra.autoApprove("alice@contoso.com", 0);
            fx.with("MS365_MCP_AUTH_CACHE_COMMAND", storingScript().toString());
            new MsalTokenProvider(fx.settings(), fx.http).startLogin(MAIL).completion().get(30, TimeUnit.SECONDS);

            // The blob went to the program, not to the cache file; it is the encrypted cache.
            assertThat(fx.cacheFile()).doesNotExist();
            String stored = Files.readString(dir.resolve("vault.json"));
            assertThat(stored).startsWith("{\"value\":\"").doesNotContain("refresh").doesNotContain("alice");
            // The blob never appears on a command line: the program only ever got "load|save token-cache".
            assertThat(Files.readAllLines(dir.resolve("calls.log")))
                    .allSatisfy(line -> assertThat(line).isIn("load token-cache", "save token-cache"))
                    .contains("save token-cache");

            fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
            MsalTokenProvider other = new MsalTokenProvider(fx.settings(), fx.http);
            assertThat(other.accounts()).extracting(a -> a.username()).containsExactly("alice@contoso.com");
            assertThat(other.token(TokenRequest.forScopes(MAIL)).value()).isNotBlank();
        }
    }

    @Test
    void concurrentProcessesThroughTheCommandNeverLoseARotatedRefreshToken() throws Exception {
        try (EntraFixture fx = EntraFixture.startHttps(dir)) {
            fx.entra.addUser("alice@contoso.com");
            fx.entra.autoApprove("alice@contoso.com", 0);
            fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
            fx.with("MS365_MCP_AUTH_CACHE_COMMAND", storingScript().toString());
            new MsalTokenProvider(fx.settings(), fx.http).startLogin(MAIL).completion().get(30, TimeUnit.SECONDS);

            // A second JVM (the lock is an OS file lock beside the configured cache path) and two
            // providers in this one, all refreshing through the same program.
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Djavax.net.ssl.trustStore=" + fx.entra.trustStore(),
                    "-Djavax.net.ssl.trustStorePassword=" + fx.entra.trustStorePassword(),
                    "-cp", System.getProperty("java.class.path"),
                    CacheSharingChild.class.getName(), String.valueOf(ROUNDS))
                    .redirectErrorStream(true);
            builder.environment().putAll(fx.env);
            Process child = builder.start();

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    MsalTokenProvider process = new MsalTokenProvider(fx.settings(), fx.http);
                    results.add(threads.submit(() -> {
                        go.await();
                        for (int i = 0; i < ROUNDS; i++) {
                            process.token(TokenRequest.forScopes(MAIL));
                        }
                        return ROUNDS;
                    }));
                }
                go.countDown();
                for (Future<Integer> result : results) {
                    assertThat(result.get(120, TimeUnit.SECONDS)).isEqualTo(ROUNDS);
                }
            } finally {
                threads.shutdownNow();
            }
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = new String(child.getInputStream().readAllBytes());
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("child done " + ROUNDS);

            assertThat(fx.entra.reusedRefreshTokenCount()).isZero();
            assertThat(fx.entra.tokenRequests("refresh_token")).hasSize(3 * ROUNDS);
        }
    }

    @Test
    void aFailingCommandSaysWhatFailedWithoutTheBlob() throws Exception {
        Path failing = script("cat >/dev/null; echo 'vault is sealed' >&2; exit 3\n");
        AuthCacheCommand command = new AuthCacheCommand(failing, Duration.ofSeconds(10));
        assertThatThrownBy(() -> command.save(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("failed to save token-cache")
                .hasMessageContaining("exited with status 3")
                .hasMessageContaining("vault is sealed")
                .hasMessageNotContaining("AQIDBAUGBwg="); // the value it was given

        assertThatThrownBy(() -> new AuthCacheCommand(script("echo not json\n"), Duration.ofSeconds(10)).load())
                .isInstanceOf(AuthException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> new AuthCacheCommand(script("echo '{\"found\":true}'\n"), Duration.ofSeconds(10)).load())
                .isInstanceOf(AuthException.class).hasMessageContaining("{\"found\":false}");
        assertThat(new AuthCacheCommand(script("exit 0\n"), Duration.ofSeconds(10)).load()).isEmpty();
    }

    @Test
    void aCommandThatHangsIsKilledAtTheTimeout() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path hanging = script("echo $$ > '" + pidFile + "'\nexec sleep 60\n");
        AuthCacheCommand command = new AuthCacheCommand(hanging, Duration.ofMillis(700));
        long start = System.nanoTime();
        assertThatThrownBy(command::load)
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("timed out after 700 ms")
                .hasMessageContaining("MS365_MCP_AUTH_CACHE_COMMAND_TIMEOUT_MS");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        Thread.sleep(200);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void settingsAreCheckedUpFront() throws Exception {
        assertThat(AuthCacheCommand.fromEnv(Map.of())).isEmpty();
        assertThatThrownBy(() -> AuthCacheCommand.fromEnv(Map.of("MS365_MCP_AUTH_CACHE_COMMAND", "vault.sh")))
                .hasMessageContaining("must be an absolute path");
        Path notExecutable = Files.writeString(dir.resolve("plain.sh"), "#!/bin/sh\n");
        assertThatThrownBy(() -> AuthCacheCommand.fromEnv(Map.of("MS365_MCP_AUTH_CACHE_COMMAND", notExecutable.toString())))
                .hasMessageContaining("must point to an executable file");
        assertThatThrownBy(() -> AuthCacheCommand.fromEnv(Map.of("MS365_MCP_AUTH_CACHE_COMMAND", " ")))
                .hasMessageContaining("set but empty");
        String ok = storingScript().toString();
        assertThatThrownBy(() -> AuthCacheCommand.fromEnv(Map.of("MS365_MCP_AUTH_CACHE_COMMAND", ok,
                "MS365_MCP_AUTH_CACHE_COMMAND_TIMEOUT_MS", "soon"))).hasMessageContaining("positive number");
        assertThat(AuthCacheCommand.fromEnv(Map.of("MS365_MCP_AUTH_CACHE_COMMAND", ok,
                "MS365_MCP_AUTH_CACHE_COMMAND_TIMEOUT_MS", "2500")).orElseThrow().timeout()).isEqualTo(Duration.ofMillis(2500));
    }
}
