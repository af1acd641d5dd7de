package dev.ms365mcp.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.DemoMailbox;
import dev.ms365mcp.testkit.graph.FakeGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Safety (confirmation, recipient guard) through the HTTP jar on the stateful Streamable HTTP transport,
 * with the official TypeScript client answering the server's elicitation requests over SSE.
 */
class SafetyOverHttpIT {

    @TempDir
    Path dir;

    private FakeGraph graph;
    private DemoMailbox mailbox;
    private HttpJar jar;

    @BeforeEach
    void start() throws Exception {
        graph = FakeGraph.start();
        mailbox = DemoMailbox.install(graph);
        // single user on loopback: no bearer needed, the server's own token for Graph
        jar = new HttpJar(dir).args("--single-user")
                .env("MS365_MCP_OAUTH_TOKEN", "e2e-secret-token")
                .env("MS365_MCP_GRAPH_URL", graph.url());
    }

    @AfterEach
    void stop() throws Exception {
        jar.close();
        graph.close();
    }

    private static Map<String, Object> sendMail(String subject, String to) {
        return Map.of("op", "call", "name", "send-mail", "arguments", Map.of("body", Map.of("message", Map.of(
                "subject", subject, "body", Map.of("contentType", "text", "content", "Body words"),
                "toRecipients", List.of(Map.of("emailAddress", Map.of("address", to)))))));
    }

    private static String text(JsonNode result) {
        return result.path("content").get(0).path("text").asString();
    }

    private JsonNode run(String elicitation, Map<String, Object> step) throws Exception {
        return jar.client(Map.of("elicitation", elicitation, "steps", List.of(step)), Map.of());
    }

    @Test
    void aSendDeclinedThroughElicitationReachesNothing() throws Exception {
        jar.env("MS365_MCP_REQUIRE_CONFIRM", "true").start();
        JsonNode report = run("decline", sendMail("Q3 numbers", "megan@contoso.example"));
        JsonNode result = report.path("results").get(0);
        assertThat(result.path("isError").asBoolean(false)).as(result.toString()).isTrue();
        assertThat(report.path("elicitations")).hasSize(1);
        assertThat(report.path("elicitations").get(0).path("message").asString())
                .contains("megan@contoso.example", "Q3 numbers").doesNotContain("Body words");
        assertThat(graph.requests()).isEmpty();
        assertThat(mailbox.sentMail()).isEmpty();
    }

    @Test
    void aSendAcceptedThroughElicitationIsSent() throws Exception {
        jar.env("MS365_MCP_REQUIRE_CONFIRM", "send-mail").start();
        JsonNode report = run("accept", sendMail("Q3", "megan@contoso.example"));
        JsonNode result = report.path("results").get(0);
        assertThat(result.path("isError").asBoolean(false)).as(result.toString()).isFalse();
        assertThat(report.path("elicitations")).hasSize(1);
        assertThat(mailbox.sentMail()).hasSize(1);
    }

    @Test
    void anOutsideRecipientIsRefusedBeforeGraph() throws Exception {
        jar.env("MS365_MCP_ALLOWED_RECIPIENT_DOMAINS", "contoso.example").start();
        JsonNode report = run("accept", sendMail("x", "drop@evil.example"));
        JsonNode result = report.path("results").get(0);
        assertThat(result.path("isError").asBoolean(false)).as(result.toString()).isTrue();
        assertThat(text(result)).contains("drop@evil.example");
        assertThat(report.path("elicitations")).isEmpty();
        assertThat(graph.requests()).isEmpty();
    }
}
