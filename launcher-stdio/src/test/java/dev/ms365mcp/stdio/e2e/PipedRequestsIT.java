package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The jar driven as scripts and hostile clients drive it: every line written at once, stdin closed
 * right after. Each request gets its answer before the process exits, whatever it holds, and under
 * the JVM options the README gives desktop clients (small thread stacks, small heap).
 */
class PipedRequestsIT {

    /** The desktop options of the README's client configs (AOT cache aside). */
    static final List<String> DESKTOP_OPTIONS = List.of("-Xlog:disable", "-Xlog:all=warning:stderr",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-XX:ReservedCodeCacheSize=32m", "-Xmx128m");

    static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"pipe\",\"version\":\"1\"}}}";
    static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

    record Piped(List<JsonNode> answers, String stderr, int exit) {
        JsonNode byId(int id) {
            return answers.stream().filter(a -> a.path("id").asInt(-1) == id).findFirst()
                    .orElseThrow(() -> new AssertionError("no answer with id " + id + " in " + answers + "\n" + stderr));
        }
    }

    /** Starts the jar, writes {@code lines}, closes stdin and collects every stdout line until it exits. */
    static Piped pipe(List<String> jvmOptions, List<String> args, String... lines) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(McpClientRun.java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", System.getProperty("e2e.jar")));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        var err = new StringBuilder();
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("exits once stdin is closed and all is answered").isTrue();
        drain.join(5_000);
        List<JsonNode> answers = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                answers.add(McpClientRun.JSON.readTree(line));
            }
        }
        return new Piped(answers, err.toString(), p.exitValue());
    }

    @Test
    void anInitializeEchoedIntoTheJarIsAnsweredBeforeItExits() throws Exception {
        Piped piped = pipe(List.of(), List.of(), INITIALIZE);
        assertThat(piped.answers()).hasSize(1);
        assertThat(piped.byId(0).path("result").path("serverInfo").path("name").asString()).isEqualTo("ms365-mcp");
        assertThat(piped.exit()).isZero();
    }

    @Test
    void aToolsListWithoutInitializeIsAnsweredAsTheReferenceDoes() throws Exception {
        // The reference's Python example: one request, no handshake, stdin closed (Popen.communicate).
        Piped piped = pipe(List.of(), List.of(), "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertThat(piped.answers()).as("only the client's own request is answered").hasSize(1);
        assertThat(piped.byId(1).path("result").path("tools").size()).isGreaterThan(40);
    }

    @Test
    void aRequestAfterInitializeWithoutTheInitializedNotificationIsAnswered() throws Exception {
        Piped piped = pipe(List.of(), List.of(), INITIALIZE, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
        assertThat(piped.answers()).hasSize(2);
        assertThat(piped.byId(1).path("result").path("tools").size()).isGreaterThan(40);
    }

    @Test
    void deeplyNestedRequestsAreRefusedAndTheServerKeepsServingUnderDesktopOptions() throws Exception {
        String deep = "[".repeat(300) + "]".repeat(300);
        String deepObject = "{\"a\":".repeat(300) + "1" + "}".repeat(300);
        Piped piped = pipe(DESKTOP_OPTIONS, List.of(), INITIALIZE, INITIALIZED,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"x\":" + deep + "}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"list-mail-messages\","
                        + "\"arguments\":{\"filter\":" + deepObject + "}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
        for (int id : new int[] {1, 2}) {
            JsonNode error = piped.byId(id).path("error");
            assertThat(error.path("code").asInt()).isEqualTo(-32600);
            assertThat(error.path("message").asString()).contains("nested deeper than 64 levels");
        }
        assertThat(piped.byId(3).path("result").path("tools").size()).as("still serving").isGreaterThan(40);
        assertThat(piped.stderr()).doesNotContain("StackOverflowError");
    }

    @Test
    void anOverlongStringIsRefusedWhileParsingAndTheServerKeepsServingUnderDesktopOptions() throws Exception {
        String big = "x".repeat(7 * 1024 * 1024);
        Piped piped = pipe(DESKTOP_OPTIONS, List.of(), INITIALIZE, INITIALIZED,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"send-mail\","
                        + "\"arguments\":{\"body\":\"" + big + "\"}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(piped.byId(1).path("error").path("message").asString()).contains("holds a string longer than");
        assertThat(piped.byId(2).path("result").path("tools").size()).isGreaterThan(40);
        assertThat(piped.stderr()).doesNotContain("OutOfMemoryError");
    }

    @Test
    void wrongParamTypesGetPlainInvalidParamsAndNoJavaInternalsReachStdout() throws Exception {
        Piped piped = pipe(DESKTOP_OPTIONS, List.of(), INITIALIZE, INITIALIZED,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"list-mail-messages\",\"arguments\":5}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":\"list-mail-messages\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":7}}",
                // Wrong types inside a method the guard does not know: the SDK's own error, sanitized.
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"initialize\",\"params\":{\"capabilities\":[1],\"clientInfo\":\"x\"}}",
                "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}");
        for (int id : new int[] {1, 2, 3}) {
            assertThat(piped.byId(id).path("error").path("code").asInt()).isEqualTo(-32602);
            assertThat(piped.byId(id).path("error").path("message").asString()).startsWith("Invalid params: ");
        }
        assertThat(piped.byId(1).path("error").path("message").asString()).contains("\"arguments\" must be an object");
        JsonNode sdkError = piped.byId(4).path("error");
        assertThat(sdkError.has("data")).isFalse();
        for (JsonNode answer : piped.answers()) {
            if (answer.has("error")) {
                assertThat(answer.path("error").toString()).doesNotContainPattern(
                        "tools\\.jackson|io\\.modelcontextprotocol|java\\.|Exception|\\bat [a-z]");
            }
        }
        assertThat(piped.byId(5).path("result").path("tools").size()).isGreaterThan(40);
    }

    @Test
    void aHiddenToolSaysWhyItIsHidden() throws Exception {
        Piped readOnly = pipe(List.of(), List.of("--read-only"), INITIALIZE, INITIALIZED,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"send-mail\",\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"list-chats\",\"arguments\":{}}}",
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"invalid_tool_name\"}}");
        assertThat(readOnly.byId(1).path("error").path("message").asString())
                .contains("'send-mail'", "runs read-only").doesNotContain("Unknown tool");
        assertThat(readOnly.byId(2).path("error").path("message").asString()).contains("'list-chats'", "--org-mode");
        assertThat(readOnly.byId(3).path("error").path("message").asString()).contains("Unknown tool 'invalid_tool_name'");
        assertThat(readOnly.byId(3).path("error").path("code").asInt()).isEqualTo(-32602);
    }
}
