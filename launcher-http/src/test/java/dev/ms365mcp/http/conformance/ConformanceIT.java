package dev.ms365mcp.http.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.http.TestServer;
import dev.ms365mcp.http.security.McpAuthentication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite ({@code @modelcontextprotocol/conformance}, pinned in src/test/node) runs
 * every server scenario against the real JettyServer stack serving {@link ConformanceFixture}. The checked-in
 * baseline ({@code src/test/conformance/baseline.yml}) lists the scenarios known to fail; the suite exits
 * non-zero on a new failure and on a listed scenario that now passes, so either change fails the build.
 */
class ConformanceIT {

    @Test
    void everyServerScenarioMatchesTheBaseline() throws Exception {
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
            String first = suite(cli, baseline, url, results.resolve("output.txt"));
            if (first != null) {
                String second = suite(cli, baseline, url, results.resolve("output-rerun.txt"));
                assertThat(second).as("first run:%n%s%nrerun:%n%s", first, second).isNull();
            }
        }
    }

    /** Runs the suite; null when every scenario matches the baseline, else the suite's output. */
    private static String suite(Path cli, Path baseline, String url, Path output) throws Exception {
        Process p = new ProcessBuilder("node", cli.toAbsolutePath().toString(), "server", "--url", url,
                "--suite", "all", "--expected-failures", baseline.toAbsolutePath().toString())
                .directory(output.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("suite finished").isTrue();
        return p.exitValue() == 0 ? null : Files.readString(output);
    }
}
