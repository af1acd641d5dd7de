package dev.ms365mcp.tools.accounts;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AuthSettings;
import dev.ms365mcp.auth.msal.MsalTokenProvider;
import dev.ms365mcp.testkit.entra.FakeEntra;
import dev.ms365mcp.testkit.entra.MsalLoopbackHttpClient;
import dev.ms365mcp.testkit.graph.DemoMailbox;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.tools.Ms365Tools;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account tools over real MSAL against FakeEntra: login answers at once with the device code and
 * completes in the background; several accounts; the {@code account} argument; select, remove, logout.
 */
class AccountToolsTest {

    private static final String ADELE = "adele@contoso.example";
    private static final String MEGAN = "megan@contoso.example";

    @TempDir
    Path dir;
    private FakeEntra entra;
    private FakeGraph graph;
    private Ms365Tools tools;

    @BeforeEach
    void start() throws Exception {
        entra = FakeEntra.start();
        entra.addUser(ADELE);
        entra.addUser(MEGAN);
        entra.pollIntervalSeconds(1);
        graph = FakeGraph.start();
        DemoMailbox.install(graph);
        MsalTokenProvider msal = new MsalTokenProvider(AuthSettings.fromEnv(Map.of(
                "MS365_MCP_CLIENT_ID", FakeEntra.PUBLIC_CLIENT_ID,
                "MS365_MCP_AUTHORITY_URL", entra.authorityBase().toString(),
                "MS365_MCP_TOKEN_CACHE_PATH", dir.resolve("cache.bin").toString())), new MsalLoopbackHttpClient(entra));
        tools = Ms365Tools.builder().tokenProvider(msal).accountManager(msal).graphRoot(URI.create(graph.url())).build();
    }

    @AfterEach
    void stop() {
        graph.close();
        entra.close();
    }

    private String call(String tool, Map<String, Object> args) {
        CallToolResult r = tools.call(tool, args);
        assertThat(r.isError()).as(text(r)).isFalse();
        return text(r);
    }

    /** Signs {@code user} in through the login tool and waits (bounded) until the account is cached. */
    private void login(String user, boolean force) throws InterruptedException {
        entra.autoApprove(user, 1);
        assertThat(call("login", force ? Map.of("force", true) : Map.of())).contains("code");
        for (int i = 0; i < 200 && !call("list-accounts", Map.of()).contains(user); i++) {
            Thread.sleep(100);
        }
        assertThat(call("list-accounts", Map.of())).contains(user);
    }

    private String bearerUser() {
        String jwt = graph.lastRequest().header("Authorization").substring("Bearer ".length());
        return new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void loginThenCallsAsTheSignedInUser() throws Exception {
        assertThat(tools.tools()).extracting(t -> t.name())
                .contains("login", "verify-login", "logout", "list-accounts", "select-account", "remove-account");
        login(ADELE, false);
        assertThat(call("verify-login", Map.of())).contains("Adele Vance");
        assertThat(bearerUser()).contains(ADELE);
        assertThat(call("login", Map.of())).contains("Already signed in as " + ADELE);
    }

    @Test
    void severalAccountsTheAccountArgumentSelectRemoveAndLogout() throws Exception {
        login(ADELE, false);
        login(MEGAN, true);

        call("list-mail-messages", Map.of("account", MEGAN));
        assertThat(bearerUser()).contains(MEGAN);

        assertThat(call("select-account", Map.of("account", ADELE))).contains("Selected " + ADELE);
        call("list-mail-messages", Map.of());
        assertThat(bearerUser()).contains(ADELE);

        assertThat(call("remove-account", Map.of("account", MEGAN))).contains("Removed");
        assertThat(call("list-accounts", Map.of())).contains(ADELE).doesNotContain(MEGAN);

        call("logout", Map.of());
        assertThat(call("list-accounts", Map.of())).doesNotContain(ADELE);
        CallToolResult after = tools.call("list-mail-messages", Map.of());
        assertThat(after.isError()).isTrue();
        assertThat(text(after)).containsIgnoringCase("login");
    }

    @Test
    void anUnknownAccountIsAClearError() throws Exception {
        login(ADELE, false);
        CallToolResult r = tools.call("select-account", Map.of("account", "nobody@contoso.example"));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("nobody@contoso.example");
    }
}
