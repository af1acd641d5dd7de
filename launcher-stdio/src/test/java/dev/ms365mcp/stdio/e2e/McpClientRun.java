package dev.ms365mcp.stdio.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One MCP session with the packaged jar, driven by the official TypeScript SDK client
 * ({@code src/test/node/mcp-client.mjs}), which starts the jar itself as a STDIO server.
 */
final class McpClientRun {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> serverArgs = new ArrayList<>();
    private final List<Map<String, Object>> steps = new ArrayList<>();
    private String elicitation;

    McpClientRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    McpClientRun args(String... args) {
        serverArgs.addAll(List.of(args));
        return this;
    }

    McpClientRun list() {
        steps.add(Map.of("op", "list"));
        return this;
    }

    McpClientRun call(String tool, Map<String, Object> arguments) {
        steps.add(Map.of("op", "call", "name", tool, "arguments", arguments));
        return this;
    }

    /** A call that asks for progress notifications; they come back in the result's {@code progress}. */
    McpClientRun callWithProgress(String tool, Map<String, Object> arguments) {
        steps.add(Map.of("op", "call", "name", tool, "arguments", arguments, "progress", true));
        return this;
    }

    /** The client declares elicitation and answers every question {@code "accept"} or {@code "decline"}. */
    McpClientRun elicitation(String answer) {
        elicitation = answer;
        return this;
    }

    /** A call with the confirmation token that the result of step {@code tokenFrom} asked for. */
    McpClientRun callWithToken(String tool, Map<String, Object> arguments, int tokenFrom) {
        steps.add(Map.of("op", "call", "name", tool, "arguments", arguments, "tokenFrom", tokenFrom));
        return this;
    }

    McpClientRun sleep(int millis) {
        steps.add(Map.of("op", "sleep", "ms", millis));
        return this;
    }

    /** Runs the session; returns the client's report ({@code results} in step order, {@code serverLog}). */
    JsonNode run() throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-jar", System.getProperty("e2e.jar")));
        args.addAll(serverArgs);
        Map<String, Object> spec = new LinkedHashMap<>(Map.of("command", java(), "args", args, "env", env, "steps", steps));
        if (elicitation != null) {
            spec.put("elicitation", elicitation);
        }
        Process p = new ProcessBuilder("node", System.getProperty("e2e.client"), JSON.writeValueAsString(spec))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("client finished").isTrue();
        assertThat(p.exitValue()).as("client exit code").isZero();
        JsonNode report = JSON.readTree(new String(out, StandardCharsets.UTF_8));
        assertThat(report.has("fatal")).as("session failed: %s\n%s", report.path("fatal"), report.path("serverLog")).isFalse();
        return report;
    }

    /** The JVM running the tests, so the jar runs on the same JDK (>= 21). */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
