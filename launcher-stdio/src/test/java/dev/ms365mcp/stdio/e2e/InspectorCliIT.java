package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.DemoMailbox;
import dev.ms365mcp.testkit.graph.FakeGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's "talk to it" command: the MCP Inspector CLI (pinned in src/test/node/package.json)
 * against the jar and the demo mailbox, exactly as a new user types it (the README pins the same
 * version for npx).
 */
class InspectorCliIT {

    private static JsonNode inspector(String graphUrl, String... method) throws Exception {
        Path nodeDir = Path.of(System.getProperty("e2e.client")).getParent();
        List<String> cmd = new ArrayList<>(List.of(nodeDir.resolve("node_modules/.bin/mcp-inspector").toString(), "--cli",
                "-e", "MS365_MCP_GRAPH_URL=" + graphUrl, "-e", "MS365_MCP_OAUTH_TOKEN=demo",
                McpClientRun.java(), "-jar", System.getProperty("e2e.jar")));
        cmd.addAll(List.of(method));
        Process p = new ProcessBuilder(cmd).directory(nodeDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("inspector exit code; output:\n%s", out).isZero();
        return McpClientRun.JSON.readTree(out);
    }

    @Test
    void theReadmeInspectorCommandsListToolsAndReadTheDemoMailbox() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            DemoMailbox.install(graph);
            JsonNode list = inspector(graph.url(), "--method", "tools/list");
            assertThat(list.path("tools").size()).isGreaterThan(40);

            JsonNode call = inspector(graph.url(), "--method", "tools/call", "--tool-name", "list-mail-messages",
                    "--tool-arg", "top=2", "select=subject");
            assertThat(call.path("isError").asBoolean(false)).as(call.toString()).isFalse();
            String text = call.path("content").get(0).path("text").asString();
            assertThat(text).contains("Build is green", "Lunch on Friday?").doesNotContain("Quarterly numbers")
                    .as("$select honoured by the demo").doesNotContain("receivedDateTime");
        }
    }
}
