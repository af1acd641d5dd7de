package dev.ms365mcp.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.Fault;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code --obo} end to end: the HTTP jar as a process, FakeEntra over https as Microsoft Entra (the JWKS the
 * jar validates callers' tokens against, and the on-behalf-of grant), FakeGraph as Graph, and the official
 * TypeScript SDK client sending an Entra access token for the server's API in a static Authorization header,
 * as an agent that signed its user in with MSAL would.
 *
 * <p>FakeGraph answers {@code /me/messages} from the mailbox of the user the Graph token was issued to, and
 * only for a token FakeEntra issued for Graph: a caller's own token reaching Graph shows in the result.
 */
class OnBehalfOfEndToEndIT {

    private static final String ADELE = "adele@contoso.example";
    private static final String ALEX = "alex@contoso.example";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String API = "api://" + FakeEntra.CONFIDENTIAL_CLIENT_ID;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String INIT = """
            {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},
             "clientInfo":{"name":"raw","version":"1"}}}""";

    @TempDir
    Path dir;

    private FakeEntra entra;
    private FakeGraph graph;
    private HttpJar jar;

    @BeforeEach
    void start() throws Exception {
        entra = FakeEntra.startHttps();
        entra.addUser(ADELE);
        entra.addUser(ALEX);
        graph = FakeGraph.start();
        graph.on("GET", "/v1.0/me/messages", (req, base) -> {
            JsonNode claims = claims(req);
            return claims != null && FakeEntra.GRAPH_AUDIENCE.equals(claims.path("aud").asString(null))
                    ? FakeResponse.ok(mailboxOf(claims.path("upn").asString()))
                    : FakeResponse.json(401, "{\"error\":{\"code\":\"InvalidAuthenticationToken\",\"message\":\"Invalid audience.\"}}");
        });
        jar = new HttpJar(dir).args("--obo")
                .env("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .env("MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET)
                .env("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID)
                .env("MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString())
                .env("MS365_MCP_GRAPH_URL", graph.url())
                .env("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + entra.trustStore()
                        + " -Djavax.net.ssl.trustStorePassword=" + entra.trustStorePassword());
        jar.start();
    }

    @AfterEach
    void stop() throws Exception {
        jar.close();
        graph.close();
        entra.close();
    }

    private static String mailboxOf(String upn) {
        return "{\"value\":[{\"id\":\"msg-" + upn + "\",\"subject\":\"Only for " + upn + "\","
                + "\"from\":{\"emailAddress\":{\"address\":\"" + upn + "\"}}}]}";
    }

    private static JsonNode claims(RecordedRequest req) {
        String token = req.bearer();
        String[] parts = token == null ? new String[0] : token.split("\\.");
        return parts.length < 2 ? null : HttpJar.JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
    }

    private static Map<String, Object> listMail() {
        return Map.of("op", "call", "name", "list-mail-messages", "arguments", Map.of("top", 1));
    }

    /** The TypeScript SDK client with {@code token} as a static bearer, calling {@code steps}. */
    private JsonNode client(String token, List<Map<String, Object>> steps) throws Exception {
        return jar.client(Map.of("bearer", token, "steps", steps),
                Map.of("NODE_EXTRA_CA_CERTS", entra.certificatePem().toString()));
    }

    private static String text(JsonNode result) {
        assertThat(result.path("isError").asBoolean(false)).as(result.toString()).isFalse();
        return result.path("content").get(0).path("text").asString();
    }

    private HttpResponse<String> initialize(String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(jar.publicUrl() + "/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(INIT)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertInvalidToken(String what, String token) throws Exception {
        HttpResponse<String> r = initialize(token);
        assertThat(r.statusCode()).as(what + ": " + r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).as(what)
                .startsWith("Bearer ").contains("error=\"invalid_token\"", "scope=\"" + API + "/.default\"");
        assertThat(r.body()).as(what).doesNotContain(token);
    }

    @Test
    void graphSeesOnlyTheTokenEntraIssuedOnBehalfOfEachCaller() throws Exception {
        String adele = entra.issueUserAssertion(ADELE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        String alex = entra.issueUserAssertion(ALEX, FakeEntra.CONFIDENTIAL_CLIENT_ID);

        JsonNode first = client(adele, List.of(listMail()));
        assertThat(text(first.path("results").get(0))).contains("Only for " + ADELE).doesNotContain(ALEX);
        assertThat(first.path("authorizations").asInt()).isZero();

        // Graph got a token Entra issued for Graph on Adele's behalf, never the token she sent us
        List<String> graphTokens = new ArrayList<>();
        for (RecordedRequest call : graph.requests()) {
            String sent = call.bearer();
            assertThat(sent).isNotEqualTo(adele);
            assertThat(entra.issuedTokens()).contains(sent);
            assertThat(claims(call).path("aud").asString()).isEqualTo(FakeEntra.GRAPH_AUDIENCE);
            assertThat(claims(call).path("upn").asString()).isEqualTo(ADELE);
            graphTokens.add(sent);
        }
        assertThat(graphTokens).isNotEmpty();
        assertThat(entra.tokenRequests(JWT_BEARER)).isNotEmpty().allSatisfy(r -> assertThat(r.form())
                .containsEntry("assertion", adele).containsEntry("requested_token_use", "on_behalf_of")
                .containsEntry("client_id", FakeEntra.CONFIDENTIAL_CLIENT_ID));

        // two users, interleaved: each only ever gets their own Graph token
        graph.clearRequests();
        entra.clearRequests();
        List<String> order = List.of(ALEX, ADELE, ALEX);
        for (String user : order) {
            String token = user.equals(ADELE) ? adele : alex;
            String other = user.equals(ADELE) ? ALEX : ADELE;
            assertThat(text(client(token, List.of(listMail())).path("results").get(0)))
                    .contains("Only for " + user).doesNotContain(other);
        }
        assertThat(graph.requests()).extracting(r -> claims(r).path("upn").asString()).containsExactlyElementsOf(order);
        // (Alex's first request exchanged his token once more, to check it before any call)
        assertThat(entra.tokenRequests(JWT_BEARER)).extracting(r -> r.form().get("assertion"))
                .containsOnly(alex, adele).containsSubsequence(alex, adele, alex);
        graph.requests().forEach(r -> graphTokens.add(r.bearer()));

        // the Graph token passed straight through to us is refused: it was not issued for this API
        assertInvalidToken("a Graph token", graphTokens.getFirst());

        List<String> secrets = new ArrayList<>(graphTokens);
        secrets.addAll(List.of(adele, alex, FakeEntra.CONFIDENTIAL_CLIENT_SECRET));
        assertThat(jar.log()).doesNotContain(secrets);
    }

    @Test
    void tokensNotIssuedByEntraForThisApiAre401InvalidToken() throws Exception {
        assertInvalidToken("no JWT", "not-a-token");

        Map<String, Object> otherApi = entra.accessTokenClaims(ADELE, "api://99999999-9999-9999-9999-999999999999");
        assertInvalidToken("wrong audience", entra.sign(otherApi));

        Map<String, Object> issuer = entra.accessTokenClaims(ADELE, API);
        issuer.put("iss", "https://login.evil.example/" + FakeEntra.TENANT_ID + "/v2.0");
        assertInvalidToken("wrong issuer", entra.sign(issuer));

        Map<String, Object> expired = entra.accessTokenClaims(ADELE, API);
        long anHourAgo = Instant.now().minusSeconds(3600).getEpochSecond();
        expired.put("iat", anHourAgo);
        expired.put("nbf", anHourAgo);
        expired.put("exp", Instant.now().minusSeconds(600).getEpochSecond());
        assertInvalidToken("expired", entra.sign(expired));

        RSAKey foreign = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
        JWSObject forged = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(foreign.getKeyID()).build(), new Payload(new LinkedHashMap<>(entra.accessTokenClaims(ADELE, API))));
        forged.sign(new RSASSASigner(foreign));
        assertInvalidToken("signed by another key", forged.serialize());

        String unsigned = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                + Base64URL.encode(HttpJar.JSON.writeValueAsBytes(entra.accessTokenClaims(ADELE, API))) + ".";
        assertInvalidToken("alg none", unsigned);

        assertInvalidToken("a Graph token", entra.issueAccessToken(ADELE, FakeEntra.GRAPH_AUDIENCE));

        // none of them was exchanged or reached Graph; a genuine token still works
        assertThat(entra.tokenRequests(JWT_BEARER)).isEmpty();
        assertThat(graph.requests()).isEmpty();
        assertThat(initialize(entra.issueUserAssertion(ADELE, FakeEntra.CONFIDENTIAL_CLIENT_ID)).statusCode())
                .isEqualTo(200);
    }

    @Test
    void entraKeysUnreachableAnswer503WithRetryAfterNot401() throws Exception {
        String adele = entra.issueUserAssertion(ADELE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        entra.failNext(FakeEntra.Endpoint.METADATA, 100, Fault.serverError(500));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = initialize(adele);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
            assertThat(HttpJar.JSON.readTree(r.body()).path("error").path("message").asString())
                    .contains("signing keys");
        }
        // Entra gone entirely (connection refused): still the server's problem, not the token's
        entra.close();
        HttpResponse<String> stopped = initialize(adele);
        assertThat(stopped.statusCode()).isEqualTo(503);
        assertThat(stopped.headers().firstValue("Retry-After")).isPresent();
        assertThat(jar.log()).doesNotContain(adele);
    }

    @Test
    void entraRefusingTheExchangeMakesTheClientGetANewTokenAndEntraFailingDoesNot() throws Exception {
        // a token's first request exchanges it once: Entra refusing is a 401 at once, Entra failing a 503
        String revoked = entra.issueUserAssertion(ADELE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        entra.failNext(FakeEntra.Endpoint.TOKEN, 1, Fault.aadsts(400, "interaction_required", 50079,
                "Due to a configuration change made by your administrator, you must enroll in multi-factor authentication."));
        assertInvalidToken("a token Entra will not exchange", revoked);
        String adele = entra.issueUserAssertion(ADELE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503));
        HttpResponse<String> down = initialize(adele);
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
        assertThat(down.headers().firstValue("WWW-Authenticate")).isEmpty();

        // Entra failing mid-session (msal4j tries twice): a tool error that says to retry; the token stays good
        assertThat(text(client(adele, List.of(listMail())).path("results").get(0))).contains("Only for " + ADELE);
        entra.failNext(FakeEntra.Endpoint.TOKEN, 2, Fault.serverError(503));
        JsonNode failing = client(adele, List.of(listMail(), listMail())).path("results");
        assertThat(failing.get(0).path("isError").asBoolean()).isTrue();
        assertThat(failing.get(0).path("content").get(0).path("text").asString()).contains("try again");
        assertThat(text(failing.get(1))).contains("Only for " + ADELE);

        // Entra refusing (the sign-in was revoked): a tool error, then 401 invalid_token for that token
        entra.failNext(FakeEntra.Endpoint.TOKEN, 1, Fault.aadsts(400, "invalid_grant", 50173,
                "The provided grant has expired due to it being revoked, a fresh auth token is needed."));
        JsonNode refused = client(adele, List.of(listMail())).path("results").get(0);
        assertThat(refused.path("isError").asBoolean()).isTrue();
        assertThat(refused.path("content").get(0).path("text").asString()).contains("sign in again");
        assertInvalidToken("a token Entra refused to exchange", adele);

        // the new token the client gets works
        String fresh = entra.issueUserAssertion(ADELE, FakeEntra.CONFIDENTIAL_CLIENT_ID);
        assertThat(text(client(fresh, List.of(listMail())).path("results").get(0))).contains("Only for " + ADELE);
    }
}
