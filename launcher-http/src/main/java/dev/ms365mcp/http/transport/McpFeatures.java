package dev.ms365mcp.http.transport;

import dev.ms365mcp.http.metrics.ServerMetrics;
import dev.ms365mcp.tools.Ms365Tools;
import dev.ms365mcp.tools.ToolResults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the MCP server behind {@code /mcp} offers, applied to the SDK's server builder for either
 * transport. Production offers the Microsoft 365 tools; the conformance tests offer the suite's fixtures
 * over the same Jetty wiring.
 */
public interface McpFeatures {

    /** How long a tool call may wait for the client's answer to a server request such as an elicitation. */
    java.time.Duration CONFIRMATION_WAIT = java.time.Duration.ofMinutes(5);

    McpServer.SyncSpecification<?> apply(McpServer.SyncSpecification<?> server);

    McpServer.StatelessSyncSpecification apply(McpServer.StatelessSyncSpecification server);

    /** The meters of what is offered, served on {@code /metrics}; null: none. */
    default ServerMetrics metrics() {
        return null;
    }

    /**
     * The Microsoft 365 tools, each call guarded: whatever a call throws (an {@link Error} included, which the
     * SDK's reactive plumbing would rethrow and leave the request hanging) becomes an error result that
     * names no Java internals, and the server serves on.
     */
    static McpFeatures of(Ms365Tools tools) {
        Logger log = LoggerFactory.getLogger(McpFeatures.class);
        McpSchema.ServerCapabilities capabilities = McpSchema.ServerCapabilities.builder().tools(false).build();
        List<McpStatelessServerFeatures.SyncToolSpecification> statelessTools = tools.statelessToolSpecifications();
        ServerMetrics metrics = new ServerMetrics(statelessTools.stream().map(s -> s.tool().name()).toList());
        List<McpServerFeatures.SyncToolSpecification> stateful = tools.syncToolSpecifications().stream()
                .map(s -> {
                    ServerMetrics.ToolMeters meters = metrics.tool(s.tool().name());
                    return McpServerFeatures.SyncToolSpecification.builder().tool(s.tool())
                        .callHandler((exchange, request) -> guarded(s.tool().name(), meters, log,
                                () -> s.callHandler().apply(exchange, request))).build();
                }).toList();
        List<McpStatelessServerFeatures.SyncToolSpecification> stateless = statelessTools.stream()
                .map(s -> {
                    ServerMetrics.ToolMeters meters = metrics.tool(s.tool().name());
                    return McpStatelessServerFeatures.SyncToolSpecification.builder().tool(s.tool())
                        .callHandler((context, request) -> guarded(s.tool().name(), meters, log,
                                () -> s.callHandler().apply(context, request))).build();
                }).toList();
        return new McpFeatures() {
            @Override
            public McpServer.SyncSpecification<?> apply(McpServer.SyncSpecification<?> server) {
                // a confirmation question (elicitation) waits for a person, not the SDK's default 20 s
                return server.jsonSchemaValidator(tools.schemaValidator()).capabilities(capabilities)
                        .requestTimeout(CONFIRMATION_WAIT).tools(stateful);
            }

            @Override
            public McpServer.StatelessSyncSpecification apply(McpServer.StatelessSyncSpecification server) {
                return server.jsonSchemaValidator(tools.schemaValidator()).capabilities(capabilities).tools(stateless);
            }

            @Override
            public ServerMetrics metrics() {
                return metrics;
            }
        };
    }

    private static McpSchema.CallToolResult failed(String tool) {
        return ToolResults.error(tool + " failed inside the server; nothing more is known. Try again, and report it "
                + "if it keeps happening.");
    }

    /** Runs one call, turning anything it throws into an error result, and records it. */
    private static McpSchema.CallToolResult guarded(String tool, ServerMetrics.ToolMeters meters, Logger log,
            java.util.function.Supplier<McpSchema.CallToolResult> call) {
        long start = System.nanoTime();
        McpSchema.CallToolResult result;
        try {
            result = call.get();
        } catch (Throwable t) {
            log.error("Tool {} failed: {}", tool, t.getClass().getSimpleName());
            result = failed(tool);
        }
        meters.record(start, Boolean.TRUE.equals(result.isError()));
        return result;
    }
}
