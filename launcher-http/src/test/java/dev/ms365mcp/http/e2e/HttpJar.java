package dev.ms365mcp.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real HTTP jar ({@code e2e.jar}) as a process on a fixed loopback port (so a restart keeps the public
 * URL), and the TypeScript SDK client ({@code e2e.client}) run against it.
 */
final class HttpJar implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path dir;
    private final int port;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> args = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    private int starts;

    HttpJar(Path dir) throws IOException {
        this.dir = dir;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        env.put("MS365_MCP_DATA_DIR", dir.resolve("data").toString());
        env.put("MS365_MCP_PUBLIC_URL", publicUrl());
    }

    String publicUrl() {
        return "http://127.0.0.1:" + port;
    }

    HttpJar env(String name, String value) {
        env.put(name, value);
        return this;
    }

    HttpJar args(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** Starts the jar and waits until {@code /healthz} answers. */
    void start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("e2e.jar"), "--http", "127.0.0.1:" + port));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server-" + (++starts) + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        pb.environment().putAll(env);
        process = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("server exited: %s", log()).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(publicUrl() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not answer /healthz within 60 s: " + log());
    }

    /** SIGTERM (graceful shutdown), then waits for the process. */
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** What the current (last started) process wrote. */
    String log() {
        try {
            return Files.readString(dir.resolve("server-" + starts + ".log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    HttpResponse<String> postForm(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(publicUrl() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Runs {@code src/test/node/oauth-client.mjs} with {@code spec} (url and redirectUrl filled in) and
     * returns its report; fails on a fatal client error, with the server's log.
     */
    JsonNode client(Map<String, Object> spec, Map<String, String> nodeEnv) throws Exception {
        Map<String, Object> full = new LinkedHashMap<>(spec);
        full.putIfAbsent("url", publicUrl() + "/mcp");
        full.putIfAbsent("redirectUrl", "http://127.0.0.1:9/callback");
        ProcessBuilder pb = new ProcessBuilder("node", System.getProperty("e2e.client"), JSON.writeValueAsString(full))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(nodeEnv);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        JsonNode result = JSON.readTree(out);
        assertThat(result.has("fatal")).as("client failed: %s\nserver log:\n%s", result, log()).isFalse();
        return result;
    }
}
