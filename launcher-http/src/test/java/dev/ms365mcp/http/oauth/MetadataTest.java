package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class MetadataTest {

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::asString).toList();
    }

    @Test
    void protectedResourceMetadataAtBothPaths() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            for (String path : List.of("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource")) {
                HttpResponse<String> r = f.get(path);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
                JsonNode body = OAuthFixture.json(r);
                assertThat(body.get("resource").asString()).isEqualTo(f.base + "/mcp");
                assertThat(strings(body.get("authorization_servers"))).containsExactly(f.base.toString());
                assertThat(strings(body.get("scopes_supported"))).containsExactly("ms365");
                assertThat(strings(body.get("bearer_methods_supported"))).containsExactly("header");
            }
            assertThat(f.oauth.resourceMetadataUrl()).isEqualTo(f.base + "/.well-known/oauth-protected-resource/mcp");
        }
    }

    @Test
    void authorizationServerMetadata() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            HttpResponse<String> r = f.get("/.well-known/oauth-authorization-server");
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode m = OAuthFixture.json(r);
            assertThat(m.get("issuer").asString()).isEqualTo(f.base.toString());
            assertThat(m.get("authorization_endpoint").asString()).isEqualTo(f.base + "/authorize");
            assertThat(m.get("token_endpoint").asString()).isEqualTo(f.base + "/token");
            assertThat(m.get("registration_endpoint").asString()).isEqualTo(f.base + "/register");
            assertThat(m.get("revocation_endpoint").asString()).isEqualTo(f.base + "/revoke");
            assertThat(strings(m.get("response_types_supported"))).containsExactly("code");
            assertThat(strings(m.get("grant_types_supported"))).containsExactly("authorization_code", "refresh_token");
            assertThat(strings(m.get("code_challenge_methods_supported"))).containsExactly("S256");
            assertThat(strings(m.get("token_endpoint_auth_methods_supported"))).contains("none", "client_secret_basic", "client_secret_post");
            assertThat(m.get("client_id_metadata_document_supported").asBoolean()).isTrue();
            assertThat(m.get("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
            assertThat(strings(m.get("scopes_supported"))).containsExactly("ms365");
        }
    }

    @Test
    void urlsComeFromThePublicUrlNotTheHostHeader() throws Exception {
        try (OAuthFixture f = new OAuthFixture(s -> new OAuthSettings(java.net.URI.create("https://mcp.example.com/"), s.scopes(),
                s.permissions(), s.accessTokenTtl(), s.refreshTokenTtl(), s.refreshReuseGrace(), s.registrationTtl()))) {
            JsonNode m = OAuthFixture.json(f.get("/.well-known/oauth-authorization-server"));
            assertThat(m.get("issuer").asString()).isEqualTo("https://mcp.example.com");
            assertThat(m.get("token_endpoint").asString()).isEqualTo("https://mcp.example.com/token");
            JsonNode prm = OAuthFixture.json(f.get("/.well-known/oauth-protected-resource/mcp"));
            assertThat(prm.get("resource").asString()).isEqualTo("https://mcp.example.com/mcp");
        }
    }

    @Test
    void noPartialOpenIdConfiguration() throws Exception {
        try (OAuthFixture f = new OAuthFixture()) {
            assertThat(f.get("/.well-known/openid-configuration").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void lifetimesFromEnvironmentInSecondsOrIso8601() {
        java.net.URI url = java.net.URI.create("https://mcp.example.com");
        OAuthSettings s = OAuthSettings.fromEnv(url, List.of(), java.util.Map.of("MS365_MCP_ACCESS_TOKEN_TTL", "900",
                "MS365_MCP_REFRESH_TOKEN_TTL", "P7D", "MS365_MCP_REFRESH_REUSE_GRACE", "PT10S"));
        assertThat(s.accessTokenTtl()).hasSeconds(900);
        assertThat(s.refreshTokenTtl()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(s.refreshReuseGrace()).hasSeconds(10);
        assertThat(OAuthSettings.fromEnv(url, List.of(), java.util.Map.of()).accessTokenTtl()).hasHours(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OAuthSettings.fromEnv(url, List.of(),
                java.util.Map.of("MS365_MCP_ACCESS_TOKEN_TTL", "an hour"))).hasMessageContaining("MS365_MCP_ACCESS_TOKEN_TTL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OAuthSettings.fromEnv(url, List.of(),
                java.util.Map.of("MS365_MCP_ACCESS_TOKEN_TTL", "10"))).hasMessageContaining("between");
    }
}
