package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The STDIO channel byte by byte: stdout carries JSON-RPC only, a malformed line gets a JSON-RPC
 * error and the server keeps serving, and the process ends when stdin closes.
 */
class StdioTransportIT {

    private Process server;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    private void startServer() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(McpClientRun.java(), "-jar", System.getProperty("e2e.jar"));
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        // Debug level, so there is logging to check stays off stdout.
        pb.environment().put("LOG_LEVEL", "debug");
        server = pb.start();
        Thread.ofVirtual().start(() -> pump(server.inputReader(StandardCharsets.UTF_8), stdout));
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = server.errorReader(StandardCharsets.UTF_8)) {
                r.lines().forEach(l -> { synchronized (stderr) { stderr.append(l).append('\n'); } });
            } catch (IOException ignored) {
                // process ended
            }
        });
    }

    private static void pump(BufferedReader reader, BlockingQueue<String> into) {
        try (reader) {
            reader.lines().forEach(into::add);
        } catch (IOException ignored) {
            // process ended
        }
    }

    private void send(String line) throws IOException {
        OutputStream in = server.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    private JsonNode next() throws InterruptedException {
        String line = stdout.poll(30, TimeUnit.SECONDS);
        assertThat(line).as("an answer on stdout; stderr so far:\n%s", stderr).isNotNull();
        return McpClientRun.JSON.readTree(line);
    }

    private void initialize() throws Exception {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
        assertThat(next().path("result").path("serverInfo").path("name").asString()).isEqualTo("ms365-mcp");
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    }

    @Test
    void malformedLinesGetJsonRpcErrorsAndTheServerKeepsServing() throws Exception {
        startServer();
        initialize();

        send("this is not json");
        JsonNode parseError = next();
        assertThat(parseError.path("error").path("code").asInt()).isEqualTo(-32700);
        assertThat(parseError.path("id").isNull()).isTrue();

        send("{\"jsonrpc\":\"2.0\",\"id\":7}");
        JsonNode invalid = next();
        assertThat(invalid.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(invalid.path("id").asInt()).isEqualTo(7);

        send("[1,2,3]");
        assertThat(next().path("error").path("code").asInt()).isEqualTo(-32600);

        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        JsonNode list = next();
        assertThat(list.path("id").asInt()).isEqualTo(2);
        assertThat(list.path("result").path("tools").size()).isGreaterThan(40);
    }

    @Test
    void stdoutCarriesOnlyJsonRpcAndTheServerStopsWhenStdinCloses() throws Exception {
        startServer();
        initialize();
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list-mail-messages\",\"arguments\":{}}}");
        JsonNode call = next();
        assertThat(call.path("result").path("isError").asBoolean()).isTrue();
        server.getOutputStream().close();
        assertThat(server.waitFor(20, TimeUnit.SECONDS)).as("exits after stdin closes").isTrue();
        assertThat(server.exitValue()).isZero();
        List<String> rest = new ArrayList<>();
        stdout.drainTo(rest);
        for (String line : rest) {
            assertThat(McpClientRun.JSON.readTree(line).path("jsonrpc").asString()).isEqualTo("2.0");
        }
        synchronized (stderr) {
            assertThat(stderr.toString()).contains("initialize").doesNotContain("Bearer");
        }
    }
}
