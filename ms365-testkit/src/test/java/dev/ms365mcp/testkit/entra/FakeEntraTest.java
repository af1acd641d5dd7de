package dev.ms365mcp.testkit.entra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** FakeEntra over plain HTTP, without msal4j: the protocol details the MSAL tests rely on. */
class FakeEntraTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static HttpResponse<String> post(HttpClient http, URI uri, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deviceCodePendingThenTokensThenRotationRejectsReuse() throws Exception {
        try (FakeEntra entra = FakeEntra.start(); HttpClient http = HttpClient.newHttpClient()) {
            FakeUser alice = entra.addUser("alice@contoso.com");
            entra.pendingPolls(1);
            URI token = URI.create(entra.baseUri() + "/common/oauth2/v2.0/token");
            String client = "client_id=" + FakeEntra.PUBLIC_CLIENT_ID;

            JsonNode code = JSON.readTree(post(http, URI.create(entra.baseUri() + "/common/oauth2/v2.0/devicecode"),
                    client + "&scope=openid+offline_access+Mail.Read").body());
            String poll = client + "&grant_type=device_code&device_code=" + code.get("device_code").asString();

            HttpResponse<String> pending = post(http, token, poll);
            assertThat(pending.statusCode()).isEqualTo(400);
            assertThat(pending.body()).contains("authorization_pending");
            assertThat(post(http, token, poll).body()).contains("authorization_pending"); // not approved yet

            entra.approve(code.get("user_code").asString(), "alice@contoso.com");
            JsonNode tokens = JSON.readTree(post(http, token, poll).body());
            assertThat(tokens.get("scope").asString()).isEqualTo("openid Mail.Read");
            String clientInfo = new String(java.util.Base64.getUrlDecoder().decode(tokens.get("client_info").asString()));
            assertThat(clientInfo).contains(alice.objectId(), alice.tenantId());

            String rt1 = tokens.get("refresh_token").asString();
            String refresh = client + "&grant_type=refresh_token&scope=Mail.Read&refresh_token=";
            String rt2 = JSON.readTree(post(http, token, refresh + rt1).body()).get("refresh_token").asString();
            assertThat(rt2).isNotEqualTo(rt1);
            HttpResponse<String> reuse = post(http, token, refresh + rt1);
            assertThat(reuse.statusCode()).isEqualTo(400);
            assertThat(reuse.body()).contains("invalid_grant", "AADSTS70000");
            assertThat(entra.reusedRefreshTokenCount()).isEqualTo(1);

            entra.revokeRefreshTokens("alice@contoso.com");
            assertThat(post(http, token, refresh + rt2).body()).contains("AADSTS50173");
            assertThat(entra.requests()).extracting(EntraRequest::grantType).containsSubsequence("device_code", "refresh_token");
        }
    }

    @Test
    void metadataFaultsAndClients() throws Exception {
        try (FakeEntra entra = FakeEntra.start(); HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(
                    URI.create(entra.baseUri() + "/contoso.com/v2.0/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(metadata.body()).get("token_endpoint").asString())
                    .isEqualTo(entra.authorityBase() + "/contoso.com/oauth2/v2.0/token");

            URI token = URI.create(entra.baseUri() + "/t/oauth2/v2.0/token");
            entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503));
            String credentials = "grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
                    + "&client_id=" + FakeEntra.CONFIDENTIAL_CLIENT_ID + "&client_secret=" + FakeEntra.CONFIDENTIAL_CLIENT_SECRET;
            assertThat(post(http, token, credentials).statusCode()).isEqualTo(503);
            assertThat(post(http, token, credentials).body()).contains("\"error_codes\":[90033]");
            assertThat(post(http, token, credentials).statusCode()).isEqualTo(200);

            assertThat(post(http, token, credentials.replace(FakeEntra.CONFIDENTIAL_CLIENT_SECRET, "x")).body())
                    .contains("AADSTS7000215");
            assertThat(post(http, URI.create(entra.baseUri() + "/t/oauth2/v2.0/devicecode"),
                    "client_id=" + FakeEntra.CONFIDENTIAL_CLIENT_ID + "&scope=openid").body()).contains("AADSTS7000218");
            assertThat(entra.requests()).allSatisfy(r -> assertThat(r.host()).startsWith("127.0.0.1:"));
        }
    }

    @Test
    void httpsModeServesACertificateItsTrustStoreTrusts() throws Exception {
        try (FakeEntra entra = FakeEntra.startHttps();
             HttpClient http = HttpClient.newBuilder().sslContext(entra.clientSslContext()).build()) {
            assertThat(entra.baseUri().toString()).startsWith("https://localhost:");
            assertThat(Files.size(entra.trustStore())).isPositive();
            assertThat(entra.trustStorePassword()).isNotBlank();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(entra.baseUri() + "/common/v2.0/.well-known/openid-configuration")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }
}
