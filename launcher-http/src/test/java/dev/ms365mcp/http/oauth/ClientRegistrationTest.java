package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ClientRegistrationTest {

    @Test
    void cursorsThreeRedirectUrisAreAcceptedInOneRequestAndEchoed() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            HttpResponse<String> r = f.postJson("/register", """
                    {"client_name":"Cursor","redirect_uris":["cursor://anysphere.cursor-mcp/oauth/callback",
                     "https://www.cursor.com/agents/mcp/oauth/callback","http://localhost:8787/callback"],
                     "grant_types":["authorization_code","refresh_token"],"response_types":["code"],
                     "token_endpoint_auth_method":"none"}""");
            assertThat(r.statusCode()).isEqualTo(201);
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
            JsonNode body = OAuthFixture.json(r);
            assertThat(body.get("client_id").asString()).isNotBlank();
            assertThat(body.get("client_id_issued_at").asLong()).isEqualTo(f.clock.instant().getEpochSecond());
            assertThat(body.get("redirect_uris").valueStream().map(JsonNode::asString).toList()).containsExactly(
                    "cursor://anysphere.cursor-mcp/oauth/callback", "https://www.cursor.com/agents/mcp/oauth/callback",
                    "http://localhost:8787/callback");
            assertThat(body.get("grant_types").valueStream().map(JsonNode::asString).toList()).containsExactly("authorization_code", "refresh_token");
            assertThat(body.get("response_types").valueStream().map(JsonNode::asString).toList()).containsExactly("code");
            assertThat(body.get("token_endpoint_auth_method").asString()).isEqualTo("none");
            assertThat(body.get("client_name").asString()).isEqualTo("Cursor");
            assertThat(body.has("client_secret")).isFalse();
        }
    }

    @Test
    void vsCodeClaudeAndClaudeCodeRegistrationsAreAccepted() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            assertThat(f.postJson("/register", """
                    {"client_name":"Visual Studio Code","redirect_uris":["https://vscode.dev/redirect","https://insiders.vscode.dev/redirect",
                     "http://127.0.0.1/","http://127.0.0.1:33418/"],"token_endpoint_auth_method":"none"}""").statusCode()).isEqualTo(201);
            assertThat(f.postJson("/register", """
                    {"client_name":"Claude","redirect_uris":["https://claude.ai/api/mcp/auth_callback","https://claude.com/api/mcp/auth_callback"]}""")
                    .statusCode()).isEqualTo(201);
            assertThat(f.postJson("/register", """
                    {"client_name":"Claude Code","application_type":"native","redirect_uris":["http://localhost:49152/callback"]}""")
                    .statusCode()).isEqualTo(201);
            assertThat(f.postJson("/register", "{\"redirect_uris\":[\"http://[::1]:1234/cb\"]}").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void oneDangerousRedirectUriRejectsTheRegistrationSayingWhy() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            for (String bad : List.of("javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "https://app.example/cb#frag",
                    "http://app.example/cb", "https://user:pw@app.example/cb", "JavaScript://%0aalert(1)", "/relative/cb",
                    "http://10.0.0.5/cb", "vbscript:msgbox")) {
                HttpResponse<String> r = f.postJson("/register", "{\"redirect_uris\":[\"https://ok.example/cb\",\"" + bad + "\"]}");
                assertThat(r.statusCode()).as(bad).isEqualTo(400);
                JsonNode body = OAuthFixture.json(r);
                assertThat(body.get("error").asString()).as(bad).isEqualTo("invalid_redirect_uri");
                assertThat(body.get("error_description").asString()).as(bad).isNotBlank();
            }
        }
    }

    @Test
    void malformedMetadataIsRefusedClearly() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            assertThat(OAuthFixture.json(f.postJson("/register", "not json")).get("error").asString()).isEqualTo("invalid_client_metadata");
            assertThat(OAuthFixture.json(f.postJson("/register", "{}")).get("error").asString()).isEqualTo("invalid_redirect_uri");
            assertThat(OAuthFixture.json(f.postJson("/register", "{\"redirect_uris\":\"https://a.example/cb\"}")).get("error").asString())
                    .isEqualTo("invalid_redirect_uri");
            assertThat(OAuthFixture.json(f.postJson("/register", "{\"redirect_uris\":[\"https://a.example/cb\"],\"grant_types\":[\"implicit\"]}"))
                    .get("error").asString()).isEqualTo("invalid_client_metadata");
            assertThat(OAuthFixture.json(f.postJson("/register",
                    "{\"redirect_uris\":[\"https://a.example/cb\"],\"token_endpoint_auth_method\":\"private_key_jwt\"}")).get("error").asString())
                    .isEqualTo("invalid_client_metadata");
        }
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            String big = "{\"client_name\":\"" + "x".repeat(20_000) + "\",\"redirect_uris\":[\"https://a.example/cb\"]}";
            HttpResponse<String> r = f.postJson("/register", big);
            assertThat(r.statusCode()).isEqualTo(413);
        }
    }

    @Test
    void registrationsSurviveARestartOnTheSameStore() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            String client = f.register(OAuthFixture.REDIRECT);
            // A new authorization server (a restarted replica) on the same store knows the client.
            try (ClientMetadataDocuments documents = ClientMetadataDocuments.forPublicInternet(f.clock)) {
                ClientRegistry registry = new ClientRegistry(f.store, Duration.ofDays(30), documents);
                assertThat(registry.find(client)).map(RegisteredClient::redirectUris).hasValue(java.util.List.of(OAuthFixture.REDIRECT));
                assertThat(registry.find("another-id")).isEmpty();
            }
        }
    }

    @Test
    void unusedRegistrationsExpireAndUsedOnesSlide() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            String unused = f.register(OAuthFixture.REDIRECT);
            String used = f.register(OAuthFixture.REDIRECT);
            for (int i = 0; i < 3; i++) {
                f.clock.advance(Duration.ofDays(20));
                assertThat(f.get("/authorize?" + f.request(used).query()).statusCode()).isEqualTo(200);
            }
            assertThat(f.get("/authorize?" + f.request(unused).query()).statusCode()).isEqualTo(400);
        }
    }
}
