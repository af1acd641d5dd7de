package dev.ms365mcp.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.obo.EntraAccessTokenValidator;
import dev.ms365mcp.auth.obo.OnBehalfOfTokenProvider;
import dev.ms365mcp.http.McpHttpClient;
import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.Fault;
import dev.ms365mcp.testkit.entra.MsalLoopbackHttpClient;
import dev.ms365mcp.testkit.graph.FakeResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --obo} on the real Jetty wiring, with FakeEntra as Microsoft Entra (its JWKS and the on-behalf-of
 * grant): what the caller is told when its token is bad, when Entra's keys are unreachable, and when Entra
 * refuses or fails the exchange.
 */
class OnBehalfOfAuthenticationTest {

    private static final String ALICE = "alice@contoso.com";
    private static final String API = "api://" + FakeEntra.CONFIDENTIAL_CLIENT_ID;
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String INIT = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
             "clientInfo":{"name":"t","version":"1"}}}""";

    private FakeEntra entra;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        entra = FakeEntra.start();
        entra.addUser(ALICE);
        AuthSettings settings = AuthSettings.fromEnv(Map.of(
                "MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID,
                "MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET,
                "MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID,
                "MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString()));
        OnBehalfOfAuthentication obo = new OnBehalfOfAuthentication(
                new EntraAccessTokenValidator(settings, entra.jwksUri(FakeEntra.TENANT_ID), null),
                new OnBehalfOfTokenProvider(settings, new MsalLoopbackHttpClient(entra)));
        server = TestServer.builder().auth(obo.authentication(API + "/.default")).start();
        server.graph.on("GET", "/v1.0/me", (req, base) -> FakeResponse.ok(
                "{\"userPrincipalName\":\"" + upn(req.header("Authorization")) + "\"}"));
    }

    @AfterEach
    void stop() {
        server.close();
        entra.close();
    }

    private static String upn(String authorization) {
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        JsonNode claims = JsonMapper.shared().readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
        return claims.path("aud").asString() + " " + claims.path("upn").asString();
    }

    private JsonNode me(McpHttpClient client) throws Exception {
        return client.callTool("get-current-user", "{}");
    }

    @Test
    void graphGetsTheTokenEntraIssuedOnBehalfOfTheCallerNeverTheCallersOwn() throws Exception {
        String token = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        JsonNode result = me(server.client(token).initialize());
        assertThat(McpHttpClient.text(result)).contains(FakeEntra.GRAPH_AUDIENCE + " " + ALICE);
        String graphBearer = server.graph.lastRequest().header("Authorization").substring("Bearer ".length());
        assertThat(graphBearer).isNotEqualTo(token);
        assertThat(entra.tokenRequests(JWT_BEARER)).last().satisfies(r -> assertThat(r.form())
                .containsEntry("assertion", token).containsEntry("requested_token_use", "on_behalf_of"));
    }

    @Test
    void unreachableSigningKeysAnswer503WithRetryAfterNot401() throws Exception {
        String token = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        entra.failNext(FakeEntra.Endpoint.METADATA, 100, Fault.serverError(500));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = server.client(token).post(INIT);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            assertThat(JsonMapper.shared().readTree(r.body()).path("error").path("message").asString())
                    .contains("signing keys", "retry");
            assertThat(r.body()).doesNotContain(token).doesNotContain("Exception");
        }
        // A token that is bad on its face is still a 401 while the keys are down.
        assertThat(server.client("not-a-jwt").post(INIT).statusCode()).isEqualTo(401);
    }

    @Test
    void entraRefusingTheExchangeEndsTheCallWithAToolErrorAndTheTokenThenGets401() throws Exception {
        String token = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        McpHttpClient client = server.client(token).initialize();
        entra.failNext(FakeEntra.Endpoint.TOKEN, 1, Fault.aadsts(400, "interaction_required", 50079,
                "Due to a configuration change made by your administrator, you must enroll in multi-factor authentication."));
        JsonNode refused = me(client);
        assertThat(refused.path("result").path("isError").asBoolean()).isTrue();
        assertThat(McpHttpClient.text(refused)).contains("sign in again in your MCP client").doesNotContain(token);

        HttpResponse<String> next = client.post("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/list\"}");
        assertThat(next.statusCode()).isEqualTo(401);
        assertThat(next.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ms365-mcp\", scope=\""
                + API + "/.default\", error=\"invalid_token\"");

        // the client's new token works
        String fresh = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        assertThat(McpHttpClient.text(me(server.client(fresh).initialize()))).contains(ALICE);
    }

    @Test
    void aTokenEntraWillNotExchangeIsRefusedWith401OnItsFirstRequest() throws Exception {
        String token = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        entra.failNext(FakeEntra.Endpoint.TOKEN, 1, Fault.aadsts(400, "invalid_grant", 50173,
                "The provided grant has expired due to it being revoked, a fresh auth token is needed."));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = server.client(token).post(INIT);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).endsWith("error=\"invalid_token\"");
            assertThat(r.body()).doesNotContain(token);
        }
        // remembered: Entra was asked once
        assertThat(entra.tokenRequests(JWT_BEARER)).hasSize(1);
    }

    @Test
    void entraFailingOnATokensFirstRequestIs503NotA401() throws Exception {
        String token = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        // msal4j retries a 5xx once
        entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503));
        HttpResponse<String> r = server.client(token).post(INIT);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("10");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
        assertThat(JsonMapper.shared().readTree(r.body()).path("error").path("message").asString())
                .contains("cannot exchange", "retry");
        // Entra back: the same token works
        assertThat(McpHttpClient.text(me(server.client(token).initialize()))).contains(ALICE);
    }

    @Test
    void aServerMisconfigurationIsNotBlamedOnTheCallersToken() throws Exception {
        AuthSettings wrongSecret = AuthSettings.fromEnv(Map.of(
                "MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID,
                "MS365_MCP_CLIENT_SECRET", "an-expired-secret",
                "MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID,
                "MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString()));
        OnBehalfOfAuthentication obo = new OnBehalfOfAuthentication(
                new EntraAccessTokenValidator(wrongSecret, entra.jwksUri(FakeEntra.TENANT_ID), null),
                new OnBehalfOfTokenProvider(wrongSecret, new MsalLoopbackHttpClient(entra)));
        try (TestServer misconfigured = TestServer.builder().auth(obo.authentication(API + "/.default")).start()) {
            String token = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
            // neither 401 (the token is fine) nor 503 (retrying will not help): the tool call says what to fix
            McpHttpClient client = misconfigured.client(token).initialize();
            JsonNode result = me(client);
            assertThat(result.path("result").path("isError").asBoolean()).isTrue();
            assertThat(McpHttpClient.text(result)).contains("MS365_MCP_CLIENT_SECRET").doesNotContain("an-expired-secret");
        }
    }

    @Test
    void entraFailingDuringTheExchangeIsAToolErrorToRetryAndTheTokenStaysGood() throws Exception {
        String token = entra.issueUserAssertion(ALICE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        McpHttpClient client = server.client(token).initialize();
        // msal4j retries a 5xx once
        entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503));
        JsonNode failed = me(client);
        assertThat(failed.path("result").path("isError").asBoolean()).isTrue();
        assertThat(McpHttpClient.text(failed)).contains("try again");

        assertThat(McpHttpClient.text(me(client))).contains(ALICE);
    }

    @Test
    void a401PointsClientsAtMetadataNamingEntraAndThisApisScope() throws Exception {
        AuthSettings settings = AuthSettings.fromEnv(Map.of(
                "MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID,
                "MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET,
                "MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID,
                "MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString()));
        try (TestServer obo = TestServer.builder().auth(OnBehalfOfAuthentication.of(settings,
                dev.ms365mcp.auth.TokenObserver.NONE, java.net.URI.create("https://mcp.example.com"))).start()) {
            HttpResponse<String> refused = obo.client(null).post(INIT);
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(refused.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .contains("resource_metadata=\"https://mcp.example.com/.well-known/oauth-protected-resource/mcp\"")
                    .contains("scope=\"" + API + "/.default\"");

            for (String path : new String[] {"/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"}) {
                HttpResponse<String> metadata = McpHttpClient.HTTP.send(
                        java.net.http.HttpRequest.newBuilder(obo.url(path)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(metadata.statusCode()).isEqualTo(200);
                JsonNode doc = JsonMapper.shared().readTree(metadata.body());
                assertThat(doc.path("resource").asString()).isEqualTo("https://mcp.example.com/mcp");
                assertThat(doc.path("authorization_servers").get(0).asString())
                        .isEqualTo(entra.authorityBase() + "/" + FakeEntra.TENANT_ID + "/v2.0");
                assertThat(doc.path("scopes_supported").get(0).asString()).isEqualTo(API + "/.default");
            }
            // No front door of ours in this mode: nothing else of OAuth is served.
            HttpResponse<String> as = McpHttpClient.HTTP.send(java.net.http.HttpRequest.newBuilder(
                    obo.url("/.well-known/oauth-authorization-server")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(as.statusCode()).isEqualTo(404);
        }
    }
}
