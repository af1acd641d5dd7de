package dev.ms365mcp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudTest {

    @Test
    void parsesEveryCloudCaseInsensitively() {
        assertThat(Cloud.parse(" Global ")).isEqualTo(Cloud.GLOBAL);
        assertThat(Cloud.parse("china")).isEqualTo(Cloud.CHINA);
        assertThat(Cloud.parse("USGOV")).isEqualTo(Cloud.USGOV);
        assertThat(Cloud.parse("usgov-dod")).isEqualTo(Cloud.USGOV_DOD);
    }

    @Test
    void unknownCloudListsTheChoices() {
        assertThatThrownBy(() -> Cloud.parse("azure"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown cloud 'azure'; use one of: global, china, usgov, usgov-dod");
    }

    @Test
    void endpointDefaultsComeFromTheCloud() {
        GraphEndpoint e = GraphEndpoint.fromEnv(Map.of("MS365_MCP_CLOUD_TYPE", "usgov-dod"));
        assertThat(e.authorityBase()).isEqualTo(URI.create("https://login.microsoftonline.us"));
        assertThat(e.graphRoot()).isEqualTo(URI.create("https://dod-graph.microsoft.us"));
        assertThat(e.defaultScope()).isEqualTo("https://dod-graph.microsoft.us/.default");
        assertThat(GraphEndpoint.fromEnv(Map.of()).cloud()).isEqualTo(Cloud.GLOBAL);
    }

    @Test
    void overridesReplaceHostsButNotTheScopeAudience() {
        GraphEndpoint e = GraphEndpoint.fromEnv(Map.of(
                "MS365_MCP_AUTHORITY_URL", "https://localhost:8443/",
                "MS365_MCP_GRAPH_URL", "http://127.0.0.1:9000/"));
        assertThat(e.authorityBase()).isEqualTo(URI.create("https://localhost:8443"));
        assertThat(e.graphRoot()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(e.defaultScope()).isEqualTo("https://graph.microsoft.com/.default");
    }

    @Test
    void authorityMustBeHttpsAndGraphAbsolute() {
        assertThatThrownBy(() -> GraphEndpoint.fromEnv(Map.of("MS365_MCP_AUTHORITY_URL", "http://localhost:1")))
                .hasMessageContaining("MS365_MCP_AUTHORITY_URL must be an https URL");
        assertThatThrownBy(() -> GraphEndpoint.fromEnv(Map.of("MS365_MCP_GRAPH_URL", "graph.local")))
                .hasMessageContaining("MS365_MCP_GRAPH_URL must be an absolute http(s) URL");
        assertThatThrownBy(() -> GraphEndpoint.fromEnv(Map.of("MS365_MCP_GRAPH_URL", "ftp://x")))
                .hasMessageContaining("MS365_MCP_GRAPH_URL");
        assertThatThrownBy(() -> GraphEndpoint.fromEnv(Map.of("MS365_MCP_AUTHORITY_URL", "https://bad host")))
                .hasMessageContaining("MS365_MCP_AUTHORITY_URL is not a valid URL");
    }
}
