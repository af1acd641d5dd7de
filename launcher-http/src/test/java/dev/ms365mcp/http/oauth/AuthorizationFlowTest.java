package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.security.Caller;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuthorizationFlowTest {

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

    @Test
    void fullFlowIssuesOpaqueTokensForTheSignedInUser() throws Exception {
        OAuthFixture.Request request = f.request(client);
        OAuthFixture.Consent consent = f.openConsent(request);
        HttpResponse<String> approved = f.approve(consent);
        assertThat(approved.statusCode()).isEqualTo(303);
        HttpResponse<String> toClient = f.get(approved.headers().firstValue("Location").orElseThrow());
        assertThat(toClient.statusCode()).isEqualTo(303);
        String location = toClient.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(OAuthFixture.REDIRECT + "?");
        Map<String, String> q = OAuthFixture.locationQuery(toClient);
        assertThat(q.get("state")).isEqualTo(request.state);
        assertThat(q.get("iss")).isEqualTo(f.base.toString());
        assertThat(q.get("code")).matches("[A-Za-z0-9_-]{43}");

        HttpResponse<String> token = f.redeem(request, q.get("code"));
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(token.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(token.headers().firstValue("Pragma")).hasValue("no-cache");
        assertThat(token.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        JsonNode body = OAuthFixture.json(token);
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
        assertThat(body.get("scope").asString()).isEqualTo("ms365");
        String access = body.get("access_token").asString();
        assertThat(access).matches("[A-Za-z0-9_-]{43}");
        assertThat(body.get("refresh_token").asString()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(access);

        Caller caller = f.oauth.bearerTokenVerifier().verify(access).orElseThrow();
        assertThat(caller.principal()).isEqualTo("user-key-alice");
        assertThat(caller.scopes()).containsExactly("ms365");
    }

    @Test
    void theStoreHoldsOnlyHashesOfTokensAndCodes() throws Exception {
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        JsonNode tokens = OAuthFixture.json(f.redeem(request, code));
        for (String secret : new String[] {code, tokens.get("access_token").asString(), tokens.get("refresh_token").asString(), request.state}) {
            assertThat(f.store.get("oauth:at:" + secret)).isEmpty();
            assertThat(f.store.get("oauth:rt:" + secret)).isEmpty();
            assertThat(f.store.get("oauth:code:" + secret)).isEmpty();
        }
        assertThat(f.store.get("oauth:at:" + Secrets.hash(tokens.get("access_token").asString()))).isPresent();
        String record = new String(f.store.get("oauth:rt:" + Secrets.hash(tokens.get("refresh_token").asString())).orElseThrow());
        assertThat(record).doesNotContain(tokens.get("refresh_token").asString()).doesNotContain(tokens.get("access_token").asString());
    }

    @Test
    void thePendingSignInKeepsItsVerifierAndNonceSealedUnderTheUpstreamState() throws Exception {
        HttpResponse<String> approved = f.approve(f.openConsent(f.request(client)));
        assertThat(approved.statusCode()).isEqualTo(303);
        UpstreamSignIn.UpstreamAuthorization upstream = f.upstream.lastRequest;
        String key = AuthorizationEndpoint.UPSTREAM_PREFIX + Secrets.hash(upstream.state());
        byte[] sealed = f.store.get(key).orElseThrow();
        String stored = new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(stored).doesNotContain(upstream.codeVerifier()).doesNotContain(upstream.nonce())
                .doesNotContain(upstream.state()).doesNotContain(client);

        // Someone who can write the store moves the record under a state they chose: it does not open.
        String forgedState = Secrets.random(32);
        f.store.put(AuthorizationEndpoint.UPSTREAM_PREFIX + Secrets.hash(forgedState), sealed, java.time.Duration.ofMinutes(5));
        String code = f.upstream.codeFor(forgedState, upstream.nonce(), upstream.codeVerifier());
        HttpResponse<String> forged = f.get(AuthorizationServer.CALLBACK + "?code=" + code + "&state=" + forgedState);
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("This sign-in has expired");

        // The genuine state still opens it.
        HttpResponse<String> genuine = f.get(approved.headers().firstValue("Location").orElseThrow());
        assertThat(genuine.statusCode()).isEqualTo(303);
        assertThat(OAuthFixture.locationQuery(genuine)).containsKey("code");
    }

    @Test
    void consentPageNamesClientRedirectHostAndPermissionsAndCannotBeFramed() throws Exception {
        String evilName = f.register(OAuthFixture.REDIRECT);
        // A registration whose name is markup.
        HttpResponse<String> reg = f.postJson("/register", "{\"client_name\":\"<script>alert(1)</script>\",\"redirect_uris\":[\"https://app.example.com/cb\"]}");
        String id = OAuthFixture.json(reg).get("client_id").asString();
        OAuthFixture.Request request = f.request(id);
        request.redirectUri = "https://app.example.com/cb";
        HttpResponse<String> page = f.get("/authorize?" + request.query());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>")
                .contains("app.example.com").contains("Read your mail (Mail.Read)").contains("<form method=\"post\"")
                .contains("value=\"approve\"").contains("value=\"deny\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).contains("HttpOnly").containsIgnoringCase("SameSite=Strict"));
        assertThat(evilName).isNotBlank();
    }

    @Test
    void denyRedirectsWithAccessDeniedStateAndIss() throws Exception {
        OAuthFixture.Request request = f.request(client);
        OAuthFixture.Consent consent = f.openConsent(request);
        HttpResponse<String> denied = f.postForm("/authorize", Map.of("transaction", consent.transaction(), "csrf", consent.csrf(), "decision", "deny"));
        assertThat(denied.statusCode()).isEqualTo(303);
        Map<String, String> q = OAuthFixture.locationQuery(denied);
        assertThat(q).containsEntry("error", "access_denied").containsEntry("state", request.state).containsEntry("iss", f.base.toString());
        assertThat(q).doesNotContainKey("code");
    }

    @Test
    void pkceIsRequiredAndOnlyS256() throws Exception {
        OAuthFixture.Request plain = f.request(client);
        plain.method = "plain";
        plain.challenge = plain.verifier;
        assertErrorRedirect(plain, "invalid_request");
        OAuthFixture.Request missing = f.request(client);
        missing.challenge = null;
        missing.method = null;
        assertErrorRedirect(missing, "invalid_request");
        OAuthFixture.Request noMethod = f.request(client);
        noMethod.method = null;
        assertErrorRedirect(noMethod, "invalid_request");
    }

    @Test
    void resourceIsOptionalButMustBeOurs() throws Exception {
        OAuthFixture.Request none = f.request(client);
        none.resource = null;
        String code = f.code(none);
        HttpResponse<String> token = f.redeem(none, code);
        assertThat(token.statusCode()).isEqualTo(200);
        assertThat(f.valid(OAuthFixture.json(token).get("access_token").asString())).isTrue();

        OAuthFixture.Request trailingSlash = f.request(client);
        trailingSlash.resource = f.base + "/mcp/";
        assertThat(f.authorizeToClient(trailingSlash).statusCode()).isEqualTo(303);

        OAuthFixture.Request other = f.request(client);
        other.resource = "https://graph.microsoft.com";
        assertErrorRedirect(other, "invalid_target");
        OAuthFixture.Request origin = f.request(client);
        origin.resource = f.base.toString();
        assertErrorRedirect(origin, "invalid_target");
    }

    @Test
    void unknownScopesAreToleratedAndDropped() throws Exception {
        OAuthFixture.Request request = f.request(client);
        request.scope = "ms365 offline_access openid something.else";
        HttpResponse<String> token = f.redeem(request, f.code(request));
        assertThat(OAuthFixture.json(token).get("scope").asString()).isEqualTo("ms365");
    }

    @Test
    void unsupportedResponseTypeGoesBackToTheClient() throws Exception {
        OAuthFixture.Request request = f.request(client);
        HttpResponse<String> r = f.get("/authorize?" + request.query().replace("response_type=code", "response_type=token"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(OAuthFixture.locationQuery(r)).containsEntry("error", "unsupported_response_type").containsEntry("state", request.state);
    }

    @Test
    void unknownClientOrUnregisteredRedirectIsAPageNeverARedirect() throws Exception {
        OAuthFixture.Request unknown = f.request("no-such-client");
        HttpResponse<String> r1 = f.get("/authorize?" + unknown.query());
        assertThat(r1.statusCode()).isEqualTo(400);
        assertThat(r1.headers().firstValue("Location")).isEmpty();
        assertThat(r1.body()).contains("not registered");

        OAuthFixture.Request wrongRedirect = f.request(client);
        wrongRedirect.redirectUri = "https://evil.example/callback";
        HttpResponse<String> r2 = f.get("/authorize?" + wrongRedirect.query());
        assertThat(r2.statusCode()).isEqualTo(400);
        assertThat(r2.headers().firstValue("Location")).isEmpty();
        assertThat(r2.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    @Test
    void loopbackRedirectMatchesOnAnyPort() throws Exception {
        String vscode = f.register("http://127.0.0.1/", "https://vscode.dev/redirect");
        OAuthFixture.Request request = f.request(vscode);
        request.redirectUri = "http://127.0.0.1:33418/";
        HttpResponse<String> toClient = f.authorizeToClient(request);
        assertThat(toClient.headers().firstValue("Location").orElseThrow()).startsWith("http://127.0.0.1:33418/?code=");
        assertThat(f.redeem(request, OAuthFixture.locationQuery(toClient).get("code")).statusCode()).isEqualTo(200);
    }

    @Test
    void privateUseSchemeRedirectKeepsItsShape() throws Exception {
        String cursor = f.register("cursor://anysphere.cursor-mcp/oauth/callback");
        OAuthFixture.Request request = f.request(cursor);
        request.redirectUri = "cursor://anysphere.cursor-mcp/oauth/callback";
        HttpResponse<String> toClient = f.authorizeToClient(request);
        assertThat(toClient.statusCode()).isEqualTo(303);
        assertThat(toClient.headers().firstValue("Location").orElseThrow()).startsWith("cursor://anysphere.cursor-mcp/oauth/callback?code=");
    }

    @Test
    void formPostCallbackIsBoundByStateAndAnswers303() throws Exception {
        OAuthFixture.Request request = f.request(client);
        HttpResponse<String> approved = f.approve(f.openConsent(request));
        Map<String, String> upstreamQuery = OAuthFixture.locationQuery(approved);
        // What Entra's form_post page submits: a cross-site POST without our cookies.
        HttpResponse<String> posted = f.postForm(OAuthFixture.newBrowser(), "/oauth/callback",
                Map.of("code", upstreamQuery.get("code"), "state", upstreamQuery.get("state")), Map.of());
        assertThat(posted.statusCode()).isEqualTo(303);
        assertThat(OAuthFixture.locationQuery(posted)).containsEntry("state", request.state).containsKey("code");
    }

    @Test
    void upstreamErrorOrFailureGoesBackToTheClientAsAnError() throws Exception {
        OAuthFixture.Request request = f.request(client);
        HttpResponse<String> approved = f.approve(f.openConsent(request));
        Map<String, String> upstreamQuery = OAuthFixture.locationQuery(approved);
        HttpResponse<String> r = f.postForm("/oauth/callback", Map.of("error", "access_denied", "state", upstreamQuery.get("state")));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(OAuthFixture.locationQuery(r)).containsEntry("error", "access_denied").containsEntry("state", request.state);

        f.upstream.fail = true;
        OAuthFixture.Request second = f.request(client);
        HttpResponse<String> toClient = f.authorizeToClient(second);
        assertThat(toClient.statusCode()).isEqualTo(303);
        assertThat(OAuthFixture.locationQuery(toClient)).containsEntry("error", "server_error").doesNotContainKey("code");
    }

    @Test
    void codeExpiresAfterSixtySeconds() throws Exception {
        OAuthFixture.Request request = f.request(client);
        String code = f.code(request);
        f.clock.advance(Duration.ofSeconds(61));
        HttpResponse<String> r = f.redeem(request, code);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(OAuthFixture.json(r).get("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void accessTokenExpiresAfterItsLifetimeAndRefreshGivesANewOne() throws Exception {
        JsonNode tokens = f.tokens(client);
        String access = tokens.get("access_token").asString();
        f.clock.advance(Duration.ofMinutes(61));
        assertThat(f.valid(access)).isFalse();
        HttpResponse<String> refreshed = f.refresh(client, tokens.get("refresh_token").asString());
        assertThat(refreshed.statusCode()).isEqualTo(200);
        assertThat(f.valid(OAuthFixture.json(refreshed).get("access_token").asString())).isTrue();
    }

    @Test
    void revocationOfARefreshTokenEndsTheGrantAndUnknownTokensGet200() throws Exception {
        JsonNode tokens = f.tokens(client);
        HttpResponse<String> unknown = f.postForm("/revoke", Map.of("token", "not-a-token", "client_id", client));
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(f.valid(tokens.get("access_token").asString())).isTrue();
        HttpResponse<String> r = f.postForm("/revoke", Map.of("token", tokens.get("refresh_token").asString(),
                "token_type_hint", "refresh_token", "client_id", client));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(f.valid(tokens.get("access_token").asString())).isFalse();
        assertThat(f.refresh(client, tokens.get("refresh_token").asString()).statusCode()).isEqualTo(400);
    }

    @Test
    void revokingAnAccessTokenEndsOnlyIt() throws Exception {
        JsonNode tokens = f.tokens(client);
        f.postForm("/revoke", Map.of("token", tokens.get("access_token").asString(), "client_id", client));
        assertThat(f.valid(tokens.get("access_token").asString())).isFalse();
        assertThat(f.refresh(client, tokens.get("refresh_token").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void revokeUserEndsEveryGrantOfThatUserOnly() throws Exception {
        JsonNode alice = f.tokens(client);
        f.upstream.user = "user-key-bob";
        JsonNode bob = f.tokens(client);
        f.oauth.revokeUser("user-key-alice");
        assertThat(f.valid(alice.get("access_token").asString())).isFalse();
        assertThat(f.refresh(client, alice.get("refresh_token").asString()).statusCode()).isEqualTo(400);
        assertThat(f.valid(bob.get("access_token").asString())).isTrue();
        // Signing in again after the revocation works.
        f.upstream.user = "user-key-alice";
        assertThat(f.valid(f.tokens(client).get("access_token").asString())).isTrue();
    }

    @Test
    void confidentialClientsAuthenticateWithTheirSecret() throws Exception {
        HttpResponse<String> reg = f.postJson("/register", "{\"redirect_uris\":[\"" + OAuthFixture.REDIRECT + "\"],"
                + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
        JsonNode body = OAuthFixture.json(reg);
        String id = body.get("client_id").asString();
        String secret = body.get("client_secret").asString();
        OAuthFixture.Request request = f.request(id);
        String code = f.code(request);
        Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", request.redirectUri,
                "code_verifier", request.verifier);
        HttpResponse<String> wrong = f.postForm(f.browser, "/token", form, Map.of("Authorization", basic(id, "wrong")));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(OAuthFixture.json(wrong).get("error").asString()).isEqualTo("invalid_client");
        String code2 = f.code(request);
        Map<String, String> form2 = Map.of("grant_type", "authorization_code", "code", code2, "redirect_uri", request.redirectUri,
                "code_verifier", request.verifier);
        HttpResponse<String> ok = f.postForm(f.browser, "/token", form2, Map.of("Authorization", basic(id, secret)));
        assertThat(ok.statusCode()).isEqualTo(200);
    }

    @Test
    void tokenEndpointErrorsFollowRfc6749() throws Exception {
        HttpResponse<String> grant = f.postForm("/token", Map.of("grant_type", "password", "client_id", client));
        assertThat(grant.statusCode()).isEqualTo(400);
        assertThat(OAuthFixture.json(grant).get("error").asString()).isEqualTo("unsupported_grant_type");
        HttpResponse<String> noClient = f.postForm("/token", Map.of("grant_type", "authorization_code", "code", "x"));
        assertThat(noClient.statusCode()).isEqualTo(401);
        assertThat(OAuthFixture.json(noClient).get("error").asString()).isEqualTo("invalid_client");
        HttpResponse<String> noCode = f.postForm("/token", Map.of("grant_type", "authorization_code", "client_id", client));
        assertThat(OAuthFixture.json(noCode).get("error").asString()).isEqualTo("invalid_request");
        HttpResponse<String> json = f.postJson("/token", "{\"grant_type\":\"authorization_code\"}");
        assertThat(json.statusCode()).isEqualTo(400);
        assertThat(OAuthFixture.json(json).get("error").asString()).isEqualTo("invalid_request");
        assertThat(json.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    private void assertErrorRedirect(OAuthFixture.Request request, String error) throws Exception {
        HttpResponse<String> r = f.get("/authorize?" + request.query());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        URI location = URI.create(r.headers().firstValue("Location").orElseThrow());
        assertThat(location.toString()).startsWith(request.redirectUri);
        assertThat(OAuthFixture.locationQuery(r)).containsEntry("error", error).containsEntry("state", request.state)
                .containsEntry("iss", f.base.toString());
    }

    private static String basic(String id, String secret) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((OAuthHttp.encode(id) + ":" + OAuthHttp.encode(secret)).getBytes());
    }
}
