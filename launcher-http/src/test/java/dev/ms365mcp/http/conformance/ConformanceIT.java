package dev.ms365mcp.http.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.security.McpAuthentication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, pinned in src/test/node) runs
 * every server scenario against the real JettyServer stack serving {@link ConformanceFixture}. The checked-in
 * baseline ({@code src/test/conformance/baseline.yml}) lists the scenarios known to fail; the suite exits
 * non-zero on a new failure and on a listed scenario that now passes, so either change fails the build.
 */
class ConformanceIT {

    @Test
    void everyServerScenarioMatchesTheBaseline(@TempDir Path checks) throws Exception {
        Path node = Path.of(System.getProperty("conformance.node", "src/test/node"));
        Path baseline = Path.of(System.getProperty("conformance.baseline", "src/test/conformance/baseline.yml"));
        Path cli = node.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js");
        assertThat(cli).as("npm ci in " + node + " (pre-integration-test) installs the suite").exists();
        Path results = Files.createDirectories(Path.of("target/conformance"));
        try (TestServer server = TestServer.builder().features(new ConformanceFixture())
                .auth(new McpAuthentication(null, null, null, null, false)).start()) {
            String url = "http://localhost:" + server.server.port() + "/mcp";
            // One scenario at a time has failed once on a loaded CI machine (a different one each time, never
            // again on a rerun): a second run decides, and a failure shows both runs' output.
            String first = suite(cli, baseline, url, results.resolve("output.txt"), checks.resolve("first"));
            if (first != null) {
                String second = suite(cli, baseline, url, results.resolve("output-rerun.txt"), checks.resolve("rerun"));
                assertThat(second).as("first run:%n%s%nrerun:%n%s", first, second).isNull();
            }
        }
    }

    /**
     * Runs the suite; null when every scenario matches the baseline, else the suite's output followed by the
     * checks the suite saved in {@code checks} of each scenario with a failed check (the suite prints only
     * counts; the checks say why).
     */
    private static String suite(Path cli, Path baseline, String url, Path output, Path checks) throws Exception {
        Process p = new ProcessBuilder("node", cli.toAbsolutePath().toString(), "server", "--url", url,
                "--suite", "all", "--expected-failures", baseline.toAbsolutePath().toString(),
                "--output-dir", checks.toAbsolutePath().toString())
                .directory(output.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("suite finished").isTrue();
        if (p.exitValue() == 0) {
            return null;
        }
        StringBuilder report = new StringBuilder(Files.readString(output));
        if (Files.isDirectory(checks)) {
            try (Stream<Path> files = Files.walk(checks)) {
                for (Path file : files.filter(f -> f.getFileName().toString().equals("checks.json")).sorted().toList()) {
                    String json = Files.readString(file);
                    if (json.contains("\"FAILURE\"")) {
                        report.append("\n--- ").append(checks.relativize(file)).append('\n').append(json);
                    }
                }
            }
        }
        return report.toString();
    }
}
