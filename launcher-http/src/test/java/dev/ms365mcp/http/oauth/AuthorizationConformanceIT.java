package dev.ms365mcp.http.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP conformance package's whole {@code authorization} suite (authorization-server scenarios: the
 * metadata document, then a real authorization code grant) against the front door, with the fake
 * upstream sign-in approving at once. The suite prints the authorization URL and waits for the browser;
 * this test is the browser: it opens the consent page, approves, follows the sign-in back and lands on
 * the suite's callback. Results must equal the checked-in baseline.
 */
class AuthorizationConformanceIT {

    private static final Path SUITE = Path.of(System.getProperty("oauth.conformance.dir", "src/test/conformance-auth"));

    @TempDir
    Path out;

    @Test
    void authorizationSuiteMatchesTheBaseline() throws Exception {
        installSuite();
        int callbackPort;
        try (ServerSocket s = new ServerSocket(0)) {
            callbackPort = s.getLocalPort();
        }
        try (OAuthFixture f = new OAuthFixture()) {
            String clientId = f.register("http://127.0.0.1:" + callbackPort + "/callback");
            Process suite = new ProcessBuilder("node", SUITE.resolve("node_modules/@modelcontextprotocol/conformance/dist/index.js").toString(),
                    "authorization", "--url", f.base.toString(), "--client-id", clientId, "--port", Integer.toString(callbackPort),
                    "--resource", f.oauth.settings().resource(), "-o", out.toString())
                    .redirectErrorStream(true).start();
            List<String> output = new ArrayList<>();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(suite.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith(f.base + "/authorize?")) {
                        actAsTheBrowser(f, line.strip(), callbackPort);
                    }
                }
            }
            assertThat(suite.waitFor(3, TimeUnit.MINUTES)).as("suite finished").isTrue();
            Map<String, String> actual = results();
            Map<String, String> expected = baseline();
            assertThat(actual).as(String.join("\n", output)).isEqualTo(expected);
        }
    }

    /** What a person does: approve the consent page, then the browser follows every 303 to the suite's callback. */
    private static void actAsTheBrowser(OAuthFixture f, String authorizeUrl, int callbackPort) throws Exception {
        Thread.sleep(300); // the suite starts its callback server right after printing the URL
        HttpClient browser = OAuthFixture.newBrowser();
        HttpResponse<String> page = f.get(browser, authorizeUrl);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        OAuthFixture.Consent consent = OAuthFixture.consent(page.body());
        HttpResponse<String> next = f.postForm(browser, "/authorize",
                Map.of("transaction", consent.transaction(), "csrf", consent.csrf(), "decision", "approve"), Map.of());
        for (int hops = 0; hops < 5; hops++) {
            assertThat(next.statusCode()).as("only 303 redirects on the way").isEqualTo(303);
            String location = next.headers().firstValue("Location").orElseThrow();
            next = f.get(browser, location);
            if (location.startsWith("http://127.0.0.1:" + callbackPort + "/callback")) {
                assertThat(next.statusCode()).isEqualTo(200);
                return;
            }
        }
        throw new AssertionError("the browser never reached the suite's callback");
    }

    private Map<String, String> results() throws Exception {
        Map<String, String> statuses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(out)) {
            for (Path p : files.filter(p -> p.getFileName().toString().equals("checks.json")).toList()) {
                for (JsonNode check : JsonMapper.shared().readTree(p.toFile())) {
                    statuses.put(check.get("id").asString(), check.get("status").asString());
                }
            }
        }
        return statuses;
    }

    private static Map<String, String> baseline() throws Exception {
        JsonNode checks = JsonMapper.shared().readTree(SUITE.resolve("expected-authorization.json").toFile()).get("checks");
        Map<String, String> expected = new TreeMap<>();
        checks.propertyNames().forEach(name -> expected.put(name, checks.get(name).asString()));
        return expected;
    }

    private static void installSuite() throws Exception {
        if (Files.isDirectory(SUITE.resolve("node_modules/@modelcontextprotocol/conformance"))) {
            return;
        }
        // Not the fork's stdin: node makes an inherited stdin non-blocking, and surefire's command channel on it
        // then fails ("std/in stream corrupted"), which fails the build after every test passed.
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                .directory(SUITE.toFile()).inheritIO().redirectInput(ProcessBuilder.Redirect.PIPE).start();
        npm.getOutputStream().close();
        assertThat(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0).as("npm ci of the conformance suite").isTrue();
    }

}
