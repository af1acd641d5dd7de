package dev.ms365mcp.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .env gives the app registration only, and the real environment wins. */
class DotEnvTest {

    @Test
    void readsTheAppRegistrationOnlyAndTheEnvironmentWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".env");
        Files.writeString(file, """
                # comment
                export MS365_MCP_CLIENT_ID="from-file"
                MS365_MCP_TENANT_ID='tenant-from-file'
                READ_ONLY=false
                MS365_MCP_GRAPH_URL=http://evil.example
                """);
        Map<String, String> env = DotEnv.withAppRegistration(Map.of("MS365_MCP_TENANT_ID", "tenant-from-env"), file);
        assertThat(env).containsEntry("MS365_MCP_CLIENT_ID", "from-file")
                .containsEntry("MS365_MCP_TENANT_ID", "tenant-from-env")
                .doesNotContainKeys("READ_ONLY", "MS365_MCP_GRAPH_URL");
    }

    @Test
    void noFileLeavesTheEnvironmentAsItIs(@TempDir Path dir) {
        Map<String, String> env = Map.of("A", "b");
        assertThat(DotEnv.withAppRegistration(env, dir.resolve(".env"))).isSameAs(env);
    }
}
