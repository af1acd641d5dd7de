package dev.ms365mcp.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Start-up refusals: one clear line and exit status 2, before anything listens. */
class HttpMainTest {

    private static String run(Map<String, String> env, String... args) {
        CommandLine cli = HttpMain.commandLine(env);
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute(args)).isEqualTo(2);
        return err.toString();
    }

    @Test
    void aSingleUserServerOnAllAddressesWithoutAnApiKeyDoesNotStart() {
        String err = run(Map.of("MS365_MCP_OAUTH_TOKEN", "a.b.c", "MS365_MCP_DATA_DIR", "target/refused"),
                "--http", "0.0.0.0:0");
        assertThat(err).startsWith("ms365-mcp-http: this single-user server").contains("MS365_MCP_API_KEY")
                .doesNotContain("a.b.c");
    }

    @Test
    void twoModesDoNotStart() {
        assertThat(run(Map.of(), "--obo", "--trust-proxy-auth")).contains("choose one way");
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThat(run(Map.of(), "--http", "99999")).contains("--http needs a port");
        assertThat(run(Map.of("MS365_MCP_PUBLIC_URL", "javascript:alert(1)"))).contains("MS365_MCP_PUBLIC_URL");
    }

    @Test
    void badFileLinkSettingsNameTheirVariable() {
        assertThat(run(Map.of("MS365_MCP_ATTACHMENT_URL_TTL_S", "301"))).contains("MS365_MCP_ATTACHMENT_URL_TTL_S must be "
                + "between 1 and 300");
        assertThat(run(Map.of("MS365_MCP_ATTACHMENT_URL_BASE", "https://files.example.com/path?x=1")))
                .contains("MS365_MCP_ATTACHMENT_URL_BASE must be an http(s) origin");
        assertThat(run(Map.of("MS365_MCP_UPLOAD_MAX_BYTES", "-5"))).contains("MS365_MCP_UPLOAD_MAX_BYTES must be a "
                + "whole number >= 1");
        assertThat(run(Map.of("MS365_MCP_FILE_LINKS_PER_USER", "0"))).contains("MS365_MCP_FILE_LINKS_PER_USER");
    }

    @Test
    void sharedStateWithoutASharedStateKeyDoesNotStart() {
        String err = run(Map.of("MS365_MCP_REDIS_URL", "redis://:pw-secret-2@127.0.0.1:1/0", "MS365_MCP_CLIENT_ID",
                "11111111-1111-1111-1111-111111111111", "MS365_MCP_TENANT_ID", "contoso.example",
                "MS365_MCP_CLIENT_SECRET", "client-secret-value", "MS365_MCP_DATA_DIR", "target/refused"),
                "--http", "127.0.0.1:0");
        assertThat(err).contains("every replica must use the same MS365_MCP_STATE_KEY").doesNotContain("pw-secret-2")
                .doesNotContain("client-secret-value");
    }
}
