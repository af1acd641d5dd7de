package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RefreshTokenRotationTest {

    @Test
    void everyRefreshReturnsANewRefreshTokenAndTheOldOneStopsWorking() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            String client = f.register(OAuthFixture.REDIRECT);
            String refresh = f.tokens(client).get("refresh_token").asString();
            for (int i = 0; i < 3; i++) {
                JsonNode next = OAuthFixture.json(f.refresh(client, refresh));
                assertThat(next.get("refresh_token").asString()).isNotEqualTo(refresh);
                assertThat(f.valid(next.get("access_token").asString())).isTrue();
                refresh = next.get("refresh_token").asString();
            }
        }
    }

    @Test
    void aRetryWithinTheGraceWindowIsRefusedWithoutRevokingTheFamily() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            String client = f.register(OAuthFixture.REDIRECT);
            String old = f.tokens(client).get("refresh_token").asString();
            JsonNode rotated = OAuthFixture.json(f.refresh(client, old));
            f.clock.advance(Duration.ofSeconds(10));
            HttpResponse<String> retry = f.refresh(client, old);
            assertThat(retry.statusCode()).isEqualTo(400);
            assertThat(f.valid(rotated.get("access_token").asString())).isTrue();
            assertThat(f.refresh(client, rotated.get("refresh_token").asString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void refreshLifetimeSlides() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            String client = f.register(OAuthFixture.REDIRECT);
            String refresh = f.tokens(client).get("refresh_token").asString();
            for (int i = 0; i < 3; i++) {
                f.clock.advance(Duration.ofDays(20));
                HttpResponse<String> r = f.refresh(client, refresh);
                assertThat(r.statusCode()).as("refresh after %d x 20 days", i + 1).isEqualTo(200);
                refresh = OAuthFixture.json(r).get("refresh_token").asString();
            }
        }
    }

    @Test
    void ofConcurrentRefreshesWithOneTokenExactlyOneWins() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            String client = f.register(OAuthFixture.REDIRECT);
            String refresh = f.tokens(client).get("refresh_token").asString();
            int threads = 8;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<HttpResponse<String>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return f.refresh(OAuthFixture.newBrowser(), client, refresh);
                }));
            }
            go.countDown();
            List<JsonNode> winners = new ArrayList<>();
            for (Future<HttpResponse<String>> r : results) {
                HttpResponse<String> response = r.get();
                if (response.statusCode() == 200) {
                    winners.add(OAuthFixture.json(response));
                } else {
                    assertThat(OAuthFixture.json(response).get("error").asString()).isEqualTo("invalid_grant");
                }
            }
            pool.shutdown();
            assertThat(winners).hasSize(1);
            // Losers inside the grace window did not revoke the winner's grant.
            assertThat(f.valid(winners.getFirst().get("access_token").asString())).isTrue();
            assertThat(f.refresh(client, winners.getFirst().get("refresh_token").asString()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void directCompareAndSetRaceHasOneWinnerOnTheStore() throws Exception {
        // The same race without HTTP in between, many times: the rotation itself is atomic.
        try (OAuthFixture f = new OAuthFixture()) {
            Grants grants = new Grants(f.store, f.oauth.settings(), f.clock);
            RefreshTokenRotation rotation = new RefreshTokenRotation(grants);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            for (int round = 0; round < 50; round++) {
                String family = Secrets.random(16);
                grants.openFamily(family);
                Grants.TokenPair pair = grants.issue("c", "u", List.of("ms365"), f.oauth.settings().resource(), family, "0");
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    outcomes.add(pool.submit(() -> {
                        go.await();
                        try {
                            rotation.rotate(pair.refreshToken(), "c", null);
                            return true;
                        } catch (OAuthError e) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int wins = 0;
                for (Future<Boolean> o : outcomes) {
                    wins += o.get() ? 1 : 0;
                }
                assertThat(wins).as("round %d", round).isEqualTo(1);
            }
            pool.shutdown();
        }
    }
}
