package dev.ms365mcp.tools.execution;

import static dev.ms365mcp.tools.ToolHarness.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ms365mcp.testkit.graph.FakeResponse;
import dev.ms365mcp.tools.ToolHarness;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A path value can never leave its segment, whatever characters it holds. */
class PathEncodingTest {

    private ToolHarness h;

    @BeforeEach
    void start() {
        h = new ToolHarness();
        h.graph.fallback((req, base) -> FakeResponse.ok("{\"id\":\"m\"}"));
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a/b?c#d                | a%2Fb%3Fc%23d",
        "../../users/x          | ..%2F..%2Fusers%2Fx",
        "AAMkAD=                | AAMkAD%3D",
        "with space             | with%20space",
        "100%                   | 100%25",
        "Ünïcödé                | %C3%9Cn%C3%AFc%C3%B6d%C3%A9"})
    void valuesAreEncodedIntoOneSegment(String id, String encoded) {
        CallToolResult r = h.call("get-mail-message", Map.of("messageId", id));
        assertThat(r.isError()).as(text(r)).isFalse();
        assertThat(h.graph.lastRequest().rawPath()).isEqualTo("/v1.0/me/messages/" + encoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", ""})
    void dotSegmentsAndEmptyValuesAreRefusedBeforeSending(String id) {
        CallToolResult r = h.call("delete-mail-message", Map.of("messageId", id));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("messageId");
        assertThat(h.graph.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"inbox", "a/b"})
    void everyPlaceholderOfAPathIsEncoded(String folder) {
        h.call("delete-mail-rule", Map.of("mailFolderId", folder, "messageRuleId", "r/1"));
        assertThat(h.graph.lastRequest().rawPath())
                .isEqualTo("/v1.0/me/mailFolders/" + folder.replace("/", "%2F") + "/messageRules/r%2F1");
    }
}
