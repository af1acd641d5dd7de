package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.DemoMailbox;
import dev.ms365mcp.testkit.graph.FakeGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real jar, started by the official MCP TypeScript client over STDIO, against a FakeGraph
 * holding a small mailbox: list, read, send and delete mail as a desktop client would.
 */
class StdioEndToEndIT {

    private FakeGraph graph;
    private DemoMailbox mailbox;

    @BeforeEach
    void start() {
        graph = FakeGraph.start();
        mailbox = DemoMailbox.install(graph);
    }

    @AfterEach
    void stop() {
        graph.close();
    }

    private McpClientRun signedIn() {
        return new McpClientRun().env("MS365_MCP_GRAPH_URL", graph.url()).env("MS365_MCP_OAUTH_TOKEN", "e2e-token");
    }

    private static List<String> toolNames(JsonNode listResult) {
        List<String> names = new ArrayList<>();
        listResult.path("tools").forEach(t -> names.add(t.path("name").asString()));
        return names;
    }

    private static String text(JsonNode callResult) {
        return callResult.path("content").get(0).path("text").asString();
    }

    @Test
    void listsReadsSendsAndDeletesMail() throws Exception {
        String first = mailbox.messageIds().get(0);
        JsonNode report = signedIn()
                .list()
                .call("list-mail-messages", Map.of("top", 10, "select", "id,subject"))
                .call("get-mail-message", Map.of("messageId", first))
                .call("send-mail", Map.of("body", Map.of("message", Map.of(
                        "subject", "Status",
                        "body", Map.of("contentType", "text", "content", "All good."),
                        "toRecipients", List.of(Map.of("emailAddress", Map.of("address", "megan@contoso.example")))))))
                .call("delete-mail-message", Map.of("messageId", first))
                .run();
        JsonNode results = report.path("results");

        assertThat(report.path("server").path("name").asString()).isEqualTo("ms365-mcp");
        assertThat(toolNames(results.get(0))).contains("list-mail-messages", "get-mail-message", "send-mail",
                "delete-mail-message").doesNotContain("list-shared-mailbox-messages");

        JsonNode list = McpClientRun.JSON.readTree(text(results.get(1)));
        assertThat(list.path("value")).hasSize(3);
        assertThat(list.toString()).doesNotContain("@odata.context");
        assertThat(graph.requests().get(0).query()).containsEntry("$top", "10").containsEntry("$select", "id,subject");

        assertThat(results.get(2).path("isError").asBoolean(false)).isFalse();
        assertThat(text(results.get(2))).contains("\"subject\"", first);

        assertThat(results.get(3).path("isError").asBoolean(false)).as(text(results.get(3))).isFalse();
        assertThat(mailbox.sentMail()).hasSize(1);
        assertThat(mailbox.sentMail().get(0).path("message").path("toRecipients").get(0).path("emailAddress")
                .path("address").asString()).isEqualTo("megan@contoso.example");

        assertThat(results.get(4).path("isError").asBoolean(false)).isFalse();
        assertThat(mailbox.contains(first)).isFalse();
        assertThat(graph.requests()).allMatch(r -> "Bearer e2e-token".equals(r.header("Authorization")));
    }

    @Test
    void graphErrorsReachTheClientAsToolErrors() throws Exception {
        JsonNode r = signedIn().call("get-mail-message", Map.of("messageId", "no-such-id")).run().path("results").get(0);
        assertThat(r.path("isError").asBoolean()).isTrue();
        assertThat(text(r)).contains("404", "ErrorItemNotFound");
    }

    @Test
    void readOnlyModeHidesAndRefusesWrites() throws Exception {
        JsonNode results = signedIn().args("--read-only")
                .list()
                .call("send-mail", Map.of("body", Map.of("message", Map.of("subject", "x"))))
                .run().path("results");
        assertThat(toolNames(results.get(0))).contains("list-mail-messages").doesNotContain("send-mail", "delete-mail-message");
        JsonNode refused = results.get(1);
        assertThat(refused.path("isError").asBoolean(false) || refused.has("error")).isTrue();
        assertThat(mailbox.sentMail()).isEmpty();
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void withoutATokenToolsAreListedAndCallsSayHowToSignIn() throws Exception {
        JsonNode results = new McpClientRun().env("MS365_MCP_GRAPH_URL", graph.url())
                .list().call("list-mail-messages", Map.of()).run().path("results");
        assertThat(toolNames(results.get(0))).contains("list-mail-messages");
        assertThat(results.get(1).path("isError").asBoolean()).isTrue();
        assertThat(text(results.get(1))).contains("MS365_MCP_CLIENT_ID", "--login");
        assertThat(graph.requests()).isEmpty();
    }

    @Test
    void toonOutputOnRequest() throws Exception {
        JsonNode r = signedIn().env("MS365_MCP_OUTPUT_FORMAT", "toon")
                .call("list-mail-folders", Map.of()).run().path("results").get(0);
        assertThat(text(r)).doesNotStartWith("{").contains("Inbox", "Sent Items");
    }

    @Test
    void orgModeAddsWorkToolsAndPresetsNarrow() throws Exception {
        JsonNode results = signedIn().args("--org-mode").list().run().path("results");
        List<String> org = toolNames(results.get(0));
        assertThat(org).hasSizeGreaterThanOrEqualTo(344).contains("send-channel-message", "list-shared-mailbox-messages");

        List<String> mailOnly = toolNames(signedIn().args("--preset", "mail").list().run().path("results").get(0));
        assertThat(mailOnly).contains("send-mail", "list-mail-messages").doesNotContain("list-calendar-events",
                "list-folder-files");
    }

    @Test
    void discoveryModeFindsDescribesAndRunsTools() throws Exception {
        JsonNode results = signedIn().args("--discovery")
                .list()
                .call("search-tools", Map.of("query", "list my emails"))
                .call("execute-tool", Map.of("name", "list-mail-messages", "arguments", Map.of("top", 1)))
                .run().path("results");
        assertThat(toolNames(results.get(0))).containsExactly("search-tools", "get-tool-schema", "execute-tool");
        assertThat(text(results.get(1))).contains("list-mail-messages");
        assertThat(results.get(2).path("isError").asBoolean(false)).as(text(results.get(2))).isFalse();
        assertThat(graph.lastRequest().query()).containsEntry("$top", "1");
    }

    @Test
    void fetchingAllPagesReportsProgressToAClientThatAsks() throws Exception {
        graph.pages("/v1.0/me/mailFolders/archive/messages", List.of(
                List.of("{\"id\":\"a1\"}", "{\"id\":\"a2\"}"), List.of("{\"id\":\"a3\"}"), List.of("{\"id\":\"a4\"}")));
        JsonNode r = signedIn().callWithProgress("list-mail-folder-messages",
                Map.of("mailFolderId", "archive", "fetchAllPages", true)).run().path("results").get(0);
        assertThat(r.path("isError").asBoolean(false)).as(r.toString()).isFalse();
        assertThat(McpClientRun.JSON.readTree(text(r)).path("value")).hasSize(4);
        assertThat(r.path("progress").valueStream().map(p -> p.path("progress").asInt()).toList()).containsExactly(1, 2, 3);
        assertThat(r.path("progress").get(2).path("message").asString()).contains("4 items");
    }
}
