package dev.ms365mcp.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class run in a child JVM on this JVM's class path, for tests that need their own JVM options (a
 * small heap, a small stack). The caller's {@code MS365_MCP_*} environment is not passed on.
 */
public final class ChildJvm {

    /** What the child printed (stdout and stderr, line by line) and its exit code. */
    public record Result(int exitCode, List<String> lines) {
        public String output() {
            return String.join("\n", lines);
        }
    }

    private ChildJvm() {
    }

    /** @throws AssertionError when the child has not ended within {@code timeout} (it is then killed) */
    public static Result run(Duration timeout, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MS365_MCP_"));
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(main.getSimpleName() + " did not end within " + timeout + ":\n" + String.join("\n", lines));
        }
        return new Result(p.exitValue(), List.copyOf(lines));
    }
}
