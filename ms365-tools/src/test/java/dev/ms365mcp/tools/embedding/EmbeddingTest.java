package dev.ms365mcp.tools.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.AccessToken;
import dev.ms365mcp.testkit.graph.DemoMailbox;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import dev.ms365mcp.tools.selection.Preset;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the README's embedding snippet does: a Java application puts some Microsoft 365 tools into
 * its own MCP server with its own token source, and an MCP client uses them.
 */
class EmbeddingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void anApplicationServesMailToolsWithItsOwnTokens() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            DemoMailbox.install(graph);
            AtomicReference<String> askedScopes = new AtomicReference<>();

            // --- the README snippet ---
            Ms365Tools tools = Ms365Tools.builder()
                    .settings(ToolSettings.defaults().toBuilder().presets(Preset.parse("mail")).build())
                    .tokenProvider(request -> {
                        askedScopes.set(String.join(",", request.scopes()));
                        return new AccessToken("app-issued-token", null);
                    })
                    .graphRoot(URI.create(graph.url()))
                    .build();
            PipedOutputStream clientOut = new PipedOutputStream();
            PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 20);
            PipedInputStream clientIn = new PipedInputStream(1 << 20);
            PipedOutputStream serverOut = new PipedOutputStream(clientIn);
            JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(JSON);
            McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(mapper, serverIn, serverOut))
                    .serverInfo("my-app", "1.0")
                    .jsonMapper(mapper)
                    .jsonSchemaValidator(tools.schemaValidator())
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(tools.syncToolSpecifications())
                    .build();
            // --- end of snippet ---

            BufferedReader answers = new BufferedReader(new InputStreamReader(clientIn, StandardCharsets.UTF_8));
            send(clientOut, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
            assertThat(JSON.readTree(answers.readLine()).path("result").path("serverInfo").path("name").asString())
                    .isEqualTo("my-app");
            send(clientOut, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(clientOut, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
            JsonNode list = JSON.readTree(answers.readLine()).path("result").path("tools");
            assertThat(list.valueStream().map(t -> t.path("name").asString()).toList())
                    .contains("send-mail", "list-mail-messages").doesNotContain("list-calendar-events");
            send(clientOut, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"list-mail-messages\",\"arguments\":{\"top\":2}}}");
            JsonNode call = JSON.readTree(answers.readLine()).path("result");
            assertThat(call.path("isError").asBoolean(false)).as(call.toString()).isFalse();
            assertThat(graph.lastRequest().header("Authorization")).isEqualTo("Bearer app-issued-token");
            assertThat(askedScopes.get()).isEqualTo("Mail.Read");
            server.closeGracefully();
        }
    }

    private static void send(PipedOutputStream out, String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
