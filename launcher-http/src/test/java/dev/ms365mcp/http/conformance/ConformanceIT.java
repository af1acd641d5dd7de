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
        {
            try (TestServer server = TestServer.builder().features(new ConformanceFixture())
                    .auth(new McpAuthentication(null, null, null, null, false)).start()) {
                String url = "http://localhost:" + server.server.port() + "/mcp";
                Process p = new ProcessBuilder("node", cli.toAbsolutePath().toString(), "server", "--url", url,
                        "--suite", "all", "--expected-failures", baseline.toAbsolutePath().toString())
                        .directory(results.toFile()).redirectErrorStream(true)
                        .redirectOutput(results.resolve("output.txt").toFile()).start();
                assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("suite finished").isTrue();
                String output = Files.readString(results.resolve("output.txt"));
                assertThat(p.exitValue()).as(output).isZero();
            }
        }
    }
}
