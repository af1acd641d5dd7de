package dev.ms365mcp.auth.msal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.TokenRequest;
import dev.ms365mcp.auth.testing.EntraFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes share one cache, and FakeEntra rejects a refresh token presented twice. Each
 * token call refreshes (short-lived access tokens), so a rotation lost between two processes shows
 * up as an {@code invalid_grant} failure and in {@code reusedRefreshTokenCount()}.
 */
class SharedCacheConcurrencyTest {

    private static final Set<String> MAIL = Set.of("Mail.Read");
    private static final int ROUNDS = 30;

    @TempDir
    Path dir;

    @Test
    void twoApplicationInstancesOnTwoThreadsNeverLoseARotatedRefreshToken() throws Exception {
        try (EntraFixture fx = EntraFixture.start(dir)) {
            fx.entra.addUser("alice@contoso.com");
            fx.entra.autoApprove("alice@contoso.com", 0);
            fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
            new MsalTokenProvider(fx.settings(), fx.http).startLogin(MAIL).completion().get(30, TimeUnit.SECONDS);

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    // Each "process": its own provider, MSAL applications and cache object.
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
                    assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(ROUNDS);
                }
            } finally {
                threads.shutdownNow();
            }

            assertThat(fx.entra.reusedRefreshTokenCount()).isZero();
            assertThat(fx.entra.tokenRequests("refresh_token")).hasSize(2 * ROUNDS);
            new MsalTokenProvider(fx.settings(), fx.http).cache().verifyReadable();
        }
    }

    @Test
    void aSecondJvmSharingTheCacheOverHttpsNeverLosesARotatedRefreshToken() throws Exception {
        try (EntraFixture fx = EntraFixture.startHttps(dir)) {
            fx.entra.addUser("alice@contoso.com");
            fx.entra.autoApprove("alice@contoso.com", 0);
            fx.entra.accessTokenLifetime(Duration.ofSeconds(60));
            MsalTokenProvider parent = new MsalTokenProvider(fx.settings(), fx.http);
            parent.startLogin(MAIL).completion().get(30, TimeUnit.SECONDS);

            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(java.toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Djavax.net.ssl.trustStore=" + fx.entra.trustStore(),
                    "-Djavax.net.ssl.trustStorePassword=" + fx.entra.trustStorePassword(),
                    "-cp", System.getProperty("java.class.path"),
                    CacheSharingChild.class.getName(), String.valueOf(ROUNDS))
                    .redirectErrorStream(true);
            builder.environment().putAll(fx.env);
            Process child = builder.start();

            // Keep refreshing for as long as the child runs (bounded), so the two really overlap.
            int parentRounds = 0;
            while ((child.isAlive() || parentRounds < ROUNDS) && parentRounds < 2000) {
                parent.token(TokenRequest.forScopes(MAIL));
                parentRounds++;
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(child.getInputStream().readAllBytes());

            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("child done " + ROUNDS);
            assertThat(fx.entra.reusedRefreshTokenCount()).isZero();
            assertThat(fx.entra.tokenRequests("refresh_token")).hasSize(parentRounds + ROUNDS);
            parent.cache().verifyReadable();
        }
    }
}
