package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A whole flow — registration, consent, sign-in, code, tokens, refresh, replay, revocation, failures —
 * with every logger of ours at TRACE (libraries at their production INFO): no secret value appears in
 * any message, argument or exception.
 */
class LogSecrecyTest {

    @Test
    void noTokenCodeVerifierSecretOrStateIsEverLogged() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = (Logger) LoggerFactory.getLogger("dev.ms365mcp");
        Level rootLevel = root.getLevel();
        Level oursLevel = ours.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.INFO);
        ours.setLevel(Level.TRACE);
        List<String> secrets = new ArrayList<>();
        try (OAuthFixture f = new OAuthFixture()) {
            HttpResponse<String> reg = f.postJson("/register", "{\"client_name\":\"Log test\",\"redirect_uris\":[\""
                    + OAuthFixture.REDIRECT + "\"],\"token_endpoint_auth_method\":\"client_secret_post\"}");
            JsonNode client = OAuthFixture.json(reg);
            String id = client.get("client_id").asString();
            String secret = client.get("client_secret").asString();
            secrets.add(secret);

            OAuthFixture.Request request = f.request(id);
            secrets.add(request.verifier);
            secrets.add(request.state);
            OAuthFixture.Consent consent = f.openConsent(request);
            secrets.add(consent.transaction());
            secrets.add(consent.csrf());
            HttpResponse<String> approved = f.approve(consent);
            secrets.add(f.upstream.lastCode);
            secrets.add(f.upstream.lastRequest.state());
            secrets.add(f.upstream.lastRequest.nonce());
            secrets.add(f.upstream.lastRequest.codeVerifier());
            HttpResponse<String> toClient = f.get(approved.headers().firstValue("Location").orElseThrow());
            String code = OAuthFixture.locationQuery(toClient).get("code");
            secrets.add(code);
            Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", request.redirectUri,
                    "client_id", id, "client_secret", secret, "code_verifier", request.verifier);
            JsonNode tokens = OAuthFixture.json(f.postForm("/token", form));
            secrets.add(tokens.get("access_token").asString());
            secrets.add(tokens.get("refresh_token").asString());
            f.postForm("/token", form); // code replay
            JsonNode rotated = OAuthFixture.json(f.postForm("/token", Map.of("grant_type", "refresh_token", "client_id", id,
                    "client_secret", secret, "refresh_token", tokens.get("refresh_token").asString())));
            f.clock.advance(Duration.ofMinutes(1));
            f.postForm("/token", Map.of("grant_type", "refresh_token", "client_id", id, "client_secret", secret,
                    "refresh_token", tokens.get("refresh_token").asString())); // replay after grace
            f.postForm("/token", Map.of("grant_type", "refresh_token", "client_id", id, "client_secret", "wrong-" + secret,
                    "refresh_token", tokens.get("refresh_token").asString()));
            f.postForm("/revoke", Map.of("token", tokens.get("access_token").asString(), "client_id", id, "client_secret", secret));
            f.valid(tokens.get("access_token").asString());
            // Failure paths: forged state, replayed callback, wrong CSRF.
            f.postForm("/oauth/callback", Map.of("code", f.upstream.lastCode, "state", f.upstream.lastRequest.state()));
            OAuthFixture.Consent second = f.openConsent(f.request(id));
            secrets.add(second.csrf());
            f.postForm("/authorize", Map.of("transaction", second.transaction(), "csrf", "wrong", "decision", "approve"));
            if (rotated.has("refresh_token")) {
                secrets.add(rotated.get("refresh_token").asString());
            }
        } finally {
            root.detachAppender(appender);
            root.setLevel(rootLevel);
            ours.setLevel(oursLevel);
        }
        assertThat(appender.list).extracting(ILoggingEvent::getLoggerName).anyMatch(n -> n.startsWith("dev.ms365mcp.http.oauth"));
        assertThat(secrets).doesNotContainNull().allMatch(s -> s.length() >= 16);
        for (ILoggingEvent e : appender.list) {
            StringBuilder text = new StringBuilder(e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    text.append(' ').append(a);
                }
            }
            for (var t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                text.append(' ').append(t.getMessage());
            }
            for (String s : secrets) {
                assertThat(text.toString()).as("log line from %s", e.getLoggerName()).doesNotContain(s);
            }
        }
    }
}
