package dev.ms365mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MS365_MCP_GRAPH_URL: the bearer token goes there, so plain http only to this machine; a version suffix is not doubled. */
class GraphUrlTest {

    private static URI graph(Map<String, String> env) {
        return GraphEndpoint.fromEnv(env).graphRoot();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:9000", "http://127.8.9.10", "http://localhost:8080", "http://LOCALHOST",
            "http://[::1]:8080", "https://graph.example.com"})
    void loopbackHttpAndAnyHttpsAreAccepted(String url) {
        assertThat(graph(Map.of("MS365_MCP_GRAPH_URL", url)).toString()).isEqualToIgnoringCase(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "http://10.0.0.5:8080", "http://128.0.0.1", "http://localhost.evil.example",
            "http://127.0.0.1.nip.io", "http://[::2]", "http://0.0.0.0:80"})
    void plainHttpToAnotherMachineIsRefusedInOneLine(String url) {
        assertThatThrownBy(() -> graph(Map.of("MS365_MCP_GRAPH_URL", url)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MS365_MCP_GRAPH_URL").hasMessageContaining("unencrypted")
                .hasMessageContaining("MS365_MCP_ALLOW_INSECURE_GRAPH_URL=true")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "1"})
    void theExplicitOptInAllowsIt(String optIn) {
        assertThat(graph(Map.of("MS365_MCP_GRAPH_URL", "http://example.com", "MS365_MCP_ALLOW_INSECURE_GRAPH_URL", optIn)))
                .isEqualTo(URI.create("http://example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://graph.microsoft.com/v1.0", "https://graph.microsoft.com/v1.0/",
            "https://graph.microsoft.com/beta", "https://graph.microsoft.com/beta/", "https://graph.microsoft.com/",
            "https://graph.microsoft.com"})
    void aVersionedRootIsTakenWithoutItsVersion(String url) {
        assertThat(graph(Map.of("MS365_MCP_GRAPH_URL", url))).isEqualTo(URI.create("https://graph.microsoft.com"));
    }

    @org.junit.jupiter.api.Test
    void aVersionedLoopbackRootKeepsItsPort() {
        assertThat(graph(Map.of("MS365_MCP_GRAPH_URL", "http://127.0.0.1:9000/v1.0/")))
                .isEqualTo(URI.create("http://127.0.0.1:9000"));
    }
}
