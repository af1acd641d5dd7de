package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.auth.StaticTokenProvider;
import dev.ms365mcp.testkit.graph.FakeGraph;
import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolSettings;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** notifications/cancelled on stdin stops the tools/call it names, through the SDK's own STDIO transport. */
class CancellationRelayTest {

    private final McpJsonMapper mapper = new JacksonMcpJsonMapper(JsonMapper.shared());

    @Test
    void toolCallsAreTaggedWithTheirIdOverwritingTheClientsValue() throws Exception {
        List<String> cancelled = new ArrayList<>();
        CancellationRelay relay = new CancellationRelay(mapper, (p, k) -> cancelled.add(p + "/" + k));
        String line = "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"_meta\":{"
                + "\"progressToken\":\"p\",\"" + Ms365Tools.REQUEST_KEY_META + "\":\"n:99\"}}}";
        JsonNode out = JsonMapper.shared().readTree(relay.pass(mapper.readValue(line, Map.class), line));
        assertThat(out.path("params").path("_meta").path(Ms365Tools.REQUEST_KEY_META).asString()).isEqualTo("n:3");
        assertThat(out.path("params").path("_meta").path("progressToken").asString()).isEqualTo("p");
        assertThat(out.path("params").path("name").asString()).isEqualTo("x");

        String other = "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}";
        assertThat(relay.pass(mapper.readValue(other, Map.class), other)).isSameAs(other);
        String cancel = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":\"3\"}}";
        relay.pass(mapper.readValue(cancel, Map.class), cancel);
        assertThat(cancelled).containsExactly("null/s:3");
    }

    @Test
    void aCancelledCallAnswersAtOnceAndGraphIsNotWaitedFor() throws Exception {
        try (FakeGraph graph = FakeGraph.start()) {
            graph.on("GET", "/v1.0/me/messages/m1", (req, base) -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return FakeResponse.ok("{}");
            });
            Ms365Tools tools = Ms365Tools.builder().settings(ToolSettings.defaults())
                    .tokenProvider(new StaticTokenProvider("t")).graphRoot(URI.create(graph.url())).build();
            QueueInput stdin = new QueueInput();
            BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
            JsonRpcAnswers out = new JsonRpcAnswers(new LineCollector(stdout), JsonMapper.shared());
            JsonRpcLineGuard guard = new JsonRpcLineGuard(stdin, out, mapper, tools::unavailableReason, () -> { },
                    new CancellationRelay(mapper, tools::cancel));
            McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(mapper, guard, out))
                    .serverInfo("ms365-mcp", "test").jsonMapper(mapper)
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                    .tools(tools.syncToolSpecifications()).build();
            try {
                stdin.line("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
                assertThat(stdout.poll(30, TimeUnit.SECONDS)).contains("serverInfo");
                stdin.line("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                stdin.line("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"get-mail-message\","
                        + "\"arguments\":{\"messageId\":\"m1\"}}}");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (graph.requests().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(graph.requests()).hasSize(1);
                long start = System.nanoTime();
                stdin.line("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":2,"
                        + "\"reason\":\"user\"}}");
                String answer = stdout.poll(10, TimeUnit.SECONDS);
                assertThat(answer).isNotNull();
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
                JsonNode r = JsonMapper.shared().readTree(answer);
                assertThat(r.path("id").asInt()).isEqualTo(2);
                assertThat(r.path("result").path("isError").asBoolean()).isTrue();
                assertThat(r.path("result").path("content").get(0).path("text").asString()).contains("cancelled");
            } finally {
                server.close();
                stdin.end();
            }
        }
    }

    /** stdin fed line by line from the test. */
    private static final class QueueInput extends InputStream {
        private final BlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
        private byte[] current = new byte[0];
        private int pos;

        void line(String s) {
            lines.add((s + "\n").getBytes(StandardCharsets.UTF_8));
        }

        void end() {
            lines.add(new byte[0]);
        }

        @Override
        public int read() {
            while (pos >= current.length) {
                try {
                    current = lines.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pos = 0;
                if (current.length == 0) {
                    return -1;
                }
            }
            return current[pos++] & 0xff;
        }
    }

    /** stdout split into lines. */
    private static final class LineCollector extends OutputStream {
        private final BlockingQueue<String> lines;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        LineCollector(BlockingQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                lines.add(buf.toString(StandardCharsets.UTF_8));
                buf.reset();
            } else {
                buf.write(b);
            }
        }
    }
}
