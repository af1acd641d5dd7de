package dev.ms365mcp.http.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** File-link settings: the reference's defaults and bounds, and an origin of our own for minted links. */
class FileLinkSettingsTest {

    private static final URI PUBLIC = URI.create("https://mcp.example.com");

    @Test
    void defaults() {
        FileLinkSettings s = FileLinkSettings.fromEnv(Map.of(), PUBLIC);
        assertThat(s.downloadTtl()).isEqualTo(Duration.ofSeconds(120));
        assertThat(s.uploadTtl()).isEqualTo(Duration.ofSeconds(600));
        assertThat(s.uploadMaxBytes()).isEqualTo(250L * 1024 * 1024);
        assertThat(s.perUser()).isEqualTo(20);
        assertThat(s.base()).isEqualTo(PUBLIC);
    }

    @Test
    void givenValues() {
        FileLinkSettings s = FileLinkSettings.fromEnv(Map.of("MS365_MCP_ATTACHMENT_URL_TTL_S", "300",
                "MS365_MCP_UPLOAD_URL_TTL_S", "60", "MS365_MCP_UPLOAD_MAX_BYTES", "5000000000",
                "MS365_MCP_FILE_LINKS_PER_USER", "3", "MS365_MCP_ATTACHMENT_URL_BASE", "HTTP://MS365-MCP:3000/"), PUBLIC);
        assertThat(s.downloadTtl()).isEqualTo(Duration.ofSeconds(300));
        assertThat(s.uploadTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.uploadMaxBytes()).isEqualTo(5_000_000_000L);
        assertThat(s.perUser()).isEqualTo(3);
        assertThat(s.base()).hasToString("http://ms365-mcp:3000");
    }
}
