package dev.ms365mcp.stdio;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up goes through the SDK's real JSON-RPC records with the server's own mapper: a
 * change in the SDK that breaks it fails here instead of silently costing start-up time (the server
 * itself ignores a failed warm-up).
 */
class WarmUpTest {

    @Test
    void buildsTheInitializeAndToolsListMappingsWithoutError() {
        assertThatCode(() -> StdioMain.warmUp(JsonRpcLineGuard.limitedMcpMapper())).doesNotThrowAnyException();
    }
}
