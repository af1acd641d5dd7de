package dev.ms365mcp.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.testkit.graph.RecordedRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OAuth front door end to end with real components: the HTTP jar as a process, FakeEntra over https
 * as Microsoft Entra, FakeGraph as Graph, and the official TypeScript SDK client with its OAuth support
 * and a scripted browser ({@code src/test/node/oauth-client.mjs}) as the remote MCP client.
 *
 * <p>FakeGraph answers {@code /me/messages} from the mailbox of the user the Entra token was issued to,
 * so a call that reached Graph with the wrong user's token shows up in the tool result.
 */
class OAuthEndToEndIT {

    private static final JsonMapper JSON = HttpJar.JSON;
    private static final String ADELE = "adele@contoso.example";
    private static final String ALEX = "alex@contoso.example";

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
        graph.on("GET", "/v1.0/me/messages", (req, base) -> FakeResponse.ok(mailboxOf(upn(req))));
        jar = new HttpJar(dir)
                .env("MS365_MCP_CLIENT_ID", FakeEntra.CONFIDENTIAL_CLIENT_ID)
                .env("MS365_MCP_CLIENT_SECRET", FakeEntra.CONFIDENTIAL_CLIENT_SECRET)
                .env("MS365_MCP_TENANT_ID", FakeEntra.TENANT_ID)
                .env("MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString())
                .env("MS365_MCP_GRAPH_URL", graph.url())
                // a replayed refresh token counts as theft at once (the default grace is 30 s)
                .env("MS365_MCP_REFRESH_REUSE_GRACE", "0")
                .env("MS365_MCP_AUDIT_LOG", "true")
                .env("JAVA_TOOL_OPTIONS", "-Djavax.net.ssl.trustStore=" + entra.trustStore()
                        + " -Djavax.net.ssl.trustStorePassword=" + entra.trustStorePassword());
        entra.addRedirectUri(FakeEntra.CONFIDENTIAL_CLIENT_ID, jar.publicUrl() + "/oauth/callback");
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

    /** The user an Entra access token (a JWT FakeEntra signed) was issued to; null for anything else. */
    private static String upn(RecordedRequest req) {
        String token = req.bearer();
        if (token == null) {
            return null;
        }
        String[] parts = token.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        JsonNode claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        return claims.path("upn").asString(null);
    }

    /** Runs the TypeScript client with {@code steps} as {@code user} signing in when a browser flow is needed. */
    private JsonNode client(String user, Path stateFile, List<Map<String, Object>> steps) throws Exception {
        entra.signInAs(user);
        return jar.client(Map.of("stateFile", stateFile.toString(), "steps", steps),
                Map.of("NODE_EXTRA_CA_CERTS", entra.certificatePem().toString()));
    }

    private static Map<String, Object> listMail() {
        return Map.of("op", "call", "name", "list-mail-messages", "arguments", Map.of("top", 1));
    }

    private static String text(JsonNode result) {
        assertThat(result.path("isError").asBoolean(false)).as(result.toString()).isFalse();
        assertThat(result.has("error")).as(result.toString()).isFalse();
        return result.path("content").get(0).path("text").asString();
    }

    private static List<String> grants(JsonNode run) {
        List<String> grants = new ArrayList<>();
        run.path("tokenRequests").forEach(g -> grants.add(g.asString()));
        return grants;
    }

    private JsonNode state(Path stateFile) throws Exception {
        return JSON.readTree(Files.readString(stateFile));
    }

    @Test
    void signInCallRefreshRestartAndAReplayedRefreshTokenLosesTheGrant() throws Exception {
        Path adele = dir.resolve("adele.json");

        // register, consent, sign in at Entra, call a tool
        JsonNode first = client(ADELE, adele, List.of(listMail()));
        assertThat(first.path("authorizations").asInt()).isEqualTo(1);
        assertThat(grants(first)).containsExactly("authorization_code");
        assertThat(first.toString()).contains("/oauth/callback");
        assertThat(text(first.path("results").get(0))).contains("Only for " + ADELE).doesNotContain(ALEX);
        assertThat(entra.tokenRequests("authorization_code")).hasSize(1);

        // Graph saw the Entra token issued for Adele, never our opaque token
        String ours = state(adele).path("tokens").path("access_token").asString();
        assertThat(ours).isNotBlank();
        List<RecordedRequest> calls = graph.requests();
        assertThat(calls).isNotEmpty();
        for (RecordedRequest call : calls) {
            String bearer = call.header("Authorization").substring("Bearer ".length());
            assertThat(bearer).isNotEqualTo(ours);
            assertThat(entra.issuedTokens()).contains(bearer);
            assertThat(upn(call)).isEqualTo(ADELE);
        }

        // the access token stops working (revoked by itself, RFC 7009): the client refreshes, no browser
        String clientId = state(adele).path("client").path("client_id").asString();
        String firstRefresh = state(adele).path("tokens").path("refresh_token").asString();
        assertThat(jar.postForm("/revoke", "token=" + ours + "&token_type_hint=access_token&client_id=" + clientId)
                .statusCode()).isEqualTo(200);
        JsonNode refreshed = client(ADELE, adele, List.of(listMail()));
        assertThat(refreshed.path("authorizations").asInt()).isZero();
        assertThat(grants(refreshed)).containsExactly("refresh_token");
        assertThat(text(refreshed.path("results").get(0))).contains("Only for " + ADELE);
        assertThat(state(adele).path("tokens").path("refresh_token").asString()).isNotEqualTo(firstRefresh);

        // a restart on the same data directory keeps the grant and Adele's Entra sign-in
        jar.stop();
        jar.start();
        int entraCodes = entra.tokenRequests("authorization_code").size();
        JsonNode afterRestart = client(ADELE, adele, List.of(listMail()));
        assertThat(afterRestart.path("authorizations").asInt()).isZero();
        assertThat(grants(afterRestart)).isEmpty();
        assertThat(text(afterRestart.path("results").get(0))).contains("Only for " + ADELE);
        assertThat(entra.tokenRequests("authorization_code")).hasSize(entraCodes);

        // the rotated-away refresh token presented again: theft, the whole family goes, the client signs in anew
        HttpResponse<String> replay = jar.postForm("/token", "grant_type=refresh_token&refresh_token=" + firstRefresh
                + "&client_id=" + clientId);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("invalid_grant").doesNotContain(firstRefresh);
        JsonNode afterTheft = client(ADELE, adele, List.of(listMail()));
        assertThat(afterTheft.path("authorizations").asInt()).isEqualTo(1);
        assertThat(text(afterTheft.path("results").get(0))).contains("Only for " + ADELE);

        assertThat(jar.log()).doesNotContain(ours, firstRefresh, FakeEntra.CONFIDENTIAL_CLIENT_SECRET);

        // the audit log (in the data dir by default): one line per call, across the restart, Adele by hash only
        List<String> audit = Files.readAllLines(dir.resolve("data/logs/audit.log"));
        assertThat(audit).hasSize(4).allSatisfy(line -> assertThat(line)
                .contains("\"tool\":\"list-mail-messages\"", "\"user\":\"sha256:")
                .doesNotContain(ADELE, ours, firstRefresh));
    }

    @Test
    void twoUsersNeverSeeEachOthersMailbox() throws Exception {
        Path adele = dir.resolve("adele.json");
        Path alex = dir.resolve("alex.json");
        assertThat(text(client(ADELE, adele, List.of(listMail())).path("results").get(0)))
                .contains("Only for " + ADELE).doesNotContain(ALEX);
        assertThat(text(client(ALEX, alex, List.of(listMail())).path("results").get(0)))
                .contains("Only for " + ALEX).doesNotContain(ADELE);
        graph.clearRequests();
        // interleaved again on their stored tokens, no browser: each still gets only their own mail
        JsonNode adeleAgain = client(ALEX, adele, List.of(listMail()));
        JsonNode alexAgain = client(ADELE, alex, List.of(listMail()));
        assertThat(adeleAgain.path("authorizations").asInt()).isZero();
        assertThat(alexAgain.path("authorizations").asInt()).isZero();
        assertThat(text(adeleAgain.path("results").get(0))).contains("Only for " + ADELE).doesNotContain(ALEX);
        assertThat(text(alexAgain.path("results").get(0))).contains("Only for " + ALEX).doesNotContain(ADELE);
        assertThat(graph.requests()).extracting(OAuthEndToEndIT::upn).containsExactly(ADELE, ALEX);
    }
}
