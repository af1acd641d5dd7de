package dev.ms365mcp.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.oauth.AuthorizationServer;
import dev.ms365mcp.http.oauth.OAuthFixture;
import dev.ms365mcp.http.oauth.OAuthSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Each test is an attack on the OAuth front door; each must fail. */
class OAuthAttacksTest {

    OAuthFixture f;
    String client;

    @BeforeEach
    void start() throws Exception {
        f = new OAuthFixture();
        client = f.register(OAuthFixture.REDIRECT);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private static String error(HttpResponse<String> r) {
        return OAuthFixture.json(r).get("error").asString();
    }

    @Test
    void wrongPkceVerifierGetsNoTokensAndBurnsTheCode() throws Exception {
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        String realVerifier = request.verifier;
        request.verifier = "A".repeat(43);
        HttpResponse<String> r = f.redeem(request, code);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("invalid_grant");
        request.verifier = realVerifier;
        assertThat(f.redeem(request, code).statusCode()).isEqualTo(400);
    }

    @Test
    void missingVerifierGetsNoTokens() throws Exception {
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        HttpResponse<String> r = f.postForm("/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", request.redirectUri, "client_id", client));
        assertThat(error(r)).isEqualTo("invalid_grant");
    }

    @Test
    void reusedCodeFailsAndRevokesTheTokensItGave() throws Exception {
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        JsonNode first = OAuthFixture.json(f.redeem(request, code));
        assertThat(f.valid(first.get("access_token").asString())).isTrue();
        HttpResponse<String> second = f.redeem(request, code);
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(error(second)).isEqualTo("invalid_grant");
        assertThat(f.valid(first.get("access_token").asString())).isFalse();
        assertThat(f.refresh(client, first.get("refresh_token").asString()).statusCode()).isEqualTo(400);
    }

    @Test
    void codeOfAnotherClientIsRefused() throws Exception {
        String other = f.register(OAuthFixture.REDIRECT);
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        request.clientId = other;
        HttpResponse<String> r = f.redeem(request, code);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(error(r)).isEqualTo("invalid_grant");
    }

    @Test
    void codeRedeemedWithAnotherRedirectUriIsRefused() throws Exception {
        String twoRedirects = f.register(OAuthFixture.REDIRECT, "https://app.example.com/cb");
        OAuthFixture.Request request = f.request(twoRedirects);
        String code = f.code(request);
        request.redirectUri = "https://app.example.com/cb";
        assertThat(error(f.redeem(request, code))).isEqualTo("invalid_grant");
    }

    @Test
    void codeRedeemedWithoutTheRedirectUriItWasIssuedForIsRefused() throws Exception {
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        HttpResponse<String> r = f.postForm("/token", Map.of("grant_type", "authorization_code", "code", code,
                "client_id", client, "code_verifier", request.verifier));
        assertThat(error(r)).isEqualTo("invalid_grant");
    }

    @Test
    void aSingleRegisteredRedirectMayBeOmittedOnBothRequests() throws Exception {
        OAuthFixture.Request request = f.request(client);
        request.redirectUri = null;
        HttpResponse<String> toClient = f.authorizeToClient(request);
        assertThat(toClient.headers().firstValue("Location").orElseThrow()).startsWith(OAuthFixture.REDIRECT + "?code=");
        HttpResponse<String> r = f.postForm("/token", Map.of("grant_type", "authorization_code",
                "code", OAuthFixture.locationQuery(toClient).get("code"), "client_id", client, "code_verifier", request.verifier));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void unregisteredRedirectUrisNeverReceiveAnything() throws Exception {
        String https = f.register("https://good.example/cb", "http://localhost:8787/callback");
        for (String attack : List.of("https://good.example.evil.com/cb", "https://good.example/cb.evil.com", "https://good.example/cb/../evil",
                "https://good.example/cbx", "https://good.example/cb?x=1", "https://evil.com/https://good.example/cb",
                "https://good.example:8443/cb", "http://good.example/cb", "https://good.example/cb#frag",
                "https://user@good.example/cb", "http://localhost:8787/other", "http://localhost.evil.com:8787/callback",
                "http://127.0.0.2:8787/callback", "https://localhost:8787/callback")) {
            OAuthFixture.Request request = f.request(https);
            request.redirectUri = attack;
            HttpResponse<String> r = f.get("/authorize?" + request.query());
            assertThat(r.statusCode()).as(attack).isEqualTo(400);
            assertThat(r.headers().firstValue("Location")).as(attack).isEmpty();
        }
    }

    @Test
    void httpNonLoopbackRedirectDoesNotMatchOnAnotherPort() throws Exception {
        // Only loopback gets any-port matching; an https redirect must match exactly, port included.
        String c = f.register("https://app.example.com:8443/cb");
        OAuthFixture.Request request = f.request(c);
        request.redirectUri = "https://app.example.com:9443/cb";
        assertThat(f.get("/authorize?" + request.query()).statusCode()).isEqualTo(400);
        HttpResponse<String> reg = f.postJson("/register", "{\"redirect_uris\":[\"http://app.example.com:8080/cb\"]}");
        assertThat(reg.statusCode()).isEqualTo(400);
        assertThat(error(reg)).isEqualTo("invalid_redirect_uri");
    }

    @Test
    void tokenForAnotherResourceIsNotAcceptedHere() throws Exception {
        JsonNode tokens = f.tokens(client);
        // The same store behind a server with another public URL (another resource): the token is not for it.
        AuthorizationServer elsewhere = new AuthorizationServer(OAuthSettings.defaults(java.net.URI.create("https://other.example")),
                f.store, f.upstream, f.clock);
        try {
            assertThat(elsewhere.bearerTokenVerifier().verify(tokens.get("access_token").asString())).isEmpty();
        } finally {
            elsewhere.close();
        }
        assertThat(f.valid(tokens.get("access_token").asString())).isTrue();
        OAuthFixture.Request request = f.request(client);
        request.resource = "https://other.example/mcp";
        HttpResponse<String> r = f.get("/authorize?" + request.query());
        assertThat(OAuthFixture.locationQuery(r)).containsEntry("error", "invalid_target");
        HttpResponse<String> refresh = f.postForm("/token", Map.of("grant_type", "refresh_token", "client_id", client,
                "refresh_token", tokens.get("refresh_token").asString(), "resource", "https://other.example/mcp"));
        assertThat(error(refresh)).isEqualTo("invalid_target");
    }

    @Test
    void expiredAccessTokenIsRefused() throws Exception {
        JsonNode tokens = f.tokens(client);
        f.clock.advance(Duration.ofSeconds(3601));
        assertThat(f.valid(tokens.get("access_token").asString())).isFalse();
    }

    @Test
    void expiredRefreshTokenIsRefused() throws Exception {
        // Registrations outlive the refresh token here, so the refusal is the token's own expiry.
        try (OAuthFixture g = new OAuthFixture(s -> new OAuthSettings(s.publicUrl(), s.scopes(), s.permissions(),
                s.accessTokenTtl(), s.refreshTokenTtl(), s.refreshReuseGrace(), Duration.ofDays(90)))) {
            String c = g.register(OAuthFixture.REDIRECT);
            JsonNode tokens = g.tokens(c);
            g.clock.advance(Duration.ofDays(29));
            assertThat(g.refresh(c, g.tokens(c).get("refresh_token").asString()).statusCode()).isEqualTo(200);
            g.clock.advance(Duration.ofDays(2));
            assertThat(error(g.refresh(c, tokens.get("refresh_token").asString()))).isEqualTo("invalid_grant");
        }
    }

    @Test
    void refreshTokenReplayedAfterRotationRevokesTheFamily() throws Exception {
        JsonNode tokens = f.tokens(client);
        String old = tokens.get("refresh_token").asString();
        JsonNode rotated = OAuthFixture.json(f.refresh(client, old));
        f.clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> replay = f.refresh(client, old);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(error(replay)).isEqualTo("invalid_grant");
        assertThat(f.valid(rotated.get("access_token").asString())).isFalse();
        assertThat(f.refresh(client, rotated.get("refresh_token").asString()).statusCode()).isEqualTo(400);
    }

    @Test
    void refreshTokenOfAnotherClientIsRefused() throws Exception {
        JsonNode tokens = f.tokens(client);
        String other = f.register(OAuthFixture.REDIRECT);
        assertThat(error(f.refresh(other, tokens.get("refresh_token").asString()))).isEqualTo("invalid_grant");
    }

    @Test
    void revokedTokensAreRefused() throws Exception {
        JsonNode tokens = f.tokens(client);
        f.postForm("/revoke", Map.of("token", tokens.get("refresh_token").asString(), "client_id", client));
        assertThat(f.valid(tokens.get("access_token").asString())).isFalse();
        assertThat(error(f.refresh(client, tokens.get("refresh_token").asString()))).isEqualTo("invalid_grant");
    }

    @Test
    void anotherClientCannotRevokeYourTokens() throws Exception {
        JsonNode tokens = f.tokens(client);
        String other = f.register(OAuthFixture.REDIRECT);
        HttpResponse<String> r = f.postForm("/revoke", Map.of("token", tokens.get("refresh_token").asString(), "client_id", other));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(f.valid(tokens.get("access_token").asString())).isTrue();
    }

    @Test
    void consentWithoutOrWithWrongCsrfTokenGrantsNothing() throws Exception {
        OAuthFixture.Request request = f.request(client);
        OAuthFixture.Consent consent = f.openConsent(request);
        HttpResponse<String> missing = f.postForm("/authorize", Map.of("transaction", consent.transaction(), "decision", "approve"));
        assertThat(missing.statusCode()).isEqualTo(403);
        assertThat(missing.headers().firstValue("Location")).isEmpty();
        // The transaction is spent by the failed attempt.
        assertThat(f.approve(consent).statusCode()).isEqualTo(400);

        OAuthFixture.Consent second = f.openConsent(f.request(client));
        HttpResponse<String> wrong = f.postForm("/authorize", Map.of("transaction", second.transaction(),
                "csrf", "x".repeat(43), "decision", "approve"));
        assertThat(wrong.statusCode()).isEqualTo(403);
    }

    @Test
    void consentFormSubmittedFromAnotherBrowserGrantsNothing() throws Exception {
        // The attacker opens the consent page (gets transaction + CSRF token) and makes the victim's browser submit it.
        OAuthFixture.Consent attackers = f.openConsent(f.request(client));
        java.net.http.HttpClient victim = OAuthFixture.newBrowser();
        f.get(victim, "/authorize?" + f.request(client).query()); // the victim has their own binding cookie
        HttpResponse<String> r = f.postForm(victim, "/authorize", Map.of("transaction", attackers.transaction(),
                "csrf", attackers.csrf(), "decision", "approve"), Map.of());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void callbackWithAWrongStateIsRefused() throws Exception {
        OAuthFixture.Request request = f.request(client);
        HttpResponse<String> approved = f.approve(f.openConsent(request));
        Map<String, String> upstream = OAuthFixture.locationQuery(approved);
        HttpResponse<String> r = f.postForm("/oauth/callback", Map.of("code", upstream.get("code"), "state", "forged-state"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        HttpResponse<String> none = f.postForm("/oauth/callback", Map.of("code", upstream.get("code")));
        assertThat(none.statusCode()).isEqualTo(400);
    }

    @Test
    void callbackReplayIsRefused() throws Exception {
        OAuthFixture.Request request = f.request(client);
        HttpResponse<String> approved = f.approve(f.openConsent(request));
        String upstreamUrl = approved.headers().firstValue("Location").orElseThrow();
        assertThat(f.get(upstreamUrl).statusCode()).isEqualTo(303);
        HttpResponse<String> replay = f.get(upstreamUrl);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void tokensInTheQueryStringOfTheTokenEndpointAreRefused() throws Exception {
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        HttpResponse<String> r = f.postForm("/token?code=" + code, Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", request.redirectUri, "client_id", client, "code_verifier", request.verifier));
        assertThat(error(r)).isEqualTo("invalid_request");
    }

    @Test
    void duplicatedParametersAreRefused() throws Exception {
        OAuthFixture.Request request = f.request(client);
        HttpResponse<String> r = f.get("/authorize?" + request.query() + "&client_id=" + client);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void garbageBearerTokensAreNotValid() {
        assertThat(f.valid("")).isFalse();
        assertThat(f.valid("x".repeat(43))).isFalse();
        assertThat(f.valid("not a token at all")).isFalse();
        assertThat(f.oauth.bearerTokenVerifier().verify(null)).isEmpty();
    }
}
